//! The workshop's ops on its plenary board: checked here ([`Board::check_workshop_op`]) and
//! replayed here ([`Board::replay_workshop`]). What each viewer sees of them is
//! `board/audience/workshop_view.rs`: members are private to themselves and the facilitator,
//! who sees them by number, never by participant id.

use super::forming::{form_tables, place_newcomer, Seating, MAX_TABLES};
use super::{Member, Profile, Seat, Table, Workshop, MAX_MEMBERS};
use crate::board::{normalise_name, normalise_title, Actor, Board, Change, Op, OpContext, OpError};

impl Board {
    /// `Some` for the facilitator's workshop ops, `None` for every other op.
    pub(crate) fn check_workshop_op(&self, op: &Op) -> Option<Result<Change, OpError>> {
        Some(match op {
            Op::SetTables { tables } => self.workshop().and_then(|_| checked_tables(tables)),
            Op::FormTables { seed } => self.workshop().and_then(|w| {
                if w.tables.is_empty() {
                    return Err(OpError::NoTables);
                }
                let profiles: Vec<Profile> = w.members.iter().map(|m| m.profile).collect();
                let seating = form_tables(&profiles, w.tables.len(), *seed);
                let seats = seating
                    .tables
                    .iter()
                    .zip(&w.tables)
                    .flat_map(|(people, table)| {
                        people.iter().map(|&i| Seat { member: w.members[i].number, table: table.number })
                    })
                    .collect();
                Ok(Change::TablesFormed { seats })
            }),
            Op::SeatMember { member, table } => self.workshop().and_then(|w| {
                if !w.members.iter().any(|m| m.number == *member) {
                    return Err(OpError::UnknownMember(*member));
                }
                if let Some(t) = table.filter(|t| !w.tables.iter().any(|table| table.number == *t)) {
                    return Err(OpError::UnknownTable(t));
                }
                Ok(Change::MemberSeated { member: Some(*member), table: *table })
            }),
            _ => return None,
        })
    }

    pub(super) fn workshop(&self) -> Result<&Workshop, OpError> {
        self.workshop.as_ref().ok_or(OpError::NotAWorkshop)
    }

    /// `Some` for `join_workshop`: a participant joins (again: what they say about themselves is
    /// updated, their seat kept). Where a newcomer sits once the tables are formed is
    /// [`Board::seat_newcomer`]'s, which the phone's bundle leaves out (it could not know: it
    /// sees no one else).
    pub(crate) fn check_join(&self, cx: &OpContext, op: &Op) -> Option<Result<Change, OpError>> {
        let Op::JoinWorkshop { profile, name } = op else { return None };
        Some(self.join(cx, *profile, name.as_deref()))
    }

    fn join(&self, cx: &OpContext, profile: Profile, name: Option<&str>) -> Result<Change, OpError> {
        let Actor::Participant { id } = &cx.actor else {
            return Err(OpError::NotAParticipant);
        };
        let workshop = self.workshop()?;
        let profile = Profile { role: profile.role, competences: profile.competences.checked() };
        let name = normalise_name(name)?;
        // `mine`: on a phone, whose view has no ids, applying its own join before the server does.
        if let Some(known) = workshop.members.iter().find(|m| m.participant.as_ref() == Some(id) || m.mine) {
            let member = Member { profile, name, ..known.clone() };
            return Ok(Change::MemberJoined { member: Some(member), new: false });
        }
        if workshop.members.len() >= MAX_MEMBERS {
            return Err(OpError::WorkshopFull { max: MAX_MEMBERS });
        }
        let number = workshop.members.iter().map(|m| m.number).max().unwrap_or(0) + 1;
        let member = Member { number, participant: Some(id.clone()), mine: false, name, profile, table: None };
        Ok(Change::MemberJoined { member: Some(member), new: true })
    }

    /// Once the tables are formed, a newcomer sits where they even things out most.
    pub(crate) fn seat_newcomer(&self, change: &mut Change) {
        let Change::MemberJoined { member: Some(member), new: true } = change else { return };
        if let Some(workshop) = self.workshop.as_ref().filter(|w| w.formed) {
            member.table = newcomers_table(workshop, member.profile);
        }
    }

    /// Replays a workshop change; anything that no longer fits is skipped.
    pub(crate) fn replay_workshop(&mut self, change: &Change) {
        let Some(workshop) = self.workshop.as_mut() else { return };
        match change {
            Change::MemberJoined { member, new } => {
                if *new {
                    workshop.joined += 1;
                }
                if let Some(member) = member {
                    match workshop.members.iter_mut().find(|m| m.number == member.number) {
                        Some(known) => *known = member.clone(),
                        None => workshop.members.push(member.clone()),
                    }
                }
            }
            Change::TablesSet { tables } => {
                workshop.tables = tables.clone();
                for m in &mut workshop.members {
                    if m.table.is_some_and(|t| !tables.iter().any(|table| table.number == t)) {
                        m.table = None;
                    }
                }
            }
            Change::TablesFormed { seats } => {
                workshop.formed = true;
                for m in &mut workshop.members {
                    if let Some(seat) = seats.iter().find(|s| s.member == m.number) {
                        m.table = Some(seat.table);
                    }
                }
            }
            Change::MemberSeated { member: Some(number), table } => {
                if let Some(m) = workshop.members.iter_mut().find(|m| m.number == *number) {
                    m.table = *table;
                }
            }
            _ => {}
        }
    }
}
/// The table a newcomer with `profile` evens out most, among the tables with the fewest.
fn newcomers_table(workshop: &Workshop, profile: Profile) -> Option<u32> {
    let profiles: Vec<Profile> = workshop.members.iter().map(|m| m.profile).collect();
    let tables = workshop
        .tables
        .iter()
        .map(|t| (0..workshop.members.len()).filter(|&i| workshop.members[i].table == Some(t.number)).collect())
        .collect();
    let chosen = place_newcomer(&profiles, &Seating { tables }, profile);
    workshop.tables.get(chosen).map(|t| t.number)
}

fn checked_tables(tables: &[Table]) -> Result<Change, OpError> {
    if tables.is_empty() || tables.len() > MAX_TABLES {
        return Err(OpError::InvalidTables { max: MAX_TABLES });
    }
    let mut checked = Vec::with_capacity(tables.len());
    for table in tables {
        let numbered = (1..=MAX_TABLES as u32).contains(&table.number);
        if !numbered || checked.iter().any(|t: &Table| t.number == table.number) {
            return Err(OpError::InvalidTables { max: MAX_TABLES });
        }
        let code = table.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if code.is_some_and(|c| c.len() > 12 || !c.bytes().all(|b| b.is_ascii_alphanumeric())) {
            return Err(OpError::InvalidTables { max: MAX_TABLES });
        }
        checked.push(Table {
            number: table.number,
            name: normalise_title(&table.name)?,
            code: code.map(str::to_owned),
        });
    }
    Ok(Change::TablesSet { tables: checked })
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;
