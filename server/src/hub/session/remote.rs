//! What other instances that share the store did (docs/SCALING.md): events they committed,
//! which this session catches up with, and who they have connected.

use super::{Applied, Output, Session};
use crate::hub::frames::EventFrames;
use crate::store::{sent_as, PresenceShare, StoreError};
use idetavle_core::board::{Actor, Change, ParticipantId};
use idetavle_core::protocol::{Event, Person};
use std::collections::BTreeMap;

impl Session {
    /// Takes events committed elsewhere, in order, as if they had been committed here: each
    /// goes to every connection in its viewer's form, joins the log for reconnecting clients,
    /// and its op id is known (so a retry through this instance is acknowledged, not applied
    /// again). Events the session already has are skipped. Called only between batches
    /// (nothing staged).
    pub fn catch_up(&mut self, events: Vec<Event>) -> Result<Vec<Output>, StoreError> {
        debug_assert!(self.staged.is_empty(), "catching up in the middle of a batch");
        let mut out = Vec::new();
        for event in events {
            if event.seq <= self.board.seq {
                continue;
            }
            if event.seq != self.board.seq + 1 {
                let detail = format!("event {} follows event {}", event.seq, self.board.seq);
                return Err(StoreError::Corrupt { board: self.board.id.clone(), detail });
            }
            self.board.replay(event.seq, &event.change);
            let frames = EventFrames::build(&event, &self.board);
            self.publish(frames, &mut out);
            self.applied.insert(sent_as(&event.op_id), Applied::new(event.actor.as_ref(), event.seq));
            if let Change::ParticipantRemoved { participant: Some(participant) } = &event.change {
                self.remove_participant(participant, &mut out);
            }
        }
        Ok(out)
    }

    /// Whether this instance's share of the presence changed since [`Session::take_share`].
    pub fn share_pending(&self) -> bool {
        self.share_dirty
    }

    /// This instance's share of the board's presence, if it changed since the last time.
    pub fn take_share(&mut self) -> Option<PresenceShare> {
        std::mem::take(&mut self.share_dirty).then(|| self.share())
    }

    /// Who this session has connected, as its instance's share of the board's presence.
    pub fn share(&self) -> PresenceShare {
        let mut people: BTreeMap<_, Option<String>> = BTreeMap::new();
        let mut facilitators = 0;
        for member in self.members.values() {
            match &member.actor {
                Actor::Facilitator => facilitators += 1,
                Actor::Participant { id } => {
                    let name = people.entry(id.clone()).or_default();
                    if name.is_none() {
                        name.clone_from(&member.name);
                    }
                }
                Actor::Presenter => {}
            }
        }
        let people = people.into_iter().map(|(id, name)| Person { id, name }).collect();
        PresenceShare { facilitators, people }
    }

    /// Every participant connected to the board now, here or at another instance.
    pub fn present(&self) -> Vec<ParticipantId> {
        let mut ids: Vec<ParticipantId> = self
            .members
            .values()
            .filter_map(|m| match &m.actor {
                Actor::Participant { id } => Some(id.clone()),
                _ => None,
            })
            .collect();
        ids.extend(self.others.iter().flat_map(|share| share.people.iter().map(|p| p.id.clone())));
        ids.sort();
        ids.dedup();
        ids
    }

    /// The other instances' shares; `true` if they changed (a presence frame is then due).
    pub fn shared_presence(&mut self, others: Vec<PresenceShare>) -> bool {
        if self.others == others {
            return false;
        }
        self.others = others;
        self.presence_dirty = true;
        true
    }
}
