//! What each viewer sees of a workshop: the facilitator every member without ids, a member
//! only themselves, the room only how many joined.

use super::Audience;
use crate::board::workshop::{Member, Workshop};
use crate::board::{Board, Change};

impl Change {
    /// What `viewer` gets of a workshop change, `after` being the server's board with it
    /// applied: the facilitator every member without ids, a member only themselves, the room
    /// only the count. A seating (`tables_formed`) reaches everyone as it is: member numbers
    /// and tables, which say nothing about anyone to someone who does not know the numbers.
    pub(crate) fn workshop_change_for(&self, viewer: &Audience, after: &Board) -> Change {
        let is_mine = |number: u32| {
            after.workshop.as_ref().is_some_and(|w| w.members.iter().any(|m| m.number == number && viewer.is_member(m)))
        };
        match self {
            Change::MemberJoined { member, new } => {
                let member = member.as_ref().and_then(|m| member_for(viewer, m));
                Change::MemberJoined { member, new: *new }
            }
            Change::MemberSeated { member: Some(number), table }
                if *viewer == Audience::Facilitator || is_mine(*number) =>
            {
                Change::MemberSeated { member: Some(*number), table: *table }
            }
            Change::MemberSeated { .. } => Change::MemberSeated { member: None, table: None },
            other => other.clone(),
        }
    }
}

/// A member as `viewer` may see them (`None`: not at all).
fn member_for(viewer: &Audience, member: &Member) -> Option<Member> {
    match viewer {
        Audience::Facilitator => Some(Member { participant: None, mine: false, ..member.clone() }),
        Audience::Participant(_) if viewer.is_member(member) => {
            Some(Member { participant: None, mine: true, ..member.clone() })
        }
        Audience::Participant(_) | Audience::Public => None,
    }
}

/// The workshop as `viewer` may see it.
pub(crate) fn workshop_for(viewer: &Audience, workshop: &Workshop) -> Workshop {
    Workshop { members: workshop.members.iter().filter_map(|m| member_for(viewer, m)).collect(), ..workshop.clone() }
}
