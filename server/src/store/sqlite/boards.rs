//! Boards, their event logs and snapshots in SQLite.

use super::{boxed, is_dangling, is_unique_violation, SqliteStore};
use crate::store::{sent_as, BoardRecord, LockedWork, Snapshot, Store, StoreError, StoredBoard, StoredOp};
use async_trait::async_trait;
use idetavle_core::board::{BoardId, OpId};
use idetavle_core::protocol::Event;
use rusqlite::{params, Connection, OptionalExtension};

#[async_trait]
impl Store for SqliteStore {
    async fn ready(&self) -> Result<(), StoreError> {
        self.with_conn(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(boxed)).await
    }

    async fn create_board(&self, record: &BoardRecord) -> Result<(), StoreError> {
        let r = record.clone();
        self.with_conn(move |c| {
            c.execute(
                "INSERT INTO boards (id, title, join_code, token_hash, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.id.as_str(), r.title, r.join_code, &r.token_hash[..], r.created_at, r.expires_at],
            )
            .map_err(|e| {
                if is_unique_violation(&e, "boards.join_code") {
                    StoreError::JoinCodeTaken
                } else if is_unique_violation(&e, "boards.id") {
                    StoreError::BoardExists
                } else {
                    boxed(e)
                }
            })?;
            Ok(())
        })
        .await
    }

    async fn board_id_by_code(&self, code: &str) -> Result<Option<BoardId>, StoreError> {
        let code = code.to_owned();
        self.with_conn(move |c| {
            c.query_row("SELECT id FROM boards WHERE join_code = ?1", [code], |r| r.get::<_, String>(0))
                .optional()
                .map(|id| id.map(BoardId))
                .map_err(boxed)
        })
        .await
    }

    async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            let Some(record) = record(c, &id)? else { return Ok(None) };
            let snapshot = c
                .query_row("SELECT seq, body FROM snapshots WHERE board_id = ?1", [id.as_str()], |r| {
                    Ok(Snapshot { seq: r.get::<_, i64>(0)? as u64, board: r.get(1)? })
                })
                .optional()
                .map_err(boxed)?;
            let events = events_after(c, &id, snapshot.as_ref().map_or(0, |s| s.seq))?;
            Ok(Some(StoredBoard { record, snapshot, events }))
        })
        .await
    }

    async fn events_after(&self, id: &BoardId, after: u64) -> Result<Vec<Event>, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| events_after(c, &id, after)).await
    }

    async fn save_snapshot(&self, id: &BoardId, snapshot: &Snapshot) -> Result<(), StoreError> {
        let (id, snapshot) = (id.clone(), snapshot.clone());
        self.with_conn(move |c| {
            c.execute(
                "INSERT INTO snapshots (board_id, seq, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (board_id) DO UPDATE SET seq = excluded.seq, body = excluded.body
                 WHERE excluded.seq > snapshots.seq",
                params![id.as_str(), snapshot.seq as i64, snapshot.board],
            )
            .map_err(boxed)?;
            Ok(())
        })
        .await
    }

    async fn find_ops(&self, id: &BoardId, sent: &[OpId]) -> Result<Vec<StoredOp>, StoreError> {
        let (id, sent) = (id.clone(), sent.to_vec());
        self.with_conn_in_place(move |c| {
            // The op itself, or an undo's parts `<op_id>.<n>`: every id in [op_id, op_id + "/")
            // ('/' follows '.'), the rest filtered out below.
            let mut stmt = c
                .prepare_cached(
                    "SELECT seq, op_id, body FROM events
                     WHERE board_id = ?1 AND op_id >= ?2 AND op_id < ?3 ORDER BY seq DESC",
                )
                .map_err(boxed)?;
            let mut found = Vec::new();
            for op_id in sent {
                let rows = stmt
                    .query_map(params![id.as_str(), op_id.as_str(), format!("{op_id}/")], |r| {
                        Ok((r.get::<_, i64>(0)?, OpId(r.get(1)?), r.get::<_, String>(2)?))
                    })
                    .map_err(boxed)?;
                for row in rows {
                    let (seq, stored, body) = row.map_err(boxed)?;
                    if sent_as(&stored) != op_id {
                        continue;
                    }
                    let event: Event = serde_json::from_str(&body)
                        .map_err(|e| StoreError::Corrupt { board: id.clone(), detail: format!("event {seq}: {e}") })?;
                    found.push(StoredOp { op_id, seq: event.seq, actor: event.actor });
                    break; // the latest part is the undo's answer
                }
            }
            Ok(found)
        })
        .await
    }

    async fn delete_board(&self, id: &BoardId) -> Result<bool, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(boxed)?;
            tx.execute("DELETE FROM events WHERE board_id = ?1", [id.as_str()]).map_err(boxed)?;
            tx.execute("DELETE FROM snapshots WHERE board_id = ?1", [id.as_str()]).map_err(boxed)?;
            let deleted = tx.execute("DELETE FROM boards WHERE id = ?1", [id.as_str()]).map_err(boxed)?;
            tx.commit().map_err(boxed)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn set_board_expiry(&self, id: &BoardId, expires_at: Option<i64>) -> Result<bool, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            let n = c
                .execute("UPDATE boards SET expires_at = ?2 WHERE id = ?1", params![id.as_str(), expires_at])
                .map_err(boxed)?;
            Ok(n > 0)
        })
        .await
    }

    async fn expired_boards(&self, now: i64) -> Result<Vec<BoardId>, StoreError> {
        self.with_conn(move |c| {
            let mut stmt = c.prepare_cached("SELECT id FROM boards WHERE expires_at <= ?1").map_err(boxed)?;
            let rows = stmt.query_map([now], |r| r.get::<_, String>(0)).map_err(boxed)?;
            rows.map(|r| r.map(BoardId).map_err(boxed)).collect()
        })
        .await
    }

    async fn append_events(&self, id: &BoardId, events: &[Event]) -> Result<(), StoreError> {
        let id = id.clone();
        let rows: Vec<(u64, String, String)> = events
            .iter()
            .map(|e| serde_json::to_string(e).map(|body| (e.seq, e.op_id.to_string(), body)))
            .collect::<Result<_, _>>()
            .map_err(boxed)?;
        self.with_conn_in_place(move |c| {
            let tx = c.transaction().map_err(boxed)?;
            {
                let mut stmt = tx
                    .prepare_cached("INSERT INTO events (board_id, seq, op_id, body) VALUES (?1, ?2, ?3, ?4)")
                    .map_err(boxed)?;
                for (seq, op_id, body) in &rows {
                    stmt.execute(params![id.as_str(), *seq as i64, op_id, body]).map_err(|e| match e {
                        e if is_unique_violation(&e, "events.") => {
                            StoreError::SeqTaken { board: id.clone(), seq: *seq }
                        }
                        e if is_dangling(&e) => StoreError::NoBoard(id.clone()),
                        e => boxed(e),
                    })?;
                }
            }
            tx.commit().map_err(boxed)
        })
        .await
    }

    async fn commit_locked(&self, id: &BoardId, _after: u64, work: &mut LockedWork<'_>) -> Result<(), StoreError> {
        // One process per data directory (`DataDirLock`) and one hub per board in it: no one
        // else commits to this board, so there is nothing to catch up with and no lock to take.
        let events = work(Vec::new());
        match events.is_empty() {
            true => Ok(()),
            false => self.append_events(id, &events).await,
        }
    }
}

fn record(c: &Connection, id: &BoardId) -> Result<Option<BoardRecord>, StoreError> {
    let row = c
        .query_row(
            "SELECT title, join_code, token_hash, created_at, expires_at FROM boards WHERE id = ?1",
            [id.as_str()],
            |r| {
                let hash: Vec<u8> = r.get(2)?;
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, hash, r.get::<_, i64>(3)?, r.get(4)?))
            },
        )
        .optional()
        .map_err(boxed)?;
    let Some((title, join_code, hash, created_at, expires_at)) = row else { return Ok(None) };
    let token_hash: [u8; 32] = hash
        .try_into()
        .map_err(|_| StoreError::Corrupt { board: id.clone(), detail: "token hash is not 32 bytes".into() })?;
    Ok(Some(BoardRecord { id: id.clone(), title, join_code, token_hash, created_at, expires_at }))
}

fn events_after(c: &Connection, id: &BoardId, after: u64) -> Result<Vec<Event>, StoreError> {
    let mut stmt = c
        .prepare_cached("SELECT seq, body FROM events WHERE board_id = ?1 AND seq > ?2 ORDER BY seq")
        .map_err(boxed)?;
    let rows = stmt
        .query_map(params![id.as_str(), after as i64], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(boxed)?;
    let mut events = Vec::new();
    for row in rows {
        let (seq, body) = row.map_err(boxed)?;
        let event: Event = serde_json::from_str(&body)
            .map_err(|e| StoreError::Corrupt { board: id.clone(), detail: format!("event {seq}: {e}") })?;
        events.push(event);
    }
    Ok(events)
}
