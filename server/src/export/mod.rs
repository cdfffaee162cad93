//! Exports of one board for the idékatalog: Markdown (a catalogue-ready document), CSV (one row
//! per note, for Excel) and versioned JSON (complete; `POST /api/boards/import` reads it back).
//!
//! All three are pure functions of a board, so they are golden-tested on a fixed board.
//! Votes are totals only; authors appear only where they gave a name.

pub mod catalogue;
mod csv;
mod markdown;

pub use self::csv::csv;
pub use idetavle_core::dates::iso_utc;
pub use markdown::markdown;

use idetavle_core::board::{Board, Group, Note};
use serde::{Deserialize, Serialize};

/// Version of the JSON export format; bumped on incompatible changes.
pub const EXPORT_VERSION: u32 = 1;
pub const EXPORT_FORMAT: &str = "idetavle.board";

/// The JSON export: the whole board as the facilitator sees it (no ballots: votes are anonymous).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BoardExport {
    pub format: String,
    pub version: u32,
    pub board: Board,
}

impl BoardExport {
    pub fn new(board: Board) -> Self {
        BoardExport { format: EXPORT_FORMAT.into(), version: EXPORT_VERSION, board }
    }
}

/// A whole workshop: its plenary and every open table, each as its own board's export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkshopExport {
    pub format: String,
    pub version: u32,
    pub plenary: BoardExport,
    pub tables: Vec<BoardExport>,
}

impl WorkshopExport {
    pub fn new(plenary: Board, tables: Vec<Board>) -> Self {
        WorkshopExport {
            format: "idetavle.workshop".into(),
            version: EXPORT_VERSION,
            plenary: BoardExport::new(plenary),
            tables: tables.into_iter().map(BoardExport::new).collect(),
        }
    }
}

/// A lane's content in export order: groups by total votes, then notes without a group;
/// notes by votes. Ties keep the board's own order.
pub(crate) struct LaneExport<'a> {
    pub groups: Vec<(&'a Group, u32, Vec<&'a Note>)>,
    pub loose: Vec<&'a Note>,
}

pub(crate) fn lane_export<'a>(board: &'a Board, lane: &'a idetavle_core::board::LaneId) -> LaneExport<'a> {
    let mut groups: Vec<(&Group, u32, Vec<&Note>)> = Vec::new();
    let mut loose = Vec::new();
    for note in board.notes_in(lane) {
        match note.group.as_ref().and_then(|g| board.groups.get(g)) {
            Some(g) => match groups.iter_mut().find(|(x, _, _)| x.id == g.id) {
                Some((_, votes, notes)) => {
                    *votes += note.votes;
                    notes.push(note);
                }
                None => groups.push((g, note.votes, vec![note])),
            },
            None => loose.push(note),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    for (_, _, notes) in &mut groups {
        notes.sort_by_key(|n| std::cmp::Reverse(n.votes));
    }
    loose.sort_by_key(|n| std::cmp::Reverse(n.votes));
    LaneExport { groups, loose }
}
