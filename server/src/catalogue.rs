//! The idékatalog service: who may do what, and one writer at a time.
//!
//! Reads are open to everyone (the public view hides volunteers' names and contacts). Edits
//! need the catalogue editor token; promoting from a board needs that board's facilitator
//! token. The editor token is set at server start (`--catalogue-token`) or created on first run
//! and printed to the log once; only its SHA-256 is kept.

use crate::auth::{hash_token, hex, new_facilitator_token, token_matches};
use crate::boards::{BoardError, BoardService};
use crate::store::{Store, StoreError};
use app::api::catalogue::{CatalogueApi, CataloguePage, StatusRequest};
use idetavle_core::board::BoardId;
use idetavle_core::catalogue::{
    CatalogueError, Entry, EntryFields, EntryId, PromoteSource, Viewer, VolunteerId, VolunteerOffer,
};
use std::sync::Arc;
use tokio::sync::Mutex;

const TOKEN_HASH_SETTING: &str = "catalogue_editor_token_sha256";

pub struct Catalogue {
    store: Arc<dyn Store>,
    boards: Arc<BoardService>,
    editor_hash: [u8; 32],
    /// Edits are read-modify-write; one at a time keeps them from overtaking each other (the
    /// store's version check still guards against other processes).
    writes: Mutex<()>,
}

/// Proof that a request carries the editor token.
pub struct Editor(());

impl Catalogue {
    /// Opens the catalogue; returns the new editor token when one had to be created.
    pub async fn open(
        store: Arc<dyn Store>,
        boards: Arc<BoardService>,
        configured_token: Option<&str>,
    ) -> Result<(Catalogue, Option<String>), StoreError> {
        let (editor_hash, created) = match configured_token {
            Some(token) => (hash_token(token), None),
            None => match store.setting(TOKEN_HASH_SETTING).await?.as_deref().and_then(unhex) {
                Some(hash) => (hash, None),
                None => {
                    let token = new_facilitator_token();
                    let hash = hash_token(&token);
                    store.set_setting(TOKEN_HASH_SETTING, &hex(&hash)).await?;
                    (hash, Some(token))
                }
            },
        };
        Ok((Catalogue { store, boards, editor_hash, writes: Mutex::new(()) }, created))
    }

    pub fn viewer(&self, token: Option<&str>) -> Viewer {
        match token {
            Some(t) if token_matches(t, &self.editor_hash) => Viewer::Editor,
            _ => Viewer::Public,
        }
    }

    pub fn editor(&self, token: &str) -> Result<Editor, CatalogueError> {
        match self.viewer(Some(token)) {
            Viewer::Editor => Ok(Editor(())),
            Viewer::Public => Err(CatalogueError::Unauthorized),
        }
    }

    /// Every entry as `viewer` may see it, oldest first.
    pub async fn entries(&self, viewer: Viewer) -> Result<Vec<Entry>, CatalogueError> {
        let mut entries = self.store.entries().await.map_err(unavailable)?;
        entries.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.cmp(&b.id)));
        Ok(entries.iter().map(|e| e.view_for(viewer)).collect())
    }

    pub async fn get(&self, viewer: Viewer, id: &EntryId) -> Result<Entry, CatalogueError> {
        let entry = self.store.entry(id).await.map_err(unavailable)?.ok_or(CatalogueError::NotFound)?;
        Ok(entry.view_for(viewer))
    }

    /// Reads an entry, lets `change` modify it, stores it if `change` succeeded. An editor's
    /// change names the version they saw, and another's change in between is a `Conflict`. A
    /// change that names none (a volunteer) is made again on the newer version when another
    /// instance sharing the database wrote in between (within one server, `writes` orders them).
    async fn modify(
        &self,
        id: &EntryId,
        seen_version: Option<u32>,
        change: impl Fn(&mut Entry, i64) -> Result<(), CatalogueError>,
    ) -> Result<Entry, CatalogueError> {
        let _one_writer = self.writes.lock().await;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut entry = self.store.entry(id).await.map_err(unavailable)?.ok_or(CatalogueError::NotFound)?;
            if seen_version.is_some_and(|v| v != entry.version) {
                return Err(CatalogueError::Conflict);
            }
            let stored_version = entry.version;
            change(&mut entry, crate::clock::now_ms())?;
            match self.store.save_entry(&entry, Some(stored_version)).await {
                Ok(()) => return Ok(entry),
                Err(StoreError::VersionConflict(_)) if seen_version.is_none() && attempts < 5 => continue,
                Err(StoreError::VersionConflict(_)) => return Err(CatalogueError::Conflict),
                Err(other) => return Err(unavailable(other)),
            }
        }
    }

    pub async fn update(
        &self,
        _: &Editor,
        id: &EntryId,
        version: u32,
        fields: EntryFields,
    ) -> Result<Entry, CatalogueError> {
        self.modify(id, Some(version), |e, at| e.update(fields.clone(), at)).await
    }

    pub async fn change_status(&self, _: &Editor, req: &StatusRequest) -> Result<Entry, CatalogueError> {
        self.modify(&req.id, Some(req.version), |e, at| e.change_status(req.to, &req.reason, at)).await
    }

    pub async fn remove_volunteer(&self, _: &Editor, id: &EntryId, who: &VolunteerId) -> Result<Entry, CatalogueError> {
        self.modify(id, None, |e, at| if e.remove_volunteer(who, at) { Ok(()) } else { Err(CatalogueError::NotFound) })
            .await
    }

    /// Anyone may volunteer; the answer is the public view (it holds no one's contact data).
    pub async fn volunteer(&self, id: &EntryId, offer: VolunteerOffer) -> Result<Entry, CatalogueError> {
        let volunteer_id = VolunteerId(crate::auth::new_board_id().0);
        let entry = self.modify(id, None, |e, at| e.add_volunteer(volunteer_id.clone(), offer.clone(), at)).await?;
        Ok(entry.view_for(Viewer::Public))
    }

    /// A note or group of a board becomes a new idea; needs the board's facilitator token.
    pub async fn promote(&self, board: &BoardId, token: &str, source: &PromoteSource) -> Result<Entry, CatalogueError> {
        // The same check as every facilitator request (`BoardService::authorised`).
        let hub = match self.boards.authorised(board, Some(token)).await {
            Ok(hub) => hub,
            Err(BoardError::NotFound) => return Err(CatalogueError::UnknownSource),
            Err(BoardError::Unauthorized) => return Err(CatalogueError::Unauthorized),
            Err(e) => {
                tracing::error!(error = %e, "catalogue: the board could not be loaded");
                return Err(CatalogueError::Unavailable);
            }
        };
        let snapshot = hub.snapshot().await.ok_or(CatalogueError::Unavailable)?;
        let board = snapshot.exported();
        let mut entry = Entry::promoted(EntryId(String::new()), &board, source, crate::clock::now_ms())?;
        entry.id = entry.origin.as_ref().map(promoted_id).unwrap_or_else(|| EntryId(crate::auth::new_board_id().0));
        let _one_writer = self.writes.lock().await;
        // A second click (or a second facilitator) gets the entry already made from it.
        let existing = self
            .store
            .entries()
            .await
            .map_err(unavailable)?
            .into_iter()
            .find(|e| matches!((&e.origin, &entry.origin), (Some(was), Some(now)) if was.same_source(now)));
        if let Some(existing) = existing {
            return Ok(existing);
        }
        match self.store.save_entry(&entry, None).await {
            Ok(()) => {}
            // Promoted at the same moment through another instance: the one entry it made.
            Err(StoreError::EntryExists(id)) => {
                return self.store.entry(&id).await.map_err(unavailable)?.ok_or(CatalogueError::NotFound)
            }
            Err(e) => return Err(unavailable(e)),
        }
        tracing::info!(entry = %entry.id, board = %board.id, "promoted into the catalogue");
        Ok(entry)
    }
}

fn unavailable(e: StoreError) -> CatalogueError {
    tracing::error!(error = %e, "catalogue storage failed");
    CatalogueError::Unavailable
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

/// Answers the pages' server functions.
#[async_trait::async_trait]
impl CatalogueApi for Catalogue {
    async fn page(&self, token: Option<String>) -> Result<CataloguePage, CatalogueError> {
        let viewer = self.viewer(token.as_deref());
        Ok(CataloguePage { viewer, entries: self.entries(viewer).await? })
    }

    async fn entry(&self, token: Option<String>, id: EntryId) -> Result<(Viewer, Entry), CatalogueError> {
        let viewer = self.viewer(token.as_deref());
        Ok((viewer, self.get(viewer, &id).await?))
    }

    async fn promote(&self, board: BoardId, token: String, source: PromoteSource) -> Result<Entry, CatalogueError> {
        Catalogue::promote(self, &board, &token, &source).await
    }

    async fn update(
        &self,
        token: String,
        id: EntryId,
        version: u32,
        fields: EntryFields,
    ) -> Result<Entry, CatalogueError> {
        let editor = self.editor(&token)?;
        Catalogue::update(self, &editor, &id, version, fields).await
    }

    async fn change_status(&self, token: String, req: StatusRequest) -> Result<Entry, CatalogueError> {
        let editor = self.editor(&token)?;
        Catalogue::change_status(self, &editor, &req).await
    }

    async fn volunteer(&self, id: EntryId, offer: VolunteerOffer) -> Result<Entry, CatalogueError> {
        Catalogue::volunteer(self, &id, offer).await
    }

    async fn remove_volunteer(&self, token: String, id: EntryId, who: VolunteerId) -> Result<Entry, CatalogueError> {
        let editor = self.editor(&token)?;
        Catalogue::remove_volunteer(self, &editor, &id, &who).await
    }
}

#[cfg(test)]
#[path = "catalogue/sharing_tests.rs"]
mod sharing_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CatalogueStore, MemoryStore};

    async fn open(store: &Arc<MemoryStore>, configured: Option<&str>) -> (Catalogue, Option<String>) {
        let store: Arc<dyn Store> = store.clone();
        let hubs = Arc::new(crate::hub::Hubs::new(Arc::clone(&store)));
        let limits = crate::limits::Limits::new(Default::default());
        let boards = Arc::new(BoardService::new(hubs, limits, "http://127.0.0.1".into(), None));
        Catalogue::open(store, boards, configured).await.unwrap()
    }

    #[tokio::test]
    async fn the_editor_token_is_made_once_and_only_its_hash_is_kept() {
        let store = Arc::new(MemoryStore::new());
        let (first, token) = open(&store, None).await;
        let token = token.expect("a new token on first run");
        assert_eq!(first.viewer(Some(&token)), Viewer::Editor);
        assert_eq!(first.viewer(Some("guess")), Viewer::Public);
        let stored = store.setting(TOKEN_HASH_SETTING).await.unwrap().unwrap();
        assert!(!stored.contains(&token), "the token itself is not stored");
        let (second, again) = open(&store, None).await;
        assert_eq!(again, None, "printed only on first run");
        assert_eq!(second.viewer(Some(&token)), Viewer::Editor);
        let (configured, _) = open(&store, Some("chosen-token")).await;
        assert_eq!(configured.viewer(Some("chosen-token")), Viewer::Editor);
        assert_eq!(configured.viewer(Some(&token)), Viewer::Public, "a configured token replaces the made one");
        assert!(matches!(configured.editor("nope"), Err(CatalogueError::Unauthorized)));
    }
}

/// The entry id a promotion makes: the same source (board, group title, notes) always makes the
/// same id, so two instances promoting it at the same moment make one entry, not two.
fn promoted_id(origin: &idetavle_core::catalogue::Origin) -> EntryId {
    use sha2::{Digest, Sha256};
    let mut notes: Vec<&str> = origin.notes.iter().map(|n| n.id.as_str()).collect();
    notes.sort_unstable();
    let key = format!("{}\n{}\n{}", origin.board_id, origin.group_title.as_deref().unwrap_or(""), notes.join("\n"));
    EntryId(format!("p{}", &crate::auth::hex(&Sha256::digest(key.as_bytes()))[..23]))
}
