//! The writing half of a connection: the hub's frames, the reader's replies and pings out.

use super::{close, farewell, Outgoing, CLOSE_RECONNECT, PING_INTERVAL, WRITE_TIMEOUT};
use crate::hub::ToClient;
use axum::extract::ws::Message;
use futures_util::{Sink, SinkExt};
use idetavle_core::board::BoardId;
use tokio::sync::{mpsc, watch};

/// Frames already queued are written together, up to this many, with one flush.
const WRITE_BATCH: usize = 64;

/// What the writer listens to.
pub struct Writer {
    /// The hub's frames for this connection; closed when the hub lets go of it.
    pub frames: mpsc::Receiver<ToClient>,
    /// The reader's replies; closed when the reader ends.
    pub replies: mpsc::Receiver<Outgoing>,
    pub shutdown: watch::Receiver<bool>,
    /// For the log.
    pub board: BoardId,
}

impl Writer {
    /// Writes until the client or the hub is gone, or the server shuts down.
    pub async fn run<Si>(mut self, sink: &mut Si)
    where
        Si: Sink<Message> + Unpin,
    {
        let mut ping = tokio::time::interval(PING_INTERVAL);
        let shutdown = self.shutdown.changed();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                frame = self.frames.recv() => match frame {
                    Some(first) => {
                        match write_queued(sink, first, &mut self.frames).await {
                            Written::Yes => {}
                            Written::Farewell(code, reason) => { close(sink, code, reason).await; break }
                            Written::Failed => break,
                            Written::TimedOut => {
                                tracing::info!(board = %self.board, "dropping a connection that stopped reading");
                                break;
                            }
                        }
                    }
                    // The hub let go of us: we fell behind, or the hub restarted.
                    None => { close(sink, CLOSE_RECONNECT, "reconnect to resync").await; break }
                },
                reply = self.replies.recv() => match reply {
                    Some(Outgoing::Frame(frame)) => if sink.send(Message::Text(frame)).await.is_err() { break },
                    Some(Outgoing::Close(code, reason)) => { close(sink, code, reason).await; break }
                    None => break, // the client left
                },
                _ = ping.tick() => if sink.send(Message::Ping(Default::default())).await.is_err() { break },
                _ = &mut shutdown => {
                    close(sink, CLOSE_RECONNECT, "server restarting").await;
                    break;
                }
            }
        }
    }
}

enum Written {
    Yes,
    /// Written and flushed; then the hub's last word: close with this code.
    Farewell(u16, &'static str),
    Failed,
    TimedOut,
}

/// Writes `first` and whatever else is already queued, then flushes. A client that stopped
/// reading would block this forever (the hub drops it once its queue is full, but this task
/// would never notice), so it gets `WRITE_TIMEOUT`.
async fn write_queued<Si>(sink: &mut Si, first: ToClient, queued: &mut mpsc::Receiver<ToClient>) -> Written
where
    Si: Sink<Message> + Unpin,
{
    let write = async {
        let mut next = Some(first);
        let mut farewell_after = None;
        let mut written = 0;
        while let Some(item) = next.take() {
            match item {
                ToClient::Frame(frame) => sink.feed(Message::Text(frame)).await?,
                ToClient::Farewell(why) => {
                    farewell_after = Some(farewell(why));
                    break;
                }
            }
            written += 1;
            if written < WRITE_BATCH {
                next = queued.try_recv().ok();
            }
        }
        sink.flush().await.map(|()| farewell_after)
    };
    match tokio::time::timeout(WRITE_TIMEOUT, write).await {
        Ok(Ok(None)) => Written::Yes,
        Ok(Ok(Some((code, reason)))) => Written::Farewell(code, reason),
        Ok(Err(_)) => Written::Failed,
        Err(_) => Written::TimedOut,
    }
}
