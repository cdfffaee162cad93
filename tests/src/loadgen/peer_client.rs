//! The peer's clients: the burst of [`super::client`], spoken in the Yjs sync protocol
//! (y-protocols: `messageSync` = 0 with SyncStep1 / SyncStep2 / Update; `messageAwareness` = 1
//! is ignored) through the `yrs` crate. One room (the URL path) is one board.
//!
//! Every client keeps a local Y.Doc. At its moment it appends one note-sized entry (a map with
//! the fields of an Idétavle note, its text carrying the send time and the sender) to the shared
//! Y.Array `notes` in a local transaction and sends that update. Receivers apply each update
//! to their Doc; an array observer hands over every entry the first time it appears, which is
//! timed against its send time. y-websocket sends every update back to its sender as well: that
//! echo is the sender's acknowledgement (as for the limit).

use super::burst::{self, Outcome, Schedule};
use super::{Report, Scenario, Target};
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use yrs::sync::{Message, SyncMessage};
use yrs::types::Change;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Any, Array, ArrayRef, Doc, Observable, Out, ReadTxn, Transact, Update};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One client: its socket, its replica of the room's document, and the entries that appeared in
/// it since they were last taken (filled by the array observer).
struct Peer {
    ws: Ws,
    doc: Doc,
    notes: ArrayRef,
    appeared: Arc<Mutex<Vec<String>>>,
}

/// What a message from the server was.
enum Received {
    /// The server's answer to our SyncStep1: the handshake is done.
    Step2,
    /// An update; `echo` if it carries our own entry.
    Update {
        echo: bool,
    },
    Other,
}

/// Opens and syncs every client (50 at a time), then runs the burst: the same schedule as
/// [`super::client::drive`], so every client posts at the same moment against every target.
pub async fn drive(addr: SocketAddr, scenario: &Scenario) -> anyhow::Result<Report> {
    let url = Arc::new(format!("ws://{addr}/Belastning"));
    let gate = Arc::new(tokio::sync::Semaphore::new(50));
    let mut joining = Vec::new();
    for _ in 0..scenario.clients {
        let (url, gate) = (Arc::clone(&url), Arc::clone(&gate));
        joining.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            Peer::join(&url).await
        }));
    }
    let mut peers = Vec::new();
    for j in joining {
        peers.push(j.await??);
    }

    let schedule = Schedule::new(scenario);
    let mut tasks = Vec::new();
    for (index, peer) in peers.into_iter().enumerate() {
        let (epoch, send_at, deadline) = (schedule.epoch, schedule.send_at(index), schedule.deadline);
        tasks.push(tokio::spawn(run_client(peer, index, epoch, send_at, scenario.clients, deadline)));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await?);
    }
    Ok(burst::report(Target::Peer, scenario, &schedule, &outcomes))
}

impl Peer {
    /// Connects and runs the sync handshake: our SyncStep1, the server's SyncStep1 answered with
    /// our SyncStep2, until the server's SyncStep2 has been applied.
    async fn join(url: &str) -> anyhow::Result<Peer> {
        let (ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(super::socket_config()), true).await?;
        let doc = Doc::new();
        let notes = doc.get_or_insert_array("notes");
        let appeared = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&appeared);
        notes.observe("loadgen", move |txn, event| {
            let Ok(mut sink) = sink.lock() else { return };
            for change in event.delta(txn) {
                if let Change::Added(values) = change {
                    sink.extend(values.iter().filter_map(entry_text));
                }
            }
        });
        let mut peer = Peer { ws, doc, notes, appeared };
        let step1 = Message::Sync(SyncMessage::SyncStep1(peer.doc.transact().state_vector()));
        peer.ws.send(Frame::binary(step1.encode_v1())).await?;
        while let Some(frame) = peer.ws.next().await {
            let Frame::Binary(data) = frame? else { continue };
            let (received, reply) = peer.apply(&data)?;
            if let Some(reply) = reply {
                peer.ws.send(Frame::binary(reply)).await?;
            }
            if matches!(received, Received::Step2) {
                return Ok(peer);
            }
        }
        anyhow::bail!("the peer closed the connection during the sync handshake")
    }

    /// Applies one message from the server; returns what it was and the reply to send, if any.
    fn apply(&self, data: &[u8]) -> anyhow::Result<(Received, Option<Vec<u8>>)> {
        Ok(match Message::decode_v1(data)? {
            Message::Sync(SyncMessage::SyncStep1(theirs)) => {
                let diff = self.doc.transact().encode_diff_v1(&theirs);
                (Received::Other, Some(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1()))
            }
            Message::Sync(SyncMessage::SyncStep2(update)) => {
                self.integrate(&update)?;
                (Received::Step2, None)
            }
            Message::Sync(SyncMessage::Update(update)) => (Received::Update { echo: self.integrate(&update)? }, None),
            Message::Auth(Some(reason)) => anyhow::bail!("the peer refused: {reason}"),
            // Awareness and the rest are not part of the scenario.
            _ => (Received::Other, None),
        })
    }

    /// Applies an update to the local Doc; true if it carries this client's own entry.
    fn integrate(&self, update: &[u8]) -> anyhow::Result<bool> {
        let update = Update::decode_v1(update)?;
        let echo = update.state_vector().get(&self.doc.client_id()) > 0;
        self.doc.transact_mut().apply_update(update)?;
        Ok(echo)
    }

    /// Appends one entry in a local transaction; returns the update to send.
    fn append(&self, note_id: &str, text: String) -> Vec<u8> {
        let entry = HashMap::from([
            ("note_id".to_owned(), Any::from(note_id)),
            ("lane".to_owned(), Any::from("ideas")),
            ("text".to_owned(), Any::from(text)),
        ]);
        let mut txn = self.doc.transact_mut();
        self.notes.push_back(&mut txn, Any::Map(Arc::new(entry)));
        let update = txn.encode_update_v1();
        Message::Sync(SyncMessage::Update(update)).encode_v1()
    }

    /// The texts of the entries that appeared since the last call.
    fn take_appeared(&self) -> Vec<String> {
        self.appeared.lock().map(|mut a| std::mem::take(&mut *a)).unwrap_or_default()
    }
}

fn entry_text(value: &Out) -> Option<String> {
    let Out::Any(Any::Map(entry)) = value else { return None };
    let Some(Any::String(text)) = entry.get("text") else { return None };
    Some(text.to_string())
}

async fn run_client(
    mut peer: Peer,
    index: usize,
    epoch: Instant,
    send_at: Instant,
    expected: usize,
    deadline: Instant,
) -> Outcome {
    let mut out = Outcome::default();
    let mut sent = false;
    let mut sent_at = send_at;
    let mine = format!("c{index}");
    // Made once, as in `client::run_client`.
    let post_time = tokio::time::sleep_until(send_at);
    let give_up = tokio::time::sleep_until(deadline);
    tokio::pin!(post_time, give_up);
    loop {
        let frame = tokio::select! {
            _ = &mut post_time, if !sent => {
                sent = true;
                sent_at = Instant::now();
                let update = peer.append(&mine, burst::note_text(epoch, sent_at, &mine));
                if peer.ws.send(Frame::binary(update)).await.is_err() {
                    out.errors += 1;
                    return out;
                }
                continue;
            }
            _ = &mut give_up => return out,
            frame = peer.ws.next() => frame,
        };
        let data = match frame {
            Some(Ok(Frame::Binary(data))) => data,
            Some(Ok(_)) => continue,
            _ => {
                out.errors += 1;
                return out;
            }
        };
        let now = Instant::now();
        match peer.apply(&data) {
            Ok((Received::Update { echo: true }, _)) if sent => {
                out.ack = Some(now.saturating_duration_since(sent_at));
                out.received += 1;
                out.last_receipt = Some(now);
            }
            Ok((_, Some(reply))) => {
                if peer.ws.send(Frame::binary(reply)).await.is_err() {
                    out.errors += 1;
                }
            }
            Ok(_) => {}
            Err(_) => out.errors += 1,
        }
        for text in peer.take_appeared() {
            let (latency, own) = burst::read_note(&text, &mine, epoch, now);
            // Our own append was seen by the observer when it was made; its echo is counted above.
            if !own {
                out.arrived(now, latency, false);
            }
        }
        if out.received >= expected && out.ack.is_some() {
            return out;
        }
    }
}
