//! What the clients of every target share in the burst: when each one posts, what each one
//! measured, and how that adds up to a [`Report`].

use super::{Percentiles, Report, Scenario, Target};
use std::time::Duration;
use tokio::time::Instant;

/// What one client measured.
#[derive(Default)]
pub struct Outcome {
    /// Send-to-receipt time of every other client's note.
    pub deliveries: Vec<Duration>,
    /// Send-to-acknowledgement time of its own note.
    pub ack: Option<Duration>,
    pub errors: usize,
    /// Notes received (its own included).
    pub received: usize,
    pub last_receipt: Option<Instant>,
}

impl Outcome {
    /// Counts a note that arrived at `now`; another client's is also timed.
    pub fn arrived(&mut self, now: Instant, latency: Duration, own: bool) {
        self.received += 1;
        self.last_receipt = Some(now);
        if !own {
            self.deliveries.push(latency);
        }
    }
}

/// The text every client posts: its send time (ns since the epoch) and its name come first,
/// so each receiver can time it.
pub fn note_text(epoch: Instant, sent_at: Instant, mine: &str) -> String {
    format!("{} {mine} Idé fra belastningstesten", sent_at.duration_since(epoch).as_nanos())
}

/// Reads a note's text back: how long ago it was sent, and whether `mine` sent it.
pub fn read_note(text: &str, mine: &str, epoch: Instant, now: Instant) -> (Duration, bool) {
    let mut parts = text.split(' ');
    let stamp: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let own = parts.next() == Some(mine);
    ((now - epoch).saturating_sub(Duration::from_nanos(stamp)), own)
}

/// When every client posts: the same seeded moments for every target, so they get the same load.
pub struct Schedule {
    /// Send times in notes are measured from here.
    pub epoch: Instant,
    /// The start of the burst window.
    pub start: Instant,
    /// When clients stop waiting for notes.
    pub deadline: Instant,
    send_at: Vec<Instant>,
}

impl Schedule {
    pub fn new(scenario: &Scenario) -> Schedule {
        let epoch = Instant::now();
        let start = epoch + Duration::from_millis(500);
        let mut rng = scenario.seed | 1;
        let send_at = (0..scenario.clients)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                start + Duration::from_micros(rng % scenario.burst.as_micros().max(1) as u64)
            })
            .collect();
        Schedule { epoch, start, deadline: start + scenario.burst + Duration::from_secs(30), send_at }
    }

    /// When client `index` posts its note.
    pub fn send_at(&self, index: usize) -> Instant {
        self.send_at[index]
    }
}

/// Adds up every client's measurements.
pub fn report(target: Target, scenario: &Scenario, schedule: &Schedule, outcomes: &[Outcome]) -> Report {
    let last = outcomes.iter().filter_map(|o| o.last_receipt).max().unwrap_or(schedule.start);
    let deliveries: Vec<Duration> = outcomes.iter().flat_map(|o| o.deliveries.iter().copied()).collect();
    let span = last.saturating_duration_since(schedule.start).as_secs_f64().max(1e-9);
    let received: usize = outcomes.iter().map(|o| o.received).sum();
    Report {
        target: target.name(),
        clients: scenario.clients,
        ops: scenario.clients,
        ack: Percentiles::of(outcomes.iter().filter_map(|o| o.ack).collect()),
        delivered_per_sec: deliveries.len() as f64 / span,
        delivery: Percentiles::of(deliveries),
        errors: outcomes.iter().map(|o| o.errors).sum(),
        // Every note should reach every client, its sender included.
        missing: (scenario.clients * scenario.clients).saturating_sub(received),
        peak_rss_kib: None,
    }
}
