//! What the screens show about the connection: online or not, and the server's last refusal.

use idetavle_core::board::OpErrorCode;
use idetavle_core::protocol::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    Offline,
}

/// A refusal from the server, kept until the user dismisses it or the next one comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub reason: Option<OpErrorCode>,
}
