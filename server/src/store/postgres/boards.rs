//! Boards, their event logs and snapshots in PostgreSQL.

use super::sharing::notify;
use super::{boxed, violates, PostgresStore};
use crate::store::{
    sent_as, BoardRecord, LockedWork, Notice, PresenceShare, Snapshot, Store, StoreError, StoredBoard, StoredOp,
};
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use idetavle_core::board::{BoardId, OpId};
use idetavle_core::protocol::Event;

#[async_trait]
impl Store for PostgresStore {
    async fn ready(&self) -> Result<(), StoreError> {
        self.client().await?.simple_query("SELECT 1").await.map_err(boxed)?;
        Ok(())
    }

    async fn create_board(&self, r: &BoardRecord) -> Result<(), StoreError> {
        let client = self.client().await?;
        let sql = "INSERT INTO boards (id, title, join_code, token_hash, created_at, expires_at)
                   VALUES ($1, $2, $3, $4, $5, $6)";
        let hash: &[u8] = &r.token_hash;
        client
            .execute(sql, &[&r.id.as_str(), &r.title, &r.join_code, &hash, &r.created_at, &r.expires_at])
            .await
            .map_err(|e| match e {
                e if violates(&e, "boards_join_code_key") => StoreError::JoinCodeTaken,
                e if violates(&e, "boards_pkey") => StoreError::BoardExists,
                e => boxed(e),
            })?;
        Ok(())
    }

    async fn board_id_by_code(&self, code: &str) -> Result<Option<BoardId>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt("SELECT id FROM boards WHERE join_code = $1", &[&code]).await.map_err(boxed)?;
        Ok(row.map(|r| BoardId(r.get(0))))
    }

    async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StoreError> {
        let mut client = self.client().await?;
        // One snapshot of the database for the record, the snapshot and the events after it.
        let tx = client
            .build_transaction()
            .read_only(true)
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .start()
            .await
            .map_err(boxed)?;
        let Some(record) = record(&tx, id).await? else { return Ok(None) };
        let snapshot = tx
            .query_opt("SELECT seq, body FROM snapshots WHERE board_id = $1", &[&id.as_str()])
            .await
            .map_err(boxed)?
            .map(|r| Snapshot { seq: r.get::<_, i64>(0) as u64, board: r.get(1) });
        let events = events_after(&tx, id, snapshot.as_ref().map_or(0, |s| s.seq)).await?;
        tx.commit().await.map_err(boxed)?;
        Ok(Some(StoredBoard { record, snapshot, events }))
    }

    async fn events_after(&self, id: &BoardId, after: u64) -> Result<Vec<Event>, StoreError> {
        let client = self.client().await?;
        events_after(&client, id, after).await
    }

    async fn save_snapshot(&self, id: &BoardId, snapshot: &Snapshot) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO snapshots (board_id, seq, body) VALUES ($1, $2, $3)
                 ON CONFLICT (board_id) DO UPDATE SET seq = excluded.seq, body = excluded.body
                 WHERE excluded.seq > snapshots.seq",
                &[&id.as_str(), &(snapshot.seq as i64), &snapshot.board],
            )
            .await
            .map_err(boxed)?;
        Ok(())
    }

    async fn find_ops(&self, id: &BoardId, sent: &[OpId]) -> Result<Vec<StoredOp>, StoreError> {
        let client = self.client().await?;
        // The op itself, or an undo's parts `<op_id>.<n>`: every id in [op_id, op_id + "/")
        // ('/' follows '.'), the rest filtered out below. Latest first: an undo's last part answers.
        let stmt = client
            .prepare_cached(
                "SELECT seq, op_id, body FROM events
                 WHERE board_id = $1 AND op_id >= $2 AND op_id < $3 ORDER BY seq DESC",
            )
            .await
            .map_err(boxed)?;
        let mut found = Vec::new();
        for op_id in sent {
            let rows =
                client.query(&stmt, &[&id.as_str(), &op_id.as_str(), &format!("{op_id}/")]).await.map_err(boxed)?;
            for row in rows {
                let stored = OpId(row.get(1));
                if sent_as(&stored) != *op_id {
                    continue;
                }
                let event = decode(id, row.get(0), row.get(2))?;
                found.push(StoredOp { op_id: op_id.clone(), seq: event.seq, actor: event.actor });
                break;
            }
        }
        Ok(found)
    }

    async fn delete_board(&self, id: &BoardId) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(boxed)?;
        tx.execute("DELETE FROM events WHERE board_id = $1", &[&id.as_str()]).await.map_err(boxed)?;
        tx.execute("DELETE FROM snapshots WHERE board_id = $1", &[&id.as_str()]).await.map_err(boxed)?;
        tx.execute("DELETE FROM presence WHERE board_id = $1", &[&id.as_str()]).await.map_err(boxed)?;
        let deleted = tx.execute("DELETE FROM boards WHERE id = $1", &[&id.as_str()]).await.map_err(boxed)?;
        if deleted > 0 {
            notify(&tx, &Notice::Deleted { board: id.clone() }).await?;
        }
        tx.commit().await.map_err(boxed)?;
        Ok(deleted > 0)
    }

    async fn set_board_expiry(&self, id: &BoardId, expires_at: Option<i64>) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let n = client
            .execute("UPDATE boards SET expires_at = $2 WHERE id = $1", &[&id.as_str(), &expires_at])
            .await
            .map_err(boxed)?;
        Ok(n > 0)
    }

    async fn expired_boards(&self, now: i64) -> Result<Vec<BoardId>, StoreError> {
        let client = self.client().await?;
        let rows = client.query("SELECT id FROM boards WHERE expires_at <= $1", &[&now]).await.map_err(boxed)?;
        Ok(rows.into_iter().map(|r| BoardId(r.get(0))).collect())
    }

    async fn append_events(&self, id: &BoardId, events: &[Event]) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(boxed)?;
        insert_events(&tx, id, events).await?;
        tx.commit().await.map_err(boxed)
    }

    async fn commit_locked(&self, id: &BoardId, after: u64, work: &mut LockedWork<'_>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(boxed)?;
        // 1. The board's row, locked: one commit of a board at a time, in every instance.
        let sql = "SELECT 1 FROM boards WHERE id = $1 FOR UPDATE";
        if tx.query_opt(sql, &[&id.as_str()]).await.map_err(boxed)?.is_none() {
            return Err(StoreError::NoBoard(id.clone()));
        }
        // 2. What others committed since this instance's `after` (a statement of its own, so
        //    it sees every commit made before the lock was granted).
        let head: i64 = tx
            .query_one("SELECT COALESCE(MAX(seq), 0) FROM events WHERE board_id = $1", &[&id.as_str()])
            .await
            .map_err(boxed)?
            .get(0);
        let missed = match head as u64 > after {
            true => events_after(&tx, id, after).await?,
            false => Vec::new(),
        };
        // 3. The hub catches up, checks its ops against that board and numbers their events.
        let events = work(missed);
        let Some(last) = events.last() else { return Ok(()) };
        // 4. Stored and announced in one transaction: no notice of an event that is not there.
        insert_events(&tx, id, &events).await?;
        notify(&tx, &Notice::Appended { board: id.clone(), seq: last.seq }).await?;
        tx.commit().await.map_err(boxed)
    }

    fn notices(&self) -> Option<tokio::sync::broadcast::Receiver<Notice>> {
        Some(self.notices.subscribe())
    }

    async fn share_presence(
        &self,
        id: &BoardId,
        instance: &str,
        share: &PresenceShare,
        changed: bool,
    ) -> Result<(), StoreError> {
        self.put_presence(id, instance, share, changed).await
    }

    async fn shared_presence(&self, id: &BoardId, except: &str) -> Result<Vec<PresenceShare>, StoreError> {
        self.get_presence(id, except).await
    }

    async fn forget_stale_presence(&self) -> Result<(), StoreError> {
        self.clear_stale_presence().await
    }
}

/// Inserts a board's events in one statement (one round trip, however many).
async fn insert_events(c: &impl GenericClient, id: &BoardId, events: &[Event]) -> Result<(), StoreError> {
    let mut seqs = Vec::with_capacity(events.len());
    let mut op_ids = Vec::with_capacity(events.len());
    let mut bodies = Vec::with_capacity(events.len());
    for e in events {
        seqs.push(e.seq as i64);
        op_ids.push(e.op_id.to_string());
        bodies.push(serde_json::to_string(e).map_err(boxed)?);
    }
    let sql = "INSERT INTO events (board_id, seq, op_id, body)
               SELECT $1, * FROM UNNEST($2::BIGINT[], $3::TEXT[], $4::TEXT[])";
    c.execute(sql, &[&id.as_str(), &seqs, &op_ids, &bodies]).await.map_err(|e| match e {
        e if violates(&e, "events_pkey") => StoreError::SeqTaken { board: id.clone(), seq: taken_seq(&e, &seqs) },
        e => boxed(e),
    })?;
    Ok(())
}

async fn record(c: &impl GenericClient, id: &BoardId) -> Result<Option<BoardRecord>, StoreError> {
    let sql = "SELECT title, join_code, token_hash, created_at, expires_at FROM boards WHERE id = $1";
    let Some(row) = c.query_opt(sql, &[&id.as_str()]).await.map_err(boxed)? else { return Ok(None) };
    let hash: Vec<u8> = row.get(2);
    let token_hash: [u8; 32] = hash
        .try_into()
        .map_err(|_| StoreError::Corrupt { board: id.clone(), detail: "token hash is not 32 bytes".into() })?;
    Ok(Some(BoardRecord {
        id: id.clone(),
        title: row.get(0),
        join_code: row.get(1),
        token_hash,
        created_at: row.get(3),
        expires_at: row.get(4),
    }))
}

async fn events_after(c: &impl GenericClient, id: &BoardId, after: u64) -> Result<Vec<Event>, StoreError> {
    let sql = "SELECT seq, body FROM events WHERE board_id = $1 AND seq > $2 ORDER BY seq";
    let rows = c.query(sql, &[&id.as_str(), &(after as i64)]).await.map_err(boxed)?;
    rows.into_iter().map(|r| decode(id, r.get(0), r.get(1))).collect()
}

/// Which sequence number was taken: PostgreSQL names the key in the error's detail,
/// "Key (board_id, seq)=(b1, 2) already exists."
fn taken_seq(e: &tokio_postgres::Error, seqs: &[i64]) -> u64 {
    let detail = e.as_db_error().and_then(|d| d.detail()).unwrap_or_default();
    let named = detail.rsplit_once(", ").and_then(|(_, rest)| rest.split(')').next()?.parse().ok());
    named.or(seqs.first().map(|s| *s as u64)).unwrap_or(0)
}

fn decode(id: &BoardId, seq: i64, body: String) -> Result<Event, StoreError> {
    serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt { board: id.clone(), detail: format!("event {seq}: {e}") })
}
