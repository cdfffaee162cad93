//! The browser's websocket driver: connect, handshake, reconnect with backoff, keep the
//! outbox in localStorage so notes written offline survive a reload.

use super::seen::Seen;
use super::{local_storage, Connection, Pending, Received, Refusal, SyncState};
use idetavle_core::board::{Actor, BoardId, ParticipantId};
use idetavle_core::protocol::{ClientMsg, Credential, ErrorCode, ServerMsg};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

const MAX_BACKOFF_MS: f64 = 10_000.0;
/// Hidden this long, a page's socket is not trusted when it is shown again: below the server's
/// 45 s idle timeout, so a phone back after it never waits on a socket the server dropped.
const STALE_AFTER_MS: f64 = 30_000.0;

/// One board's connection, surviving reconnects.
pub struct Link {
    board_id: BoardId,
    credential: Credential,
    socket: RefCell<Option<Socket>>,
    failures: Cell<u32>,
    /// Set when the server said we may not connect (bad link, removed): stop retrying.
    refused: Cell<bool>,
    /// The next reconnection attempt, while offline.
    retry: Cell<Option<TimeoutHandle>>,
    /// Window and document listeners that reconnect at once when the device is back.
    wake: RefCell<Vec<(web_sys::EventTarget, &'static str, Closure<dyn FnMut(Event)>)>>,
    /// A phone keeps what it sees, for a reload without network (`seen.rs`).
    seen: Option<Seen>,
    /// When the page was last hidden (ms since the epoch), while it is.
    hidden_since: Cell<Option<f64>>,
}

/// The signals of a `LiveBoard` that the socket keeps up to date.
#[derive(Clone, Copy)]
pub struct Signals {
    pub state: RwSignal<SyncState>,
    pub connection: RwSignal<Connection>,
    pub refusal: RwSignal<Option<Refusal>>,
    pub clock_offset: RwSignal<i64>,
    pub ended: RwSignal<Option<ErrorCode>>,
}

/// A websocket and the callbacks it owns; dropping it detaches them and closes it.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    /// The browser must not call the callbacks once they are gone, and a socket let go of
    /// (replaced as stale) must not schedule a second connection when it closes.
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

impl Link {
    pub fn start(live: Signals, board_id: BoardId, credential: Credential) -> Rc<Link> {
        let page_seq = live.state.with_untracked(|s| s.board.as_ref().map_or(0, |b| b.seq));
        let (seen, frames) = match credential {
            Credential::Participant { .. } => {
                let (seen, frames) = Seen::open(&board_id, page_seq);
                (Some(seen), frames)
            }
            Credential::Facilitator { .. } | Credential::Presenter { .. } => (None, Vec::new()),
        };
        let link = Rc::new(Link {
            board_id,
            credential,
            socket: RefCell::new(None),
            failures: Cell::new(0),
            refused: Cell::new(false),
            retry: Cell::new(None),
            wake: RefCell::new(Vec::new()),
            seen,
            hidden_since: Cell::new(None),
        });
        let saved = link.load_outbox();
        // Who this phone was on the board, from its last welcome: a page reloaded without a
        // network gets no welcome, and without it the notes still waiting would not show.
        let me = matches!(link.credential, Credential::Participant { .. })
            .then(|| local_storage()?.get_item(&link.me_key()).ok().flatten())
            .flatten()
            .map(|id| Actor::Participant { id: ParticipantId(id) });
        if !saved.is_empty() || me.is_some() || !frames.is_empty() {
            live.state.update(|s| {
                if s.me.is_none() {
                    s.me = me;
                }
                for p in saved {
                    if !s.outbox.iter().any(|q| q.op_id == p.op_id) {
                        s.outbox.push(p);
                    }
                }
                // The board as last seen (the page may be an older copy from the cache).
                for frame in &frames {
                    if let Ok(msg @ (ServerMsg::Event(_) | ServerMsg::Snapshot { .. })) =
                        idetavle_core::decode::decode::<ServerMsg>(frame)
                    {
                        s.receive(msg);
                    }
                }
            });
        }
        link.connect(live);
        link.listen_for_return(live);
        link
    }

    /// A phone that was away (screen locked, Wi-Fi lost) may be many backoff steps in: when the
    /// browser says the network is back or the page is shown again, try at once, so the missed
    /// events are in within a second instead of after the next backoff step (up to 10 s).
    ///
    /// A page hidden for long may come back with a socket that looks open but is dead: iOS
    /// freezes a backgrounded tab, the server stops hearing its pongs and lets it go, and the
    /// close may never reach the phone (its NAT forgot the connection). After `STALE_AFTER_MS`
    /// hidden, the socket is replaced at once; the new one resumes from the last sequence
    /// number, so this costs a handshake, not the board.
    fn listen_for_return(self: &Rc<Self>, live: Signals) {
        let Some(window) = web_sys::window() else { return };
        let document = window.document();
        let mut targets: Vec<(web_sys::EventTarget, &'static str)> =
            vec![(window.clone().into(), "online"), (window.into(), "pageshow")];
        if let Some(document) = document {
            targets.push((document.into(), "visibilitychange"));
        }
        for (target, event) in targets {
            let link = Rc::downgrade(self);
            let on_return = Closure::<dyn FnMut(Event)>::new(move |_| {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
                let Some(link) = link.upgrade() else { return };
                let now = js_sys::Date::now();
                if !visible {
                    link.hidden_since.set(link.hidden_since.get().or(Some(now)));
                    return;
                }
                let away = link.hidden_since.take().map_or(0.0, |since| now - since);
                match away >= STALE_AFTER_MS {
                    true => link.replace_socket(live),
                    false => link.reconnect_now(live),
                }
            });
            let _ = target.add_event_listener_with_callback(event, on_return.as_ref().unchecked_ref());
            self.wake.borrow_mut().push((target, event, on_return));
        }
    }

    /// Connects now if waiting to retry (a socket that is open or opening is left alone).
    fn reconnect_now(self: &Rc<Self>, live: Signals) {
        let Some(pending) = self.retry.take() else { return };
        pending.clear();
        self.failures.set(0);
        self.connect(live);
    }

    /// Lets go of the socket, however open it looks, and connects anew at once.
    fn replace_socket(self: &Rc<Self>, live: Signals) {
        if self.refused.get() {
            return;
        }
        if let Some(pending) = self.retry.take() {
            pending.clear();
        }
        drop(self.socket.take());
        self.failures.set(0);
        self.connect(live);
    }

    pub fn send_if_open(&self, msg: &ClientMsg) {
        if let Some(socket) = self.socket.borrow().as_ref() {
            if socket.ws.ready_state() == WebSocket::OPEN {
                let _ = socket.ws.send_with_str(&super::wire::client_json(msg));
            }
        }
    }

    fn connect(self: &Rc<Self>, live: Signals) {
        live.connection.set(Connection::Connecting);
        live.state.update_untracked(|s| s.disconnected());
        let Ok(ws) = WebSocket::new(&ws_url(&self.board_id)) else {
            self.retry_later(live);
            return;
        };
        let on_open = {
            let link = Rc::clone(self);
            Closure::<dyn FnMut(Event)>::new(move |_| {
                let hello = live.state.with_untracked(|s| s.hello(link.credential.clone()));
                link.send_if_open(&hello);
            })
        };
        let on_message = {
            let link = Rc::clone(self);
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    link.handle(live, &text);
                }
            })
        };
        let on_close = {
            let link = Rc::clone(self);
            Closure::<dyn FnMut(CloseEvent)>::new(move |_| {
                live.state.update_untracked(|s| s.disconnected());
                live.connection.set(Connection::Offline);
                link.socket.replace(None);
                link.retry_later(live);
            })
        };
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.socket.replace(Some(Socket { ws, _on_open: on_open, _on_message: on_message, _on_close: on_close }));
    }

    fn handle(self: &Rc<Self>, live: Signals, text: &str) {
        let Ok(msg) = idetavle_core::decode::decode::<ServerMsg>(text) else {
            return; // a newer server's message we do not know; ignoring it is safe
        };
        if let ServerMsg::Welcome { server_time, you, .. } = &msg {
            live.clock_offset.set(server_time - js_sys::Date::now() as i64);
            if let (Actor::Participant { id }, Some(storage)) = (you, local_storage()) {
                let _ = storage.set_item(&self.me_key(), id.as_str());
            }
        }
        let board_frame = matches!(msg, ServerMsg::Event(_) | ServerMsg::Snapshot { .. });
        let Some(outcome) = live.state.try_update(|s| s.receive(msg)) else {
            return;
        };
        if let (Some(seen), true, Received::Applied) = (&self.seen, board_frame, &outcome) {
            seen.record(text);
        }
        match outcome {
            Received::Applied => {}
            Received::Resend(msgs) => {
                self.failures.set(0);
                live.connection.set(Connection::Online);
                for m in &msgs {
                    self.send_if_open(m);
                }
            }
            Received::Refused { code, reason, .. } => {
                if matches!(
                    code,
                    ErrorCode::Removed
                        | ErrorCode::Unauthorized
                        | ErrorCode::UnsupportedProtocol
                        | ErrorCode::BoardDeleted
                ) {
                    self.refused.set(true);
                    live.ended.set(Some(code));
                }
                live.refusal.set(Some(Refusal { code, reason }));
            }
            Received::Resync => {
                // Closing triggers a reconnect that resumes from our last sequence number.
                if let Some(socket) = self.socket.borrow().as_ref() {
                    let _ = socket.ws.close();
                }
            }
        }
        self.saved_outbox(live);
    }

    fn retry_later(self: &Rc<Self>, live: Signals) {
        if self.refused.get() {
            return;
        }
        let failures = self.failures.get();
        self.failures.set(failures.saturating_add(1));
        // Exponential backoff with jitter, so a room full of phones does not reconnect in lockstep.
        let base = (250.0 * 2f64.powi(failures.min(6) as i32)).min(MAX_BACKOFF_MS);
        let delay = base * (0.5 + js_sys::Math::random() * 0.5);
        let link = Rc::clone(self);
        let retry = set_timeout_with_handle(
            move || {
                link.retry.set(None);
                link.connect(live);
            },
            Duration::from_millis(delay as u64),
        );
        self.retry.set(retry.ok());
    }

    fn storage_key(&self) -> String {
        format!("idetavle.outbox.{}", self.board_id)
    }

    fn me_key(&self) -> String {
        format!("idetavle.me.{}", self.board_id)
    }

    fn load_outbox(&self) -> Vec<Pending> {
        local_storage()
            .and_then(|s| s.get_item(&self.storage_key()).ok().flatten())
            .and_then(|json| idetavle_core::decode::decode(&json).ok())
            .unwrap_or_default()
    }

    /// Writes the outbox to localStorage (or clears it when empty).
    pub fn saved_outbox(&self, live: Signals) {
        let Some(storage) = local_storage() else {
            return;
        };
        let json = live.state.with_untracked(|s| (!s.outbox.is_empty()).then(|| super::wire::outbox_json(&s.outbox)));
        let _ = match json {
            Some(json) => storage.set_item(&self.storage_key(), &json),
            None => storage.remove_item(&self.storage_key()),
        };
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        for (target, event, on_return) in self.wake.take() {
            let _ = target.remove_event_listener_with_callback(event, on_return.as_ref().unchecked_ref());
        }
        if let Some(pending) = self.retry.take() {
            pending.clear();
        }
    }
}

fn ws_url(board_id: &BoardId) -> String {
    let location = web_sys::window().map(|w| w.location());
    let host = location.as_ref().and_then(|l| l.host().ok()).unwrap_or_default();
    let secure = location.and_then(|l| l.protocol().ok()).is_some_and(|p| p == "https:");
    format!("{}://{host}/ws/{board_id}", if secure { "wss" } else { "ws" })
}

/// This browser's secret for one board, created on first use. Losing it only means the
/// participant can no longer edit notes posted before.
pub fn participant_secret(board_id: &BoardId) -> String {
    let key = format!("idetavle.secret.{board_id}");
    let storage = local_storage();
    if let Some(secret) = storage.as_ref().and_then(|s| s.get_item(&key).ok().flatten()) {
        return secret;
    }
    let secret = super::random_id();
    if let Some(s) = storage {
        let _ = s.set_item(&key, &secret);
    }
    secret
}
