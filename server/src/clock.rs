//! The one place the server reads the wall clock.

/// The server's clock: Unix time in milliseconds (what boards, events and entries record).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
