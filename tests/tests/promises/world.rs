//! The simulated room: screens on channels to the real hub, and what they do.

use super::*;

/// One simulated screen: the real client state machine, on a channel instead of a socket.
pub(crate) struct Client {
    pub(crate) actor: Actor,
    pub(crate) sync: SyncState,
    pub(crate) link: Option<(ConnId, Hub, mpsc::Receiver<ToClient>)>,
    /// The facilitator removed this participant: it stops coming back.
    pub(crate) removed: bool,
    /// Every frame received, verbatim.
    pub(crate) frames: Vec<Frame>,
    /// Every op sent, by id (to know what an ack acknowledges).
    pub(crate) sent: HashMap<OpId, Op>,
    pub(crate) acks: Vec<(OpId, u64)>,
    /// Op ids of other people's ops this client saw in events (what a hijacker could reuse).
    pub(crate) seen_op_ids: Vec<OpId>,
    /// Notes and groups this client saw disappear, as they were (for `restore_*`).
    pub(crate) gone_notes: Vec<Note>,
    pub(crate) gone_groups: Vec<Group>,
}

impl Client {
    pub(crate) fn new(actor: Actor) -> Client {
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

    pub(crate) fn participant_id(&self) -> Option<&ParticipantId> {
        match &self.actor {
            Actor::Participant { id } => Some(id),
            Actor::Facilitator | Actor::Presenter => None,
        }
    }

    pub(crate) fn audience(&self) -> Audience {
        match &self.actor {
            Actor::Facilitator => Audience::Facilitator,
            Actor::Participant { id } => Audience::Participant(id.clone()),
            Actor::Presenter => Audience::Public,
        }
    }

    pub(crate) async fn send(&mut self, op_id: OpId, op: Op) {
        if let Some((conn, hub, _)) = &self.link {
            hub.send(Command::Op { conn: *conn, actor: self.actor.clone(), op_id, op }).await;
        }
    }

    pub(crate) async fn disconnect(&mut self) {
        self.sync.disconnected();
        if let Some((conn, hub, _)) = self.link.take() {
            hub.send(Command::Leave { conn }).await;
        }
    }
}

pub(crate) struct World {
    pub(crate) rng: Rng,
    pub(crate) store: Arc<MemoryStore>,
    /// One registry of hubs per server instance; each connection goes to one of them.
    pub(crate) instances: Vec<Instance>,
    pub(crate) board_id: BoardId,
    pub(crate) clients: Vec<Client>,
    /// Every participant that ever joined.
    pub(crate) joined: HashSet<ParticipantId>,
    pub(crate) next_token: usize,
    pub(crate) generated: HashMap<OpKind, usize>,
    /// Ops written while offline (they wait in the outbox).
    pub(crate) offline_ops: usize,
}

impl World {
    pub(crate) async fn connect(&mut self, who: usize) {
        let c = &mut self.clients[who];
        if c.link.is_some() || c.removed {
            return;
        }
        // A balancer without sticky sessions: any instance, each time.
        let hubs = match self.instances.len() {
            1 => &self.instances[0].hubs,
            n => &self.instances[self.rng.below(n)].hubs,
        };
        let Ok(Some(hub)) = hubs.get(&self.board_id).await else {
            return; // the board is restarting: try again later
        };
        let (tx, rx) = mpsc::channel(CONNECTION_QUEUE);
        let conn = hubs.next_conn_id();
        let join = Command::Join { conn, actor: c.actor.clone(), name: None, last_seq: c.sync.last_seq(), frames: tx };
        if hub.send(join).await {
            if let Some(id) = c.participant_id() {
                self.joined.insert(id.clone());
            }
            c.link = Some((conn, hub, rx));
        }
    }

    /// Reads everything that has arrived for `who`, as the browser would.
    pub(crate) async fn pump(&mut self, who: usize) {
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

    pub(crate) async fn pump_all(&mut self) {
        for who in 0..self.clients.len() {
            self.pump(who).await;
        }
    }

    /// Lets each instance's hub work through everything queued (a snapshot request is
    /// answered in order, after catching up with the other instances).
    pub(crate) async fn settle(&mut self) {
        for instance in &self.instances {
            if let Ok(Some(hub)) = instance.hubs.get(&self.board_id).await {
                hub.snapshot().await;
            }
        }
        tokio::task::yield_now().await;
    }

    pub(crate) async fn submit(&mut self, who: usize, op: Op, twice: bool) {
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
    pub(crate) async fn hijack(&mut self, who: usize) {
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
    pub(crate) async fn resume_from_earlier(&mut self, who: usize) {
        let stored = self.store.load_board(&self.board_id).await.expect("load").expect("board");
        let events = self.store.events_after(&self.board_id, 0).await.expect("log");
        let Some(seq) = (!events.is_empty()).then(|| self.rng.below(events.len() + 1)) else { return };
        let mut board = stored.record.empty_board();
        for e in &events[..seq] {
            board.replay(e.seq, &e.change);
        }
        let c = &mut self.clients[who];
        c.disconnect().await;
        c.sync.board = Some(board.view_for(&c.audience()));
        c.sync.resumable = true;
        self.connect(who).await;
    }

    /// The whole server restarts: every connection goes, hubs load again from the store.
    pub(crate) async fn restart_server(&mut self) {
        self.settle().await;
        for c in &mut self.clients {
            c.sync.disconnected();
            c.link = None;
        }
        let n = self.instances.len();
        self.instances = Instance::start(&self.store, n);
    }

    /// Everyone leaves; the board goes unused until its hub stops.
    pub(crate) async fn everyone_leaves(&mut self) -> Result<(), String> {
        self.settle().await;
        for c in &mut self.clients {
            c.disconnect().await;
        }
        tokio::time::sleep(hub_config().idle_after * 2).await;
        let mut running = 0;
        for instance in &self.instances {
            running += instance.hubs.running().await;
        }
        match running {
            0 => Ok(()),
            n => Err(format!("{n} hub(s) still running with no one on the board")),
        }
    }
}

/// One server instance: its hubs, and the task that passes it the store's notices of what the
/// other instances did.
pub(crate) struct Instance {
    pub(crate) hubs: Arc<Hubs>,
    follower: Option<tokio::task::JoinHandle<()>>,
}

impl Instance {
    /// `n` instances over `store` (which must be shared if `n > 1`).
    pub(crate) fn start(store: &Arc<MemoryStore>, n: usize) -> Vec<Instance> {
        (0..n)
            .map(|_| {
                let hubs = Arc::new(Hubs::configured(Arc::clone(store) as Arc<dyn Store>, hub_config()));
                let follower = hubs.notices().map(|notices| tokio::spawn(Arc::clone(&hubs).follow(notices)));
                Instance { hubs, follower }
            })
            .collect()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(follower) = self.follower.take() {
            follower.abort();
        }
    }
}
