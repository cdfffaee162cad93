//! `/metrics` for an operator's monitoring, in Prometheus' text format (written by
//! `prometheus-client`, the Prometheus project's Rust client): open connections, boards held
//! in memory, ops committed (a counter: Prometheus takes its rate), the commit latency, and
//! errors sent to clients by code. Counts only: nothing about any board's content.

use idetavle_core::protocol::ErrorCode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    code: String,
}

pub struct Metrics {
    registry: Registry,
    connections: Gauge,
    boards_loaded: Gauge,
    ops: Counter,
    commit_seconds: Histogram,
    errors: Family<ErrorLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let connections = Gauge::default();
        let boards_loaded = Gauge::default();
        let ops = Counter::default();
        // 0.1 ms … ~3 s: a commit is a fsync (SQLite) or a round trip or four (PostgreSQL).
        let commit_seconds = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        let errors = Family::<ErrorLabels, Counter>::default();
        let mut registry = Registry::default();
        registry.register("idetavle_connections", "Open board connections", connections.clone());
        registry.register("idetavle_boards_loaded", "Boards held in memory, each with its hub", boards_loaded.clone());
        registry.register("idetavle_ops", "Ops committed (events stored)", ops.clone());
        registry.register("idetavle_commit_seconds", "How long a batch's commit took", commit_seconds.clone());
        registry.register("idetavle_errors", "Errors sent to clients, by code", errors.clone());
        Metrics { registry, connections, boards_loaded, ops, commit_seconds, errors }
    }
}

impl Metrics {
    /// A batch of `events` was committed in `took`.
    pub fn committed(&self, events: usize, took: Duration) {
        self.ops.inc_by(events as u64);
        self.commit_seconds.observe(took.as_secs_f64());
    }

    /// An error frame went to a client.
    pub fn error(&self, code: ErrorCode) {
        let code = serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_owned));
        self.errors.get_or_create(&ErrorLabels { code: code.unwrap_or_else(|| "unknown".into()) }).inc();
    }

    /// The text a scrape gets, with the gauges read now.
    pub fn encode(&self, boards_loaded: usize, connections: usize) -> String {
        self.boards_loaded.set(boards_loaded as i64);
        self.connections.set(connections as i64);
        let mut text = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(error = %e, "could not write the metrics");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scrape_has_every_metric_with_its_type() {
        let m = Metrics::default();
        m.committed(3, Duration::from_millis(2));
        m.error(ErrorCode::InvalidOp);
        m.error(ErrorCode::InvalidOp);
        let text = m.encode(4, 7);
        for line in [
            "# TYPE idetavle_connections gauge",
            "idetavle_connections 7",
            "idetavle_boards_loaded 4",
            "# TYPE idetavle_ops counter",
            "idetavle_ops_total 3",
            "# TYPE idetavle_commit_seconds histogram",
            "idetavle_commit_seconds_count 1",
            "idetavle_errors_total{code=\"invalid_op\"} 2",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in:\n{text}");
        }
    }
}
