//! Identifiers. Client-generated ids (notes, ops) are validated, never trusted.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest id a client may choose; 64 leaves room for UUIDs and prefixes.
pub const MAX_ID_LEN: usize = 64;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

string_id!(
    /// A board's public id (appears in websocket and API paths; not a secret).
    BoardId
);
string_id!(
    /// A note's id, chosen by the client that creates it so it can be edited before it is acknowledged.
    NoteId
);
string_id!(
    /// A group's id, chosen by the facilitator's client that creates it.
    GroupId
);
string_id!(
    /// A client-chosen id for one intent; the server applies an op id at most once per board.
    OpId
);
string_id!(
    /// A lane's stable key, e.g. `need`; its title is separate and translatable.
    LaneId
);
string_id!(
    /// A participant's public id, derived by the server from the participant's secret.
    ParticipantId
);

/// True for 1–64 characters of `[A-Za-z0-9_-]`: safe in URLs, logs and SQL text.
pub fn is_valid_client_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Who performed an op. Participants are pseudonymous: only a derived id is ever shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Actor {
    Facilitator,
    Participant {
        id: ParticipantId,
    },
    /// The presentation screen the room sees: opened with the facilitator's token, shown what
    /// the room may see (like a participant who wrote nothing), and sends no ops.
    Presenter,
}

impl Actor {
    pub fn participant(id: &str) -> Self {
        Actor::Participant { id: ParticipantId(id.to_owned()) }
    }

    pub fn is_facilitator(&self) -> bool {
        matches!(self, Actor::Facilitator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_url_safe_and_bounded() {
        assert!(is_valid_client_id("n-1_A"));
        assert!(!is_valid_client_id(""));
        assert!(!is_valid_client_id("a b"));
        assert!(!is_valid_client_id("<script>"));
        assert!(!is_valid_client_id(&"x".repeat(MAX_ID_LEN + 1)));
        assert!(is_valid_client_id(&"x".repeat(MAX_ID_LEN)));
    }
}

crate::decode_tagged!(Actor, "role", {
    "facilitator" => Facilitator {},
    "participant" => Participant { id },
    "presenter" => Presenter {},
});

macro_rules! decode_ids {
    ($($id:ident),*) => {
        $(impl crate::decode::FromJson for $id {
            fn from_json(value: crate::decode::Json<'_>) -> Result<Self, crate::decode::DecodeError> {
                <String as crate::decode::FromJson>::from_json(value).map($id)
            }
        })*
    };
}
decode_ids!(BoardId, NoteId, GroupId, OpId, LaneId, ParticipantId);
