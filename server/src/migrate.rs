//! `idetavle migrate --from-sqlite <dir> --to <postgres url>`: moves a deployment from its one
//! SQLite file to PostgreSQL (docs/DEPLOY.md). Every board with its record, whole event log and
//! latest snapshot, every catalogue entry and every setting (the catalogue editor token's hash)
//! is copied through the stores' own methods, so what PostgreSQL holds reads back exactly as
//! SQLite's did. The data directory is claimed first, so no server writes to it meanwhile. Run
//! again after an interruption, it checks what is already there and copies the rest.

use crate::store::{CatalogueStore, DataDirLock, PostgresStore, SqliteStore, Store, StoreError};
use anyhow::{bail, Context};
use std::path::Path;

/// Events copied per transaction.
const CHUNK: usize = 1000;

/// What was copied.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Copied {
    pub boards: usize,
    pub events: usize,
    pub entries: usize,
    pub settings: usize,
    /// Boards already in the database with the same log, left as they were.
    pub already_there: usize,
}

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "copied {} boards ({} events), {} catalogue entries and {} settings; {} boards were there already",
            self.boards, self.events, self.entries, self.settings, self.already_there
        )
    }
}

pub async fn sqlite_to_postgres(from: &Path, to: &str) -> anyhow::Result<Copied> {
    let _claim = DataDirLock::acquire(from)?;
    if !from.join("idetavle.db").exists() {
        bail!("there is no Idétavle database (idetavle.db) in {}", from.display());
    }
    let source = SqliteStore::open(from)?;
    let target = PostgresStore::connect(to).await.context("could not open the PostgreSQL database")?;
    let mut copied = Copied::default();
    for id in source.board_ids().await? {
        let stored = source.load_board(&id).await?.with_context(|| format!("board {id} vanished"))?;
        let events = source.events_after(&id, 0).await?;
        // Already there (a run that was interrupted, or run twice): copy only what is missing.
        let mut from_seq = 0;
        if let Some(there) = target.load_board(&id).await? {
            let theirs = target.events_after(&id, 0).await?;
            let prefix = theirs.len() <= events.len() && theirs.iter().zip(&events).all(|(a, b)| a == b);
            if there.record != stored.record || !prefix {
                bail!("board {id} is in the database already, and differs; it was not copied");
            }
            if theirs.len() == events.len() {
                copied.already_there += 1;
                continue;
            }
            from_seq = theirs.len();
        } else {
            target.create_board(&stored.record).await.with_context(|| format!("board {id}"))?;
        }
        for chunk in events[from_seq..].chunks(CHUNK) {
            target.append_events(&id, chunk).await.with_context(|| format!("events of board {id}"))?;
        }
        if let Some(snapshot) = &stored.snapshot {
            target.save_snapshot(&id, snapshot).await?;
        }
        copied.boards += 1;
        copied.events += events.len() - from_seq;
    }
    for entry in source.entries().await? {
        match target.save_entry(&entry, None).await {
            Ok(()) => copied.entries += 1,
            Err(StoreError::EntryExists(_)) if target.entry(&entry.id).await?.as_ref() == Some(&entry) => {}
            Err(e) => return Err(e).with_context(|| format!("catalogue entry {}", entry.id)),
        }
    }
    for (key, value) in source.settings().await? {
        target.set_setting(&key, &value).await?;
        copied.settings += 1;
    }
    Ok(copied)
}
