//! The clients: join, wait for the common start, post once at a random moment of the burst,
//! and time every note that arrives.

use super::burst::{self, Outcome, Schedule};
use super::{Report, Scenario, Target};
use futures_util::{SinkExt, StreamExt};
use idetavle_core::board::{Change, Op};
use idetavle_core::protocol::{ClientMsg, Credential, ServerMsg, PROTOCOL_VERSION};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens and joins every client (50 at a time), then runs the burst. With several instances
/// (`addrs`, one database), client `i` joins instance `i mod n`.
pub async fn drive(addrs: &[SocketAddr], target: Target, scenario: &Scenario) -> anyhow::Result<Report> {
    let first = *addrs.first().ok_or_else(|| anyhow::anyhow!("no server"))?;
    let base = format!("http://{first}");
    let path = match target {
        Target::Idetavle => format!("/ws/{}", crate::support::http::create_board(&base, "Belastning").await.id),
        Target::Limit => "/".to_owned(),
        Target::Peer => anyhow::bail!("the peer speaks the Yjs protocol: see peer_client::drive"),
    };
    let urls: Vec<Arc<String>> = addrs.iter().map(|addr| Arc::new(format!("ws://{addr}{path}"))).collect();
    let gate = Arc::new(tokio::sync::Semaphore::new(50));
    let mut joining = Vec::new();
    for i in 0..scenario.clients {
        let (url, gate) = (Arc::clone(&urls[i % urls.len()]), Arc::clone(&gate));
        joining.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            join(&url, target).await
        }));
    }
    let mut sockets = Vec::new();
    for j in joining {
        sockets.push(j.await??);
    }

    let schedule = Schedule::new(scenario);
    let mut tasks = Vec::new();
    for (index, ws) in sockets.into_iter().enumerate() {
        let (epoch, send_at, deadline) = (schedule.epoch, schedule.send_at(index), schedule.deadline);
        tasks.push(tokio::spawn(run_client(ws, target, index, epoch, send_at, scenario.clients, deadline)));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await?);
    }
    Ok(burst::report(target, scenario, &schedule, &outcomes))
}

/// Opens `per_board × boards` idle connections (joined, then silent) and holds them while
/// `measure` runs; returns what it returned and how long joining took.
pub async fn hold_idle<F, Fut, T>(
    addr: SocketAddr,
    boards: usize,
    per_board: usize,
    measure: F,
) -> anyhow::Result<(T, Duration)>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let base = format!("http://{addr}");
    let gate = Arc::new(tokio::sync::Semaphore::new(100));
    let began = Instant::now();
    let mut joining = Vec::new();
    for _ in 0..boards {
        let id = crate::support::http::create_board(&base, "Tomgang").await.id;
        let url = Arc::new(format!("ws://{addr}/ws/{id}"));
        for _ in 0..per_board {
            let (url, gate) = (Arc::clone(&url), Arc::clone(&gate));
            joining.push(tokio::spawn(async move {
                let _permit = gate.acquire().await?;
                join(&url, Target::Idetavle).await
            }));
        }
    }
    let mut sockets = Vec::new();
    for j in joining {
        sockets.push(j.await??);
    }
    let joined = began.elapsed();
    // Keep reading (pings, presence) so the connections stay healthy while we measure.
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|mut ws| tokio::spawn(async move { while let Some(Ok(_)) = ws.next().await {} }))
        .collect();
    let result = measure().await;
    for r in readers {
        r.abort();
    }
    Ok((result, joined))
}

/// What a sustained run measured.
pub struct Sustained {
    /// Acknowledged ops per second; every one was committed to SQLite before its ack.
    pub ops_per_sec: f64,
    /// Ops refused with an error.
    pub errors: usize,
    /// Connections that ended before the run did (the server drops one that falls behind).
    pub lost: usize,
}

/// Sustained writes: `clients` connections, spread over `boards` boards, each keep `window`
/// notes in flight (a new one for every acknowledgement) for `duration`. Every client also
/// receives every note of its board, so fewer boards means more fan-out per op. With several
/// instances (`addrs`), client `c` goes to instance `c mod n`.
pub async fn sustained(
    addrs: &[SocketAddr],
    clients: usize,
    boards: usize,
    window: usize,
    duration: Duration,
) -> anyhow::Result<Sustained> {
    let first = *addrs.first().ok_or_else(|| anyhow::anyhow!("no server"))?;
    let base = format!("http://{first}");
    let mut ids = Vec::new();
    for _ in 0..boards.max(1) {
        ids.push(crate::support::http::create_board(&base, "Vedvarende").await.id);
    }
    let mut sockets = Vec::new();
    for c in 0..clients {
        let url = format!("ws://{}/ws/{}", addrs[c % addrs.len()], ids[c % ids.len()]);
        sockets.push(join(&url, Target::Idetavle).await?);
    }
    let start = Instant::now();
    let end = start + duration;
    let tasks: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(c, mut ws)| {
            tokio::spawn(async move {
                let mut tally = Tally::default();
                let mut next = 0usize;
                let post = |n: usize| {
                    let op = Op::AddNote {
                        note_id: format!("s{c}-{n}").as_str().into(),
                        lane: "ideas".into(),
                        text: format!("Vedvarende note {n} fra {c}"),
                        author_name: None,
                    };
                    let msg = ClientMsg::Op { op_id: format!("s{c}-{n}").as_str().into(), op };
                    Message::text(serde_json::to_string(&msg).unwrap_or_default())
                };
                for _ in 0..window {
                    if ws.send(post(next)).await.is_err() {
                        return tally.lost();
                    }
                    next += 1;
                }
                let stop = tokio::time::sleep_until(end);
                tokio::pin!(stop);
                loop {
                    let frame = tokio::select! {
                        _ = &mut stop => return tally,
                        frame = ws.next() => frame,
                    };
                    let Some(Ok(Message::Text(text))) = frame else {
                        if matches!(frame, Some(Ok(_))) {
                            continue;
                        }
                        return tally.lost();
                    };
                    // Only acks and errors matter here; skip parsing everyone's notes.
                    let reply = if text.starts_with("{\"type\":\"ack\"") {
                        tally.acked += 1;
                        true
                    } else if text.starts_with("{\"type\":\"error\"") {
                        tally.errors += 1;
                        true
                    } else {
                        false
                    };
                    if reply {
                        if ws.send(post(next)).await.is_err() {
                            return tally.lost();
                        }
                        next += 1;
                    }
                }
            })
        })
        .collect();
    let mut total = Tally::default();
    for t in tasks {
        let tally = t.await?;
        total.acked += tally.acked;
        total.errors += tally.errors;
        total.lost += tally.lost;
    }
    let ops_per_sec = total.acked as f64 / start.elapsed().as_secs_f64();
    Ok(Sustained { ops_per_sec, errors: total.errors, lost: total.lost })
}

/// One sustained client's counts.
#[derive(Default)]
struct Tally {
    acked: usize,
    errors: usize,
    lost: usize,
}

impl Tally {
    fn lost(mut self) -> Tally {
        self.lost = 1;
        self
    }
}

pub(crate) async fn join(url: &str, target: Target) -> anyhow::Result<Ws> {
    let secret =
        (target == Target::Idetavle).then(|| (0..32).map(|_| format!("{:x}", rand::random::<u8>() % 16)).collect());
    join_as(url, secret).await
}

/// Opens a websocket to `url`; with a participant's `secret`, says hello as them and waits for
/// the end of the handshake.
pub(crate) async fn join_as(url: &str, secret: Option<String>) -> anyhow::Result<Ws> {
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(super::socket_config()), true).await?;
    if let Some(secret) = secret {
        let hello = ClientMsg::Hello {
            protocol: PROTOCOL_VERSION,
            credential: Credential::Participant { secret },
            last_seq: None,
            name: None,
        };
        ws.send(Message::text(serde_json::to_string(&hello)?)).await?;
        // The handshake ends with a presence message.
        while let Some(frame) = ws.next().await {
            if let Message::Text(text) = frame? {
                if text.contains("\"type\":\"presence\"") {
                    break;
                }
            }
        }
    }
    Ok(ws)
}

pub(crate) async fn run_client(
    mut ws: Ws,
    target: Target,
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
    // Made once: a timer made in every turn of the loop would be registered and cancelled
    // for every frame, costing the machine the server under test shares.
    let post_time = tokio::time::sleep_until(send_at);
    let give_up = tokio::time::sleep_until(deadline);
    tokio::pin!(post_time, give_up);
    loop {
        let frame = tokio::select! {
            _ = &mut post_time, if !sent => {
                sent = true;
                sent_at = Instant::now();
                let op = Op::AddNote {
                    note_id: mine.as_str().into(),
                    lane: "ideas".into(),
                    text: burst::note_text(epoch, sent_at, &mine),
                    author_name: None,
                };
                let msg = ClientMsg::Op { op_id: mine.as_str().into(), op };
                let Ok(json) = serde_json::to_string(&msg) else { out.errors += 1; continue };
                if ws.send(Message::text(json)).await.is_err() {
                    out.errors += 1;
                    return out;
                }
                continue;
            }
            _ = &mut give_up => return out,
            frame = ws.next() => frame,
        };
        let Some(Ok(Message::Text(text))) = frame else {
            if matches!(frame, Some(Ok(_))) {
                continue;
            }
            out.errors += 1;
            return out;
        };
        let now = Instant::now();
        let note_text = match target {
            Target::Idetavle => match serde_json::from_str::<ServerMsg>(&text) {
                Ok(ServerMsg::Event(e)) => match e.change {
                    Change::NoteAdded { note } => Some(note.text),
                    _ => None,
                },
                Ok(ServerMsg::Ack { .. }) => {
                    out.ack = Some(now.saturating_duration_since(sent_at));
                    if out.received >= expected {
                        return out;
                    }
                    None
                }
                Ok(ServerMsg::Error { .. }) | Err(_) => {
                    out.errors += 1;
                    None
                }
                Ok(_) => None,
            },
            Target::Limit => match serde_json::from_str::<ClientMsg>(&text) {
                Ok(ClientMsg::Op { op: Op::AddNote { text, .. }, .. }) => Some(text),
                _ => {
                    out.errors += 1;
                    None
                }
            },
            Target::Peer => None, // never: `drive` refuses the peer
        };
        let Some(note_text) = note_text else { continue };
        let (latency, own) = burst::read_note(&note_text, &mine, epoch, now);
        out.arrived(now, latency, own);
        if own && target == Target::Limit {
            out.ack = Some(latency); // the broadcast back to the sender is its acknowledgement
        }
        if out.received >= expected && out.ack.is_some() {
            return out;
        }
    }
}
