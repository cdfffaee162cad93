//! Property test of the model: random interleavings of every op the model applies, from a
//! facilitator and several participants, with lanes hidden and revealed along the way:
//! - replayed (redacted) by every viewer, they give each viewer exactly what it may see of
//!   the server's board;
//! - no change sent to a participant carries the text or name of someone else's note while
//!   that note is in a hidden lane;
//! - no change or snapshot carries a participant id to anyone but that participant, except
//!   authors to the facilitator while the board shows them (issue 21: anonymous means
//!   anonymous). Own notes are marked `mine`, not by id.
//!
//! Seeded, so a failure names the seed that reproduces it. (The server's own run of the same
//! promises, with undo, redo, failures and resumes: `tests/tests/promises/`.)

use idetavle_core::board::audience::{revealed_by, Audience};
use idetavle_core::board::{
    Actor, Board, BoardId, Change, Group, GroupId, LaneId, Note, NoteId, Op, OpContext, ParticipantId, Spotlight, Timer,
};
use idetavle_core::workshop::{Competences, Profile, Role, Table, Workshop};

/// xorshift64*: tiny, deterministic, good enough to pick ops.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// Ids no text or name contains, so finding one in a frame means the id itself was sent.
const PARTICIPANTS: [&str; 3] = ["pid-anna", "pid-bo", "pid-cem"];
const TROLL: &str = "pid-troll";
const LANES: [&str; 5] = ["need", "ideas", "trials", "x0", "x1"];

/// Notes and groups the facilitator removed, as they were (what undo would restore).
#[derive(Default)]
struct Removed {
    notes: Vec<Note>,
    groups: Vec<Group>,
}

/// A random op of any kind the board model applies (undo and redo are the server's: they
/// come back here as the restore, move and set ops they send).
fn random_op(rng: &mut Rng, board: &Board, removed: &Removed, step: usize) -> (Actor, Op) {
    let notes: Vec<NoteId> = board.notes.keys().cloned().collect();
    let groups: Vec<GroupId> = board.groups.keys().cloned().collect();
    let note = |rng: &mut Rng| rng.pick(&notes).cloned().unwrap_or_else(|| NoteId::from("missing"));
    let group = |rng: &mut Rng| rng.pick(&groups).cloned().unwrap_or_else(|| GroupId::from("missing"));
    let lane = |rng: &mut Rng| LaneId::from(LANES[rng.below(LANES.len())]);
    let participant = Actor::participant(PARTICIPANTS[rng.below(3)]);
    match rng.below(33) {
        0..=4 => {
            let named = rng.below(2) == 0;
            (
                participant,
                Op::AddNote {
                    note_id: format!("n{step}").as_str().into(),
                    lane: lane(rng),
                    text: format!("⟦t{step}⟧ æøå"),
                    author_name: named.then(|| format!("⟦n{step}⟧")),
                },
            )
        }
        5 => (participant, Op::EditNote { note_id: note(rng), text: format!("⟦e{step}⟧") }),
        6 => (if rng.below(2) == 0 { participant } else { Actor::Facilitator }, Op::DeleteNote { note_id: note(rng) }),
        7 | 8 => (participant, Op::Vote { note_id: note(rng) }),
        9 => (participant, Op::Unvote { note_id: note(rng) }),
        10 => {
            let l = lane(rng);
            let g = groups.iter().find(|g| board.groups[*g].lane == l).cloned().filter(|_| rng.below(2) == 0);
            let rank = (rng.below(4) > 0).then(|| rng.below(100) as f64 / 10.0);
            (Actor::Facilitator, Op::MoveNote { note_id: note(rng), lane: l, group: g, rank })
        }
        11 => {
            let ids = vec![note(rng), note(rng)];
            (
                Actor::Facilitator,
                Op::CreateGroup { group_id: format!("g{step}").as_str().into(), title: "Gruppe".into(), note_ids: ids },
            )
        }
        12 => (Actor::Facilitator, Op::RenameGroup { group_id: group(rng), title: format!("Gruppe {step}") }),
        13 => (Actor::Facilitator, Op::MoveGroup { group_id: group(rng), lane: lane(rng), rank: None }),
        14 => (Actor::Facilitator, Op::Ungroup { group_id: group(rng) }),
        15 | 16 => {
            let l = (rng.below(3) > 0).then(|| lane(rng));
            (Actor::Facilitator, Op::SetHidden { lane: l, hidden: rng.below(2) == 0 })
        }
        17 => (Actor::Facilitator, Op::SetLocked { locked: rng.below(3) == 0 }),
        18 => match rng.below(3) {
            0 => (
                Actor::Facilitator,
                Op::OpenVoting {
                    votes_per_participant: 1 + rng.below(4) as u32,
                    allow_stacking: rng.below(2) == 0,
                    name: None,
                    show_counts: rng.below(2) == 0,
                },
            ),
            1 => (Actor::Facilitator, Op::CloseVoting {}),
            _ => (Actor::Facilitator, Op::RemoveParticipant { participant: ParticipantId::from(TROLL) }),
        },
        19 => {
            let target = match rng.below(3) {
                0 => Some(Spotlight::Note { id: note(rng) }),
                1 => Some(Spotlight::Group { id: group(rng) }),
                _ => None,
            };
            (Actor::Facilitator, Op::SetSpotlight { target })
        }
        20 => (Actor::Facilitator, Op::SetPhase { lane: (rng.below(3) > 0).then(|| lane(rng)) }),
        21 => match rng.below(3) {
            0 => (Actor::Facilitator, Op::StartTimer { seconds: 60 }),
            1 => (Actor::Facilitator, Op::StopTimer {}),
            _ => (Actor::Facilitator, Op::SetTimer { timer: Some(Timer { started_at: 1, ends_at: 60_001 }) }),
        },
        22 => match rng.pick(&removed.notes) {
            Some(n) => (Actor::Facilitator, Op::RestoreNote { note: n.clone() }),
            None => (Actor::Facilitator, Op::StopTimer {}),
        },
        23 => match rng.pick(&removed.groups) {
            Some(g) => (Actor::Facilitator, Op::RestoreGroup { group: g.clone() }),
            None => (Actor::Facilitator, Op::StopTimer {}),
        },
        24 => (Actor::Facilitator, Op::RemoveAuthor { note_id: note(rng) }),
        25 => (
            Actor::Facilitator,
            Op::AddLane {
                lane_id: lane(rng),
                title: format!("Spor {step}"),
                question: (rng.below(2) == 0).then(|| format!("Hvad {step}?")),
                index: (rng.below(2) == 0).then(|| rng.below(7) as u32),
                hidden: rng.below(3) == 0,
            },
        ),
        26 => match rng.below(2) {
            0 => {
                (Actor::Facilitator, Op::EditLane { lane_id: lane(rng), title: format!("Spor {step}"), question: None })
            }
            _ => (Actor::Facilitator, Op::MoveLane { lane_id: lane(rng), index: rng.below(7) as u32 }),
        },
        27 => (Actor::Facilitator, Op::RemoveLane { lane_id: lane(rng) }),
        28 => {
            let role = [None, Some(Role::Borger), Some(Role::Politiker), Some(Role::Medarbejder)][rng.below(4)];
            let profile = Profile { role, competences: Competences(rng.below(32) as u8) };
            let name = (rng.below(2) == 0).then(|| format!("Navn {step}"));
            (participant, Op::JoinWorkshop { profile, name })
        }
        29 => {
            let tables = (1..=1 + rng.below(4) as u32).map(|number| Table {
                number,
                name: format!("Bord {number}"),
                code: None,
            });
            (Actor::Facilitator, Op::SetTables { tables: tables.collect() })
        }
        30 => (Actor::Facilitator, Op::FormTables { seed: rng.next() }),
        31 => {
            let table = (rng.below(4) > 0).then(|| 1 + rng.below(4) as u32);
            (Actor::Facilitator, Op::SeatMember { member: 1 + rng.below(4) as u32, table })
        }
        _ => (Actor::Facilitator, Op::ShowAuthors { shown: rng.below(2) == 0 }),
    }
}

/// Texts and names of notes in hidden lanes, with their authors: what no other participant
/// may receive.
fn hidden_secrets(board: &Board) -> Vec<(ParticipantId, String)> {
    board
        .notes
        .values()
        .filter(|n| board.is_hidden(&n.lane))
        .flat_map(|n| {
            std::iter::once(n.text.clone()).chain(n.author_name.clone()).filter_map(|s| Some((n.author.clone()?, s)))
        })
        .collect()
}

/// A participant id `viewer` may not receive, if one is in what it gets: its copy of the
/// change, the texts revealed with it, or a snapshot. Participants may see no id but their own;
/// the facilitator only authors, and only while the board shows them.
fn participant_id_in(
    change: &Change,
    revealed: &[idetavle_core::board::Revealed],
    snapshot: &Board,
    viewer: &Audience,
    server: &Board,
) -> Option<String> {
    let sent = format!(
        "{} {} {}",
        serde_json::to_string(change).unwrap_or_default(),
        serde_json::to_string(revealed).unwrap_or_default(),
        serde_json::to_string(snapshot).unwrap_or_default()
    );
    let own = match viewer {
        Audience::Participant(me) => Some(me.as_str()),
        _ => None,
    };
    let facilitator_sees_authors = *viewer == Audience::Facilitator && server.authors_shown;
    PARTICIPANTS
        .iter()
        .chain(std::iter::once(&TROLL))
        .filter(|id| Some(**id) != own)
        .filter(|id| {
            !(facilitator_sees_authors
                && server.notes.values().any(|n| n.author.as_ref().is_some_and(|a| a.as_str() == **id)))
        })
        .find(|id| sent.contains(**id))
        .map(|id| id.to_string())
}

fn same_screen(view: &Board, server: &Board, viewer: &Audience) -> bool {
    view.shows_the_same(&server.view_for(viewer), viewer)
}

fn run(seed: u64, steps: usize) -> Result<(), String> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut server = Board::new(BoardId::from("b"), "Test".into(), "ABCDEF".into(), 0);
    // A workshop's plenary, so its ops apply too (on any other board they are refused).
    if seed % 2 == 0 {
        server.workshop = Some(Workshop::default());
    }
    let viewers: Vec<Audience> = std::iter::once(Audience::Facilitator)
        .chain(PARTICIPANTS.iter().map(|p| Audience::Participant(ParticipantId::from(*p))))
        .collect();
    let mut views: Vec<Board> = viewers.iter().map(|v| server.view_for(v)).collect();
    let mut applied = 0;
    let mut removed = Removed::default();
    for step in 0..steps {
        let (actor, op) = random_op(&mut rng, &server, &removed, step);
        let before = server.clone();
        let cx = OpContext { actor: actor.clone(), at: 1_000 + step as i64, seq: server.seq + 1 };
        let Ok(change) = server.apply(&cx, &op) else { continue }; // refused ops change nothing
        applied += 1;
        if actor.is_facilitator() {
            removed.notes.extend(before.notes.values().filter(|n| !server.notes.contains_key(&n.id)).cloned());
            removed.groups.extend(before.groups.values().filter(|g| !server.groups.contains_key(&g.id)).cloned());
        }
        let revealed = revealed_by(&change, &server);
        let secrets = hidden_secrets(&server);
        for (viewer, view) in viewers.iter().zip(views.iter_mut()) {
            let redacted = change.redacted_for(&server, viewer);
            if let Some(id) = participant_id_in(&redacted, &revealed, &server.view_for(viewer), viewer, &server) {
                return Err(format!("seed {seed}, step {step}, op {op:?}: {viewer:?} received the id {id}"));
            }
            if let Audience::Participant(me) = viewer {
                let sent = format!(
                    "{} {}",
                    serde_json::to_string(&redacted).unwrap_or_default(),
                    serde_json::to_string(&revealed).unwrap_or_default()
                );
                if let Some((author, secret)) = secrets.iter().find(|(a, s)| a != me && sent.contains(s.as_str())) {
                    return Err(format!(
                        "seed {seed}, step {step}, op {op:?}: {me} received {secret} of {author} while hidden"
                    ));
                }
            }
            view.replay(server.seq, &redacted);
            if !matches!(viewer, Audience::Facilitator) {
                view.unmask(&revealed);
            }
            if !same_screen(view, &server, viewer) {
                if std::env::var("SHOW_DIFF").is_ok() {
                    let r = server.view_for(viewer);
                    eprintln!("view:   {:?}\nserver: {:?}", view.notes, r.notes);
                    eprintln!("groups {:?}\n       {:?}", view.groups, r.groups);
                    eprintln!(
                        "{:?} {:?}",
                        (view.locked, &view.phase, view.timer, &view.spotlight, &view.voting),
                        (r.locked, &r.phase, r.timer, &r.spotlight, &r.voting)
                    );
                    eprintln!("ballots {:?} {:?}", view.ballots, r.ballots);
                }
                return Err(format!("seed {seed}, step {step}, op {op:?}: {viewer:?} diverged"));
            }
        }
    }
    if applied < steps / 8 {
        return Err(format!("seed {seed}: only {applied} of {steps} ops applied; the generator is off"));
    }
    Ok(())
}

#[test]
fn every_viewer_converges_on_its_view_of_the_server_board() {
    let seeds: u64 = std::env::var("SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000);
    let first: u64 = std::env::var("FIRST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let failures: Vec<String> = (first..first + seeds).filter_map(|seed| run(seed, 80).err()).collect();
    assert!(failures.is_empty(), "{} of {seeds} seeds failed:\n{}", failures.len(), failures.join("\n"));
}
