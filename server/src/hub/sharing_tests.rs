//! Two instances over one shared store (the in-memory store playing the database, as
//! PostgreSQL does in `tests/tests/instances.rs`): one numbering of every board, every client
//! told everything in that order, retries applied once, vote limits, removals, deletions and
//! presence across them.

use super::{Command, Hub, HubConfig, Hubs, ToClient};
use crate::store::{BoardRecord, MemoryStore, Store};
use idetavle_core::board::{Actor, BoardId, LaneId, Op, OpId};
use idetavle_core::protocol::{ErrorCode, ServerMsg};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);

struct Instances {
    store: Arc<MemoryStore>,
    hubs: [Arc<Hubs>; 2],
    board: BoardId,
}

impl Instances {
    async fn start() -> Instances {
        let store = Arc::new(MemoryStore::shared());
        let board = BoardId::from("shared");
        let record = BoardRecord {
            id: board.clone(),
            title: "Delt".into(),
            join_code: "SHARED".into(),
            token_hash: [0; 32],
            created_at: 0,
            expires_at: None,
        };
        store.create_board(&record).await.expect("create");
        let hubs = [(); 2].map(|_| {
            let hubs = Arc::new(Hubs::configured(Arc::clone(&store) as Arc<dyn Store>, HubConfig::default()));
            let notices = hubs.notices().expect("a shared store sends notices");
            tokio::spawn(Arc::clone(&hubs).follow(notices));
            hubs
        });
        Instances { store, hubs, board }
    }

    /// A client of `instance`, joined: it has its first snapshot. (A client that joins
    /// without a `last_seq` gets the board as a snapshot, then every event after it; its hub
    /// may already have caught up with another instance's first commits by then.)
    async fn client(&self, instance: usize, actor: Actor) -> Client {
        let hubs = &self.hubs[instance];
        let hub = hubs.get(&self.board).await.expect("load").expect("board");
        let conn = hubs.next_conn_id();
        let (frames, rx) = mpsc::channel(4096);
        let join = Command::Join { conn, actor: actor.clone(), name: None, last_seq: None, frames };
        assert!(hub.send(join).await);
        let mut client = Client { hub, conn, actor, rx, seen: Vec::new(), joined_at: 0 };
        loop {
            if let ServerMsg::Snapshot { board } = client.next().await.expect("joined") {
                client.joined_at = board.seq;
                return client;
            }
        }
    }
}

struct Client {
    hub: Hub,
    conn: u64,
    actor: Actor,
    rx: mpsc::Receiver<ToClient>,
    /// Sequence numbers of the events received, in order.
    seen: Vec<u64>,
    /// The sequence number of the snapshot it joined with.
    joined_at: u64,
}

impl Client {
    async fn send(&self, op_id: &str, op: Op) {
        let cmd = Command::Op { conn: self.conn, actor: self.actor.clone(), op_id: OpId::from(op_id), op };
        assert!(self.hub.send(cmd).await);
    }

    /// The next message (events are noted in `seen`); `None` once the hub let go for good.
    async fn next(&mut self) -> Option<ServerMsg> {
        let to_client = timeout(WAIT, self.rx.recv()).await.expect("a message in time")?;
        let ToClient::Frame(frame) = to_client else { return None };
        let msg: ServerMsg = serde_json::from_str(frame.as_str()).expect("frame");
        if let ServerMsg::Event(e) = &msg {
            self.seen.push(e.seq);
        }
        Some(msg)
    }

    /// The answer to `op_id`: its sequence number, or the error code.
    async fn answer(&mut self, op_id: &str) -> Result<u64, ErrorCode> {
        loop {
            match self.next().await.expect("still connected") {
                ServerMsg::Ack { op_id: acked, seq } if acked.as_str() == op_id => return Ok(seq),
                ServerMsg::Error { op_id: Some(refused), code, .. } if refused.as_str() == op_id => return Err(code),
                _ => {}
            }
        }
    }

    /// The code of the next error without an op (what the hub tells a connection it lets go).
    async fn told(&mut self) -> Option<ErrorCode> {
        loop {
            match self.next().await? {
                ServerMsg::Error { code, .. } => return Some(code),
                _ => continue,
            }
        }
    }

    /// Reads until event `seq` has arrived.
    async fn until(&mut self, seq: u64) {
        while self.seen.last().is_none_or(|last| *last < seq) {
            self.next().await.expect("still connected");
        }
    }
}

fn note(id: &str) -> Op {
    Op::AddNote { note_id: id.into(), lane: LaneId::from("ideas"), text: format!("Idé {id}"), author_name: None }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_through_two_instances_make_one_log_that_every_client_sees_in_order() {
    let room = Instances::start().await;
    let mut phones = Vec::new();
    for p in 0..6 {
        phones.push(room.client(p % 2, Actor::participant(&format!("p{p}"))).await);
    }
    let mut facilitators = [room.client(0, Actor::Facilitator).await, room.client(1, Actor::Facilitator).await];
    const NOTES: usize = 15;
    let posting = phones.into_iter().enumerate().map(|(p, mut phone)| {
        tokio::spawn(async move {
            for n in 0..NOTES {
                let id = format!("p{p}n{n}");
                phone.send(&id, note(&id)).await;
                phone.answer(&id).await.expect("acknowledged");
            }
            phone
        })
    });
    let mut phones = Vec::new();
    for phone in posting.collect::<Vec<_>>() {
        phones.push(phone.await.expect("posting"));
    }
    let total = (6 * NOTES) as u64;
    let log = room.store.events_after(&room.board, 0).await.expect("log");
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=total).collect::<Vec<_>>(), "one gapless numbering");
    assert_eq!(log.iter().map(|e| e.op_id.as_str()).collect::<HashSet<_>>().len(), total as usize, "each op once");
    for client in phones.iter_mut().chain(facilitators.iter_mut()) {
        client.until(total).await;
        let after_joining = (client.joined_at + 1..=total).collect::<Vec<_>>();
        assert_eq!(client.seen, after_joining, "every event after its snapshot, once, in order");
    }
}

#[tokio::test]
async fn an_op_retried_through_the_other_instance_is_acknowledged_not_applied_again() {
    let room = Instances::start().await;
    let actor = Actor::participant("p");
    let mut first = room.client(0, actor.clone()).await;
    first.send("o1", note("n1")).await;
    let seq = first.answer("o1").await.expect("acknowledged");
    // The ack was lost; the phone reconnects through the other instance and sends it again.
    let mut again = room.client(1, actor).await;
    again.send("o1", note("n1")).await;
    assert_eq!(again.answer("o1").await, Ok(seq), "the same ack");
    assert_eq!(room.store.events_after(&room.board, 0).await.expect("log").len(), 1, "applied once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_vote_each_holds_when_a_participant_votes_through_both_instances_at_once() {
    let room = Instances::start().await;
    let mut author = room.client(1, Actor::participant("author")).await;
    author.send("a", note("a")).await;
    author.send("b", note("b")).await;
    author.answer("b").await.expect("posted");
    let mut host = room.client(0, Actor::Facilitator).await;
    let open = Op::OpenVoting { votes_per_participant: 1, allow_stacking: false, name: None, show_counts: false };
    host.send("open", open).await;
    host.answer("open").await.expect("voting opened");
    for round in 0..20 {
        let voter = Actor::participant(&format!("v{round}"));
        let mut here = room.client(0, voter.clone()).await;
        let mut there = room.client(1, voter).await;
        here.send(&format!("x{round}"), Op::Vote { note_id: "a".into() }).await;
        there.send(&format!("y{round}"), Op::Vote { note_id: "b".into() }).await;
        let answers = [here.answer(&format!("x{round}")).await, there.answer(&format!("y{round}")).await];
        assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 1, "round {round}: one vote of two ({answers:?})");
        assert!(answers.contains(&Err(ErrorCode::InvalidOp)), "round {round}: the other is refused");
    }
    let board = room.hubs[1].get(&room.board).await.expect("load").expect("board").snapshot().await.expect("board");
    assert!(board.ballots.values().all(|ballot| ballot.len() == 1), "no one holds two votes");
    assert_eq!(board.ballots.len(), 20);
}

#[tokio::test]
async fn a_removal_and_a_deletion_reach_the_other_instances_clients() {
    let room = Instances::start().await;
    let mut phone = room.client(1, Actor::participant("p")).await;
    phone.send("o1", note("n1")).await;
    phone.answer("o1").await.expect("acknowledged");
    let mut host = room.client(0, Actor::Facilitator).await;
    host.send("rm", Op::RemoveParticipant { participant: "p".into() }).await;
    host.answer("rm").await.expect("removed");
    let told = phone.told().await;
    assert_eq!(told, Some(ErrorCode::Removed), "the removed phone is told on its own instance");

    let mut other = room.client(1, Actor::participant("q")).await;
    assert!(room.hubs[0].delete(&room.board).await.expect("delete"));
    let told = other.told().await;
    assert_eq!(told, Some(ErrorCode::BoardDeleted), "the deletion reaches the other instance");
}

#[tokio::test]
async fn presence_counts_everyone_wherever_they_are_connected() {
    let room = Instances::start().await;
    let mut host = room.client(0, Actor::Facilitator).await;
    let _a = room.client(0, Actor::participant("a")).await;
    let _b = room.client(1, Actor::participant("b")).await;
    let _c = room.client(1, Actor::participant("c")).await;
    let started = tokio::time::Instant::now();
    loop {
        if let Some(ServerMsg::Presence { participants: 3, people, .. }) = host.next().await {
            let ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
            assert_eq!(ids, ["a", "b", "c"], "the facilitator's list has those on the other instance");
            break;
        }
    }
    assert!(started.elapsed() < Duration::from_secs(1), "within a second: {:?}", started.elapsed());
}
