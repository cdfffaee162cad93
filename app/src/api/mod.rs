//! What the pages ask the server for.
//!
//! Pages call these server functions; during server rendering they run in-process and the
//! result is embedded in the HTML for hydration, in the browser they become HTTP calls. The
//! server answers them through the [`Boards`] trait it provides as context, so this crate
//! never touches storage.

pub mod catalogue;
mod codec;
pub mod suggest;
pub mod workshop;

pub use codec::BoardCodec;

use idetavle_core::board::{Board, BoardId, LaneSpec, OpErrorCode};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Alphabet of join codes: no 0/O, 1/I/L, so codes read unambiguously off a projector.
pub const JOIN_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const JOIN_CODE_LEN: usize = 6;

/// Normalises what someone typed as a join code: upper case, no spaces or dashes.
/// `None` when it cannot be a join code.
pub fn normalise_join_code(typed: &str) -> Option<String> {
    let code: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    let valid = code.len() == JOIN_CODE_LEN && code.bytes().all(|b| JOIN_CODE_ALPHABET.contains(&b));
    valid.then_some(code)
}

/// A board as a page shows it, with the link participants join by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardPage {
    pub board: Board,
    /// Absolute participant link (what the QR code holds).
    pub join_url: String,
}

/// The answer to creating a board (also the JSON of `POST /api/boards`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedBoard {
    pub id: BoardId,
    pub join_code: String,
    pub participant_url: String,
    pub facilitator_url: String,
    pub facilitator_token: String,
}

/// A workshop table's links, for the workshop's facilitator (also the JSON of
/// `POST /api/workshops/{id}/tables`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableLink {
    pub number: u32,
    pub board_id: BoardId,
    /// The join code of the table's board (only those seated there get in).
    pub join_code: String,
    /// The table host's link: facilitator rights on this table only.
    pub host_url: String,
    pub host_token: String,
}

/// Why the server could not answer a page's question (the details are in the server's log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BoardsError {
    #[error("too many wrong join codes; wait a minute")]
    TooManyGuesses,
    #[error("the title or a lane is not valid ({})", .0.as_str())]
    Invalid(OpErrorCode),
    #[error("the board is not available right now; try again")]
    Unavailable,
    #[error("the facilitator link is not valid for this board")]
    Unauthorized,
}

/// The server's side of the pages' questions. Implemented in the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait Boards: Send + Sync + 'static {
    async fn page_by_id(&self, id: &BoardId) -> Result<Option<BoardPage>, BoardsError>;
    /// A new board, or (`workshop`) a workshop's plenary.
    async fn create(
        &self,
        title: &str,
        lanes: Option<Vec<LaneSpec>>,
        workshop: bool,
    ) -> Result<CreatedBoard, BoardsError>;
    /// Opens a workshop's tables `1..=count` (those not open yet), for the plenary's
    /// facilitator (`token`), and returns their links.
    async fn open_tables(&self, plenary: &BoardId, token: &str, count: u32) -> Result<Vec<TableLink>, BoardsError>;
    /// Every table of a workshop ([`workshop::workshop_overview`]).
    async fn overview(
        &self,
        plenary: &BoardId,
        token: &str,
        detail: Option<u32>,
    ) -> Result<workshop::Overview, BoardsError>;
    /// One action on every table ([`workshop::for_all_tables`]).
    async fn for_all_tables(
        &self,
        plenary: &BoardId,
        token: &str,
        action: workshop::TableAction,
    ) -> Result<u32, BoardsError>;
    /// Tables' notes into the plenary ([`workshop::gather`]).
    async fn gather(
        &self,
        plenary: &BoardId,
        token: &str,
        request: workshop::GatherRequest,
    ) -> Result<workshop::GatherResult, BoardsError>;
    /// Suggested groups for the board, for its facilitator (`token`).
    async fn suggest(
        &self,
        board: &BoardId,
        token: &str,
        request: suggest::SuggestRequest,
    ) -> Result<suggest::Suggested, suggest::SuggestError>;
}

/// How pages find the server's [`Boards`] in context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct BoardsContext(pub std::sync::Arc<dyn Boards>);

#[cfg(feature = "ssr")]
fn boards() -> Result<std::sync::Arc<dyn Boards>, ServerFnError> {
    use_context::<BoardsContext>().map(|c| c.0).ok_or_else(|| ServerFnError::new("boards are not available"))
}

/// The board behind a facilitator link, or `None`.
#[server(prefix = "/api/fn", endpoint = "board_by_id")]
pub async fn board_by_id(id: BoardId) -> Result<Option<BoardPage>, ServerFnError> {
    boards()?.page_by_id(&id).await.map_err(ServerFnError::new)
}

/// Creates a board with the default lanes, or a template's (`lanes`); with `workshop`, a
/// workshop (its plenary board, whose join code everyone uses).
#[server(prefix = "/api/fn", endpoint = "create_board", input = Json)]
pub async fn create_board(
    title: String,
    lanes: Option<Vec<LaneSpec>>,
    workshop: Option<bool>,
) -> Result<CreatedBoard, ServerFnError> {
    boards()?.create(&title, lanes, workshop.unwrap_or(false)).await.map_err(ServerFnError::new)
}

/// Opens a workshop's tables and returns their links (the plenary's facilitator only).
#[server(prefix = "/api/fn", endpoint = "open_tables", input = Json)]
pub async fn open_tables(plenary: BoardId, token: String, count: u32) -> Result<Vec<TableLink>, ServerFnError> {
    boards()?.open_tables(&plenary, &token, count).await.map_err(ServerFnError::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_join_codes_are_normalised() {
        assert_eq!(normalise_join_code(" k7p-x2m "), Some("K7PX2M".into()));
        assert_eq!(normalise_join_code("K7PX2"), None);
        assert_eq!(normalise_join_code("K7PX2O"), None, "O is ambiguous and never issued");
        assert_eq!(normalise_join_code("æøåæøå"), None);
    }
}
