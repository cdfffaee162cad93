//! The soak (issue 22): workshops open, run and go idle in waves, for many minutes, against a
//! server whose boards are let go after a short idle time (the "accelerated clock": seconds
//! instead of the default five minutes). The server's resident memory and CPU are sampled from
//! /proc throughout; what matters is what they are once the waves are over.

use super::client::{join, Ws};
use super::{ServerChild, Target};
use crate::support::http::{create_board, export, get};
use app::api::CreatedBoard;
use futures_util::{SinkExt, StreamExt};
use idetavle_core::board::Op;
use idetavle_core::protocol::{ClientMsg, ServerMsg};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// What the soak does.
#[derive(Debug, Clone)]
pub struct Plan {
    /// How long waves keep starting.
    pub duration: Duration,
    /// A new wave starts this often.
    pub wave_every: Duration,
    pub workshops_per_wave: usize,
    /// Phones per workshop; each posts `notes` notes, one after the other's ack.
    pub phones: usize,
    pub notes: usize,
    /// The server's `--idle-board-secs`.
    pub idle_board_secs: f64,
}

/// The server process's resources at one moment.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub rss_kib: u64,
    /// Of `rss_kib`, heap and stacks (the rest is mapped files: the binary's code).
    pub anonymous_kib: u64,
    /// CPU time used since it started (user + system), in seconds.
    pub cpu_secs: f64,
}

/// Runs the soak against a fresh server child and prints what it measured.
pub async fn run(loadgen: &Path, plan: &Plan) -> anyhow::Result<()> {
    let idle = plan.idle_board_secs.to_string();
    let server = ServerChild::start_with(loadgen, Target::Idetavle, &["--idle-board-secs", &idle])?;
    let addr = server.addr;
    let sample = || -> anyhow::Result<Sample> {
        let rss_kib = server.rss_kib().ok_or_else(|| anyhow::anyhow!("no RSS in /proc"))?;
        let cpu_secs = server.cpu_secs().ok_or_else(|| anyhow::anyhow!("no CPU time in /proc"))?;
        let anonymous_kib = server.anonymous_kib().unwrap_or(0);
        Ok(Sample { rss_kib, anonymous_kib, cpu_secs })
    };
    let idle_cpu =
        |from: Sample, to: Sample, over: Duration| 100.0 * (to.cpu_secs - from.cpu_secs) / over.as_secs_f64();
    let quiet = Duration::from_secs(10);

    // 1. A fresh server, then one wave gone idle: a server that has seen the waves' peak (its
    //    code paged in, SQLite's page cache filled, the runtime's buffers grown) but held only
    //    one wave's boards. The waves must not leave it larger than that.
    let fresh = sample()?;
    tokio::time::sleep(quiet).await;
    let fresh_idle = idle_cpu(fresh, sample()?, quiet);
    let warm_up = wave(addr, 0, plan.clone()).await;
    anyhow::ensure!(warm_up.errors == 0, "the warm-up wave failed");
    settle(addr, plan).await?;
    let warm = sample()?;
    println!(
        "[soak] fresh server: RSS {:.1} MB ({:.1} MB anonymous), idle CPU {fresh_idle:.2} % of a core; after one wave gone idle: RSS {:.1} MB ({:.1} MB anonymous)",
        mb(fresh.rss_kib),
        mb(fresh.anonymous_kib),
        mb(warm.rss_kib),
        mb(warm.anonymous_kib)
    );

    // 2. The waves.
    let began = Instant::now();
    let mut waves = Vec::new();
    let mut next = began;
    let mut number = 0;
    let mut peak = warm;
    let mut peak_loaded = 0;
    let mut last_report = began;
    while began.elapsed() < plan.duration {
        if Instant::now() >= next {
            number += 1;
            waves.push(tokio::spawn(wave(addr, number, plan.clone())));
            next += plan.wave_every;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = sample()?;
        let loaded = boards_loaded(addr).await?;
        peak_loaded = peak_loaded.max(loaded);
        if now.rss_kib > peak.rss_kib {
            peak = now;
        }
        if last_report.elapsed() >= Duration::from_secs(60) {
            last_report = Instant::now();
            println!(
                "[soak] {:>4.0} s: wave {number}, RSS {:.1} MB, {loaded} boards loaded",
                began.elapsed().as_secs_f64(),
                mb(now.rss_kib)
            );
        }
    }
    let (mut workshops, mut acked, mut errors) = (0, 0, 0);
    for w in waves {
        let done = w.await?;
        workshops += done.workshops;
        acked += done.acked;
        errors += done.errors;
    }
    let ran = began.elapsed();

    // 3. After the waves: every board idle, then let go.
    settle(addr, plan).await?;
    let let_go = sample()?;
    let threads_then = server.threads().unwrap_or(0);
    tokio::time::sleep(quiet).await;
    let after = sample()?;
    let after_idle = idle_cpu(let_go, after, quiet);
    println!(
        "[soak] when the last board was let go: RSS {:.1} MB, {threads_then} threads; {} s later: {} threads",
        mb(let_go.rss_kib),
        quiet.as_secs(),
        server.threads().unwrap_or(0)
    );
    println!(
        "[soak] {number} waves in {:.0} s: {workshops} workshops ({} phones each, {} notes per phone), {acked} notes acknowledged, {errors} errors; \
         peak {:.1} MB and {peak_loaded} boards loaded",
        ran.as_secs_f64(),
        plan.phones,
        plan.notes,
        mb(peak.rss_kib)
    );
    println!(
        "[soak] after the waves, all boards let go: RSS {:.1} MB ({:.1} MB anonymous; {:+.1} % vs. after one wave, {:+.1} % vs. fresh), idle CPU {after_idle:.2} % of a core",
        mb(after.rss_kib),
        mb(after.anonymous_kib),
        100.0 * (after.rss_kib as f64 / warm.rss_kib as f64 - 1.0),
        100.0 * (after.rss_kib as f64 / fresh.rss_kib as f64 - 1.0),
    );
    anyhow::ensure!(errors == 0, "{errors} workshops or notes failed");
    Ok(())
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Waits until the server holds no board, or fails after a few idle periods.
async fn settle(addr: SocketAddr, plan: &Plan) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs_f64(plan.idle_board_secs * 4.0 + 10.0);
    while Instant::now() < deadline {
        if boards_loaded(addr).await? == 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    anyhow::bail!("boards still loaded {:.0} s after the last use", plan.idle_board_secs * 4.0 + 10.0)
}

async fn boards_loaded(addr: SocketAddr) -> anyhow::Result<u64> {
    let body = get(&format!("http://{addr}/metrics")).await.body;
    let value = body.lines().find_map(|l| l.strip_prefix("idetavle_boards_loaded "));
    Ok(value.ok_or_else(|| anyhow::anyhow!("no idetavle_boards_loaded in /metrics"))?.trim().parse()?)
}

#[derive(Default)]
struct Done {
    workshops: usize,
    acked: usize,
    errors: usize,
}

/// One wave: its workshops run at the same time; each is then left alone.
async fn wave(addr: SocketAddr, number: usize, plan: Plan) -> Done {
    let runs: Vec<_> = (0..plan.workshops_per_wave)
        .map(|i| {
            let plan = plan.clone();
            tokio::spawn(async move { workshop(addr, number * 10_000 + i, &plan).await })
        })
        .collect();
    let mut done = Done::default();
    for run in runs {
        match run.await {
            Ok(Ok(acked)) => {
                done.workshops += 1;
                done.acked += acked;
            }
            _ => done.errors += 1,
        }
    }
    done
}

/// A workshop: the board is made, its page opened, phones join and post, the facilitator
/// exports it, everyone leaves. Returns how many notes were acknowledged.
async fn workshop(addr: SocketAddr, number: usize, plan: &Plan) -> anyhow::Result<usize> {
    let base = format!("http://{addr}");
    let board = create_board(&base, &format!("Værksted {number}")).await;
    anyhow::ensure!(get(&board.participant_url).await.status == 200, "the participant page");
    let phones: Vec<_> = (0..plan.phones)
        .map(|p| {
            let (url, notes) = (format!("ws://{addr}/ws/{}", board.id), plan.notes);
            tokio::spawn(async move { phone(&url, p, notes).await })
        })
        .collect();
    let mut acked = 0;
    for p in phones {
        acked += p.await??;
    }
    exported(&base, &board, acked).await?;
    Ok(acked)
}

async fn exported(base: &str, board: &CreatedBoard, notes: usize) -> anyhow::Result<()> {
    let json = export(base, board).await;
    let stored = json["board"]["notes"].as_array().map_or(0, Vec::len);
    anyhow::ensure!(stored == notes, "board {} holds {stored} notes, {notes} were acknowledged", board.id);
    Ok(())
}

/// One phone: joins, posts its notes one after another, leaves.
async fn phone(url: &str, index: usize, notes: usize) -> anyhow::Result<usize> {
    let mut ws = join(url, Target::Idetavle).await?;
    for n in 0..notes {
        let id = format!("p{index}n{n}");
        let op = Op::AddNote {
            note_id: id.as_str().into(),
            lane: "ideas".into(),
            text: format!("Idé {n} fra telefon {index}"),
            author_name: None,
        };
        let msg = ClientMsg::Op { op_id: id.as_str().into(), op };
        ws.send(Message::text(serde_json::to_string(&msg)?)).await?;
        until_acked(&mut ws, &id).await?;
    }
    let _ = ws.close(None).await;
    Ok(notes)
}

async fn until_acked(ws: &mut Ws, op_id: &str) -> anyhow::Result<()> {
    while let Some(frame) = tokio::time::timeout(Duration::from_secs(30), ws.next()).await? {
        let Message::Text(text) = frame? else { continue };
        match serde_json::from_str::<ServerMsg>(&text)? {
            ServerMsg::Ack { op_id: id, .. } if id.as_str() == op_id => return Ok(()),
            ServerMsg::Error { message, .. } => anyhow::bail!("refused: {message}"),
            _ => {}
        }
    }
    anyhow::bail!("connection closed before the ack")
}
