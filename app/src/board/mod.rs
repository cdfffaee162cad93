//! The pure board model: no IO, no clocks, no randomness, no cfg.
//!
//! The server and every browser hold a [`Board`] and change it only through
//! [`Board::apply`]. Applying the same ops in the same sequence order to the same
//! board gives the same board everywhere, which is why clients can replay the
//! server's events instead of receiving whole boards.

mod ids;
mod op;
mod template;

pub use ids::*;
pub use op::{Op, OpContext, OpError};
pub use template::default_lanes;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Longest note text in characters (Unicode scalar values, after trimming).
pub const MAX_NOTE_CHARS: usize = 280;
/// Longest display name in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest board title in characters.
pub const MAX_TITLE_CHARS: usize = 120;

/// One workshop board: its lanes and the notes posted into them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub id: BoardId,
    pub title: String,
    pub join_code: String,
    /// Unix time in milliseconds, set by the server.
    pub created_at: i64,
    /// Sequence number of the last applied event; 0 for a new board.
    pub seq: u64,
    pub lanes: Vec<Lane>,
    /// Notes in creation order (the order every screen shows them in).
    #[serde(with = "notes_as_list")]
    pub notes: IndexMap<NoteId, Note>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub id: LaneId,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    pub lane: LaneId,
    pub text: String,
    pub author: ParticipantId,
    /// Display name at posting time; `None` means anonymous.
    pub author_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Bumped on every change, so keyed views re-render only what changed.
    pub version: u32,
}

impl Board {
    /// A new, empty board with the default Sparringsrummet lanes.
    pub fn new(id: BoardId, title: String, join_code: String, created_at: i64) -> Self {
        Board {
            id,
            title,
            join_code,
            created_at,
            seq: 0,
            lanes: default_lanes(),
            notes: IndexMap::new(),
        }
    }

    pub fn lane(&self, id: &LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|l| &l.id == id)
    }

    /// Notes of one lane, in display order.
    pub fn notes_in<'a>(&'a self, lane: &'a LaneId) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes.values().filter(move |n| &n.lane == lane)
    }
}

/// Trims and checks a note text; the returned string is what gets stored.
pub fn normalise_note_text(text: &str) -> Result<String, OpError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 {
        return Err(OpError::EmptyText);
    }
    if chars > MAX_NOTE_CHARS {
        return Err(OpError::TextTooLong {
            max: MAX_NOTE_CHARS,
            got: chars,
        });
    }
    Ok(text.to_owned())
}

/// Trims a display name; blank means anonymous.
pub fn normalise_name(name: Option<&str>) -> Result<Option<String>, OpError> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(OpError::NameTooLong {
            max: MAX_NAME_CHARS,
            got: chars,
        });
    }
    Ok(Some(name.to_owned()))
}

/// Trims and checks a board title.
pub fn normalise_title(title: &str) -> Result<String, OpError> {
    let title = title.trim();
    let chars = title.chars().count();
    if chars == 0 {
        return Err(OpError::EmptyTitle);
    }
    if chars > MAX_TITLE_CHARS {
        return Err(OpError::TitleTooLong {
            max: MAX_TITLE_CHARS,
            got: chars,
        });
    }
    Ok(title.to_owned())
}

/// Notes travel as a JSON list (readable exports); in memory they are keyed by id.
mod notes_as_list {
    use super::{Note, NoteId};
    use indexmap::IndexMap;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        notes: &IndexMap<NoteId, Note>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(notes.values())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<IndexMap<NoteId, Note>, D::Error> {
        let list = Vec::<Note>::deserialize(d)?;
        Ok(list.into_iter().map(|n| (n.id.clone(), n)).collect())
    }
}
