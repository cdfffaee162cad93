//! The store's notices of what other instances did, passed to the hubs they concern
//! (docs/SCALING.md). A notice is only a wake-up; a hub that misses one (its queue was full)
//! still catches up at its next commit and at its next heartbeat.

use super::{Command, Hubs};
use crate::store::Notice;
use tokio::sync::broadcast::{self, error::RecvError};

impl Hubs {
    /// Follows `notices` until the store stops sending them (run aborts it when it stops).
    pub async fn follow(self: std::sync::Arc<Self>, mut notices: broadcast::Receiver<Notice>) {
        loop {
            match notices.recv().await {
                Ok(Notice::Appended { board, seq }) => self.tell(&board, Command::CatchUp { seq: Some(seq) }).await,
                Ok(Notice::Presence { board }) => self.tell(&board, Command::PresenceChanged).await,
                Ok(Notice::Deleted { board }) => {
                    // The store no longer has it: the hub here tells its connections and stops.
                    if let Some(hub) = self.running.lock().await.remove(&board) {
                        hub.send(Command::Close).await;
                    }
                }
                Ok(Notice::Missed) | Err(RecvError::Lagged(_)) => {
                    let hubs: Vec<_> = self.running.lock().await.values().cloned().collect();
                    for hub in hubs {
                        let _ = hub.commands.try_send(Command::CatchUp { seq: None });
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    }

    /// Sends a wake-up to the board's hub if one runs here, never waiting for a busy one.
    async fn tell(&self, board: &idetavle_core::board::BoardId, cmd: Command) {
        let hub = self.running.lock().await.get(board).cloned();
        if let Some(hub) = hub {
            let _ = hub.commands.try_send(cmd);
        }
    }

    /// The store's notices, if other instances share it.
    pub fn notices(&self) -> Option<broadcast::Receiver<Notice>> {
        self.store.notices()
    }
}
