//! The idékatalog and settings in PostgreSQL.

use super::{boxed, PostgresStore};
use crate::store::{CatalogueStore, StoreError};
use async_trait::async_trait;
use idetavle_core::catalogue::{Entry, EntryId};

fn decode(id: &str, body: &str) -> Result<Entry, StoreError> {
    serde_json::from_str(body)
        .map_err(|e| StoreError::CorruptEntry { entry: EntryId(id.to_owned()), detail: e.to_string() })
}

#[async_trait]
impl CatalogueStore for PostgresStore {
    async fn entries(&self) -> Result<Vec<Entry>, StoreError> {
        let client = self.client().await?;
        let rows = client.query("SELECT id, body FROM catalogue_entries", &[]).await.map_err(boxed)?;
        rows.iter().map(|r| decode(r.get(0), r.get(1))).collect()
    }

    async fn entry(&self, id: &EntryId) -> Result<Option<Entry>, StoreError> {
        let client = self.client().await?;
        let row =
            client.query_opt("SELECT body FROM catalogue_entries WHERE id = $1", &[&id.0]).await.map_err(boxed)?;
        row.map(|r| decode(&id.0, r.get(0))).transpose()
    }

    async fn save_entry(&self, e: &Entry, replaces: Option<u32>) -> Result<(), StoreError> {
        let body = serde_json::to_string(e).map_err(boxed)?;
        let board = e.origin.as_ref().map(|o| o.board_id.0.clone());
        let (version, status) = (i64::from(e.version), e.status.key());
        let client = self.client().await?;
        match replaces {
            None => {
                let sql = "INSERT INTO catalogue_entries (id, version, status, board_id, updated_at, body)
                           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING";
                let n = client
                    .execute(sql, &[&e.id.0, &version, &status, &board, &e.updated_at, &body])
                    .await
                    .map_err(boxed)?;
                if n == 0 {
                    return Err(StoreError::EntryExists(e.id.clone()));
                }
            }
            Some(previous) => {
                let sql = "UPDATE catalogue_entries SET version = $2, status = $3, board_id = $4, updated_at = $5,
                           body = $6 WHERE id = $1 AND version = $7";
                let values: [&(dyn tokio_postgres::types::ToSql + Sync); 7] =
                    [&e.id.0, &version, &status, &board, &e.updated_at, &body, &i64::from(previous)];
                if client.execute(sql, &values).await.map_err(boxed)? == 0 {
                    return Err(StoreError::VersionConflict(e.id.clone()));
                }
            }
        }
        Ok(())
    }

    async fn delete_entry(&self, id: &EntryId) -> Result<bool, StoreError> {
        let client = self.client().await?;
        Ok(client.execute("DELETE FROM catalogue_entries WHERE id = $1", &[&id.0]).await.map_err(boxed)? > 0)
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt("SELECT value FROM settings WHERE key = $1", &[&key]).await.map_err(boxed)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
                &[&key, &value],
            )
            .await
            .map_err(boxed)?;
        Ok(())
    }
}
