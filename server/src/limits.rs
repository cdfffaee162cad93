//! Limits that keep one person (or one script) from spoiling a board for everyone else:
//! open connections per IP address and per board, the write rate of each connection, and
//! join-code guessing per IP address. All configurable (see `Config`); all in memory.
//!
//! Writes over the rate are *throttled*, not dropped: the connection stops reading until the
//! bucket refills, so a phone flushing notes written offline delivers them all, a little
//! later, and a flooding script only slows itself down.

use idetavle_core::board::BoardId;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The numbers; `0` means "no limit" for the connection caps.
#[derive(Debug, Clone, Copy)]
pub struct LimitsConfig {
    pub connections_per_ip: usize,
    pub connections_per_board: usize,
    /// Sustained ops per minute and connection (participants; the facilitator gets ten times this).
    pub writes_per_minute: u32,
    pub failed_joins_per_minute: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            connections_per_ip: 1_000,
            connections_per_board: 2_000,
            writes_per_minute: 100,
            failed_joins_per_minute: 60,
        }
    }
}

/// Why a connection was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooManyFromAddress,
    BoardFull,
}

#[derive(Default)]
struct Open {
    per_ip: HashMap<IpAddr, usize>,
    per_board: HashMap<BoardId, usize>,
}

pub struct Limits {
    pub config: LimitsConfig,
    open: Mutex<Open>,
    /// Failed join-code lookups per address in the current minute.
    failed_joins: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// Holds a connection's place; dropping it frees the place.
pub struct ConnectionSlot {
    limits: Arc<Limits>,
    ip: IpAddr,
    board: BoardId,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.limits.open.lock() {
            decrement(&mut open.per_ip, &self.ip);
            decrement(&mut open.per_board, &self.board);
        }
    }
}

fn decrement<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

const MINUTE: Duration = Duration::from_secs(60);

impl Limits {
    pub fn new(config: LimitsConfig) -> Arc<Limits> {
        Arc::new(Limits { config, open: Mutex::default(), failed_joins: Mutex::default() })
    }

    /// Takes a connection place for `ip` on `board`, or says why not.
    pub fn admit(self: &Arc<Self>, ip: IpAddr, board: &BoardId) -> Result<ConnectionSlot, Refusal> {
        let mut open = self.open.lock().map_err(|_| Refusal::BoardFull)?;
        let from_ip = open.per_ip.get(&ip).copied().unwrap_or(0);
        let on_board = open.per_board.get(board).copied().unwrap_or(0);
        if self.config.connections_per_ip > 0 && from_ip >= self.config.connections_per_ip {
            return Err(Refusal::TooManyFromAddress);
        }
        if self.config.connections_per_board > 0 && on_board >= self.config.connections_per_board {
            return Err(Refusal::BoardFull);
        }
        *open.per_ip.entry(ip).or_default() += 1;
        *open.per_board.entry(board.clone()).or_default() += 1;
        Ok(ConnectionSlot { limits: Arc::clone(self), ip, board: board.clone() })
    }

    /// How many board connections are open.
    pub fn open_connections(&self) -> usize {
        self.open.lock().map_or(0, |open| open.per_board.values().sum())
    }

    /// False once `ip` has had too many failed join codes this minute.
    pub fn may_try_join_code(&self, ip: IpAddr) -> bool {
        let Ok(mut failed) = self.failed_joins.lock() else { return false };
        match failed.get(&ip) {
            Some((since, n)) if since.elapsed() < MINUTE => *n < self.config.failed_joins_per_minute,
            Some(_) => {
                failed.remove(&ip);
                true
            }
            None => true,
        }
    }

    /// Records a join code that opened nothing.
    pub fn join_code_failed(&self, ip: IpAddr) {
        let Ok(mut failed) = self.failed_joins.lock() else { return };
        // Forget stale windows now and then, so the map cannot grow without bound.
        if failed.len() > 10_000 {
            failed.retain(|_, (since, _)| since.elapsed() < MINUTE);
        }
        let entry = failed.entry(ip).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= MINUTE {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }
}

/// A token bucket for one connection's writes: bursts of up to half a minute's allowance, then
/// the sustained rate.
pub struct WriteBucket {
    capacity: f64,
    tokens: f64,
    per_second: f64,
    last: Instant,
}

impl WriteBucket {
    pub fn new(per_minute: u32) -> WriteBucket {
        let per_minute = f64::from(per_minute.max(1));
        let capacity = (per_minute / 2.0).max(10.0);
        WriteBucket { capacity, tokens: capacity, per_second: per_minute / 60.0, last: Instant::now() }
    }

    /// Takes one token; if none is left, how long until one is.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_a_burst_then_the_sustained_rate() {
        let start = Instant::now();
        let mut bucket = WriteBucket::new(100);
        for _ in 0..50 {
            assert!(bucket.take(start).is_ok());
        }
        let wait = bucket.take(start).unwrap_err();
        assert!((wait.as_secs_f64() - 0.6).abs() < 0.01, "{wait:?}");
        assert!(bucket.take(start + Duration::from_millis(600)).is_ok());
    }

    #[test]
    fn connection_places_are_counted_per_address_and_board_and_freed_on_drop() {
        let limits =
            Limits::new(LimitsConfig { connections_per_ip: 2, connections_per_board: 3, ..Default::default() });
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let board = BoardId::from("b");
        let first = limits.admit(a, &board).unwrap();
        let _second = limits.admit(a, &board).unwrap();
        assert_eq!(limits.admit(a, &board).err(), Some(Refusal::TooManyFromAddress));
        let _third = limits.admit(b, &board).unwrap();
        assert_eq!(limits.admit(b, &board).err(), Some(Refusal::BoardFull));
        assert!(limits.admit(b, &BoardId::from("other")).is_ok(), "other boards are not affected");
        drop(first);
        assert!(limits.admit(b, &board).is_ok());
    }

    #[test]
    fn join_code_guessing_is_cut_off_per_address() {
        let limits = Limits::new(LimitsConfig { failed_joins_per_minute: 3, ..Default::default() });
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.may_try_join_code(a));
            limits.join_code_failed(a);
        }
        assert!(!limits.may_try_join_code(a));
        assert!(limits.may_try_join_code(b));
    }
}
