//! The reactive face of [`SyncState`] that pages use: signals for the board, the connection
//! and the last refusal, and `submit` for new ops. Server rendering uses it too (without a
//! socket), so the first HTML already shows the board.

use super::{Connection, Refusal, SyncState};
use idetavle_core::board::{Board, BoardId, Lane, NoteId, Op, OpId, ParticipantId, Voting};
use idetavle_core::protocol::{Credential, ErrorCode};
use leptos::prelude::*;
use std::collections::HashSet;

#[derive(Clone, Copy)]
pub struct LiveBoard {
    pub state: RwSignal<SyncState>,
    pub connection: RwSignal<Connection>,
    pub refusal: RwSignal<Option<Refusal>>,
    /// Server clock minus this device's clock, in ms (from `Welcome`), for timers.
    pub clock_offset: RwSignal<i64>,
    /// Why this screen is done with the board for good (deleted, removed, refused); it stops
    /// offering what can no longer be sent.
    pub ended: RwSignal<Option<ErrorCode>>,
    /// Derived once per board, not per lane: each recomputation clones the board.
    view: Memo<Option<Board>>,
    pending: Memo<HashSet<NoteId>>,
    /// Small facts every card asks about, kept up to date by one effect each: thousands of
    /// cards read these instead of the whole state, so a new note does not wake every card.
    /// (Not memos: a memo's readers are all visited whenever its source changes, even when its
    /// value stays the same.)
    facilitator: ReadSignal<bool>,
    locked: ReadSignal<bool>,
    voting: ReadSignal<Option<Voting>>,
    authors_shown: ReadSignal<bool>,
    lanes: ReadSignal<Vec<Lane>>,
    #[cfg(feature = "hydrate")]
    link: StoredValue<Option<std::rc::Rc<super::socket::Link>>, LocalStorage>,
}

impl LiveBoard {
    pub fn new(board: Board) -> Self {
        let state = RwSignal::new(SyncState::new(Some(board)));
        LiveBoard {
            state,
            view: Memo::new(move |_| state.with(|s| s.view())),
            pending: Memo::new(move |_| state.with(|s| s.pending_notes())),
            facilitator: follow(state, |s| s.me.as_ref().is_some_and(|a| a.is_facilitator())),
            locked: follow(state, |s| s.board.as_ref().is_some_and(|b| b.locked)),
            voting: follow(state, |s| s.board.as_ref().and_then(|b| b.voting.clone())),
            authors_shown: follow(state, |s| s.board.as_ref().is_some_and(|b| b.authors_shown)),
            lanes: follow(state, |s| s.board.as_ref().map(|b| b.lanes.clone()).unwrap_or_default()),
            connection: RwSignal::new(Connection::Connecting),
            refusal: RwSignal::new(None),
            clock_offset: RwSignal::new(0),
            ended: RwSignal::new(None),
            #[cfg(feature = "hydrate")]
            link: StoredValue::new_local(None),
        }
    }

    /// Opens the websocket (in the browser; a no-op on the server).
    pub fn start(self, credential: Credential) {
        #[cfg(feature = "hydrate")]
        {
            let board_id = self.state.with_untracked(|s| s.board.as_ref().map(|b| b.id.clone()));
            if let Some(board_id) = board_id {
                let link = super::socket::Link::start(self.signals(), board_id, credential);
                self.link.set_value(Some(link));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = credential;
    }

    /// The signals the socket keeps up to date.
    #[cfg(feature = "hydrate")]
    fn signals(self) -> super::socket::Signals {
        super::socket::Signals {
            state: self.state,
            connection: self.connection,
            refusal: self.refusal,
            clock_offset: self.clock_offset,
            ended: self.ended,
        }
    }

    /// Queues an op with a fresh id and sends it when connected.
    pub fn submit(self, op: Op) {
        let op_id = OpId(super::random_id());
        let msg = self.state.try_update(|s| s.submit(op_id, op)).flatten();
        #[cfg(feature = "hydrate")]
        if let Some(link) = self.link.get_value() {
            link.saved_outbox(self.signals());
            if let Some(msg) = msg {
                link.send_if_open(&msg);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = msg;
    }

    /// Sets the display name the facilitator's presence list shows for this participant.
    pub fn set_name(self, name: Option<String>) {
        let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if self.state.with_untracked(|s| s.name == name) {
            return;
        }
        self.state.update(|s| s.name = name.clone());
        #[cfg(feature = "hydrate")]
        if let Some(link) = self.link.get_value() {
            link.send_if_open(&idetavle_core::protocol::ClientMsg::SetName { name });
        }
    }

    /// The board to show: confirmed state plus this client's pending ops.
    pub fn view(self) -> Memo<Option<Board>> {
        self.view
    }

    pub fn pending_notes(self) -> Memo<HashSet<NoteId>> {
        self.pending
    }

    /// The board as committed (without pending ops), for whole-board state like the timer.
    pub fn with_board<T>(self, f: impl FnOnce(&Board) -> T) -> Option<T> {
        self.state.with(|s| s.board.as_ref().map(f))
    }

    /// The board's id. Never changes, so it is read without subscribing: a view that read the
    /// whole state here would be rebuilt on every event.
    pub fn board_id(self) -> Option<BoardId> {
        self.state.with_untracked(|s| s.board.as_ref().map(|b| b.id.clone()))
    }

    /// The board's lanes, in order (the facilitator may add, edit, move and remove them).
    pub fn lanes(self) -> Vec<Lane> {
        self.lanes.get()
    }

    /// The board's lanes as they are now, without subscribing.
    pub fn lanes_untracked(self) -> Vec<Lane> {
        self.lanes.get_untracked()
    }

    /// Whether the server said this screen is the facilitator's.
    pub fn is_facilitator(self) -> bool {
        self.facilitator.get()
    }

    /// Whether the facilitator has locked the board (committed state).
    pub fn is_locked(self) -> bool {
        self.locked.get()
    }

    /// The current voting round, if any (committed state).
    pub fn voting(self) -> Option<Voting> {
        self.voting.get()
    }

    /// Whether the facilitator's screen shows who wrote which note (committed state).
    pub fn authors_shown(self) -> bool {
        self.authors_shown.get()
    }

    /// How the facilitator's screen names a note's writer: the name they gave the presence
    /// list, or a short tag that tells their notes apart.
    pub fn person_label(self, id: &ParticipantId) -> String {
        let name = self.state.with_untracked(|s| s.people.iter().find(|p| &p.id == id).and_then(|p| p.name.clone()));
        name.unwrap_or_else(|| format!("#{}", id.as_str().chars().take(6).collect::<String>()))
    }

    pub fn outbox_len(self) -> Signal<usize> {
        let state = self.state;
        Signal::derive(move || state.with(|s| s.outbox.len()))
    }
}

/// A signal that follows one fact of the state and is set only when that fact changes.
fn follow<T>(state: RwSignal<SyncState>, fact: impl Fn(&SyncState) -> T + Send + Sync + 'static) -> ReadSignal<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    let (read, write) = signal(state.with_untracked(&fact));
    Effect::new(move |_| {
        let value = state.with(&fact);
        if read.with_untracked(|current| *current != value) {
            write.set(value);
        }
    });
    read
}
