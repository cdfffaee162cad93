//! A websocket client that speaks Idétavle's protocol, like a phone would.

use app::sync::SyncState;
use futures_util::{SinkExt, StreamExt};
use idetavle_core::board::OpErrorCode;
use idetavle_core::board::{Actor, BoardId, LaneId, Op, OpId, ParticipantId};
use idetavle_core::protocol::{ClientMsg, Credential, ErrorCode, ServerMsg};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for an expected message.
pub const PATIENCE: Duration = Duration::from_secs(5);

pub struct WsClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Everything this client has learned, applied through the shared sync logic.
    pub sync: SyncState,
    /// Every text frame received, verbatim (for tests that inspect raw frames).
    pub raw: Vec<String>,
    /// The server's close code, once it closed the connection with a close frame.
    pub close_code: Option<u16>,
}

impl WsClient {
    /// This participant's id, as the server's `welcome` named it.
    pub fn participant_id(&self) -> ParticipantId {
        match &self.sync.me {
            Some(Actor::Participant { id }) => id.clone(),
            other => panic!("not a participant: {other:?}"),
        }
    }

    /// Opens `/ws/{board}` without saying hello.
    pub async fn open(ws_base: &str, board: &BoardId) -> WsClient {
        let url = format!("{ws_base}/ws/{board}");
        let (ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap_or_else(|e| panic!("connect {url}: {e}"));
        WsClient { ws, sync: SyncState::default(), raw: Vec::new(), close_code: None }
    }

    /// Opens a connection and completes the handshake as a participant.
    pub async fn participant(ws_base: &str, board: &BoardId, secret: &str) -> WsClient {
        Self::join(ws_base, board, Credential::Participant { secret: secret.to_owned() }, SyncState::default()).await
    }

    pub async fn facilitator(ws_base: &str, board: &BoardId, token: &str) -> WsClient {
        Self::join(ws_base, board, Credential::Facilitator { token: token.to_owned() }, SyncState::default()).await
    }

    /// Handshake with existing state, as a phone reconnects after losing its server: resumes
    /// from its `last_seq` and sends its outbox again after `welcome`. `None` (never a panic)
    /// if the connection fails or closes before the handshake is done.
    pub async fn try_join(ws_base: &str, board: &BoardId, credential: Credential, sync: SyncState) -> Option<WsClient> {
        let url = format!("{ws_base}/ws/{board}");
        let (ws, _) = tokio::time::timeout(PATIENCE, tokio_tungstenite::connect_async(&url)).await.ok()?.ok()?;
        let mut c = WsClient { ws, sync, raw: Vec::new(), close_code: None };
        c.sync.disconnected();
        let hello = c.sync.hello(credential);
        c.ws.send(Message::text(hello.to_json())).await.ok()?;
        loop {
            let msg = c.recv().await?;
            let done = matches!(msg, ServerMsg::Presence { .. });
            if let app::sync::Received::Resend(msgs) = c.sync.receive(msg) {
                for m in msgs {
                    c.ws.send(Message::text(m.to_json())).await.ok()?;
                }
            }
            if done {
                return Some(c);
            }
        }
    }

    /// Handshake with existing state (resuming from its `last_seq`, resending its outbox).
    pub async fn join(ws_base: &str, board: &BoardId, credential: Credential, sync: SyncState) -> WsClient {
        let mut c = Self::open(ws_base, board).await;
        c.sync = sync;
        c.sync.disconnected(); // a new connection: its own handshake first
        let hello = c.sync.hello(credential);
        c.send(&hello).await;
        // Welcome, then snapshot or missed events, then presence.
        c.apply_until(|m| matches!(m, ServerMsg::Presence { .. })).await;
        c
    }

    pub async fn send(&mut self, msg: &ClientMsg) {
        self.send_text(msg.to_json()).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.ws.send(Message::text(text)).await.expect("send frame");
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::binary(bytes)).await.expect("send frame");
    }

    /// Queues an op in the outbox and sends it (the client is past its handshake).
    pub async fn submit(&mut self, op_id: &str, op: Op) {
        let msg = self.sync.submit(OpId::from(op_id), op).expect("a joined client sends at once");
        self.send(&msg).await;
    }

    /// The refusal of op `op_id` (its code and reason); panics if it was acknowledged.
    pub async fn refusal(&mut self, op_id: &str) -> (ErrorCode, Option<OpErrorCode>) {
        let msg = self
            .apply_until(|m| {
                matches!(m, ServerMsg::Error { op_id: Some(id), .. } if id.as_str() == op_id)
                    || matches!(m, ServerMsg::Ack { op_id: id, .. } if id.as_str() == op_id)
            })
            .await;
        match msg {
            ServerMsg::Error { code, reason, .. } => (code, reason),
            other => panic!("{op_id} was accepted: {other:?}"),
        }
    }

    /// Queues an op and sends it if it can: `false` if the connection is gone (the op waits
    /// in the outbox for the next connection, as in a browser).
    pub async fn try_submit(&mut self, op_id: &str, op: Op) -> bool {
        match self.sync.submit(OpId::from(op_id), op) {
            Some(msg) => self.ws.send(Message::text(msg.to_json())).await.is_ok(),
            None => false,
        }
    }

    /// Posts a note into a lane.
    pub async fn post(&mut self, op_id: &str, note_id: &str, lane: &str, text: &str) {
        let op =
            Op::AddNote { note_id: note_id.into(), lane: LaneId::from(lane), text: text.into(), author_name: None };
        self.submit(op_id, op).await;
    }

    /// The next server message, or `None` on close. Panics after [`PATIENCE`].
    pub async fn recv(&mut self) -> Option<ServerMsg> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .unwrap_or_else(|_| panic!("no message within {PATIENCE:?}"));
            match frame {
                Some(Ok(Message::Text(text))) => {
                    self.raw.push(text.to_string());
                    let msg = serde_json::from_str(text.as_str()).unwrap_or_else(|e| panic!("bad frame {text}: {e}"));
                    return Some(msg);
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                Some(Ok(Message::Binary(_))) => panic!("server sent a binary frame"),
                Some(Ok(Message::Close(frame))) => {
                    self.close_code = frame.map(|f| u16::from(f.code));
                    return None;
                }
                Some(Err(_)) | None => return None,
            }
        }
    }

    /// Receives messages, applying each to `sync`, until one matches; returns it.
    pub async fn apply_until(&mut self, mut pred: impl FnMut(&ServerMsg) -> bool) -> ServerMsg {
        loop {
            let msg = self.recv().await.expect("connection closed while waiting");
            let hit = pred(&msg);
            self.sync.receive(msg.clone());
            if hit {
                return msg;
            }
        }
    }

    /// Waits until the op is acknowledged; returns its sequence number.
    pub async fn acked(&mut self, op_id: &str) -> u64 {
        match self.apply_until(|m| matches!(m, ServerMsg::Ack { op_id: id, .. } if id.as_str() == op_id)).await {
            ServerMsg::Ack { seq, .. } => seq,
            _ => unreachable!(),
        }
    }

    /// Waits until the board has reached `seq`.
    pub async fn caught_up_to(&mut self, seq: u64) {
        while self.sync.last_seq().unwrap_or(0) < seq {
            let msg = self.recv().await.expect("connection closed while catching up");
            self.sync.receive(msg);
        }
    }

    /// Asserts that nothing but presence updates arrives for `quiet`.
    pub async fn expect_silence(&mut self, quiet: Duration) {
        let deadline = tokio::time::Instant::now() + quiet;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return;
            }
            match tokio::time::timeout(left, self.ws.next()).await {
                Err(_) => return,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let msg: ServerMsg = serde_json::from_str(text.as_str()).expect("frame");
                    assert!(matches!(msg, ServerMsg::Presence { .. }), "expected silence, got {text}");
                }
                Ok(Some(Ok(_))) => {}
                Ok(_) => panic!("connection closed"),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}
