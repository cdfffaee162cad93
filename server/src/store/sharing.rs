//! What instances that share one database need from it (docs/SCALING.md): a commit made
//! under the board's lock after catching up with what others committed, notices of what other
//! instances did, and each instance's presence on a board.
//!
//! A store only one process uses (SQLite, behind its data directory's lock) has nothing to
//! catch up and no one to notify: it keeps the defaults. The in-memory store plays a shared
//! database, so two hub registries in one test process behave as two instances.

use super::StoreError;
use idetavle_core::board::BoardId;
use idetavle_core::protocol::{Event, Person};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

/// The work a hub does while it holds a board's lock: given the events other instances
/// committed after its own board (none if it is up to date), it catches up, applies its ops,
/// and returns the events to append. It does no IO, so the lock is held only for the round
/// trips of the commit itself.
pub type LockedWork<'a> = dyn FnMut(Vec<Event>) -> Vec<Event> + Send + 'a;

/// What a store tells the instances that share it. A notice is only a wake-up: the sequence
/// numbers in the store are the truth, so a lost notice costs a delay, never an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The board's log reached `seq`.
    Appended { board: BoardId, seq: u64 },
    /// The board was deleted.
    Deleted { board: BoardId },
    /// Some instance's presence on the board changed.
    Presence { board: BoardId },
    /// Notices may have been lost (the store's listener reconnected): catch up with everything.
    Missed,
}

/// Who one instance has connected to a board: what it adds to everyone's presence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceShare {
    pub facilitators: u32,
    pub people: Vec<Person>,
}

impl PresenceShare {
    pub fn is_empty(&self) -> bool {
        self.facilitators == 0 && self.people.is_empty()
    }
}

/// How long an instance's presence counts without being renewed: a killed instance's people
/// leave everyone's count after this.
pub const PRESENCE_FRESH_MS: i64 = 5_000;

/// One lock per board within a process, for a store that plays a shared database (the
/// in-memory store). Unused locks are forgotten.
#[derive(Default)]
pub(super) struct BoardLocks {
    locks: Mutex<HashMap<BoardId, Weak<tokio::sync::Mutex<()>>>>,
}

impl BoardLocks {
    pub async fn lock(&self, id: &BoardId) -> Result<tokio::sync::OwnedMutexGuard<()>, StoreError> {
        let lock = {
            let mut locks = self.locks.lock().map_err(|_| StoreError::Backend("board locks poisoned".into()))?;
            if locks.len() > 64 {
                locks.retain(|_, lock| lock.strong_count() > 0);
            }
            match locks.get(id).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(id.clone(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        Ok(lock.lock_owned().await)
    }
}
