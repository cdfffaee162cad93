//! One websocket connection: the handshake, then ops in and frames out.
//!
//! After the handshake a connection is two tasks: the [`reader`] reads the client's messages
//! and forwards ops to the hub, the [`writer`] sends the hub's frames and the reader's replies.
//! They are the only places that touch a client's bytes. Bad input (too large, not JSON,
//! unknown message, op before hello) gets an error frame to this client alone and the
//! connection stays open; nothing reaches the hub. Liveness: the writer pings every
//! `PING_INTERVAL`; the reader drops a client it has not heard from for `IDLE_TIMEOUT`.

mod reader;
mod seat;
mod writer;

use crate::auth::{participant_id, token_matches};
use crate::hub::{encode, Command, Farewell, Frame, Hub, Hubs, ToClient, CONNECTION_QUEUE};
use crate::limits::WriteBucket;
use crate::store::BoardRecord;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use idetavle_core::board::{normalise_name, Actor};
use idetavle_core::protocol::{ClientMsg, Credential, ErrorCode, ServerMsg, MAX_FRAME_BYTES, PROTOCOL_VERSION};
use idetavle_core::workshop::{table_of_id, TableOf};
use reader::Reader;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use writer::Writer;

pub const PING_INTERVAL: Duration = Duration::from_secs(15);
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(45);
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one frame may take to go out before the client counts as gone (it reconnects and
/// resumes from its last sequence number).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Frames above this are cut off by the websocket layer itself (closing the connection);
/// between `MAX_FRAME_BYTES` and this, the client gets a `too_large` error and stays connected.
pub const HARD_FRAME_LIMIT: usize = 1024 * 1024;

/// Close code asking the client to reconnect (and resume from its last sequence number).
const CLOSE_RECONNECT: u16 = 4000;
const CLOSE_GOING_AWAY: u16 = 1001;
/// Close code meaning "do not come back": a bad credential or protocol, a removed participant,
/// a deleted board.
const CLOSE_POLICY: u16 = 1008;
/// How long a close frame may take to go out.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long the client has to answer our close frame (it may first have to read what was
/// sent before it). Within the server's shutdown grace of 5 s.
const CLOSE_DRAIN: Duration = Duration::from_secs(3);
/// Replies the reader may have waiting for the writer before it stops reading.
const REPLY_QUEUE: usize = 16;

/// What the reader hands the writer for this client alone.
pub enum Outgoing {
    Frame(Frame),
    Close(u16, &'static str),
}

/// What a connection is served with.
pub struct Connection {
    pub hub: Hub,
    pub hubs: Arc<Hubs>,
    pub shutdown: watch::Receiver<bool>,
    /// A participant's sustained op rate; the facilitator gets ten times this.
    pub writes_per_minute: u32,
}

/// Serves one client of `hub` until it leaves, falls behind, or the server shuts down.
pub async fn serve<Si, St>(mut sink: Si, mut stream: St, connection: Connection)
where
    Si: Sink<Message> + Unpin,
    St: Stream<Item = Result<Message, axum::Error>> + Unpin + Send + 'static,
{
    let Connection { hub, hubs, shutdown, writes_per_minute } = connection;
    let Some(Welcomed { actor, last_seq, name, seat }) = handshake(&mut sink, &mut stream, &hub.record, &hubs).await
    else {
        return;
    };
    let rate = if actor.is_facilitator() { writes_per_minute.saturating_mul(10) } else { writes_per_minute };
    let conn = hubs.next_conn_id();
    let (frames_tx, frames) = mpsc::channel::<ToClient>(CONNECTION_QUEUE);
    if !hub.send(Command::Join { conn, actor: actor.clone(), name, last_seq, frames: frames_tx }).await {
        close(&mut sink, CLOSE_RECONNECT, "board restarting").await;
        return;
    }
    let (replies_tx, replies) = mpsc::channel(REPLY_QUEUE);
    let watching =
        seat.map(|(table, secret)| tokio::spawn(seat::watch(Arc::clone(&hubs), table, secret, replies_tx.downgrade())));
    let closing = Arc::new(AtomicBool::new(false));
    let reader = Reader {
        hub: hub.clone(),
        conn,
        actor,
        bucket: WriteBucket::new(rate),
        replies: replies_tx,
        closing: Arc::clone(&closing),
        metrics: Arc::clone(hubs.metrics()),
    };
    let mut reading = tokio::spawn(reader.run(stream));
    let board = hub.record.id.clone();
    Writer { frames, replies, shutdown, board }.run(&mut sink).await;
    if let Some(watching) = watching {
        watching.abort();
    }
    // Our close frame is out (or the client is gone). Let the client answer it before the
    // socket goes: closing a TCP connection with the client's unread ops in our buffer resets
    // it, and the client loses the close frame with everything else still on the way.
    closing.store(true, Ordering::Relaxed);
    if tokio::time::timeout(CLOSE_DRAIN, &mut reading).await.is_err() {
        tracing::debug!(board = %hub.record.id, "the client did not answer our close frame");
        reading.abort();
    }
    hub.send(Command::Leave { conn }).await;
}

/// Who the handshake let in.
struct Welcomed {
    actor: Actor,
    last_seq: Option<u64>,
    name: Option<String>,
    /// A participant at a workshop's table: the table and their secret, to see that they
    /// still sit there ([`seat::watch`]).
    seat: Option<(TableOf, String)>,
}

/// Steps 2–3 of the handshake: wait for `Hello`, check version and credential.
async fn handshake<Si, St>(sink: &mut Si, stream: &mut St, record: &BoardRecord, hubs: &Hubs) -> Option<Welcomed>
where
    Si: Sink<Message> + Unpin,
    St: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let deadline = tokio::time::sleep(HELLO_TIMEOUT);
    tokio::pin!(deadline);
    loop {
        let msg = tokio::select! {
            _ = &mut deadline => {
                close(sink, CLOSE_POLICY, "no hello").await;
                return None;
            }
            msg = stream.next() => msg,
        };
        let text = match msg {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(Message::Binary(_))) => {
                send(sink, &error(ErrorCode::Malformed, "only JSON text frames are accepted")).await.ok()?;
                continue;
            }
            _ => return None,
        };
        match decode(text.as_str()) {
            Ok(ClientMsg::Hello { protocol, credential, last_seq, name }) => {
                if protocol != PROTOCOL_VERSION {
                    let message = format!("this server speaks protocol {PROTOCOL_VERSION}, not {protocol}");
                    let _ = send(sink, &error(ErrorCode::UnsupportedProtocol, &message)).await;
                    close(sink, CLOSE_POLICY, "unsupported protocol").await;
                    return None;
                }
                let Some(actor) = authenticate(record, &credential) else {
                    let _ =
                        send(sink, &error(ErrorCode::Unauthorized, "the credential is not valid for this board")).await;
                    close(sink, CLOSE_POLICY, "unauthorized").await;
                    return None;
                };
                // A workshop's table takes only the participants seated there.
                let mut seat = None;
                if let (Credential::Participant { secret }, Some(table)) = (&credential, table_of_id(&record.id)) {
                    if !crate::boards::seated_at(hubs, &table, secret).await {
                        let _ = send(sink, &error(ErrorCode::Forbidden, seat::ELSEWHERE)).await;
                        close(sink, CLOSE_POLICY, "not your table").await;
                        return None;
                    }
                    seat = Some((table, secret.clone()));
                }
                // A name that is too long is dropped, not fatal: the list shows them as anonymous.
                let name = normalise_name(name.as_deref()).ok().flatten().filter(|_| !actor.is_facilitator());
                return Some(Welcomed { actor, last_seq, name, seat });
            }
            Ok(ClientMsg::SetName { .. }) => {
                send(sink, &error(ErrorCode::HandshakeRequired, "send hello first")).await.ok()?;
            }
            Ok(ClientMsg::Op { op_id, .. }) => {
                let msg = ServerMsg::Error {
                    op_id: Some(op_id),
                    code: ErrorCode::HandshakeRequired,
                    reason: None,
                    message: "send hello before any op".into(),
                };
                send(sink, &msg).await.ok()?;
            }
            Err(msg) => send(sink, &msg).await.ok()?,
        }
    }
}

fn authenticate(record: &BoardRecord, credential: &Credential) -> Option<Actor> {
    match credential {
        Credential::Facilitator { token } => token_matches(token, &record.token_hash).then_some(Actor::Facilitator),
        Credential::Participant { secret } => participant_id(&record.id, secret).map(|id| Actor::Participant { id }),
        Credential::Presenter { token } => token_matches(token, &record.token_hash).then_some(Actor::Presenter),
    }
}

/// Parses a client frame, or says what is wrong with it.
fn decode(text: &str) -> Result<ClientMsg, ServerMsg> {
    if text.len() > MAX_FRAME_BYTES {
        let message = format!("frame is {} bytes; at most {MAX_FRAME_BYTES} are accepted", text.len());
        return Err(error(ErrorCode::TooLarge, &message));
    }
    serde_json::from_str(text).map_err(|e| error(ErrorCode::Malformed, &format!("not a valid message: {e}")))
}

fn error(code: ErrorCode, message: &str) -> ServerMsg {
    ServerMsg::Error { op_id: None, code, reason: None, message: message.to_owned() }
}

async fn send<Si: Sink<Message> + Unpin>(sink: &mut Si, msg: &ServerMsg) -> Result<(), ()> {
    sink.send(Message::Text(encode(msg))).await.map_err(|_| ())
}

async fn close<Si: Sink<Message> + Unpin>(sink: &mut Si, code: u16, reason: &'static str) {
    let frame = Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }));
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, sink.send(frame)).await;
}

/// The close code and reason for the hub's last word.
fn farewell(why: Farewell) -> (u16, &'static str) {
    match why {
        Farewell::Removed => (CLOSE_POLICY, "removed"),
        Farewell::BoardDeleted => (CLOSE_POLICY, "board deleted"),
    }
}

#[cfg(test)]
mod tests;
