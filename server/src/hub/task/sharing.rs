//! The hub's side of sharing a board with other instances (docs/SCALING.md): catching up
//! with their commits when told (or, as a backstop, on a heartbeat while anyone is
//! connected), and publishing and reading each instance's share of the presence. None of it
//! runs for a store that one process alone writes to.

use super::{HubTask, Stop};
use crate::store::PresenceShare;
use std::time::Duration;
use tokio::time::Instant;

/// How soon a change of who is connected here is published (coalesced, like presence frames).
const PUBLISH_AFTER: Duration = Duration::from_millis(250);
/// How often, while anyone is connected, the hub renews its presence, reads the others' and
/// checks for commits it was not told of. Within [`crate::store::PRESENCE_FRESH_MS`].
const HEARTBEAT: Duration = Duration::from_secs(2);

impl HubTask {
    /// Reads the events committed after this hub's board (if `seq` says there are any, or
    /// always for `None`) and delivers them. A failed read stops the hub, as a failed commit does.
    pub(super) async fn catch_up(&mut self, seq: Option<u64>) -> Result<(), Stop> {
        let at = self.session.board().seq;
        if !self.registry.shared || seq.is_some_and(|seq| seq <= at) {
            return Ok(());
        }
        let caught_up = match self.store.events_after(&self.record.id, at).await {
            Ok(events) => self.session.catch_up(events),
            Err(e) => Err(e),
        };
        match caught_up {
            Ok(out) => {
                self.deliver(out);
                Ok(())
            }
            Err(e) => {
                tracing::error!(board = %self.record.id, error = %e, "could not catch up with other instances");
                Err(Stop::StoreFailed)
            }
        }
    }

    /// [`HubTask::catch_up`] for a join or a page, read once per batch.
    pub(super) async fn catch_up_for_batch(&mut self) -> Result<(), Stop> {
        if !self.caught_up_in_batch {
            self.catch_up(None).await?;
            self.caught_up_in_batch = true;
        }
        Ok(())
    }

    /// Arms the sharing timers after a batch: publish soon if who is here changed; the
    /// heartbeat while anyone is connected, and not otherwise.
    pub(super) fn arm_sharing(&mut self) {
        if !self.registry.shared {
            return;
        }
        if self.session.share_pending() && self.publish_due.is_none() {
            self.publish_due = Some(Instant::now() + PUBLISH_AFTER);
        }
        self.heartbeat_due = match self.queues.is_empty() {
            true => None,
            false => self.heartbeat_due.or_else(|| Some(Instant::now() + HEARTBEAT)),
        };
    }

    /// The sharing timers that are due, if any.
    pub(super) async fn on_sharing_timers(&mut self, now: Instant) -> Option<Stop> {
        if self.publish_due.is_some_and(|due| due <= now) {
            self.publish_due = None;
            if let Some(share) = self.session.take_share() {
                self.publish(share, true).await;
            }
        }
        if self.heartbeat_due.is_some_and(|due| due <= now) {
            self.heartbeat_due = None;
            self.publish(self.published.clone(), false).await;
            self.read_presence().await;
            if let Err(stop) = self.catch_up(None).await {
                return Some(stop);
            }
            self.arm_sharing();
        }
        None
    }

    /// Reads who the other instances have connected; a change goes out at once.
    pub(super) async fn read_presence(&mut self) {
        if !self.registry.shared {
            return;
        }
        match self.store.shared_presence(&self.record.id, &self.registry.instance).await {
            Ok(others) => {
                if self.session.shared_presence(others) {
                    let out = self.session.presence_tick();
                    self.deliver(out);
                }
            }
            Err(e) => tracing::warn!(board = %self.record.id, error = %e, "could not read other instances' presence"),
        }
    }

    /// Publishes this instance's share (renews it, if not `changed`). A failure is retried at
    /// the next heartbeat; meanwhile the others count it until it ages out.
    pub(super) async fn publish(&mut self, share: PresenceShare, changed: bool) {
        if share.is_empty() && self.published.is_empty() {
            return;
        }
        let id = &self.record.id;
        match self.store.share_presence(id, &self.registry.instance, &share, changed).await {
            Ok(()) => self.published = share,
            Err(e) => tracing::warn!(board = %id, error = %e, "could not publish presence"),
        }
    }

    /// A stopping hub withdraws its share, so no one counts its people until they age out.
    pub(super) async fn withdraw(&mut self) {
        if self.registry.shared {
            self.publish(PresenceShare::default(), true).await;
        }
    }
}
