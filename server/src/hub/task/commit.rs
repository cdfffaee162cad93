//! The hub's commit: a batch's op ids looked up in the log if they may be older than the
//! session's snapshot, then its ops committed in runs under the board's lock
//! (`Store::commit_locked`), and only then answered.

use super::{HubTask, PendingOp, Stop};
use crate::hub::Command;
use crate::store::StoreError;
use idetavle_core::board::OpId;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::time::Instant;

impl HubTask {
    /// Tells the session which of the batch's op ids its board's log holds from before the
    /// session's snapshot (see [`Session::to_look_up`]). If the store cannot say, those ops are
    /// answered `unavailable` and the hub stops after the batch: returns their ids.
    pub(super) async fn look_up_ops(&mut self, batch: &[Command]) -> HashSet<OpId> {
        let op_ids = batch.iter().filter_map(|cmd| match cmd {
            Command::Op { op_id, .. } | Command::Submit { op_id, .. } => Some(op_id),
            _ => None,
        });
        let to_look_up = self.session.to_look_up(op_ids);
        if to_look_up.is_empty() {
            return HashSet::new();
        }
        match self.store.find_ops(&self.record.id, &to_look_up).await {
            Ok(found) => {
                self.session.remember(found);
                HashSet::new()
            }
            Err(e) => {
                tracing::error!(board = %self.record.id, error = %e, "could not look up op ids");
                to_look_up.into_iter().collect()
            }
        }
    }

    /// Commits a run of ops under the board's lock (`Store::commit_locked`): the session
    /// first catches up with what other instances committed, then checks and applies each op
    /// against that board; its events are appended in one transaction; then, and only then,
    /// what follows is delivered. Ops the store never got to are answered `unavailable`.
    pub(super) async fn commit(&mut self, ops: Vec<PendingOp>, unanswerable: &HashSet<OpId>) -> Result<(), Stop> {
        if ops.is_empty() {
            return Ok(());
        }
        let store = Arc::clone(&self.store);
        let id = self.record.id.clone();
        let after = self.session.board().seq;
        let session = &mut self.session;
        let mut waiting = Some(ops);
        let mut caught_up = Ok(Vec::new());
        let mut events = 0;
        let started = Instant::now();
        let mut work = |missed| {
            caught_up = session.catch_up(missed);
            if caught_up.is_err() {
                return Vec::new();
            }
            for PendingOp { conn, actor, op_id, op } in waiting.take().into_iter().flatten() {
                match unanswerable.contains(&op_id) {
                    true => session.unavailable(conn, op_id),
                    false => session.op(conn, actor, op_id, op, crate::clock::now_ms()),
                }
            }
            let staged = session.to_commit();
            events = staged.len();
            staged
        };
        let committed = store.commit_locked(&id, after, &mut work).await;
        if committed.is_ok() && events > 0 {
            self.registry.metrics.committed(events, started.elapsed());
        }
        let caught_up = caught_up.map_err(|e| tracing::error!(board = %id, error = %e, "could not catch up"));
        if let Err(StoreError::NoBoard(_)) = committed {
            self.session.committed(false);
            let out = self.session.close();
            self.deliver(out);
            self.queues.clear();
            return Err(Stop::Deleted);
        }
        if let Err(e) = &committed {
            tracing::error!(board = %id, error = %e, "commit failed");
        }
        for PendingOp { conn, op_id, .. } in waiting.into_iter().flatten() {
            self.session.unavailable(conn, op_id);
        }
        let ok = committed.is_ok() && caught_up.is_ok();
        // Events others committed are durable whatever became of this commit.
        if let Ok(out) = caught_up {
            self.deliver(out);
        }
        let out = self.session.committed(ok);
        self.deliver(out);
        for code in self.session.take_refused() {
            self.registry.metrics.error(code);
        }
        if !ok {
            return Err(Stop::StoreFailed);
        }
        Ok(())
    }
}
