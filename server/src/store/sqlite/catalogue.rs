//! The catalogue's tables in SQLite: one row per entry, its JSON body plus indexed columns.

use super::{boxed, SqliteStore};
use crate::store::{CatalogueStore, StoreError};
use async_trait::async_trait;
use idetavle_core::catalogue::{Entry, EntryId};
use rusqlite::{params, OptionalExtension};

fn decode(id: &str, body: &str) -> Result<Entry, StoreError> {
    serde_json::from_str(body)
        .map_err(|e| StoreError::CorruptEntry { entry: EntryId(id.to_owned()), detail: e.to_string() })
}

#[async_trait]
impl CatalogueStore for SqliteStore {
    async fn entries(&self) -> Result<Vec<Entry>, StoreError> {
        self.with_conn(|c| {
            let mut stmt = c.prepare_cached("SELECT id, body FROM catalogue_entries").map_err(boxed)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(boxed)?;
            let mut entries = Vec::new();
            for row in rows {
                let (id, body) = row.map_err(boxed)?;
                entries.push(decode(&id, &body)?);
            }
            Ok(entries)
        })
        .await
    }

    async fn entry(&self, id: &EntryId) -> Result<Option<Entry>, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            let body: Option<String> = c
                .query_row("SELECT body FROM catalogue_entries WHERE id = ?1", [&id.0], |r| r.get(0))
                .optional()
                .map_err(boxed)?;
            body.map(|b| decode(&id.0, &b)).transpose()
        })
        .await
    }

    async fn save_entry(&self, entry: &Entry, replaces: Option<u32>) -> Result<(), StoreError> {
        let body = serde_json::to_string(entry).map_err(boxed)?;
        let e = entry.clone();
        self.with_conn(move |c| {
            let board = e.origin.as_ref().map(|o| o.board_id.0.clone());
            let values = params![e.id.0, e.version, e.status.key(), board, e.updated_at, body];
            match replaces {
                None => {
                    let sql =
                        "INSERT OR IGNORE INTO catalogue_entries (id, version, status, board_id, updated_at, body)
                               VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
                    if c.execute(sql, values).map_err(boxed)? == 0 {
                        return Err(StoreError::EntryExists(e.id.clone()));
                    }
                }
                Some(previous) => {
                    let sql = "UPDATE catalogue_entries SET version = ?2, status = ?3, board_id = ?4, updated_at = ?5,
                               body = ?6 WHERE id = ?1 AND version = ?7";
                    let values = params![e.id.0, e.version, e.status.key(), board, e.updated_at, body, previous];
                    if c.execute(sql, values).map_err(boxed)? == 0 {
                        return Err(StoreError::VersionConflict(e.id.clone()));
                    }
                }
            }
            Ok(())
        })
        .await
    }

    async fn delete_entry(&self, id: &EntryId) -> Result<bool, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            Ok(c.execute("DELETE FROM catalogue_entries WHERE id = ?1", [&id.0]).map_err(boxed)? > 0)
        })
        .await
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let key = key.to_owned();
        self.with_conn(move |c| {
            c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(boxed)
        })
        .await
    }

    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.with_conn(move |c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                params![key, value],
            )
            .map_err(boxed)?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::catalogue::{EntryFields, Status};

    fn entry(id: &str) -> Entry {
        let fields = EntryFields { title: "Bogbus, \"æøå\"".into(), ..EntryFields::default() };
        Entry::new(EntryId(id.into()), fields, None, 1)
    }

    #[tokio::test]
    async fn entries_survive_reopening_and_stale_versions_are_refused() {
        let dir = std::env::temp_dir().join(format!("idetavle-catalogue-{}", crate::auth::new_board_id()));
        {
            let s = SqliteStore::open(&dir).unwrap();
            let mut e = entry("e1");
            s.save_entry(&e, None).await.unwrap();
            assert!(matches!(s.save_entry(&e, None).await, Err(StoreError::EntryExists(_))));
            e.fields.success_criterion = "x".into();
            e.change_status(Status::Trial, "", 2).unwrap();
            s.save_entry(&e, Some(1)).await.unwrap();
            assert!(matches!(s.save_entry(&e, Some(1)).await, Err(StoreError::VersionConflict(_))));
            s.set_setting("k", "v1").await.unwrap();
            s.set_setting("k", "v2").await.unwrap();
        }
        let s = SqliteStore::open(&dir).unwrap();
        let stored = s.entry(&EntryId("e1".into())).await.unwrap().unwrap();
        assert_eq!(stored.status, Status::Trial);
        assert_eq!(stored.fields.title, "Bogbus, \"æøå\"");
        assert_eq!(s.entries().await.unwrap().len(), 1);
        assert_eq!(s.setting("k").await.unwrap().as_deref(), Some("v2"));
        assert!(s.delete_entry(&EntryId("e1".into())).await.unwrap());
        assert!(s.entry(&EntryId("e1".into())).await.unwrap().is_none());
        std::fs::remove_dir_all(dir).ok();
    }
}
