//! The reading half of a connection: the client's messages in, ops to the hub.
//!
//! It runs as a task of its own so that sending frames out never polls the socket for input
//! (a read attempt costs a buffer reset and a syscall; a busy board sends a frame to every
//! connection for each op).

use super::{error, Outgoing, CLOSE_GOING_AWAY, CLOSE_RECONNECT, IDLE_TIMEOUT};
use crate::hub::{encode, Command, ConnId, Hub};
use crate::limits::WriteBucket;
use axum::extract::ws::Message;
use futures_util::{Stream, StreamExt};
use idetavle_core::board::{is_valid_client_id, normalise_name, Actor, OpErrorCode};
use idetavle_core::protocol::{ClientMsg, ErrorCode, ServerMsg};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Who is reading, and where to.
pub struct Reader {
    pub hub: Hub,
    pub conn: ConnId,
    pub actor: Actor,
    /// The client's ops are taken at this sustained rate.
    pub bucket: WriteBucket,
    /// Replies for this client alone; the writer sends them.
    pub replies: mpsc::Sender<Outgoing>,
    /// Set once the writer has closed the connection: from then on messages are only drained
    /// (until the client's close frame), not acted on.
    pub closing: Arc<AtomicBool>,
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl Reader {
    /// Reads until the client leaves, goes quiet for `IDLE_TIMEOUT`, or the hub is gone.
    /// Ending drops `replies`, which tells the writer.
    pub async fn run<St>(mut self, mut stream: St)
    where
        St: Stream<Item = Result<Message, axum::Error>> + Unpin,
    {
        let mut told_to_slow_down = false;
        loop {
            let msg = match tokio::time::timeout(IDLE_TIMEOUT, stream.next()).await {
                Ok(Some(Ok(msg))) => msg,
                Ok(_) => return,
                Err(_) => {
                    // Not even a pong to our pings.
                    let _ = self.replies.send(Outgoing::Close(CLOSE_GOING_AWAY, "no answer to pings")).await;
                    return;
                }
            };
            if self.closing.load(Ordering::Relaxed) {
                continue;
            }
            let reply = match msg {
                Message::Text(text) => match super::decode(text.as_str()) {
                    Ok(ClientMsg::Op { op_id, .. }) if !is_valid_client_id(op_id.as_str()) => Some(ServerMsg::Error {
                        op_id: None,
                        code: ErrorCode::InvalidOp,
                        reason: Some(OpErrorCode::InvalidId),
                        message: "op ids must be 1-64 characters of A-Z, a-z, 0-9, '-' or '_'".into(),
                    }),
                    Ok(ClientMsg::Op { op_id, op }) => {
                        if let Err(wait) = self.bucket.take(std::time::Instant::now()) {
                            // Over the rate: stop reading until a token is back (frames keep
                            // flowing out meanwhile). Said once per episode.
                            if !told_to_slow_down {
                                told_to_slow_down = true;
                                let msg = error(
                                    ErrorCode::RateLimited,
                                    "too many changes at once; they are taken more slowly now",
                                );
                                if !self.reply(msg).await {
                                    return;
                                }
                            }
                            tokio::time::sleep(wait).await;
                            let _ = self.bucket.take(std::time::Instant::now());
                        } else {
                            told_to_slow_down = false;
                        }
                        let cmd = Command::Op { conn: self.conn, actor: self.actor.clone(), op_id, op };
                        if !self.hub.send(cmd).await {
                            return self.hub_gone().await;
                        }
                        None
                    }
                    Ok(ClientMsg::Hello { .. }) => {
                        Some(error(ErrorCode::HandshakeRequired, "hello was already received on this connection"))
                    }
                    Ok(ClientMsg::SetName { name }) => match normalise_name(name.as_deref()) {
                        Ok(name) => {
                            if !self.hub.send(Command::Rename { conn: self.conn, name }).await {
                                return self.hub_gone().await;
                            }
                            None
                        }
                        Err(e) => Some(ServerMsg::Error {
                            op_id: None,
                            code: ErrorCode::InvalidOp,
                            reason: Some(e.code()),
                            message: e.to_string(),
                        }),
                    },
                    Err(msg) => Some(msg),
                },
                Message::Binary(_) => Some(error(ErrorCode::Malformed, "only JSON text frames are accepted")),
                Message::Close(_) => return,
                Message::Ping(_) | Message::Pong(_) => None,
            };
            if let Some(msg) = reply {
                if !self.reply(msg).await {
                    return;
                }
            }
        }
    }

    /// The board's hub stopped (a failed commit, say): the client should reconnect, which
    /// reloads the board from the store. Said with a close frame, not by silence.
    async fn hub_gone(&self) {
        let _ = self.replies.send(Outgoing::Close(CLOSE_RECONNECT, "board restarting")).await;
    }

    /// Hands a reply to the writer; false once the writer is gone.
    async fn reply(&self, msg: ServerMsg) -> bool {
        if let ServerMsg::Error { code, .. } = &msg {
            self.metrics.error(*code);
        }
        self.replies.send(Outgoing::Frame(encode(&msg))).await.is_ok()
    }
}
