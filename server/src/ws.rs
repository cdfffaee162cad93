//! One websocket connection: the handshake, then ops in and frames out.
//!
//! The connection task is the only place that reads a client's bytes. Bad input (too large,
//! not JSON, unknown message, op before hello) gets an error frame to this client alone and
//! the connection stays open; nothing reaches the hub. Liveness: the server pings every
//! `PING_INTERVAL` and drops a client it has not heard from for `IDLE_TIMEOUT`.

use crate::auth::{participant_id, token_matches};
use crate::hub::{Command, Frame, Hub, Hubs, CONNECTION_QUEUE};
use crate::limits::WriteBucket;
use crate::store::BoardRecord;
use app::board::{is_valid_client_id, normalise_name, Actor};
use app::protocol::{ClientMsg, Credential, ErrorCode, ServerMsg, MAX_FRAME_BYTES, PROTOCOL_VERSION};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

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
const CLOSE_POLICY: u16 = 1008;

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
    St: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let Connection { hub, hubs, mut shutdown, writes_per_minute } = connection;
    let Some((actor, last_seq, name)) = handshake(&mut sink, &mut stream, &hub.record).await else {
        return;
    };
    let rate = if actor.is_facilitator() { writes_per_minute.saturating_mul(10) } else { writes_per_minute };
    let mut bucket = WriteBucket::new(rate);
    let mut told_to_slow_down = false;
    let mut held: Option<(app::board::OpId, app::board::Op)> = None;
    let mut resume_at = Instant::now();
    let conn = hubs.next_conn_id();
    let (frames_tx, mut frames) = mpsc::channel::<Frame>(CONNECTION_QUEUE);
    if !hub.send(Command::Join { conn, actor: actor.clone(), name, last_seq, frames: frames_tx }).await {
        close(&mut sink, CLOSE_RECONNECT, "board restarting").await;
        return;
    }
    let mut ping = tokio::time::interval(PING_INTERVAL);
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(resume_at), if held.is_some() => {
                if let Some((op_id, op)) = held.take() {
                    let _ = bucket.take(std::time::Instant::now());
                    if !hub.send(Command::Op { conn, actor: actor.clone(), op_id, op }).await { break }
                }
            }
            incoming = stream.next(), if held.is_none() => {
                let Some(Ok(msg)) = incoming else { break };
                last_heard = Instant::now();
                match msg {
                    Message::Text(text) => match decode(text.as_str()) {
                        Ok(ClientMsg::Op { op_id, op }) => {
                            if !is_valid_client_id(op_id.as_str()) {
                                let msg = ServerMsg::Error {
                                    op_id: None,
                                    code: ErrorCode::InvalidOp,
                                    reason: Some("invalid_id".into()),
                                    message: "op ids must be 1-64 characters of A-Z, a-z, 0-9, '-' or '_'".into(),
                                };
                                if send(&mut sink, &msg).await.is_err() { break }
                            } else if let Err(wait) = bucket.take(std::time::Instant::now()) {
                                // Over the rate: hold this op and stop reading until a token is
                                // back (frames keep flowing out meanwhile). Said once per episode.
                                held = Some((op_id, op));
                                resume_at = Instant::now() + wait;
                                if !told_to_slow_down {
                                    told_to_slow_down = true;
                                    let msg = error(ErrorCode::RateLimited, "too many changes at once; they are taken more slowly now");
                                    if send(&mut sink, &msg).await.is_err() { break }
                                }
                            } else {
                                told_to_slow_down = false;
                                if !hub.send(Command::Op { conn, actor: actor.clone(), op_id, op }).await { break }
                            }
                        }
                        Ok(ClientMsg::Hello { .. }) => {
                            let msg = error(ErrorCode::HandshakeRequired, "hello was already received on this connection");
                            if send(&mut sink, &msg).await.is_err() { break }
                        }
                        Ok(ClientMsg::SetName { name }) => match normalise_name(name.as_deref()) {
                            Ok(name) => if !hub.send(Command::Rename { conn, name }).await { break },
                            Err(e) => {
                                let msg = ServerMsg::Error { op_id: None, code: ErrorCode::InvalidOp, reason: Some(e.code().into()), message: e.to_string() };
                                if send(&mut sink, &msg).await.is_err() { break }
                            }
                        },
                        Err(msg) => if send(&mut sink, &msg).await.is_err() { break },
                    },
                    Message::Binary(_) => {
                        if send(&mut sink, &error(ErrorCode::Malformed, "only JSON text frames are accepted")).await.is_err() { break }
                    }
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => {}
                }
            }
            frame = frames.recv() => match frame {
                // A client that stopped reading would block this send forever (the hub would
                // drop it once its queue is full, but this task would never notice): give up.
                Some(frame) => match tokio::time::timeout(WRITE_TIMEOUT, sink.send(Message::Text(frame))).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => break,
                    Err(_) => {
                        tracing::info!(board = %hub.record.id, "dropping a connection that stopped reading");
                        break;
                    }
                },
                // The hub let go of us: we fell behind, or the hub restarted.
                None => { close(&mut sink, CLOSE_RECONNECT, "reconnect to resync").await; break }
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > IDLE_TIMEOUT {
                    close(&mut sink, CLOSE_GOING_AWAY, "no answer to pings").await;
                    break;
                }
                if sink.send(Message::Ping(Default::default())).await.is_err() { break }
            }
            _ = shutdown.changed() => {
                close(&mut sink, CLOSE_RECONNECT, "server restarting").await;
                break;
            }
        }
    }
    hub.send(Command::Leave { conn }).await;
}

/// Steps 2–3 of the handshake: wait for `Hello`, check version and credential.
async fn handshake<Si, St>(
    sink: &mut Si,
    stream: &mut St,
    record: &BoardRecord,
) -> Option<(Actor, Option<u64>, Option<String>)>
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
                // A name that is too long is dropped, not fatal: the list shows them as anonymous.
                let name = normalise_name(name.as_deref()).ok().flatten().filter(|_| !actor.is_facilitator());
                return Some((actor, last_seq, name));
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
    sink.send(Message::Text(Utf8Bytes::from(msg.to_json()))).await.map_err(|_| ())
}

async fn close<Si: Sink<Message> + Unpin>(sink: &mut Si, code: u16, reason: &'static str) {
    let _ = sink.send(Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))).await;
}
