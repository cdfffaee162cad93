//! Expired boards are purged by the server itself, now and then, for as long as it runs.

use super::BoardService;
use std::sync::Arc;

impl BoardService {
    /// Deletes every board whose expiry is before `now`; returns how many went.
    pub async fn purge_expired(&self, now: i64) -> usize {
        let expired = match self.hubs.store().expired_boards(now).await {
            Ok(expired) => expired,
            Err(e) => {
                tracing::error!(error = %e, "looking for expired boards failed");
                return 0;
            }
        };
        let mut purged = 0;
        for id in expired {
            match self.hubs.delete(&id).await {
                Ok(_) => {
                    purged += 1;
                    tracing::info!(board = %id, "expired board purged");
                }
                Err(e) => tracing::error!(board = %id, error = %e, "purging an expired board failed"),
            }
        }
        purged
    }
}

/// Runs [`BoardService::purge_expired`] every `every`, until the task is aborted.
pub async fn purge_expired_boards(boards: Arc<BoardService>, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        boards.purge_expired(crate::clock::now_ms()).await;
        // Presence shares left by instances that died (they count for 5 s only, but stay).
        if let Err(e) = boards.hubs.store().forget_stale_presence().await {
            tracing::warn!(error = %e, "could not clear stale presence");
        }
    }
}
