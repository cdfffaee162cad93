//! Texts a participant may now read: a hidden lane was revealed, or a note moved out of one.
//! They travel beside the event (`Event::revealed`), since the change itself is the same for all.

use super::{Board, NoteId};
use serde::{Deserialize, Serialize};

/// The text of a note that became readable to participants (revealed lane, or moved out of one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revealed {
    pub note_id: NoteId,
    pub text: String,
    pub author_name: Option<String>,
}

crate::decode_struct!(Revealed { note_id, text, author_name });

impl Board {
    /// Fills in texts that were just revealed to this (participant's) board.
    pub fn unmask(&mut self, revealed: &[Revealed]) {
        for r in revealed {
            if let Some(n) = self.notes.get_mut(&r.note_id) {
                if n.masked || n.text != r.text || n.author_name != r.author_name {
                    n.text = r.text.clone();
                    n.author_name = r.author_name.clone();
                    n.masked = false;
                    n.version += 1;
                }
            }
        }
    }
}
