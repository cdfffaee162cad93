//! What a workshop's facilitator asks of all its tables at once: the overview of every table,
//! one action for every table, and copying tables' notes into the plenary. Each call carries
//! the plenary's facilitator token (copying: a table host's token will do for their table).

#[cfg(feature = "ssr")]
use super::boards;
use idetavle_core::board::{BoardId, LaneId, Timer};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A table as the overview shows it (also the JSON of `GET /api/workshops/{id}/overview`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSummary {
    pub number: u32,
    pub name: String,
    pub board_id: BoardId,
    /// Notes in each of the table's lanes, in its order.
    pub lanes: Vec<LaneCount>,
    /// The newest notes the room may see (newest first, at most three; every one when the
    /// overview was asked for this table's detail).
    pub latest: Vec<SummaryNote>,
    /// Who sits at the table: their names, or `#number` for those who gave none.
    pub seated: Vec<String>,
    /// How many of them are connected now.
    pub present: u32,
    /// When the last note was written or edited here (Unix ms).
    pub last_note_at: Option<i64>,
    /// No note for [`QUIET_AFTER_MS`] while people sit here.
    pub quiet: bool,
    pub timer: Option<Timer>,
    pub phase: Option<LaneId>,
    pub locked: bool,
    /// Notes of this table copied into the plenary.
    pub gathered: u32,
}

/// A note as a table's summary shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SummaryNote {
    pub lane: LaneId,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaneCount {
    pub lane: LaneId,
    pub title: String,
    pub notes: u32,
}

/// A table counts as quiet after this long without a note.
pub const QUIET_AFTER_MS: i64 = 3 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub tables: Vec<TableSummary>,
    /// The server's clock when it was made (Unix ms).
    pub at: i64,
}

/// One facilitator action sent to every table (`POST /api/workshops/{id}/all`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TableAction {
    StartTimer { seconds: u32 },
    StopTimer,
    SetPhase { lane: Option<LaneId> },
    SetLocked { locked: bool },
}

/// Which notes of which tables to copy into the plenary (`POST /api/workshops/{id}/gather`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatherRequest {
    /// One table, or (`None`) every table.
    #[serde(default)]
    pub table: Option<u32>,
    /// The table's most voted notes and groups (a group counts as one, with its notes' votes):
    /// this many, 1–20; 3 when neither this nor `chosen` is given.
    #[serde(default)]
    pub top: Option<u32>,
    /// Or exactly these notes or groups of the one table (the host's choice).
    #[serde(default)]
    pub chosen: Vec<String>,
}

/// How many notes were copied (those copied before are not copied again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatherResult {
    pub copied: u32,
}

/// Every table of a workshop, for its facilitator's overview and the room's table grid;
/// `detail`: that table's summary lists all its visible notes.
#[server(prefix = "/api/fn", endpoint = "workshop_overview", input = Json)]
pub async fn workshop_overview(
    plenary: BoardId,
    token: String,
    detail: Option<u32>,
) -> Result<Overview, ServerFnError> {
    boards()?.overview(&plenary, &token, detail).await.map_err(ServerFnError::new)
}

/// One action on every table; how many tables took it.
#[server(prefix = "/api/fn", endpoint = "for_all_tables", input = Json)]
pub async fn for_all_tables(plenary: BoardId, token: String, action: TableAction) -> Result<u32, ServerFnError> {
    boards()?.for_all_tables(&plenary, &token, action).await.map_err(ServerFnError::new)
}

/// Copies tables' top (or chosen) notes into the plenary.
#[server(prefix = "/api/fn", endpoint = "gather", input = Json)]
pub async fn gather(plenary: BoardId, token: String, request: GatherRequest) -> Result<GatherResult, ServerFnError> {
    boards()?.gather(&plenary, &token, request).await.map_err(ServerFnError::new)
}
