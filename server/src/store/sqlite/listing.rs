//! What only moving a deployment needs (`idetavle migrate`): every board id and every setting.

use super::{boxed, SqliteStore};
use crate::store::StoreError;
use idetavle_core::board::BoardId;

impl SqliteStore {
    /// Every board's id, oldest first.
    pub async fn board_ids(&self) -> Result<Vec<BoardId>, StoreError> {
        self.with_conn(|c| {
            let mut stmt = c.prepare("SELECT id FROM boards ORDER BY created_at, id").map_err(boxed)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(boxed)?;
            rows.map(|r| r.map(BoardId).map_err(boxed)).collect()
        })
        .await
    }

    /// Every setting, as (key, value).
    pub async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.with_conn(|c| {
            let mut stmt = c.prepare("SELECT key, value FROM settings ORDER BY key").map_err(boxed)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(boxed)?;
            rows.map(|r| r.map_err(boxed)).collect()
        })
        .await
    }
}
