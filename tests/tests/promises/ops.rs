//! The generator: every op of the protocol, from what a client sees.

use super::*;

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }

    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len())].clone())
    }
}

/// Every op of the protocol, for counting what the generator reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum OpKind {
    AddNote,
    EditNote,
    DeleteNote,
    Vote,
    Unvote,
    MoveNote,
    CreateGroup,
    RenameGroup,
    MoveGroup,
    Ungroup,
    SetHidden,
    SetLocked,
    StartTimer,
    StopTimer,
    SetSpotlight,
    SetPhase,
    OpenVoting,
    CloseVoting,
    RemoveParticipant,
    RemoveAuthor,
    ShowAuthors,
    Undo,
    Redo,
    RestoreNote,
    RestoreGroup,
    SetTimer,
    AddLane,
    EditLane,
    MoveLane,
    RemoveLane,
    JoinWorkshop,
    SetTables,
    FormTables,
    SeatMember,
    Gather,
    Show,
}

impl OpKind {
    pub(crate) const ALL: usize = 36;

    pub(crate) fn of(op: &Op) -> OpKind {
        match op {
            Op::AddNote { .. } => OpKind::AddNote,
            Op::EditNote { .. } => OpKind::EditNote,
            Op::DeleteNote { .. } => OpKind::DeleteNote,
            Op::Vote { .. } => OpKind::Vote,
            Op::Unvote { .. } => OpKind::Unvote,
            Op::MoveNote { .. } => OpKind::MoveNote,
            Op::CreateGroup { .. } => OpKind::CreateGroup,
            Op::RenameGroup { .. } => OpKind::RenameGroup,
            Op::MoveGroup { .. } => OpKind::MoveGroup,
            Op::Ungroup { .. } => OpKind::Ungroup,
            Op::SetHidden { .. } => OpKind::SetHidden,
            Op::SetLocked { .. } => OpKind::SetLocked,
            Op::StartTimer { .. } => OpKind::StartTimer,
            Op::StopTimer {} => OpKind::StopTimer,
            Op::SetSpotlight { .. } => OpKind::SetSpotlight,
            Op::SetPhase { .. } => OpKind::SetPhase,
            Op::OpenVoting { .. } => OpKind::OpenVoting,
            Op::CloseVoting {} => OpKind::CloseVoting,
            Op::RemoveParticipant { .. } => OpKind::RemoveParticipant,
            Op::RemoveAuthor { .. } => OpKind::RemoveAuthor,
            Op::ShowAuthors { .. } => OpKind::ShowAuthors,
            Op::Undo {} => OpKind::Undo,
            Op::Redo {} => OpKind::Redo,
            Op::RestoreNote { .. } => OpKind::RestoreNote,
            Op::RestoreGroup { .. } => OpKind::RestoreGroup,
            Op::SetTimer { .. } => OpKind::SetTimer,
            Op::AddLane { .. } => OpKind::AddLane,
            Op::EditLane { .. } => OpKind::EditLane,
            Op::MoveLane { .. } => OpKind::MoveLane,
            Op::RemoveLane { .. } => OpKind::RemoveLane,
            Op::JoinWorkshop { .. } => OpKind::JoinWorkshop,
            Op::SetTables { .. } => OpKind::SetTables,
            Op::FormTables { .. } => OpKind::FormTables,
            Op::SeatMember { .. } => OpKind::SeatMember,
            Op::Gather { .. } => OpKind::Gather,
            Op::Show { .. } => OpKind::Show,
        }
    }
}

/// A fresh unique token: a note text (`t`), an author name (`n`) or an id.
pub(crate) fn token(counter: &mut usize, kind: char) -> String {
    *counter += 1;
    format!("⟦{kind}{counter}⟧")
}

pub(crate) const LANES: [&str; 3] = ["need", "ideas", "trials"];
/// Lanes the facilitator adds (a short list, so additions collide and removals find them).
const EXTRA_LANES: [&str; 3] = ["x0", "x1", "x2"];

/// A lane of the default three or one the facilitator may have added: mostly one the board has.
pub(crate) fn lane(rng: &mut Rng) -> LaneId {
    match rng.chance(85) {
        true => LaneId::from(LANES[rng.below(3)]),
        false => LaneId::from(EXTRA_LANES[rng.below(3)]),
    }
}

/// A random op for client `who`, from what that client sees (stale on purpose: that is life).
pub(crate) fn random_op(w: &mut World, who: usize) -> Option<Op> {
    let World { rng, clients, next_token, .. } = w;
    let c = &clients[who];
    let mut t = |kind| token(next_token, kind);
    let view = c.sync.view()?;
    let notes: Vec<NoteId> = view.notes.keys().cloned().collect();
    let groups: Vec<GroupId> = view.groups.keys().cloned().collect();
    let note = |rng: &mut Rng| rng.pick(&notes).unwrap_or_else(|| NoteId::from("missing"));
    let group = |rng: &mut Rng| rng.pick(&groups).unwrap_or_else(|| GroupId::from("missing"));
    if let Some(me) = c.participant_id() {
        let mine: Vec<NoteId> = view.notes.values().filter(|n| n.is_by(me)).map(|n| n.id.clone()).collect();
        let op = match rng.below(22) {
            0..=7 => {
                let lane = lane(rng);
                let text = t('t');
                let author_name = rng.chance(50).then(|| t('n'));
                Op::AddNote { note_id: NoteId(t('i').replace(['⟦', '⟧'], "")), lane, text, author_name }
            }
            8 | 9 => Op::EditNote { note_id: rng.pick(&mine).unwrap_or_else(|| note(rng)), text: t('t') },
            10 => Op::DeleteNote { note_id: rng.pick(&mine).unwrap_or_else(|| note(rng)) },
            11..=14 => Op::Vote { note_id: note(rng) },
            15 | 16 => Op::Unvote { note_id: note(rng) },
            // Trying what only the facilitator may do.
            17 => Op::SetHidden { lane: None, hidden: false },
            18 => Op::DeleteNote { note_id: note(rng) },
            // Joining the workshop (refused on a board that is not a plenary), saying who they are.
            20 | 21 => Op::JoinWorkshop { profile: profile(rng), name: rng.chance(50).then(|| t('n')) },
            _ => Op::Undo {},
        };
        return Some(op);
    }
    let op = match rng.below(42) {
        0 => Op::EditNote { note_id: note(rng), text: t('t') },
        1 | 2 => Op::DeleteNote { note_id: note(rng) },
        3 => {
            let lane = lane(rng);
            let group = groups.iter().find(|g| view.groups[*g].lane == lane).cloned().filter(|_| rng.chance(50));
            let rank = rng.chance(70).then(|| rng.below(100) as f64 / 10.0);
            Op::MoveNote { note_id: note(rng), lane, group, rank }
        }
        4 => Op::CreateGroup {
            group_id: GroupId(t('g').replace(['⟦', '⟧'], "")),
            title: "Gruppe".into(),
            note_ids: vec![note(rng), note(rng)],
        },
        5 => Op::RenameGroup { group_id: group(rng), title: format!("Gruppe {}", rng.below(100)) },
        6 => Op::MoveGroup { group_id: group(rng), lane: lane(rng), rank: None },
        7 => Op::Ungroup { group_id: group(rng) },
        8..=10 => Op::SetHidden { lane: rng.chance(70).then(|| lane(rng)), hidden: rng.chance(60) },
        11 => Op::SetLocked { locked: rng.chance(25) },
        12 => Op::StartTimer { seconds: 1 + rng.below(600) as u32 },
        13 => Op::StopTimer {},
        14 => Op::SetSpotlight {
            target: match rng.below(4) {
                0 => Some(Spotlight::Note { id: note(rng) }),
                1 => Some(Spotlight::Group { id: group(rng) }),
                2 => Some(Spotlight::Results { round: rng.below(3) as u32 }),
                _ => None,
            },
        },
        15 => Op::SetPhase { lane: rng.chance(70).then(|| lane(rng)) },
        16 => Op::OpenVoting {
            votes_per_participant: 1 + rng.below(4) as u32,
            allow_stacking: rng.chance(50),
            name: rng.chance(30).then(|| format!("Runde {}", rng.below(9))),
            show_counts: rng.chance(40),
        },
        17 => Op::CloseVoting {},
        18 => {
            // Someone on the board (rarely), or an id never seen here.
            let target = if rng.chance(30) { participant_id(4) } else { format!("nobody{}", rng.below(9)) };
            Op::RemoveParticipant { participant: ParticipantId(target) }
        }
        19..=22 => Op::Undo {},
        23 | 24 => Op::Redo {},
        // A note as it was when it disappeared (the latest is the likeliest to be restorable:
        // what a hub remembers is gone once it stops; one seen with its author only while the
        // facilitator's screen showed authors, as the hub remembers it), or one from nowhere
        // (another board's, say).
        25 | 27 | 28 => match match rng.below(3) {
            0 => c.gone_notes.iter().rev().find(|n| n.author.is_some()).cloned(),
            1 => c.gone_notes.last().cloned(),
            _ => rng.pick(&c.gone_notes),
        } {
            Some(n) if rng.chance(70) => Op::RestoreNote { note: n },
            _ => Op::RestoreNote { note: foreign_note(rng) },
        },
        26 => match if rng.chance(50) { c.gone_groups.last().cloned() } else { rng.pick(&c.gone_groups) } {
            Some(g) if rng.chance(70) => Op::RestoreGroup { group: g },
            _ => Op::RestoreGroup {
                group: Group {
                    id: GroupId(format!("fg{}", rng.below(5))),
                    lane: lane(rng),
                    title: "X".into(),
                    rank: 1.0,
                    version: 1,
                },
            },
        },
        // Whoever wrote a note (rarely: it ends their run), or a note that is gone.
        30 if rng.chance(30) => Op::RemoveAuthor { note_id: note(rng) },
        30 => Op::RemoveAuthor { note_id: NoteId::from("missing") },
        31 => Op::ShowAuthors { shown: rng.chance(50) },
        32 => Op::AddLane {
            lane_id: LaneId::from(EXTRA_LANES[rng.below(3)]),
            title: format!("Spor {}", rng.below(100)),
            question: rng.chance(50).then(|| format!("Hvad {}?", rng.below(100))),
            index: rng.chance(50).then(|| rng.below(8) as u32),
            hidden: rng.chance(20),
        },
        33 => Op::EditLane {
            lane_id: lane(rng),
            title: format!("Spor {}", rng.below(100)),
            question: rng.chance(60).then(|| format!("Hvad {}?", rng.below(100))),
        },
        34 => Op::MoveLane { lane_id: lane(rng), index: rng.below(7) as u32 },
        // Mostly the lanes it added: they are the ones likely to be empty.
        35 => {
            Op::RemoveLane { lane_id: if rng.chance(70) { LaneId::from(EXTRA_LANES[rng.below(3)]) } else { lane(rng) } }
        }
        36 => Op::SetTables {
            tables: (1..=1 + rng.below(4) as u32)
                .map(|number| Table { number, name: format!("Bord {number}"), code: None })
                .collect(),
        },
        37 => Op::FormTables { seed: rng.below(1_000) as u64 },
        38 => {
            Op::SeatMember { member: 1 + rng.below(5) as u32, table: rng.chance(80).then(|| 1 + rng.below(4) as u32) }
        }
        39 => Op::JoinWorkshop { profile: profile(rng), name: None },
        // A table's notes copied in (the server sends these; a facilitator may too): new ones,
        // or again one copied before (passed over), or with an id already taken.
        40 => Op::Gather {
            table: 1 + rng.below(4) as u32,
            notes: (0..1 + rng.below(3))
                .map(|_| GatheredNote {
                    id: if rng.chance(85) { NoteId(t('c').replace(['⟦', '⟧'], "")) } else { note(rng) },
                    source: format!("src{}", rng.below(6)),
                    lane: lane(rng),
                    text: t('t'),
                })
                .collect(),
        },
        41 => Op::Show {
            showing: match rng.below(3) {
                0 => Showing::Plenary,
                1 => Showing::Tables,
                _ => Showing::Table { number: 1 + rng.below(5) as u32 },
            },
        },
        _ => {
            let started_at = [0, 1_000, i64::MAX / 2][rng.below(3)];
            let length = [60_000, -5_000, i64::MAX / 4, 0][rng.below(4)];
            Op::SetTimer {
                timer: rng.chance(80).then(|| Timer { started_at, ends_at: started_at.saturating_add(length) }),
            }
        }
    };
    Some(op)
}

pub(crate) fn foreign_note(rng: &mut Rng) -> Note {
    Note {
        id: NoteId(format!("foreign{}", rng.below(5))),
        lane: lane(rng),
        group: None,
        rank: 1.0,
        text: "⟦foreign⟧".into(),
        author: Some(ParticipantId::from("someone-else-entirely")),
        author_name: Some("⟦foreign-name⟧".into()),
        created_at: 1,
        updated_at: 1,
        version: 1,
        votes: 0,
        masked: false,
        mine: false,
        from_table: None,
    }
}

/// Something a participant may say about themselves when they join a workshop.
fn profile(rng: &mut Rng) -> Profile {
    let role =
        [None, Some(Role::Borger), Some(Role::Politiker), Some(Role::Medarbejder), Some(Role::Andet)][rng.below(5)];
    Profile { role, competences: Competences(rng.below(32) as u8) }
}

/// Participant `i`'s id: a token no text, name or op id contains, so finding it in a frame
/// means the id was sent.
pub(crate) fn participant_id(i: usize) -> String {
    format!("pid{i}x")
}
