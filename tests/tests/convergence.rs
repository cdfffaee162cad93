//! Several real clients send random ops at the same time; afterwards every client holds the
//! server's board (what it may see of it), equal to the export.

use idetavle_core::board::{Board, GroupId, LaneId, NoteId, Op};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const LANES: [&str; 3] = ["need", "ideas", "trials"];

/// A random op for a client who knows `board` (possibly stale: that is the point).
fn random_op(rng: &mut Rng, board: &Board, facilitator: bool, tag: &str) -> Op {
    let notes: Vec<NoteId> = board.notes.keys().cloned().collect();
    let groups: Vec<GroupId> = board.groups.keys().cloned().collect();
    let note = |rng: &mut Rng| notes.get(rng.below(notes.len().max(1))).cloned().unwrap_or_else(|| "none".into());
    let lane = |rng: &mut Rng| LaneId::from(LANES[rng.below(3)]);
    if !facilitator {
        return match rng.below(6) {
            0..=2 => {
                Op::AddNote { note_id: tag.into(), lane: lane(rng), text: format!("note {tag}"), author_name: None }
            }
            3 => Op::EditNote { note_id: note(rng), text: format!("edit {tag}") },
            4 => Op::Vote { note_id: note(rng) },
            _ => Op::Unvote { note_id: note(rng) },
        };
    }
    match rng.below(8) {
        0 | 1 => Op::MoveNote { note_id: note(rng), lane: lane(rng), group: None, rank: Some(rng.below(50) as f64) },
        2 => Op::CreateGroup { group_id: tag.into(), title: format!("G {tag}"), note_ids: vec![note(rng), note(rng)] },
        3 => match groups.get(rng.below(groups.len().max(1))) {
            Some(g) => Op::MoveGroup { group_id: g.clone(), lane: lane(rng), rank: None },
            None => Op::open_voting(3, true),
        },
        4 => Op::DeleteNote { note_id: note(rng) },
        5 => Op::SetHidden { lane: Some(lane(rng)), hidden: rng.below(2) == 0 },
        6 => Op::open_voting(3, rng.below(2) == 0),
        _ => Op::Ungroup { group_id: groups.first().cloned().unwrap_or_else(|| "none".into()) },
    }
}

/// Waits until every op this client sent has been answered.
async fn settle(c: &mut WsClient) {
    while !c.sync.outbox.is_empty() {
        let msg = c.recv().await.expect("connection open");
        c.sync.receive(msg);
    }
}

#[tokio::test]
async fn concurrent_random_ops_from_several_clients_converge() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    for seed in 1..=8u64 {
        let board = create_board(&server.http_base(), &format!("Seed {seed}")).await;
        let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
        let mut phones = Vec::new();
        for _ in 0..3 {
            phones.push(WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await);
        }
        let mut rng = Rng(seed * 0x9E37_79B9 + 1);
        for round in 0..12 {
            // Everyone sends a few ops based on what they know now, without waiting.
            for k in 0..3 {
                let op = random_op(&mut rng, fac.sync.board.as_ref().unwrap(), true, &format!("f{round}{k}"));
                fac.submit(&format!("f-{round}-{k}"), op).await;
            }
            for (p, phone) in phones.iter_mut().enumerate() {
                for k in 0..3 {
                    let op =
                        random_op(&mut rng, phone.sync.board.as_ref().unwrap(), false, &format!("p{p}r{round}k{k}"));
                    phone.submit(&format!("p-{p}-{round}-{k}"), op).await;
                }
            }
            settle(&mut fac).await;
            for phone in phones.iter_mut() {
                settle(phone).await;
            }
        }
        // Reveal everything, then everyone catches up with the head.
        fac.submit("reveal", Op::SetHidden { lane: None, hidden: false }).await;
        let head = fac.acked("reveal").await;
        for phone in phones.iter_mut() {
            phone.caught_up_to(head).await;
        }
        let exported: Board =
            serde_json::from_value(export(&server.http_base(), &board).await["board"].clone()).unwrap();
        let f = fac.sync.board.clone().unwrap();
        assert_eq!(f, exported, "seed {seed}: the facilitator holds the server's board");
        assert!(exported.seq > 20, "seed {seed}: too few ops applied ({})", exported.seq);
        for (i, phone) in phones.iter().enumerate() {
            let b = phone.sync.board.as_ref().unwrap();
            // While a round is blind a phone sees only its own votes (checked in the model's tests).
            let blind = exported.voting.as_ref().is_some_and(|v| v.is_blind());
            let strip = |b: &Board| {
                b.notes
                    .values()
                    .map(|n| {
                        let votes = if blind { 0 } else { n.votes };
                        (n.id.clone(), n.lane.clone(), n.group.clone(), n.rank, votes, n.text.clone(), n.masked)
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(b), strip(&exported), "seed {seed}: phone {i}'s notes");
            assert_eq!(b.groups, exported.groups, "seed {seed}: phone {i}'s groups");
            assert_eq!(
                (&b.lanes, &b.voting, &b.rounds, b.seq),
                (&exported.lanes, &exported.voting, &exported.rounds, exported.seq)
            );
        }
        for c in std::iter::once(fac).chain(phones) {
            assert!(!c.raw.iter().any(|f| f.contains("\"type\":\"error\"") && f.contains("unavailable")));
            c.close().await;
        }
    }
    server.stop().await;
}
