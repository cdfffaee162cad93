//! An in-memory twin of the store for tests, with a switch that makes appends fail. Made
//! with [`MemoryStore::shared`], it plays a database that several instances share: two hub
//! registries over it behave as two servers (notices, locked commits, presence).

use super::sharing::BoardLocks;
use super::{
    sent_as, BoardRecord, CatalogueStore, LockedWork, Notice, PresenceShare, Snapshot, Store, StoreError, StoredBoard,
    StoredOp, PRESENCE_FRESH_MS,
};
use async_trait::async_trait;
use idetavle_core::board::{BoardId, OpId};
use idetavle_core::catalogue::{Entry, EntryId};
use idetavle_core::protocol::Event;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct MemoryStore {
    /// Each board with its whole log (`events`) and latest snapshot.
    boards: Mutex<HashMap<BoardId, StoredBoard>>,
    entries: Mutex<BTreeMap<EntryId, Entry>>,
    settings: Mutex<HashMap<String, String>>,
    /// While set, `append_events` and `save_snapshot` fail as a full disk would.
    pub fail_appends: AtomicBool,
    /// While set, loading a board and looking up op ids fail as a broken disk would.
    pub fail_reads: AtomicBool,
    /// How many times a board was loaded (how many hubs started).
    pub loads: AtomicUsize,
    /// Milliseconds a catalogue read takes to come back (after reading), so that two
    /// instances' read-modify-writes overlap in a test.
    pub catalogue_read_delay_ms: std::sync::atomic::AtomicU64,
    /// Set when instances share this store: where its notices go.
    notices: Option<tokio::sync::broadcast::Sender<Notice>>,
    locks: BoardLocks,
    /// Each instance's share of each board's presence, and when it was renewed.
    presence: Mutex<HashMap<(BoardId, String), (PresenceShare, tokio::time::Instant)>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that several hub registries (instances) share, as they would a database.
    pub fn shared() -> Self {
        MemoryStore { notices: Some(tokio::sync::broadcast::channel(4096).0), ..Self::default() }
    }

    async fn slowly(&self) {
        let ms = self.catalogue_read_delay_ms.load(Ordering::SeqCst);
        if ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }

    fn notify(&self, notice: Notice) {
        if let Some(notices) = &self.notices {
            let _ = notices.send(notice);
        }
    }

    /// The simulated failure, while `switch` is set.
    fn failing(&self, switch: &AtomicBool) -> Result<(), StoreError> {
        match switch.load(Ordering::SeqCst) {
            true => Err(StoreError::Backend("simulated storage failure".into())),
            false => Ok(()),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<BoardId, StoredBoard>>, StoreError> {
        self.boards.lock().map_err(|_| StoreError::Backend("memory store lock poisoned".into()))
    }
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::Backend("memory store lock poisoned".into())
}

#[async_trait]
impl CatalogueStore for MemoryStore {
    async fn entries(&self) -> Result<Vec<Entry>, StoreError> {
        let entries: Vec<Entry> = self.entries.lock().map_err(poisoned)?.values().cloned().collect();
        self.slowly().await;
        Ok(entries)
    }

    async fn entry(&self, id: &EntryId) -> Result<Option<Entry>, StoreError> {
        let entry = self.entries.lock().map_err(poisoned)?.get(id).cloned();
        self.slowly().await;
        Ok(entry)
    }

    async fn save_entry(&self, entry: &Entry, replaces: Option<u32>) -> Result<(), StoreError> {
        let mut entries = self.entries.lock().map_err(poisoned)?;
        let stored = entries.get(&entry.id).map(|e| e.version);
        match (replaces, stored) {
            (None, Some(_)) => return Err(StoreError::EntryExists(entry.id.clone())),
            (Some(previous), stored) if stored != Some(previous) => {
                return Err(StoreError::VersionConflict(entry.id.clone()))
            }
            _ => {}
        }
        entries.insert(entry.id.clone(), entry.clone());
        Ok(())
    }

    async fn delete_entry(&self, id: &EntryId) -> Result<bool, StoreError> {
        Ok(self.entries.lock().map_err(poisoned)?.remove(id).is_some())
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.settings.lock().map_err(poisoned)?.get(key).cloned())
    }

    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.settings.lock().map_err(poisoned)?.insert(key.to_owned(), value.to_owned());
        Ok(())
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn ready(&self) -> Result<(), StoreError> {
        self.failing(&self.fail_reads)
    }

    async fn create_board(&self, record: &BoardRecord) -> Result<(), StoreError> {
        let mut boards = self.lock()?;
        if boards.values().any(|b| b.record.join_code == record.join_code) {
            return Err(StoreError::JoinCodeTaken);
        }
        if boards.contains_key(&record.id) {
            return Err(StoreError::BoardExists);
        }
        boards.insert(record.id.clone(), StoredBoard { record: record.clone(), snapshot: None, events: Vec::new() });
        Ok(())
    }

    async fn board_id_by_code(&self, code: &str) -> Result<Option<BoardId>, StoreError> {
        Ok(self.lock()?.values().find(|b| b.record.join_code == code).map(|b| b.record.id.clone()))
    }

    async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StoreError> {
        self.failing(&self.fail_reads)?;
        self.loads.fetch_add(1, Ordering::SeqCst);
        let boards = self.lock()?;
        let Some(stored) = boards.get(id) else { return Ok(None) };
        let after = stored.snapshot.as_ref().map_or(0, |s| s.seq);
        let events = stored.events.iter().filter(|e| e.seq > after).cloned().collect();
        Ok(Some(StoredBoard { record: stored.record.clone(), snapshot: stored.snapshot.clone(), events }))
    }

    async fn events_after(&self, id: &BoardId, after: u64) -> Result<Vec<Event>, StoreError> {
        let boards = self.lock()?;
        Ok(boards.get(id).map(|b| b.events.iter().filter(|e| e.seq > after).cloned().collect()).unwrap_or_default())
    }

    async fn save_snapshot(&self, id: &BoardId, snapshot: &Snapshot) -> Result<(), StoreError> {
        self.failing(&self.fail_appends)?;
        if let Some(stored) = self.lock()?.get_mut(id) {
            if stored.snapshot.as_ref().is_none_or(|s| s.seq < snapshot.seq) {
                stored.snapshot = Some(snapshot.clone());
            }
        }
        Ok(())
    }

    async fn find_ops(&self, id: &BoardId, sent: &[OpId]) -> Result<Vec<StoredOp>, StoreError> {
        self.failing(&self.fail_reads)?;
        let boards = self.lock()?;
        let Some(stored) = boards.get(id) else { return Ok(Vec::new()) };
        let latest = |op_id: &OpId| stored.events.iter().rev().find(|e| &sent_as(&e.op_id) == op_id);
        Ok(sent
            .iter()
            .filter_map(|op_id| {
                latest(op_id).map(|e| StoredOp { op_id: op_id.clone(), seq: e.seq, actor: e.actor.clone() })
            })
            .collect())
    }

    async fn delete_board(&self, id: &BoardId) -> Result<bool, StoreError> {
        let deleted = self.lock()?.remove(id).is_some();
        self.presence.lock().map_err(poisoned)?.retain(|(board, _), _| board != id);
        self.notify(Notice::Deleted { board: id.clone() });
        Ok(deleted)
    }

    async fn set_board_expiry(&self, id: &BoardId, expires_at: Option<i64>) -> Result<bool, StoreError> {
        Ok(self.lock()?.get_mut(id).map(|b| b.record.expires_at = expires_at).is_some())
    }

    async fn expired_boards(&self, now: i64) -> Result<Vec<BoardId>, StoreError> {
        let boards = self.lock()?;
        Ok(boards
            .values()
            .filter(|b| b.record.expires_at.is_some_and(|t| t <= now))
            .map(|b| b.record.id.clone())
            .collect())
    }

    async fn append_events(&self, id: &BoardId, events: &[Event]) -> Result<(), StoreError> {
        self.failing(&self.fail_appends)?;
        let mut boards = self.lock()?;
        let board = boards
            .get_mut(id)
            .ok_or_else(|| StoreError::Corrupt { board: id.clone(), detail: "no such board".into() })?;
        let first = board.events.last().map_or(1, |e| e.seq + 1);
        if let Some(e) = events.iter().zip(first..).find(|(e, next)| e.seq != *next).map(|(e, _)| e) {
            return Err(StoreError::SeqTaken { board: id.clone(), seq: e.seq });
        }
        board.events.extend_from_slice(events);
        Ok(())
    }

    async fn commit_locked(&self, id: &BoardId, after: u64, work: &mut LockedWork<'_>) -> Result<(), StoreError> {
        let _locked = self.locks.lock(id).await?;
        let missed = {
            let boards = self.lock()?;
            let Some(board) = boards.get(id) else { return Err(StoreError::NoBoard(id.clone())) };
            board.events.iter().filter(|e| e.seq > after).cloned().collect()
        };
        let events = work(missed);
        let Some(last) = events.last() else { return Ok(()) };
        self.append_events(id, &events).await?;
        self.notify(Notice::Appended { board: id.clone(), seq: last.seq });
        Ok(())
    }

    fn notices(&self) -> Option<tokio::sync::broadcast::Receiver<Notice>> {
        self.notices.as_ref().map(|n| n.subscribe())
    }

    async fn share_presence(
        &self,
        id: &BoardId,
        instance: &str,
        share: &PresenceShare,
        changed: bool,
    ) -> Result<(), StoreError> {
        let key = (id.clone(), instance.to_owned());
        let mut presence = self.presence.lock().map_err(poisoned)?;
        match share.is_empty() {
            true => presence.remove(&key),
            false => presence.insert(key, (share.clone(), tokio::time::Instant::now())),
        };
        drop(presence);
        if changed {
            self.notify(Notice::Presence { board: id.clone() });
        }
        Ok(())
    }

    async fn shared_presence(&self, id: &BoardId, except: &str) -> Result<Vec<PresenceShare>, StoreError> {
        let fresh = std::time::Duration::from_millis(PRESENCE_FRESH_MS as u64);
        let presence = self.presence.lock().map_err(poisoned)?;
        let mut shares: Vec<(&String, &PresenceShare)> = presence
            .iter()
            .filter(|((board, instance), (_, at))| board == id && instance != except && at.elapsed() < fresh)
            .map(|((_, instance), (share, _))| (instance, share))
            .collect();
        shares.sort_by_key(|(instance, _)| *instance);
        Ok(shares.into_iter().map(|(_, share)| share.clone()).collect())
    }
}
