//! Workshops with tables. A workshop is its **plenary board** with a [`Workshop`] in it: the
//! tables (each a board of its own, `{plenary}-t{number}`) and the members who joined with the
//! plenary's join code. A member may say which group they belong to ([`Role`]) and which
//! competences they bring ([`Competences`]); [`forming`] seats everyone so that each table mixes
//! them as evenly as it can (docs/WORKSHOP.md states the objective). The ops that change it
//! (`join_workshop`, `set_tables`, `form_tables`, `seat_member`) are board ops like any other:
//! sequenced, stored, and filtered per viewer ([`ops`]).

pub mod forming;
mod ops;
pub mod plenary;

pub use plenary::{GatheredNote, Showing, MAX_GATHERED};

use crate::board::{BoardId, ParticipantId};
use serde::{Deserialize, Serialize};

/// A table as the plenary lists it. Its board is [`table_board_id`]`(plenary, number)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub number: u32,
    pub name: String,
    /// The join code of the table's board (from `POST /api/workshops/{id}/tables`), so a phone
    /// can go there; only those seated at the table get in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

crate::decode_struct!(Table { number, name, code = default });

/// Someone who joined the workshop. Numbered in the order they joined: the facilitator moves
/// people by number and never learns their participant id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub number: u32,
    /// Only on the server's board (views carry none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<ParticipantId>,
    /// In a participant's view: this is them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mine: bool,
    /// Their display name when they joined, if they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub profile: Profile,
    /// The number of their table, once seated.
    #[serde(default)]
    pub table: Option<u32>,
}

crate::decode_struct!(Member {
    number,
    participant = default,
    mine = default,
    name = default,
    profile = default,
    table = default
});

/// The workshop a plenary board runs: its tables and who sits where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workshop {
    #[serde(default)]
    pub tables: Vec<Table>,
    /// Everyone on the server's board; the facilitator's view has them without ids, a
    /// participant's only themselves, the room's none.
    #[serde(default)]
    pub members: Vec<Member>,
    /// How many have joined (every view has it: the room's screen shows it).
    #[serde(default)]
    pub joined: u32,
    /// Tables were formed: a late arrival is seated when they join.
    #[serde(default)]
    pub formed: bool,
    /// What the room's screen shows.
    #[serde(default)]
    pub showing: Showing,
}

crate::decode_struct!(Workshop {
    tables = default,
    members = default,
    joined = default,
    formed = default,
    showing = default
});

/// One member's table, in a forming's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub member: u32,
    pub table: u32,
}

crate::decode_struct!(Seat { member, table });

/// Most members a workshop takes (a guard, far above any room).
pub const MAX_MEMBERS: usize = 5_000;

/// Which workshop a table board belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOf {
    pub plenary: BoardId,
    pub number: u32,
}

crate::decode_struct!(TableOf { plenary, number });

/// The board of table `number` of the workshop whose plenary is `plenary`. Derived, so the
/// plenary's ops never carry a board id a client chose.
pub fn table_board_id(plenary: &BoardId, number: u32) -> BoardId {
    BoardId(format!("{plenary}-t{number}"))
}

/// The plenary and number of a table board, read from its id (`None`: not a table's).
pub fn table_of_id(board: &BoardId) -> Option<TableOf> {
    let (plenary, number) = board.as_str().rsplit_once("-t")?;
    let number: u32 = number.parse().ok().filter(|n| (1..=forming::MAX_TABLES as u32).contains(n))?;
    (!plenary.is_empty() && number.to_string() == board.as_str()[plenary.len() + 2..])
        .then(|| TableOf { plenary: BoardId(plenary.to_owned()), number })
}

/// The group a participant says they belong to (optional: saying nothing is fine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Borger,
    Politiker,
    Medarbejder,
    Andet,
}

crate::decode_names!(Role {
    "borger" => Borger,
    "politiker" => Politiker,
    "medarbejder" => Medarbejder,
    "andet" => Andet,
});

impl Role {
    fn bit(self) -> u16 {
        match self {
            Role::Borger => 1,
            Role::Politiker => 1 << 1,
            Role::Medarbejder => 1 << 2,
            Role::Andet => 1 << 3,
        }
    }
}

/// The competences a participant brings: any of the catalogue's five standard ones
/// ([`STANDARD_SKILLS`](crate::catalogue::STANDARD_SKILLS), in that order), as bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Competences(pub u8);

impl Competences {
    /// How many there are.
    pub const COUNT: usize = 5;

    pub fn has(self, index: usize) -> bool {
        index < Self::COUNT && self.0 & (1 << index) != 0
    }

    pub fn with(self, index: usize) -> Competences {
        if index < Self::COUNT {
            Competences(self.0 | 1 << index)
        } else {
            self
        }
    }

    /// Only the five known bits.
    pub fn checked(self) -> Competences {
        Competences(self.0 & 0b1_1111)
    }
}

impl crate::decode::FromJson for Competences {
    fn from_json(value: crate::decode::Json<'_>) -> Result<Self, crate::decode::DecodeError> {
        u32::from_json(value).map(|bits| Competences((bits & 0b1_1111) as u8))
    }
}

/// What a participant said about themselves; both parts optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub competences: Competences,
}

crate::decode_struct!(Profile { role = default, competences = default });

impl Profile {
    /// The profile as bits: roles in bits 0–3, competences in bits 4–8.
    pub(crate) fn traits(self) -> u16 {
        self.role.map_or(0, Role::bit) | u16::from(self.competences.checked().0) << 4
    }
}
