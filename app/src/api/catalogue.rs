//! What the catalogue pages ask the server for, as server functions with JSON bodies.
//!
//! Tokens travel in the request body, never in a URL, so they stay out of logs and
//! histories. Each function answers `Ok(Ok(..))`, or `Ok(Err(CatalogueError))` for a refusal
//! the page explains in the reader's language; `Err(ServerFnError)` only when the request
//! itself failed. The server implements [`CatalogueApi`] and provides it as context.

use idetavle_core::board::BoardId;
use idetavle_core::catalogue::{
    CatalogueError, Entry, EntryFields, EntryId, PromoteSource, Status, Viewer, VolunteerId, VolunteerOffer,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The whole catalogue as one viewer may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub viewer: Viewer,
    pub entries: Vec<Entry>,
}

pub type Answer<T> = Result<Result<T, CatalogueError>, ServerFnError>;

/// The server's side of the catalogue. Implemented in the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait CatalogueApi: Send + Sync + 'static {
    async fn page(&self, editor_token: Option<String>) -> Result<CataloguePage, CatalogueError>;
    async fn entry(&self, editor_token: Option<String>, id: EntryId) -> Result<(Viewer, Entry), CatalogueError>;
    async fn promote(
        &self,
        board: BoardId,
        facilitator_token: String,
        source: PromoteSource,
    ) -> Result<Entry, CatalogueError>;
    async fn update(
        &self,
        editor_token: String,
        id: EntryId,
        version: u32,
        fields: EntryFields,
    ) -> Result<Entry, CatalogueError>;
    async fn change_status(&self, editor_token: String, change: StatusRequest) -> Result<Entry, CatalogueError>;
    async fn volunteer(&self, id: EntryId, offer: VolunteerOffer) -> Result<Entry, CatalogueError>;
    async fn remove_volunteer(
        &self,
        editor_token: String,
        id: EntryId,
        volunteer: VolunteerId,
    ) -> Result<Entry, CatalogueError>;
}

/// An editor's request to move an entry to another status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusRequest {
    pub id: EntryId,
    /// The version the editor saw; a stale one is refused with `conflict`.
    pub version: u32,
    pub to: Status,
    #[serde(default)]
    pub reason: String,
}

/// How pages find the server's [`CatalogueApi`] in context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct CatalogueContext(pub std::sync::Arc<dyn CatalogueApi>);

#[cfg(feature = "ssr")]
fn api() -> Result<std::sync::Arc<dyn CatalogueApi>, ServerFnError> {
    use_context::<CatalogueContext>().map(|c| c.0).ok_or_else(|| ServerFnError::new("the catalogue is not available"))
}

/// Every entry, as the holder of `editor_token` (or the public, without one) may see it.
#[server(prefix = "/api/fn", endpoint = "catalogue", input = Json)]
pub async fn catalogue(editor_token: Option<String>) -> Answer<CataloguePage> {
    Ok(api()?.page(editor_token).await)
}

/// One entry and how it is seen.
#[server(prefix = "/api/fn", endpoint = "catalogue_entry", input = Json)]
pub async fn catalogue_entry(editor_token: Option<String>, id: EntryId) -> Answer<(Viewer, Entry)> {
    Ok(api()?.entry(editor_token, id).await)
}

// Tokens are optional in what the functions accept, so that a missing or `null` token is
// the same `unauthorized` as a wrong one (not a request that fails to decode).

/// A note or group of a board becomes an idea in the catalogue (the board's facilitator only).
#[server(prefix = "/api/fn", endpoint = "catalogue_promote", input = Json)]
pub async fn promote(board: BoardId, facilitator_token: Option<String>, source: PromoteSource) -> Answer<Entry> {
    let Some(token) = facilitator_token else { return Ok(Err(CatalogueError::Unauthorized)) };
    Ok(api()?.promote(board, token, source).await)
}

/// Replaces an entry's fields (the catalogue editor only).
#[server(prefix = "/api/fn", endpoint = "catalogue_update", input = Json)]
pub async fn update_entry(
    editor_token: Option<String>,
    id: EntryId,
    version: u32,
    fields: EntryFields,
) -> Answer<Entry> {
    let Some(token) = editor_token else { return Ok(Err(CatalogueError::Unauthorized)) };
    Ok(api()?.update(token, id, version, fields).await)
}

/// Moves an entry to another status, by the rules (the catalogue editor only).
#[server(prefix = "/api/fn", endpoint = "catalogue_status", input = Json)]
pub async fn change_status(editor_token: Option<String>, change: StatusRequest) -> Answer<Entry> {
    let Some(token) = editor_token else { return Ok(Err(CatalogueError::Unauthorized)) };
    Ok(api()?.change_status(token, change).await)
}

/// A citizen volunteers for an entry (anyone; name and contact only with consent).
#[server(prefix = "/api/fn", endpoint = "catalogue_volunteer", input = Json)]
pub async fn volunteer(id: EntryId, offer: VolunteerOffer) -> Answer<Entry> {
    Ok(api()?.volunteer(id, offer).await)
}

/// Deletes a volunteer and their data (the catalogue editor only).
#[server(prefix = "/api/fn", endpoint = "catalogue_remove_volunteer", input = Json)]
pub async fn remove_volunteer(editor_token: Option<String>, id: EntryId, volunteer: VolunteerId) -> Answer<Entry> {
    let Some(token) = editor_token else { return Ok(Err(CatalogueError::Unauthorized)) };
    Ok(api()?.remove_volunteer(token, id, volunteer).await)
}
