//! Pre-serialised event frames, per kind of viewer.
//!
//! Most events read the same for everyone and are serialised once. An event that involves a
//! note's author, a hidden note, a vote or a removal is serialised up to three times: for
//! facilitators, for the one participant it is about (the author, voter or removed
//! participant), and for every other participant.

use idetavle_core::board::audience::{revealed_by, Audience};
use idetavle_core::board::{Actor, Board, ParticipantId};
use idetavle_core::protocol::{Event, ServerMsg};

use super::Frame;

pub fn encode(msg: &ServerMsg) -> Frame {
    Frame::from(msg.to_json())
}

#[derive(Clone)]
pub enum EventFrames {
    Same(Frame),
    Split { facilitator: Frame, subject: Option<(ParticipantId, Frame)>, others: Frame },
}

impl EventFrames {
    /// Frames for a committed event; `after` is the board right after it.
    pub fn build(event: &Event, after: &Board) -> EventFrames {
        let wire = |change, revealed| {
            encode(&ServerMsg::Event(Event {
                seq: event.seq,
                op_id: event.op_id.clone(),
                actor: None, // never broadcast who did what
                at: event.at,
                change,
                revealed,
            }))
        };
        let revealed = revealed_by(&event.change, after);
        let subject = event.change.subject(after).cloned();
        let facilitator = event.change.redacted_for(after, &Audience::Facilitator);
        let others = event.change.redacted_for(after, &Audience::Public);
        if subject.is_none() && revealed.is_empty() && others == facilitator {
            return EventFrames::Same(wire(others, Vec::new()));
        }
        EventFrames::Split {
            facilitator: wire(facilitator, Vec::new()),
            subject: subject.map(|s| {
                let theirs = event.change.redacted_for(after, &Audience::Participant(s.clone()));
                (s, wire(theirs, revealed.clone()))
            }),
            others: wire(others, revealed),
        }
    }

    /// The frame `viewer` may receive.
    pub fn for_viewer(&self, viewer: &Actor) -> &Frame {
        match self {
            EventFrames::Same(frame) => frame,
            EventFrames::Split { facilitator, subject, others } => match viewer {
                Actor::Facilitator => facilitator,
                Actor::Participant { id } => match subject {
                    Some((s, frame)) if s == id => frame,
                    _ => others,
                },
                Actor::Presenter => others,
            },
        }
    }
}

/// The audience an actor belongs to.
pub fn audience(actor: &Actor) -> Audience {
    match actor {
        Actor::Facilitator => Audience::Facilitator,
        Actor::Participant { id } => Audience::Participant(id.clone()),
        Actor::Presenter => Audience::Public,
    }
}
