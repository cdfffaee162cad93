//! The hub's task: the IO around a board's [`Session`]. Commands are taken in batches
//! (whatever is queued, up to `MAX_BATCH`); the session stages each op, the batch's events are
//! appended to the store in one transaction, and only then does the task deliver what the
//! session answers. If the append fails, the session answers every op `unavailable` and the
//! task stops; clients reconnect and the next hub reloads the board from the store, so memory
//! never runs ahead of disk.

use super::session::{Output, Session};
use super::{Command, ConnId, Farewell, Hub, Life, ToClient};
use crate::store::{BoardRecord, Store, StoreError, StoredBoard};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{self, error::TrySendError};

/// Most ops committed in one transaction.
const MAX_BATCH: usize = 512;
/// How often presence changes are broadcast.
const PRESENCE_INTERVAL: Duration = Duration::from_millis(500);

pub(super) fn spawn(stored: StoredBoard, store: Arc<dyn Store>, life: Arc<Life>) -> Result<Hub, StoreError> {
    let session = Session::load(&stored)?;
    let record = Arc::new(stored.record);
    let (commands, rx) = mpsc::channel(4096);
    let task = HubTask { session, record: Arc::clone(&record), store, queues: HashMap::new(), life: Arc::clone(&life) };
    tokio::spawn(task.run(rx));
    Ok(Hub { record, commands, life })
}

struct HubTask {
    session: Session,
    record: Arc<BoardRecord>,
    store: Arc<dyn Store>,
    /// Each connection's queue of frames.
    queues: HashMap<ConnId, mpsc::Sender<ToClient>>,
    life: Arc<Life>,
}

/// Why the hub loop ends.
enum Stop {
    CommitFailed,
    Deleted,
}

impl HubTask {
    async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        let mut presence = tokio::time::interval(PRESENCE_INTERVAL);
        presence.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                cmd = rx.recv() => {
                    let Some(cmd) = cmd else { break };
                    let mut batch = vec![cmd];
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(cmd) => batch.push(cmd),
                            Err(_) => break,
                        }
                    }
                    match self.handle_batch(batch).await {
                        Ok(()) => {}
                        Err(Stop::CommitFailed) => {
                            let _ = self.life.failed_at.set(tokio::time::Instant::now());
                            tracing::warn!(board = %self.record.id, "hub stopped after a failed commit; clients will reconnect");
                            break;
                        }
                        Err(Stop::Deleted) => {
                            tracing::info!(board = %self.record.id, "board deleted");
                            break;
                        }
                    }
                }
                _ = presence.tick() => {
                    let out = self.session.presence_tick();
                    self.deliver(out);
                }
            }
        }
    }

    async fn handle_batch(&mut self, batch: Vec<Command>) -> Result<(), Stop> {
        for cmd in batch {
            let now = crate::clock::now_ms();
            match cmd {
                Command::Op { conn, actor, op_id, op } => self.session.op(conn, actor, op_id, op, now),
                Command::Close => {
                    let out = self.session.close();
                    self.deliver(out);
                    self.queues.clear();
                    return Err(Stop::Deleted);
                }
                // Anything that reads the board sees only committed state.
                Command::Join { conn, actor, name, last_seq, frames } => {
                    self.commit().await?;
                    self.queues.insert(conn, frames);
                    let out = self.session.join(conn, actor, name, last_seq, now);
                    self.deliver(out);
                }
                Command::Rename { conn, name } => {
                    self.commit().await?;
                    self.session.rename(conn, name);
                }
                Command::Leave { conn } => {
                    self.commit().await?;
                    self.queues.remove(&conn);
                    self.session.leave(conn);
                }
                Command::Snapshot { reply } => {
                    self.commit().await?;
                    let _ = reply.send(self.session.board().clone());
                }
            }
        }
        self.commit().await
    }

    /// Appends the staged events in one transaction, then delivers what follows.
    async fn commit(&mut self) -> Result<(), Stop> {
        let events = self.session.to_commit();
        let committed = match events.is_empty() {
            true => Ok(()),
            false => self.store.append_events(&self.record.id, &events).await,
        };
        if let Err(e) = &committed {
            tracing::error!(board = %self.record.id, error = %e, ops = events.len(), "commit failed");
        }
        let out = self.session.committed(committed.is_ok());
        self.deliver(out);
        committed.map_err(|_| Stop::CommitFailed)
    }

    /// Queues frames without ever waiting: a connection whose queue is full is let go (it
    /// reconnects and resumes from its last sequence number) rather than slowing the board.
    fn deliver(&mut self, outputs: Vec<Output>) {
        for output in outputs {
            match output {
                Output::Send(conn, frame) => {
                    let Some(queue) = self.queues.get(&conn) else { continue };
                    if let Err(e) = queue.try_send(ToClient::Frame(frame)) {
                        self.let_go(conn, &e);
                    }
                }
                Output::Farewell(conn, why) => self.farewell(conn, why),
            }
        }
    }

    fn farewell(&mut self, conn: ConnId, why: Farewell) {
        if let Some(queue) = self.queues.remove(&conn) {
            let _ = queue.try_send(ToClient::Farewell(why));
        }
    }

    fn let_go(&mut self, conn: ConnId, why: &TrySendError<ToClient>) {
        self.queues.remove(&conn);
        self.session.leave(conn);
        match why {
            TrySendError::Full(_) => {
                tracing::info!(board = %self.record.id, conn, "dropped a connection that could not keep up")
            }
            TrySendError::Closed(_) => tracing::debug!(board = %self.record.id, conn, "connection closed"),
        }
    }
}
