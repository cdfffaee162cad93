//! Figures from one run, and how they print.

use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub count: usize,
}

impl Percentiles {
    pub fn of(mut samples: Vec<Duration>) -> Percentiles {
        if samples.is_empty() {
            return Percentiles::default();
        }
        samples.sort_unstable();
        let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
        Percentiles {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: samples[samples.len() - 1],
            count: samples.len(),
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

impl fmt::Display for Percentiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "p50 {} · p95 {} · p99 {} · max {} (n={})",
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max),
            self.count
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub target: &'static str,
    pub clients: usize,
    pub ops: usize,
    /// Send → receipt at every other client.
    pub delivery: Percentiles,
    /// Send → acknowledgement at the sender.
    pub ack: Percentiles,
    pub delivered_per_sec: f64,
    pub errors: usize,
    pub missing: usize,
    pub peak_rss_kib: Option<u64>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "[{}] {} clients, {} ops", self.target, self.clients, self.ops)?;
        writeln!(f, "  delivery  {}", self.delivery)?;
        writeln!(f, "  ack       {}", self.ack)?;
        let rss = self.peak_rss_kib.map_or("?".into(), |k| format!("{:.1} MB", k as f64 / 1024.0));
        write!(
            f,
            "  {:.0} deliveries/s · {} errors · {} missing · server peak RSS {rss}",
            self.delivered_per_sec, self.errors, self.missing
        )
    }
}

/// `a / b` as "1.23×", for comparing targets from the same run.
pub fn ratio(a: Duration, b: Duration) -> String {
    if b.is_zero() {
        return "–".into();
    }
    format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64())
}
