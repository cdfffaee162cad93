//! An in-memory twin of the store for tests, with a switch that makes appends fail.

use super::{BoardRecord, Store, StoreError, StoredBoard};
use app::board::BoardId;
use app::protocol::Event;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct MemoryStore {
    boards: Mutex<HashMap<BoardId, StoredBoard>>,
    /// While set, `append_events` fails as a full disk would.
    pub fail_appends: AtomicBool,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<BoardId, StoredBoard>>, StoreError> {
        self.boards.lock().map_err(|_| StoreError::Backend("memory store lock poisoned".into()))
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn create_board(&self, record: &BoardRecord) -> Result<(), StoreError> {
        let mut boards = self.lock()?;
        if boards.values().any(|b| b.record.join_code == record.join_code) {
            return Err(StoreError::JoinCodeTaken);
        }
        if boards.contains_key(&record.id) {
            return Err(StoreError::BoardExists);
        }
        boards.insert(record.id.clone(), StoredBoard { record: record.clone(), events: Vec::new() });
        Ok(())
    }

    async fn board_id_by_code(&self, code: &str) -> Result<Option<BoardId>, StoreError> {
        Ok(self.lock()?.values().find(|b| b.record.join_code == code).map(|b| b.record.id.clone()))
    }

    async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StoreError> {
        Ok(self.lock()?.get(id).cloned())
    }

    async fn append_events(&self, id: &BoardId, events: &[Event]) -> Result<(), StoreError> {
        if self.fail_appends.load(Ordering::SeqCst) {
            return Err(StoreError::Backend("simulated storage failure".into()));
        }
        let mut boards = self.lock()?;
        let board = boards
            .get_mut(id)
            .ok_or_else(|| StoreError::Corrupt { board: id.clone(), detail: "no such board".into() })?;
        let mut next = board.events.last().map_or(1, |e| e.seq + 1);
        for e in events {
            if e.seq != next {
                return Err(StoreError::SeqTaken { board: id.clone(), seq: e.seq });
            }
            next += 1;
        }
        board.events.extend_from_slice(events);
        Ok(())
    }
}
