//! Keeping a client's board in step with the server.
//!
//! [`SyncState`] is the sans-IO half: it holds the confirmed board, the outbox of
//! unacknowledged ops and the rules for handling each server message. The browser
//! (`socket`, behind the `hydrate` feature) and the Rust test clients drive it over
//! their own sockets.

mod live;
mod state;
pub use live::{random_id, Connection, LiveBoard, Refusal};
pub use state::{Pending, Received, SyncState};

#[cfg(feature = "hydrate")]
pub mod socket;
