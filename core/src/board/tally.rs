//! Counting votes: a round's results from the counts on the notes.

use super::order::{in_order, Place};
use super::{Board, NoteVotes, RoundResult};

impl Board {
    /// The open or last round's results from the counts on the notes (on the server, the real
    /// ones): notes with votes, most first, ties in board order.
    pub fn tally(&self) -> Option<RoundResult> {
        let voting = self.voting.as_ref()?;
        let counts: Vec<NoteVotes> = self
            .lanes
            .iter()
            .flat_map(|lane| self.notes_in(&lane.id))
            .filter(|n| n.votes > 0)
            .map(|n| NoteVotes { note_id: n.id.clone(), votes: n.votes })
            .collect();
        let counts = in_order(counts, |c| Place::most_votes_first(c.votes)); // ties keep board order
        Some(RoundResult {
            round: voting.round,
            name: voting.name.clone(),
            votes_per_participant: voting.votes_per_participant,
            cast: voting.cast,
            counts,
        })
    }

    pub(super) fn count_vote(&mut self, retracted: bool) {
        if let Some(v) = self.voting.as_mut() {
            v.cast = if retracted { v.cast.saturating_sub(1) } else { v.cast + 1 };
        }
    }
}
