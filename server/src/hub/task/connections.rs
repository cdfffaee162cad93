//! The hub's side of its connections: joining (handshake step 3), sending, dropping a client
//! that cannot keep up, removals and presence.

use super::{removed_frame, Conn, HubState};
use crate::hub::frames::{audience, encode, EventFrames};
use crate::hub::{ConnId, Farewell, Frame, ToClient, CONNECTION_QUEUE};
use idetavle_core::board::audience::Audience;
use idetavle_core::board::{Actor, ParticipantId};
use idetavle_core::protocol::{Person, ServerMsg, PROTOCOL_VERSION};
use std::collections::BTreeMap;
use tokio::sync::mpsc::{self, error::TrySendError};

impl HubState {
    /// Step 3 of the handshake: welcome, then what the client missed, then presence.
    pub(super) fn join(
        &mut self,
        conn: ConnId,
        actor: Actor,
        name: Option<String>,
        last_seq: Option<u64>,
        frames: mpsc::Sender<ToClient>,
    ) {
        if let Actor::Participant { id } = &actor {
            if self.board.removed.contains(id) {
                let _ = frames.try_send(ToClient::Frame(removed_frame()));
                let _ = frames.try_send(ToClient::Farewell(Farewell::Removed));
                return;
            }
            self.joined.insert(id.clone());
        }
        let head = self.board.seq;
        let welcome = ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            board_id: self.record.id.clone(),
            you: actor.clone(),
            head_seq: head,
            server_time: crate::clock::now_ms(),
        };
        let mut out = vec![encode(&welcome)];
        match last_seq {
            // Few missed events: send them. Many (or a seq from the future): a snapshot is smaller.
            Some(seq) if seq <= head && head - seq < (CONNECTION_QUEUE / 2) as u64 => {
                out.extend(self.log[seq as usize..].iter().map(|f| f.for_viewer(&actor).clone()));
            }
            _ => out.push(self.snapshot_frame(&actor)),
        }
        self.conns.insert(conn, Conn { actor: actor.clone(), name, frames: frames.clone() });
        self.presence_dirty = true;
        out.push(self.presence().for_viewer(&actor).clone());
        for frame in out {
            if frames.try_send(ToClient::Frame(frame)).is_err() {
                self.conns.remove(&conn); // the connection is already gone
                return;
            }
        }
    }

    /// The board as `viewer` may see it. Where that is the public view (nothing hidden, no
    /// ballot, no note of the viewer's own, no authors shown to a facilitator) it is serialised
    /// once per change, not once per join.
    fn snapshot_frame(&mut self, viewer: &Actor) -> Frame {
        let b = &self.board;
        let public = b.ballots.is_empty()
            && !b.lanes.iter().any(|l| l.hidden)
            && match viewer {
                Actor::Facilitator => !b.authors_shown && b.removed.is_empty(),
                Actor::Participant { id } => {
                    !b.removed.contains(id) && !b.notes.values().any(|n| n.author.as_ref() == Some(id))
                }
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

    /// Closes every connection of a removed participant, telling them why.
    pub(super) fn remove_participant(&mut self, who: &ParticipantId) {
        let theirs: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| matches!(&c.actor, Actor::Participant { id } if id == who))
            .map(|(id, _)| *id)
            .collect();
        for conn in theirs {
            if let Some(c) = self.conns.remove(&conn) {
                let _ = c.frames.try_send(ToClient::Frame(removed_frame()));
                let _ = c.frames.try_send(ToClient::Farewell(Farewell::Removed));
            }
        }
        self.presence_dirty = true;
    }

    /// Queues a frame for one connection; a connection whose queue is full is dropped (it
    /// reconnects and resumes from its last sequence number) rather than slowing the board.
    pub(super) fn send_to(&mut self, conn: ConnId, frame: Frame) {
        let Some(c) = self.conns.get(&conn) else { return };
        if let Err(e) = c.frames.try_send(ToClient::Frame(frame)) {
            self.drop_conn(conn, &e);
        }
    }

    pub(super) fn broadcast(&mut self, frames: &EventFrames) {
        let mut gone = Vec::new();
        for (id, c) in &self.conns {
            if let Err(e) = c.frames.try_send(ToClient::Frame(frames.for_viewer(&c.actor).clone())) {
                gone.push((*id, e));
            }
        }
        for (id, e) in gone {
            self.drop_conn(id, &e);
        }
    }

    /// Lets go of a connection whose queue is full (it reconnects and resumes) or that is
    /// already gone (it closed while its `Leave` was on the way).
    fn drop_conn(&mut self, conn: ConnId, why: &TrySendError<ToClient>) {
        if self.conns.remove(&conn).is_some() {
            match why {
                TrySendError::Full(_) => {
                    tracing::info!(board = %self.record.id, conn, "dropped a connection that could not keep up")
                }
                TrySendError::Closed(_) => tracing::debug!(board = %self.record.id, conn, "connection closed"),
            }
            self.presence_dirty = true;
        }
    }

    /// Who is here: counts for everyone; the list of people for facilitators only (a
    /// participant's phone has no business knowing who else is in the room).
    fn presence(&self) -> EventFrames {
        let mut people: BTreeMap<&ParticipantId, Option<&String>> = BTreeMap::new();
        let mut facilitators = 0u32;
        for c in self.conns.values() {
            match &c.actor {
                Actor::Facilitator => facilitators += 1,
                Actor::Participant { id } => {
                    let name = people.entry(id).or_default();
                    *name = name.or(c.name.as_ref());
                }
            }
        }
        let participants = people.len() as u32;
        let list = people.into_iter().map(|(id, name)| Person { id: id.clone(), name: name.cloned() }).collect();
        EventFrames::Split {
            facilitator: encode(&ServerMsg::Presence { participants, facilitators, people: list }),
            subject: None,
            others: encode(&ServerMsg::Presence { participants, facilitators, people: Vec::new() }),
        }
    }

    pub(super) fn broadcast_presence_if_changed(&mut self) {
        if std::mem::take(&mut self.presence_dirty) {
            let frames = self.presence();
            self.broadcast(&frames);
        }
    }
}
