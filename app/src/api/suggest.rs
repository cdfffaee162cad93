//! Suggested groups (the facilitator's "Foreslå grupper"): the server reads the board's notes
//! and proposes groups of similar ones, each with a title and the words its notes share, and
//! pairs of notes that say nearly the same. Nothing changes until the facilitator accepts a
//! suggestion, which the page sends as an ordinary `create_group`.
//!
//! The work is done by the `idetavle-suggest` crate on the server; this module holds only what
//! crosses the wire, so no browser bundle carries the algorithm.

use idetavle_core::board::{BoardId, LaneId, NoteId};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What to suggest groups for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestRequest {
    /// One lane, or every lane (`None`); groups never span lanes.
    pub lane: Option<LaneId>,
    /// Also regroup notes that are in a group already.
    pub include_grouped: bool,
}

/// A proposed group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSuggestion {
    pub lane: LaneId,
    pub note_ids: Vec<NoteId>,
    /// Its most telling words, from notes everyone may read (empty if it has none).
    pub title: String,
    /// Words at least half its notes use.
    pub shared: Vec<String>,
    /// Pairs of its notes that say nearly the same.
    pub near_duplicates: Vec<[NoteId; 2]>,
}

/// Two notes in one lane that say nearly the same, not both in one suggested group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateSuggestion {
    pub lane: LaneId,
    pub note_ids: [NoteId; 2],
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggested {
    pub groups: Vec<GroupSuggestion>,
    pub duplicates: Vec<DuplicateSuggestion>,
}

/// Why there are no suggestions. On the wire `{"code": "unauthorized"}`, like the catalogue's
/// refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SuggestError {
    #[error("a valid facilitator token is required")]
    Unauthorized,
    #[error("no such board")]
    NotFound,
    #[error("the board is not available right now; try again")]
    Unavailable,
}

/// Suggested groups for the board (its facilitator only).
#[server(prefix = "/api/fn", endpoint = "suggest_groups", input = Json)]
pub async fn suggest_groups(
    board: BoardId,
    facilitator_token: Option<String>,
    request: SuggestRequest,
) -> Result<Result<Suggested, SuggestError>, ServerFnError> {
    let Some(token) = facilitator_token else { return Ok(Err(SuggestError::Unauthorized)) };
    Ok(super::boards()?.suggest(&board, &token, request).await)
}
