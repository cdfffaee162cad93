//! Who is connected: joining (handshake step 3), leaving, removals, and presence.

use super::{removed_frame, Member, Output, Session, CATCH_UP_MAX};
use crate::hub::frames::{audience, encode, EventFrames};
use crate::hub::{ConnId, Farewell, Frame};
use idetavle_core::board::audience::Audience;
use idetavle_core::board::{Actor, ParticipantId};
use idetavle_core::protocol::{Person, ServerMsg, PROTOCOL_VERSION};
use std::collections::BTreeMap;

impl Session {
    /// Step 3 of the handshake: welcome, then what the client missed (the events after
    /// `last_seq`, or a snapshot), then presence. A removed participant is told so and let go.
    pub fn join(
        &mut self,
        conn: ConnId,
        actor: Actor,
        name: Option<String>,
        last_seq: Option<u64>,
        now: i64,
    ) -> Vec<Output> {
        if let Actor::Participant { id } = &actor {
            if self.board.removed.contains(id) {
                return vec![Output::Send(conn, removed_frame()), Output::Farewell(conn, Farewell::Removed)];
            }
            self.joined.insert(id.clone());
        }
        let head = self.board.seq;
        let welcome = ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            board_id: self.board.id.clone(),
            you: actor.clone(),
            head_seq: head,
            server_time: now,
        };
        let mut out = vec![Output::Send(conn, encode(&welcome))];
        match last_seq {
            // Few missed events (still in the log): send them. Many, or older than the log, or a
            // seq from the future: a snapshot.
            Some(seq) if seq <= head && head - seq <= self.log.len() as u64 => {
                let missed = self.log.range(self.log.len() - (head - seq) as usize..);
                out.extend(missed.map(|f| Output::Send(conn, f.for_viewer(&actor).clone())));
            }
            _ => out.push(Output::Send(conn, self.snapshot_frame(&actor))),
        }
        self.members.insert(conn, Member { actor: actor.clone(), name });
        self.members_changed();
        // Only the joiner's form: a participant's join does not serialise everyone's names.
        out.push(Output::Send(conn, encode(&self.presence_msg(actor.is_facilitator()))));
        out
    }

    /// A participant's new display name (for the facilitator's list).
    pub fn rename(&mut self, conn: ConnId, name: Option<String>) {
        if let Some(member) = self.members.get_mut(&conn) {
            member.name = name;
            self.members_changed();
        }
    }

    /// A connection is gone: it closed, or the hub let go of it (a full queue).
    pub fn leave(&mut self, conn: ConnId) {
        if self.members.remove(&conn).is_some() {
            self.members_changed();
        }
    }

    /// Someone came, went or was renamed here: everyone's presence is due, and this
    /// instance's share of it (docs/SCALING.md).
    fn members_changed(&mut self) {
        self.presence_dirty = true;
        self.share_dirty = true;
    }

    /// Whether a presence frame is due: someone came, went or was renamed, and someone is
    /// still here to be told.
    pub fn presence_pending(&self) -> bool {
        self.presence_dirty && !self.members.is_empty()
    }

    /// Presence, if anyone came, went or was renamed since the last time (coalesced, so 1,000
    /// joins are not 1,000² frames).
    pub fn presence_tick(&mut self) -> Vec<Output> {
        let mut out = Vec::new();
        if std::mem::take(&mut self.presence_dirty) {
            let frames = self.presence();
            self.broadcast(&frames, &mut out);
        }
        out
    }

    /// A committed event: to every connection, and into the log reconnecting clients are
    /// sent from (the latest [`CATCH_UP_MAX`] events).
    pub(super) fn publish(&mut self, frames: EventFrames, out: &mut Vec<Output>) {
        self.broadcast(&frames, out);
        if self.log.len() == CATCH_UP_MAX {
            self.log.pop_front();
        }
        self.log.push_back(frames);
    }

    /// One frame per connection, in the form its viewer may see.
    pub(super) fn broadcast(&self, frames: &EventFrames, out: &mut Vec<Output>) {
        out.extend(self.members.iter().map(|(conn, m)| Output::Send(*conn, frames.for_viewer(&m.actor).clone())));
    }

    /// Closes every connection of a removed participant, telling them why.
    pub(super) fn remove_participant(&mut self, who: &ParticipantId, out: &mut Vec<Output>) {
        let theirs: Vec<ConnId> = self
            .members
            .iter()
            .filter(|(_, m)| matches!(&m.actor, Actor::Participant { id } if id == who))
            .map(|(conn, _)| *conn)
            .collect();
        for conn in theirs {
            self.members.remove(&conn);
            out.push(Output::Send(conn, removed_frame()));
            out.push(Output::Farewell(conn, Farewell::Removed));
        }
        self.members_changed();
    }

    /// The board as `viewer` may see it. Where that is the public view (nothing hidden, no
    /// ballot, no note of the viewer's own, no authors shown to a facilitator) it is serialised
    /// once per change, not once per join.
    fn snapshot_frame(&mut self, viewer: &Actor) -> Frame {
        let b = &self.board;
        // Workshop members are private (to themselves and, without ids, the facilitator).
        let public = b.ballots.is_empty()
            && !b.lanes.iter().any(|l| l.hidden)
            && b.workshop.as_ref().is_none_or(|w| w.members.is_empty())
            && match viewer {
                Actor::Facilitator => !b.authors_shown && b.removed.is_empty(),
                Actor::Participant { id } => {
                    !b.removed.contains(id) && !b.notes.values().any(|n| n.author.as_ref() == Some(id))
                }
                Actor::Presenter => true,
            };
        if !public {
            return encode(&ServerMsg::Snapshot { board: self.board.view_for(&audience(viewer)) });
        }
        match &self.snapshot {
            Some((seq, frame)) if *seq == self.board.seq => frame.clone(),
            _ => {
                let frame = encode(&ServerMsg::Snapshot { board: self.board.view_for(&Audience::Public) });
                self.snapshot = Some((self.board.seq, frame.clone()));
                frame
            }
        }
    }

    /// Who is here, for every kind of viewer.
    fn presence(&self) -> EventFrames {
        EventFrames::Split {
            facilitator: encode(&self.presence_msg(true)),
            subject: None,
            others: encode(&self.presence_msg(false)),
        }
    }

    /// Who is here: counts for everyone; the list of people for facilitators only (a
    /// participant's phone has no business knowing who else is in the room).
    fn presence_msg(&self, with_people: bool) -> ServerMsg {
        let mut people: BTreeMap<&ParticipantId, Option<&String>> = BTreeMap::new();
        let mut facilitators = 0u32;
        // Those connected through other instances count as much as those here.
        for share in &self.others {
            facilitators += share.facilitators;
            for person in &share.people {
                let name = people.entry(&person.id).or_default();
                *name = name.or(person.name.as_ref());
            }
        }
        for m in self.members.values() {
            match &m.actor {
                Actor::Facilitator => facilitators += 1,
                Actor::Participant { id } => {
                    let name = people.entry(id).or_default();
                    *name = name.or(m.name.as_ref());
                }
                // The room's screen is not a person in the room.
                Actor::Presenter => {}
            }
        }
        let participants = people.len() as u32;
        let people = match with_people {
            true => people.into_iter().map(|(id, name)| Person { id: id.clone(), name: name.cloned() }).collect(),
            false => Vec::new(),
        };
        ServerMsg::Presence { participants, facilitators, people }
    }
}
