//! The protocol's promises (docs/PROTOCOL.md), checked over random runs on the real hub under
//! every failure it must survive: a store that fails on demand, an op sent twice on one
//! connection, retried on another, or sent with someone else's op id, dropped connections,
//! resumes from any earlier `last_seq`, hub restarts and server restarts. After every run:
//!
//! 1. **Acknowledged means stored**: every `ack` names an event in the store, exactly once, at
//!    the acknowledged sequence number, made by the client that got the ack.
//! 2. **Visible means stored**: every event a client received is the stored event at its seq.
//! 3. **Hidden means hidden**: no frame bound for a participant, live or replayed, carries the
//!    text or author name of someone else's note while that note is in a hidden lane, and no
//!    vote names its voter to anyone else.
//! 4. **Only what fits goes in**: a restored note is one the facilitator deleted, a restored
//!    group one that was dissolved; a removed participant was on the board; a timer runs
//!    forwards for at most three hours.
//! 5. **Everyone converges** on their own view of the board, and every op gets its answer.
//! 6. **Anonymous means anonymous**: no frame bound for a participant carries another
//!    participant's id; the facilitator's carry authors only while the board shows them
//!    (presence, the facilitator's list of who is here, aside).
//!
//! The generator makes every op of the protocol: `OpKind::of` has no wildcard arm, so a new op
//! does not compile until this test makes it. Texts and names are unique tokens (`⟦t17⟧`), so
//! finding one in a frame is finding that note's text. `PROMISE_SEED=<n>` reruns one seed,
//! `PROMISE_SEEDS=<n>` sets how many run.

use app::board::audience::Audience;
use app::board::{
    Actor, BoardId, Change, Group, GroupId, LaneId, Note, NoteId, Op, OpId, ParticipantId, Spotlight, Timer,
    MAX_TIMER_SECONDS,
};
use app::protocol::{ClientMsg, ErrorCode, Event, ServerMsg};
use app::sync::{Received, SyncState};
use server::hub::{Command, ConnId, Farewell, Frame, Hub, Hubs, ToClient, CONNECTION_QUEUE};
use server::store::{BoardRecord, MemoryStore, Store};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::sync::mpsc;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len())].clone())
    }
}

/// Every op of the protocol, for counting what the generator reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum OpKind {
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
}

impl OpKind {
    const ALL: usize = 26;

    fn of(op: &Op) -> OpKind {
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
        }
    }
}

/// One simulated screen: the real client state machine, on a channel instead of a socket.
struct Client {
    actor: Actor,
    sync: SyncState,
    link: Option<(ConnId, Hub, mpsc::Receiver<ToClient>)>,
    /// The facilitator removed this participant: it stops coming back.
    removed: bool,
    /// Every frame received, verbatim.
    frames: Vec<Frame>,
    /// Every op sent, by id (to know what an ack acknowledges).
    sent: HashMap<OpId, Op>,
    acks: Vec<(OpId, u64)>,
    /// Op ids of other people's ops this client saw in events (what a hijacker could reuse).
    seen_op_ids: Vec<OpId>,
    /// Notes and groups this client saw disappear, as they were (for `restore_*`).
    gone_notes: Vec<Note>,
    gone_groups: Vec<Group>,
}

impl Client {
    fn new(actor: Actor) -> Client {
        Client {
            actor,
            sync: SyncState::default(),
            link: None,
            removed: false,
            frames: Vec::new(),
            sent: HashMap::new(),
            acks: Vec::new(),
            seen_op_ids: Vec::new(),
            gone_notes: Vec::new(),
            gone_groups: Vec::new(),
        }
    }

    fn participant_id(&self) -> Option<&ParticipantId> {
        match &self.actor {
            Actor::Participant { id } => Some(id),
            Actor::Facilitator => None,
        }
    }

    fn audience(&self) -> Audience {
        match &self.actor {
            Actor::Facilitator => Audience::Facilitator,
            Actor::Participant { id } => Audience::Participant(id.clone()),
        }
    }

    async fn send(&mut self, op_id: OpId, op: Op) {
        if let Some((conn, hub, _)) = &self.link {
            hub.send(Command::Op { conn: *conn, actor: self.actor.clone(), op_id, op }).await;
        }
    }

    async fn disconnect(&mut self) {
        self.sync.disconnected();
        if let Some((conn, hub, _)) = self.link.take() {
            hub.send(Command::Leave { conn }).await;
        }
    }
}

struct World {
    rng: Rng,
    store: Arc<MemoryStore>,
    hubs: Hubs,
    board_id: BoardId,
    clients: Vec<Client>,
    /// Every participant that ever joined.
    joined: HashSet<ParticipantId>,
    next_token: usize,
    generated: HashMap<OpKind, usize>,
    /// Ops written while offline (they wait in the outbox).
    offline_ops: usize,
}

/// A fresh unique token: a note text (`t`), an author name (`n`) or an id.
fn token(counter: &mut usize, kind: char) -> String {
    *counter += 1;
    format!("⟦{kind}{counter}⟧")
}

impl World {
    async fn connect(&mut self, who: usize) {
        let c = &mut self.clients[who];
        if c.link.is_some() || c.removed {
            return;
        }
        let Ok(Some(hub)) = self.hubs.get(&self.board_id).await else {
            return; // the board is restarting: try again later
        };
        let (tx, rx) = mpsc::channel(CONNECTION_QUEUE);
        let conn = self.hubs.next_conn_id();
        let join = Command::Join { conn, actor: c.actor.clone(), name: None, last_seq: c.sync.last_seq(), frames: tx };
        if hub.send(join).await {
            if let Some(id) = c.participant_id() {
                self.joined.insert(id.clone());
            }
            c.link = Some((conn, hub, rx));
        }
    }

    /// Reads everything that has arrived for `who`, as the browser would.
    async fn pump(&mut self, who: usize) {
        loop {
            let c = &mut self.clients[who];
            let Some((_, _, rx)) = c.link.as_mut() else { return };
            let frame = match rx.try_recv() {
                Ok(ToClient::Frame(frame)) => frame,
                Ok(ToClient::Farewell(why)) => {
                    // Closed for good (1008): a removed participant stops coming back.
                    c.removed |= why == Farewell::Removed;
                    c.disconnect().await;
                    return;
                }
                Err(mpsc::error::TryRecvError::Empty) => return,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    // Closed with 4000: reconnect and resume.
                    c.sync.disconnected();
                    c.link = None;
                    self.connect(who).await;
                    return;
                }
            };
            c.frames.push(frame.clone());
            let msg: ServerMsg = serde_json::from_str(frame.as_str()).expect("the hub sends valid frames");
            let before = c.sync.board.clone();
            match &msg {
                ServerMsg::Ack { op_id, seq } => c.acks.push((op_id.clone(), *seq)),
                ServerMsg::Event(e) if !c.sent.contains_key(&e.op_id) && !e.op_id.as_str().contains('.') => {
                    c.seen_op_ids.push(e.op_id.clone())
                }
                ServerMsg::Error { code: ErrorCode::Removed, .. } => c.removed = true,
                _ => {}
            }
            let outcome = c.sync.receive(msg);
            if let (Some(before), Some(after)) = (before, c.sync.board.as_ref()) {
                c.gone_notes.extend(before.notes.values().filter(|n| !after.notes.contains_key(&n.id)).cloned());
                c.gone_groups.extend(before.groups.values().filter(|g| !after.groups.contains_key(&g.id)).cloned());
            }
            match outcome {
                Received::Resend(msgs) => {
                    for m in msgs {
                        if let ClientMsg::Op { op_id, op } = m {
                            c.send(op_id, op).await;
                        }
                    }
                }
                Received::Resync => {
                    c.disconnect().await;
                    self.connect(who).await;
                }
                Received::Applied | Received::Refused { .. } => {}
            }
        }
    }

    async fn pump_all(&mut self) {
        for who in 0..self.clients.len() {
            self.pump(who).await;
        }
    }

    /// Lets the hub work through everything queued (a snapshot request is answered in order).
    async fn settle(&mut self) {
        if let Ok(Some(hub)) = self.hubs.get(&self.board_id).await {
            hub.snapshot().await;
        }
        tokio::task::yield_now().await;
    }

    async fn submit(&mut self, who: usize, op: Op, twice: bool) {
        *self.generated.entry(OpKind::of(&op)).or_default() += 1;
        // Random-looking like a browser's: an op id says nothing about who sent it.
        let op_id = OpId(format!("op{}", self.next_token));
        self.next_token += 1;
        let c = &mut self.clients[who];
        c.sent.insert(op_id.clone(), op.clone());
        if c.link.is_none() {
            self.offline_ops += 1;
        }
        if let Some(ClientMsg::Op { op_id, op }) = c.sync.submit(op_id.clone(), op.clone()) {
            c.send(op_id.clone(), op.clone()).await;
            if twice {
                // The browser once sent an op written before `welcome` both at once and in
                // the outbox resend: two copies on one connection, before one commit.
                c.send(op_id, op).await;
            }
        }
    }

    /// A participant reuses an op id it saw in someone else's event.
    async fn hijack(&mut self, who: usize) {
        let Some(stolen) = self.rng.pick(&self.clients[who].seen_op_ids) else { return };
        let text = token(&mut self.next_token, 't');
        let op = Op::AddNote {
            note_id: NoteId(format!("h{}", self.next_token)),
            lane: lane(&mut self.rng),
            text,
            author_name: None,
        };
        let c = &mut self.clients[who];
        c.sent.insert(stolen.clone(), op.clone());
        if let Some(ClientMsg::Op { op_id, op }) = c.sync.submit(stolen, op) {
            c.send(op_id, op).await;
        }
    }

    /// A participant's phone is restored from an older state: it resumes from an earlier seq.
    async fn resume_from_earlier(&mut self, who: usize) {
        let stored = self.store.load_board(&self.board_id).await.expect("load").expect("board");
        let Some(seq) = (!stored.events.is_empty()).then(|| self.rng.below(stored.events.len() + 1)) else { return };
        let mut board = stored.record.empty_board();
        for e in &stored.events[..seq] {
            board.replay(e.seq, &e.change);
        }
        let c = &mut self.clients[who];
        c.disconnect().await;
        c.sync.board = Some(board.view_for(&c.audience()));
        c.sync.resumable = true;
        self.connect(who).await;
    }

    /// The whole server restarts: every connection goes, hubs load again from the store.
    async fn restart_server(&mut self) {
        self.settle().await;
        for c in &mut self.clients {
            c.sync.disconnected();
            c.link = None;
        }
        self.hubs = Hubs::new(self.store.clone() as Arc<dyn Store>);
    }
}

const LANES: [&str; 3] = ["need", "ideas", "trials"];

fn lane(rng: &mut Rng) -> LaneId {
    LaneId::from(LANES[rng.below(3)])
}

/// A random op for client `who`, from what that client sees (stale on purpose: that is life).
fn random_op(w: &mut World, who: usize) -> Option<Op> {
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
        let op = match rng.below(20) {
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
            _ => Op::Undo {},
        };
        return Some(op);
    }
    let op = match rng.below(32) {
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
            target: match rng.below(3) {
                0 => Some(Spotlight::Note { id: note(rng) }),
                1 => Some(Spotlight::Group { id: group(rng) }),
                _ => None,
            },
        },
        15 => Op::SetPhase { lane: rng.chance(70).then(|| lane(rng)) },
        16 => Op::OpenVoting { votes_per_participant: 1 + rng.below(4) as u32, allow_stacking: rng.chance(50) },
        17 => Op::CloseVoting {},
        18 => {
            // Someone on the board (rarely), or an id never seen here.
            let target = if rng.chance(30) { participant_id(4) } else { format!("nobody{}", rng.below(9)) };
            Op::RemoveParticipant { participant: ParticipantId(target) }
        }
        19..=22 => Op::Undo {},
        23 | 24 => Op::Redo {},
        25 => match rng.pick(&c.gone_notes) {
            // A note as it was when it disappeared, or one from nowhere (another board's, say).
            Some(n) if rng.chance(70) => Op::RestoreNote { note: n },
            _ => Op::RestoreNote { note: foreign_note(rng) },
        },
        26 => match rng.pick(&c.gone_groups) {
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

fn foreign_note(rng: &mut Rng) -> Note {
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
    }
}

/// Participant `i`'s id: a token no text, name or op id contains, so finding it in a frame
/// means the id was sent.
fn participant_id(i: usize) -> String {
    format!("pid{i}x")
}

async fn run(seed: u64, tally: &mut Tally) -> Result<(), String> {
    let store = Arc::new(MemoryStore::new());
    let board_id = BoardId(format!("promise{seed}"));
    let record = BoardRecord {
        id: board_id.clone(),
        title: "Promises".into(),
        join_code: "ABCDEF".into(),
        token_hash: [0; 32],
        created_at: 0,
        expires_at: None,
    };
    store.create_board(&record).await.map_err(|e| e.to_string())?;
    let mut clients = vec![Client::new(Actor::Facilitator)];
    clients.extend((1..=4).map(|i| Client::new(Actor::participant(&participant_id(i)))));
    let mut w = World {
        rng: Rng(seed),
        hubs: Hubs::new(store.clone() as Arc<dyn Store>),
        store,
        board_id,
        clients,
        joined: HashSet::new(),
        next_token: 0,
        generated: HashMap::new(),
        offline_ops: 0,
    };
    // Lanes start hidden half the time: that is when leaks show.
    for who in 0..w.clients.len() {
        w.connect(who).await;
    }
    if w.rng.chance(50) {
        w.submit(0, Op::SetHidden { lane: None, hidden: true }, false).await;
    }
    w.settle().await;
    w.pump_all().await;

    for _step in 0..150 {
        let who = w.rng.below(w.clients.len());
        match w.rng.below(100) {
            0..=2 => {
                if w.rng.chance(50) {
                    if let Some(op) = random_op(&mut w, who) {
                        w.submit(who, op, false).await;
                    }
                }
                w.clients[who].disconnect().await;
            }
            3..=7 => w.connect(who).await,
            8 | 9 if who > 0 => w.resume_from_earlier(who).await,
            10 | 11 if who > 0 => w.hijack(who).await,
            12..=15 => {
                // The disk is full for the next batch.
                if let Some(op) = random_op(&mut w, who) {
                    let twice = w.rng.chance(50);
                    w.submit(who, op, twice).await;
                }
                w.store.fail_appends.store(true, Ordering::SeqCst);
                w.settle().await;
                w.store.fail_appends.store(false, Ordering::SeqCst);
            }
            16 => w.restart_server().await,
            _ => {
                if let Some(op) = random_op(&mut w, who) {
                    let twice = w.rng.chance(10);
                    w.submit(who, op, twice).await;
                }
            }
        }
        if w.rng.chance(40) {
            w.settle().await;
        }
        // Time passes (the clock is paused: this takes none), so a board's restart back-off ends.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        // Phones come back by themselves after a while (the browser's back-off).
        for who in 0..w.clients.len() {
            if w.clients[who].link.is_none() && w.rng.chance(15) {
                w.connect(who).await;
            }
        }
        w.pump_all().await;
    }

    // The end: the store works, everyone who may comes back and is answered.
    w.store.fail_appends.store(false, Ordering::SeqCst);
    for _ in 0..20 {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await; // past any restart back-off
        for who in 0..w.clients.len() {
            w.connect(who).await;
        }
        w.settle().await;
        w.pump_all().await;
        if w.clients.iter().all(|c| c.removed || (c.link.is_some() && c.sync.outbox.is_empty())) {
            break;
        }
    }
    for (kind, n) in w.generated.drain() {
        *tally.generated.entry(kind).or_default() += n;
    }
    tally.offline_ops += w.offline_ops;
    check(&w, &mut tally.acked).await
}

/// What all runs together reached.
#[derive(Default)]
struct Tally {
    generated: HashMap<OpKind, usize>,
    acked: HashMap<OpKind, usize>,
    offline_ops: usize,
}

/// Every promise, checked against the store.
async fn check(w: &World, acked: &mut HashMap<OpKind, usize>) -> Result<(), String> {
    let stored = w.store.load_board(&w.board_id).await.map_err(|e| e.to_string())?.ok_or("board gone")?;
    let events = &stored.events;
    let mut by_op: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in events {
        by_op.entry(e.op_id.as_str()).or_default().push(e);
    }
    if let Some((op, list)) = by_op.iter().find(|(_, l)| l.len() > 1) {
        return Err(format!("op {op} is stored {} times", list.len()));
    }

    // 1. Acknowledged means stored, once, at that seq, by that client.
    for c in &w.clients {
        for (op_id, seq) in &c.acks {
            let op = c
                .sent
                .get(op_id)
                .ok_or_else(|| format!("{:?} got an ack for {op_id}, which it never sent", c.actor))?;
            *acked.entry(OpKind::of(op)).or_default() += 1;
            if let Op::Undo {} | Op::Redo {} = op {
                let parts: Vec<&Event> = events
                    .iter()
                    .filter(|e| e.op_id.as_str().strip_prefix(op_id.as_str()).is_some_and(|r| r.starts_with('.')))
                    .collect();
                if parts.iter().any(|e| e.actor != Some(Actor::Facilitator)) {
                    return Err(format!("parts of {op_id} are stored as someone else's"));
                }
                if let Some(last) = parts.iter().map(|e| e.seq).max() {
                    if last != *seq {
                        return Err(format!("{op_id} was acked at {seq} but its last part is stored at {last}"));
                    }
                }
                continue;
            }
            let Some([event]) = by_op.get(op_id.as_str()).map(Vec::as_slice) else {
                return Err(format!("{:?} got an ack for {op_id} at {seq}, which is not in the store", c.actor));
            };
            if event.seq != *seq {
                return Err(format!("{op_id} was acked at {seq} but is stored at {}", event.seq));
            }
            if event.actor.as_ref() != Some(&c.actor) {
                return Err(format!("{:?} got an ack for {op_id}, which {:?} made", c.actor, event.actor));
            }
        }
    }

    // The board after each event, reduced to what hidden lanes hide: (author, text or name).
    let mut board = stored.record.empty_board();
    let mut hidden_after: Vec<Vec<(Option<ParticipantId>, String)>> = vec![Vec::new()];
    let mut authors_shown_after = vec![false];
    let mut deleted_by_facilitator: HashMap<NoteId, Note> = HashMap::new();
    let mut dissolved: HashMap<GroupId, Group> = HashMap::new();
    for e in events {
        // 4. Only what fits goes in.
        match &e.change {
            Change::NoteRestored { note } => {
                let was = deleted_by_facilitator.get(&note.id).ok_or_else(|| {
                    format!("seq {}: restored {} was never deleted by the facilitator", e.seq, note.id)
                })?;
                let content = |n: &Note| (n.text.clone(), n.author.clone(), n.author_name.clone(), n.created_at);
                if content(was) != content(note) {
                    return Err(format!("seq {}: restored {} is not the note that was deleted", e.seq, note.id));
                }
            }
            Change::GroupRestored { group } => {
                let was = dissolved
                    .get(&group.id)
                    .ok_or_else(|| format!("seq {}: restored group {} never existed", e.seq, group.id))?;
                if (&was.title, &was.lane) != (&group.title, &group.lane) {
                    return Err(format!(
                        "seq {}: restored group {} is not the group that was dissolved",
                        e.seq, group.id
                    ));
                }
            }
            Change::TimerSet { timer: Some(t) } => {
                let length = t.ends_at - t.started_at;
                if t.started_at < 0
                    || t.started_at > e.at
                    || length < 1_000
                    || length > i64::from(MAX_TIMER_SECONDS) * 1_000
                {
                    return Err(format!("seq {}: a timer from {} to {} was accepted", e.seq, t.started_at, t.ends_at));
                }
            }
            Change::ParticipantRemoved { participant: Some(participant) } if !w.joined.contains(participant) => {
                return Err(format!("seq {}: {participant}, never on the board, was 'removed'", e.seq));
            }
            Change::NoteDeleted { note_id } if e.actor == Some(Actor::Facilitator) => {
                if let Some(n) = board.notes.get(note_id) {
                    deleted_by_facilitator.insert(note_id.clone(), n.clone());
                }
            }
            _ => {}
        }
        let groups_before = board.groups.clone();
        board.replay(e.seq, &e.change);
        dissolved.extend(groups_before.into_iter().filter(|(id, _)| !board.groups.contains_key(id)));
        let secrets = board
            .notes
            .values()
            .filter(|n| board.is_hidden(&n.lane))
            .flat_map(|n| std::iter::once(n.text.clone()).chain(n.author_name.clone()).map(|s| (n.author.clone(), s)))
            .collect();
        hidden_after.push(secrets);
        authors_shown_after.push(board.authors_shown);
    }
    let ids: Vec<String> = (1..=4).map(participant_id).collect();

    for c in &w.clients {
        for frame in &c.frames {
            let msg: ServerMsg = serde_json::from_str(frame.as_str()).map_err(|e| e.to_string())?;
            let seq = match &msg {
                ServerMsg::Event(e) => {
                    // 2. Visible means stored.
                    let stored = events.get(e.seq as usize - 1).map(|s| &s.op_id);
                    if stored != Some(&e.op_id) {
                        return Err(format!(
                            "{:?} saw event {} of {}, but the store holds {stored:?} there",
                            c.actor, e.seq, e.op_id
                        ));
                    }
                    if let Change::VoteCast { voter: Some(v), .. } | Change::VoteRetracted { voter: Some(v), .. } =
                        &e.change
                    {
                        if c.participant_id() != Some(v) {
                            return Err(format!("{:?} learned that {v} voted", c.actor));
                        }
                    }
                    Some(e.seq)
                }
                ServerMsg::Snapshot { board } => Some(board.seq),
                _ => None,
            };
            // 6. Anonymous means anonymous.
            let may_see_authors = c.actor.is_facilitator()
                && seq.and_then(|s| authors_shown_after.get(s as usize).copied()).unwrap_or(false);
            // The facilitator's presence list names everyone here, so anyone can be removed.
            let allowed = may_see_authors || (c.actor.is_facilitator() && matches!(msg, ServerMsg::Presence { .. }));
            let own = c.participant_id().map(ParticipantId::as_str);
            let foreign = ids.iter().find(|id| Some(id.as_str()) != own && frame.as_str().contains(id.as_str()));
            if let Some(id) = foreign.filter(|_| !allowed) {
                return Err(format!("{:?} received the id {id}: {frame}", c.actor));
            }
            // 3. Hidden means hidden.
            let Some(me) = c.participant_id() else { continue };
            match seq {
                Some(seq) => {
                    let hidden = hidden_after.get(seq as usize).ok_or("a frame from beyond the log")?;
                    if let Some((author, secret)) =
                        hidden.iter().find(|(a, s)| a.as_ref() != Some(me) && frame.as_str().contains(s.as_str()))
                    {
                        return Err(format!("{me} received {secret} of {author:?} while hidden (seq {seq}): {frame}"));
                    }
                }
                None if frame.as_str().contains('⟦') => return Err(format!("{me} received note text in {frame}")),
                None => {}
            }
        }
    }

    // 5. Everyone converges and is answered.
    let server_board = board;
    for c in &w.clients {
        if c.removed {
            continue;
        }
        if !c.sync.outbox.is_empty() {
            return Err(format!("{:?} still waits for {} answers", c.actor, c.sync.outbox.len()));
        }
        let got = c.sync.board.as_ref().ok_or("a client without a board")?;
        if !got.shows_the_same(&server_board.view_for(&c.audience()), &c.audience()) {
            return Err(format!("{:?} diverged: at seq {}, the store at {}", c.actor, got.seq, server_board.seq));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn acks_frames_and_views_keep_every_promise_under_random_failures() {
    let seeds: Vec<u64> = match std::env::var("PROMISE_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => (1..=std::env::var("PROMISE_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(500)).collect(),
    };
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for &seed in &seeds {
        if let Err(why) = run(seed, &mut tally).await {
            failures.push(format!("seed {seed}: {why}"));
        }
    }
    let Tally { generated, acked, offline_ops } = tally;
    println!(
        "promises: {} runs, {} failed, {offline_ops} ops written offline; acked by kind: {acked:?}",
        seeds.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} runs broke a promise:\n{}",
        failures.len(),
        seeds.len(),
        failures.join("\n")
    );
    if seeds.len() > 1 {
        assert_eq!(generated.len(), OpKind::ALL, "every op is generated: {generated:?}");
        assert_eq!(acked.len(), OpKind::ALL, "every op is accepted somewhere: {acked:?}");
        assert!(offline_ops > seeds.len(), "the runs write offline too");
    }
}
