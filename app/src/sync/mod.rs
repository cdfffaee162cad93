//! Keeping a client's board in step with the server.
//!
//! [`SyncState`] is the sans-IO half: it holds the confirmed board, the outbox of
//! unacknowledged ops and the rules for handling each server message. The browser
//! (`socket`, behind the `hydrate` feature) and the Rust test clients drive it over
//! their own sockets.

mod live;
mod state;
mod status;
mod wire;
pub use live::LiveBoard;
pub use state::{Pending, Received, SyncState};
pub use status::{Connection, Refusal};

/// This browser's local storage, where a screen keeps its outbox, identity and what it saw.
#[cfg(feature = "hydrate")]
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

#[cfg(feature = "hydrate")]
mod seen;
#[cfg(feature = "hydrate")]
pub mod socket;

/// 128 random bits as hex, from the browser's CSPRNG.
pub fn random_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        let mut bytes = [0u8; 16];
        if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
            let _ = crypto.get_random_values_with_u8_array(&mut bytes);
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::from("server-side")
    }
}
