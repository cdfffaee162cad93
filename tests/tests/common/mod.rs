//! What the multi-instance tests share: the binary, a small deterministic random source, ops a
//! client may try, and waiting for answers.

#![allow(dead_code)] // each test file uses its own part

use idetavle_core::board::{GroupId, LaneId, Op};
use idetavle_core::protocol::{Credential, ErrorCode, ServerMsg};
use server::store::{PostgresStore, Store};
use tests::support::client::WsClient;
use tests::support::instances::Instances;

pub const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");

pub const LANES: [&str; 3] = ["need", "ideas", "trials"];

/// xorshift: the same steps for the same seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

pub fn facilitator(board: &app::api::CreatedBoard) -> Credential {
    Credential::Facilitator { token: board.facilitator_token.clone() }
}

pub fn presenter(board: &app::api::CreatedBoard) -> Credential {
    Credential::Presenter { token: board.facilitator_token.clone() }
}

/// Reads (and applies) messages until `op_id` is answered: its sequence number, or the error.
pub async fn answer(c: &mut WsClient, op_id: &str) -> Result<u64, ErrorCode> {
    let msg = c
        .apply_until(|m| match m {
            ServerMsg::Ack { op_id: id, .. } => id.as_str() == op_id,
            ServerMsg::Error { op_id: Some(id), .. } => id.as_str() == op_id,
            _ => false,
        })
        .await;
    match msg {
        ServerMsg::Ack { seq, .. } => Ok(seq),
        ServerMsg::Error { code, .. } => Err(code),
        _ => unreachable!("apply_until returns what matched"),
    }
}

/// The board's last sequence number, as PostgreSQL has it.
pub async fn room_head(room: &Instances, board: &app::api::CreatedBoard) -> u64 {
    let store = PostgresStore::connect(&room.pg.url).await.expect("connect");
    let events = store.events_after(&board.id, 0).await.expect("log");
    events.last().map_or(0, |e| e.seq)
}

/// Something this client might do next on the board as it sees it (`None`: nothing fits).
pub fn random_op(rng: &mut Rng, c: &WsClient, is_facilitator: bool) -> Option<Op> {
    let board = c.sync.board.as_ref()?;
    let notes: Vec<_> = board.notes.values().collect();
    let lane = LaneId::from(LANES[rng.below(3)]);
    let any_note = (!notes.is_empty()).then(|| notes[rng.below(notes.len())].id.clone());
    if is_facilitator {
        return Some(match rng.below(8) {
            0 => Op::SetHidden { lane: Some(lane), hidden: rng.below(2) == 0 },
            1 if board.voting.is_none() => {
                Op::OpenVoting { votes_per_participant: 2, allow_stacking: false, name: None, show_counts: true }
            }
            1 => Op::CloseVoting {},
            2 => Op::MoveNote { note_id: any_note?, lane, group: None, rank: None },
            3 => {
                let in_lane: Vec<_> = notes.iter().filter(|n| n.lane == lane).map(|n| n.id.clone()).collect();
                let group_id = GroupId::from(format!("g{}", rng.below(1_000_000)).as_str());
                Op::CreateGroup { group_id, title: "Gruppe".into(), note_ids: in_lane.into_iter().take(2).collect() }
            }
            4 => Op::Undo {},
            5 => Op::SetPhase { lane: Some(lane) },
            6 => Op::DeleteNote { note_id: any_note? },
            _ => Op::StartTimer { seconds: 60 },
        });
    }
    let mine: Vec<_> = notes.iter().filter(|n| n.mine).map(|n| n.id.clone()).collect();
    let own_note = (!mine.is_empty()).then(|| mine[rng.below(mine.len())].clone());
    Some(match rng.below(6) {
        0 | 1 => {
            let id = format!("n{}", rng.below(1_000_000_000));
            Op::AddNote { note_id: id.as_str().into(), lane, text: format!("Idé {id} – æøå"), author_name: None }
        }
        2 => Op::EditNote { note_id: own_note?, text: format!("Rettet {}", rng.below(1000)) },
        3 => Op::DeleteNote { note_id: own_note? },
        4 => Op::Vote { note_id: any_note? },
        _ => Op::Unvote { note_id: any_note? },
    })
}
