//! The limit: a bare websocket broadcast server. Every text frame a client sends goes to every
//! connected client (the sender too, which serves as its acknowledgement). No parsing, no
//! validation, no storage: the best this machine and these clients can do.

use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

type Peers = Arc<Mutex<HashMap<u64, mpsc::UnboundedSender<Utf8Bytes>>>>;

pub async fn serve(listener: TcpListener) -> anyhow::Result<()> {
    let peers: Peers = Arc::default();
    let next = Arc::new(AtomicU64::new(0));
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let peers = Arc::clone(&peers);
        let id = next.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            let Ok(ws) = tokio_tungstenite::accept_async_with_config(stream, Some(super::socket_config())).await else {
                return;
            };
            let (mut sink, mut source) = ws.split();
            let (tx, mut rx) = mpsc::unbounded_channel::<Utf8Bytes>();
            if let Ok(mut p) = peers.lock() {
                p.insert(id, tx);
            }
            let writer = tokio::spawn(async move {
                while let Some(text) = rx.recv().await {
                    if sink.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
            });
            while let Some(Ok(msg)) = source.next().await {
                if let Message::Text(text) = msg {
                    if let Ok(p) = peers.lock() {
                        for tx in p.values() {
                            let _ = tx.send(text.clone());
                        }
                    }
                }
            }
            if let Ok(mut p) = peers.lock() {
                p.remove(&id);
            }
            writer.abort();
        });
    }
}
