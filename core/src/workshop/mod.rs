//! Workshops with tables: who sits where. A participant may say which group they belong to
//! ([`Role`]) and which competences they bring ([`Competences`]); [`forming`] seats everyone so
//! that each table mixes them as evenly as it can (docs/WORKSHOP.md states the objective).

pub mod forming;

use serde::{Deserialize, Serialize};

/// The group a participant says they belong to (optional: saying nothing is fine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Borger,
    Politiker,
    Medarbejder,
    Andet,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Borger, Role::Politiker, Role::Medarbejder, Role::Andet];

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

/// What a participant said about themselves; both parts optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub competences: Competences,
}

impl Profile {
    /// The profile as bits: roles in bits 0–3, competences in bits 4–8.
    pub(crate) fn traits(self) -> u16 {
        self.role.map_or(0, Role::bit) | u16::from(self.competences.checked().0) << 4
    }
}
