//! [`Board::apply`]: checks an op against the board and turns it into a [`Change`].

use super::{
    is_valid_client_id, normalise_name, normalise_note_text, normalise_title, Actor, Board, Change, Group, Note, Op,
    OpContext, OpError, ParticipantId, Spotlight, Timer, Voting, MAX_TIMER_SECONDS, MAX_VOTES,
};

impl Board {
    /// Validates `op` as event number `cx.seq`, replays the resulting change and returns it.
    /// On error the board is unchanged.
    pub fn apply(&mut self, cx: &OpContext, op: &Op) -> Result<Change, OpError> {
        if cx.seq != self.seq + 1 {
            return Err(OpError::OutOfOrder { head: self.seq, got: cx.seq });
        }
        self.prepare_tails(op);
        let mut change = match self.check_writing(cx, op) {
            Some(checked) => checked?,
            None => self.check_facilitation(cx, op)?,
        };
        self.seat_newcomer(&mut change);
        let removed = if cx.actor.is_facilitator() { self.about_to_remove(&change) } else { None };
        self.replay(cx.seq, &change);
        self.remember_removed(removed, &change);
        Ok(change)
    }

    /// [`Board::apply`] for what a participant may send (notes and votes), and nothing else:
    /// how a phone shows its own ops before the server confirms them. The phone's bundle
    /// carries only this, not the facilitator's half of the rules.
    pub fn apply_participant_op(&mut self, cx: &OpContext, op: &Op) -> Result<Change, OpError> {
        if cx.seq != self.seq + 1 {
            return Err(OpError::OutOfOrder { head: self.seq, got: cx.seq });
        }
        self.prepare_tails(op);
        let change = self.check_writing(cx, op).unwrap_or(Err(OpError::NotAParticipant))?;
        self.replay(cx.seq, &change);
        Ok(change)
    }

    /// Notes and votes: what participants do (the facilitator edits and deletes too). `None`
    /// for every other op.
    fn check_writing(&self, cx: &OpContext, op: &Op) -> Option<Result<Change, OpError>> {
        (!op.is_facilitation()).then(|| self.check_note_op(cx, op))
    }

    fn check_note_op(&self, cx: &OpContext, op: &Op) -> Result<Change, OpError> {
        let participant = match &cx.actor {
            Actor::Participant { id } => Some(id),
            Actor::Facilitator => None,
            Actor::Presenter => return Err(OpError::NotAParticipant),
        };
        // Joining a workshop is not writing: a locked plenary still takes people in.
        if let Some(joined) = self.check_join(cx, op) {
            return joined;
        }
        if self.locked && participant.is_some() {
            return Err(OpError::Locked);
        }
        match op {
            Op::AddNote { note_id, lane, text, author_name } => {
                let author = participant.ok_or(OpError::NotAParticipant)?;
                valid_id(note_id.as_str())?;
                self.lane(lane).ok_or_else(|| OpError::UnknownLane(lane.clone()))?;
                if self.notes.contains_key(note_id) {
                    return Err(OpError::DuplicateNote(note_id.clone()));
                }
                let note = Note {
                    id: note_id.clone(),
                    lane: lane.clone(),
                    group: None,
                    rank: self.end_rank(lane, None),
                    text: normalise_note_text(text)?,
                    author: Some(author.clone()),
                    author_name: normalise_name(author_name.as_deref())?,
                    created_at: cx.at,
                    updated_at: cx.at,
                    version: 1,
                    votes: 0,
                    masked: false,
                    mine: false,
                    from_table: None,
                };
                Ok(Change::NoteAdded { note })
            }
            Op::EditNote { note_id, text } => {
                let text = normalise_note_text(text)?;
                self.note(note_id)?;
                Ok(Change::NoteEdited { note_id: note_id.clone(), text, at: cx.at })
            }
            Op::DeleteNote { note_id } => {
                self.note(note_id)?;
                Ok(Change::NoteDeleted { note_id: note_id.clone() })
            }
            Op::Vote { note_id } => {
                let voter = participant.ok_or(OpError::NotAParticipant)?;
                let voting = self.open_voting()?;
                self.note(note_id)?;
                let used = self.votes_used(voter);
                if used >= voting.votes_per_participant {
                    return Err(OpError::NoVotesLeft(voting.votes_per_participant));
                }
                if !voting.allow_stacking && self.ballot(voter, note_id) > 0 {
                    return Err(OpError::AlreadyVoted);
                }
                Ok(Change::VoteCast { note_id: note_id.clone(), voter: Some(voter.clone()) })
            }
            Op::Unvote { note_id } => {
                let voter = participant.ok_or(OpError::NotAParticipant)?;
                self.open_voting()?;
                if self.ballot(voter, note_id) == 0 {
                    return Err(OpError::NoVoteToTakeBack);
                }
                Ok(Change::VoteRetracted { note_id: note_id.clone(), voter: Some(voter.clone()) })
            }
            _ => Err(OpError::NotABoardOp), // the facilitator's: `check_facilitation`
        }
    }

    /// Everything else: the facilitator's ops (permissions are the server's: see
    /// `server/src/hub/permissions.rs`).
    fn check_facilitation(&self, cx: &OpContext, op: &Op) -> Result<Change, OpError> {
        if let Some(checked) =
            self.check_lane_op(op).or_else(|| self.check_workshop_op(op)).or_else(|| self.check_plenary_op(cx, op))
        {
            return checked;
        }
        match op {
            Op::AddNote { .. } | Op::EditNote { .. } | Op::DeleteNote { .. } | Op::Vote { .. } | Op::Unvote { .. } => {
                Err(OpError::NotABoardOp) // handled by `check_writing`
            }
            Op::MoveNote { note_id, lane, group, rank } => {
                self.note(note_id)?;
                self.lane(lane).ok_or_else(|| OpError::UnknownLane(lane.clone()))?;
                if let Some(g) = group {
                    let g = self.groups.get(g).ok_or_else(|| OpError::UnknownGroup(g.clone()))?;
                    if &g.lane != lane {
                        return Err(OpError::GroupInOtherLane);
                    }
                }
                let rank = finite(*rank)?.unwrap_or_else(|| self.end_rank(lane, group.as_ref()));
                Ok(Change::NoteMoved { note_id: note_id.clone(), lane: lane.clone(), group: group.clone(), rank })
            }
            Op::CreateGroup { group_id, title, note_ids } => {
                valid_id(group_id.as_str())?;
                if self.groups.contains_key(group_id) {
                    return Err(OpError::DuplicateGroup(group_id.clone()));
                }
                let first = note_ids.first().ok_or(OpError::EmptyGroup)?;
                let lane = self.note(first)?.lane.clone();
                let mut members = Vec::new();
                for id in note_ids {
                    self.note(id)?;
                    if !members.contains(id) {
                        members.push(id.clone());
                    }
                }
                let rank = self.groups.values().filter(|g| g.lane == lane).map(|g| g.rank).fold(0.0, f64::max) + 1.0;
                let group = Group { id: group_id.clone(), lane, title: normalise_title(title)?, rank, version: 1 };
                Ok(Change::GroupCreated { group, note_ids: members })
            }
            Op::RenameGroup { group_id, title } => {
                self.group(group_id)?;
                Ok(Change::GroupRenamed { group_id: group_id.clone(), title: normalise_title(title)? })
            }
            Op::MoveGroup { group_id, lane, rank } => {
                self.group(group_id)?;
                self.lane(lane).ok_or_else(|| OpError::UnknownLane(lane.clone()))?;
                let end = self.groups.values().filter(|g| &g.lane == lane).map(|g| g.rank).fold(0.0, f64::max) + 1.0;
                let rank = finite(*rank)?.unwrap_or(end);
                Ok(Change::GroupMoved { group_id: group_id.clone(), lane: lane.clone(), rank })
            }
            Op::Ungroup { group_id } => {
                self.group(group_id)?;
                Ok(Change::Ungrouped { group_id: group_id.clone() })
            }
            Op::SetHidden { lane, hidden } => {
                let lanes = match lane {
                    Some(l) => vec![self.lane(l).ok_or_else(|| OpError::UnknownLane(l.clone()))?.id.clone()],
                    None => self.lanes.iter().map(|l| l.id.clone()).collect(),
                };
                Ok(Change::HiddenSet { lanes, hidden: *hidden })
            }
            Op::SetLocked { locked } => Ok(Change::LockedSet { locked: *locked }),
            Op::StartTimer { seconds } => {
                if !(1..=MAX_TIMER_SECONDS).contains(seconds) {
                    return Err(OpError::InvalidTimer { max: MAX_TIMER_SECONDS });
                }
                let timer = Timer { started_at: cx.at, ends_at: cx.at + i64::from(*seconds) * 1000 };
                Ok(Change::TimerSet { timer: Some(timer) })
            }
            Op::StopTimer {} => Ok(Change::TimerSet { timer: None }),
            Op::SetSpotlight { target } => {
                match target {
                    Some(Spotlight::Note { id }) => {
                        self.note(id)?;
                    }
                    Some(Spotlight::Group { id }) => {
                        self.group(id)?;
                    }
                    Some(Spotlight::Results { round }) => {
                        if !self.rounds.iter().any(|r| r.round == *round) {
                            return Err(OpError::UnknownRound(*round));
                        }
                    }
                    None => {}
                }
                Ok(Change::SpotlightSet { target: target.clone() })
            }
            Op::SetPhase { lane } => {
                if let Some(l) = lane {
                    self.lane(l).ok_or_else(|| OpError::UnknownLane(l.clone()))?;
                }
                Ok(Change::PhaseSet { lane: lane.clone() })
            }
            Op::OpenVoting { votes_per_participant, allow_stacking, name, show_counts } => {
                if !(1..=MAX_VOTES).contains(votes_per_participant) {
                    return Err(OpError::InvalidVoteCount { max: MAX_VOTES });
                }
                let name = match name.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(name) => Some(normalise_title(name)?),
                };
                let round = self.voting.as_ref().map_or(1, |v| v.round + 1);
                let voting = Voting {
                    round,
                    name,
                    votes_per_participant: *votes_per_participant,
                    allow_stacking: *allow_stacking,
                    open: true,
                    counts_shown: *show_counts,
                    cast: 0,
                };
                Ok(Change::VotingOpened { voting })
            }
            Op::CloseVoting {} => {
                self.open_voting()?;
                Ok(Change::VotingClosed { result: self.tally() })
            }
            Op::RemoveParticipant { participant } => {
                valid_id(participant.as_str())?;
                Ok(Change::ParticipantRemoved { participant: Some(participant.clone()) })
            }
            Op::RemoveAuthor { note_id } => {
                let author = self.note(note_id)?.author.clone().ok_or(OpError::NoAuthor)?;
                Ok(Change::ParticipantRemoved { participant: Some(author) })
            }
            Op::ShowAuthors { shown } => Ok(Change::AuthorsShown { shown: *shown, authors: None }),
            Op::Undo {} | Op::Redo {} => Err(OpError::NotABoardOp),
            Op::AddLane { .. } | Op::EditLane { .. } | Op::MoveLane { .. } | Op::RemoveLane { .. } => {
                Err(OpError::NotABoardOp) // handled by `check_lane_op`
            }
            Op::JoinWorkshop { .. }
            | Op::SetTables { .. }
            | Op::FormTables { .. }
            | Op::SeatMember { .. }
            | Op::Gather { .. }
            | Op::Show { .. } => {
                Err(OpError::NotABoardOp) // handled by `check_workshop_op`
            }
            Op::RestoreNote { note } => {
                // Only what the facilitator deleted here, as it was: never a note from elsewhere.
                let was = self.restorable.note(note).ok_or(OpError::NotRestorable)?;
                if self.notes.contains_key(&was.id) {
                    return Err(OpError::DuplicateNote(was.id.clone()));
                }
                let group = was.group.as_ref().filter(|g| self.groups.get(*g).is_some_and(|g| g.lane == was.lane));
                Ok(Change::NoteRestored {
                    note: Note { group: group.cloned(), masked: false, mine: false, votes: 0, ..was.clone() },
                })
            }
            Op::RestoreGroup { group } => {
                let was = self.restorable.group(group).ok_or(OpError::NotRestorable)?;
                if self.groups.contains_key(&was.id) {
                    return Err(OpError::DuplicateGroup(was.id.clone()));
                }
                Ok(Change::GroupRestored { group: was.clone() })
            }
            Op::SetTimer { timer } => {
                if let Some(timer) = timer {
                    valid_timer(timer, cx.at)?;
                }
                Ok(Change::TimerSet { timer: *timer })
            }
        }
    }

    fn note(&self, id: &super::NoteId) -> Result<&Note, OpError> {
        self.notes.get(id).ok_or_else(|| OpError::UnknownNote(id.clone()))
    }

    fn group(&self, id: &super::GroupId) -> Result<&Group, OpError> {
        self.groups.get(id).ok_or_else(|| OpError::UnknownGroup(id.clone()))
    }

    fn open_voting(&self) -> Result<Voting, OpError> {
        self.voting.clone().filter(|v| v.open).ok_or(OpError::VotingClosed)
    }

    fn ballot(&self, voter: &ParticipantId, note: &super::NoteId) -> u32 {
        self.ballots.get(voter).and_then(|b| b.get(note)).copied().unwrap_or(0)
    }
}

fn valid_id(id: &str) -> Result<(), OpError> {
    if is_valid_client_id(id) {
        Ok(())
    } else {
        Err(OpError::InvalidId)
    }
}

/// A timer as `start_timer` makes them: started by now, running 1 s to `MAX_TIMER_SECONDS`.
fn valid_timer(timer: &Timer, now: i64) -> Result<(), OpError> {
    let length = timer.ends_at.checked_sub(timer.started_at);
    let longest = i64::from(MAX_TIMER_SECONDS) * 1_000;
    match length {
        Some(ms) if (0..=now).contains(&timer.started_at) && (1_000..=longest).contains(&ms) => Ok(()),
        _ => Err(OpError::InvalidTimer { max: MAX_TIMER_SECONDS }),
    }
}

fn finite(rank: Option<f64>) -> Result<Option<f64>, OpError> {
    match rank {
        Some(r) if !r.is_finite() => Err(OpError::InvalidRank),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests;
