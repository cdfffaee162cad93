//! Load generator (issue 6). `cargo run -p tests --release --bin loadgen -- --clients 1000`
//! runs the burst scenario against Idétavle, a bare broadcast server (the limit) and
//! y-websocket's server (the peer, under Node.js), each started as a child process, and prints
//! the three reports and Idétavle's ratios to the other two.
//! `serve-idetavle …` and `serve-limit --addr …` are child processes of this binary.

use clap::Parser;
use std::time::Duration;
use tests::loadgen::{self, report::ratio, Scenario, Target};

#[derive(Parser)]
#[command(about = "Idétavle's load generator: burst posting to one board, vs. a bare broadcast server and y-websocket")]
struct Args {
    /// Clients on the board; each posts one note.
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// The window in which every client posts once, in seconds.
    #[arg(long, default_value_t = 10.0)]
    burst_secs: f64,
    /// Which targets: idetavle, limit, peer (y-websocket), both (idetavle and limit) or all.
    #[arg(long, default_value = "all")]
    target: String,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Instead of the burst: hold this many idle connections, spread over `--boards` boards,
    /// and report the server's memory.
    #[arg(long)]
    idle: Option<usize>,
    #[arg(long, default_value_t = 100)]
    boards: usize,
    /// Instead of the burst: `--clients` connections keep 32 notes each in flight for this many
    /// seconds; reports durable ops per second.
    #[arg(long)]
    sustained_secs: Option<f64>,
    /// Boards the sustained run's clients are spread over (each client receives every note of
    /// its board).
    #[arg(long, default_value_t = 1)]
    sustained_boards: usize,
    /// Instead of the burst: waves of workshops open, run and go idle for this many seconds
    /// (issue 22); reports the server's memory and idle CPU before and after.
    #[arg(long)]
    soak_secs: Option<f64>,
    /// Workshops per soak wave (each: a page, `--soak-phones` phones posting 3 notes, an export).
    #[arg(long, default_value_t = 50)]
    soak_workshops: usize,
    #[arg(long, default_value_t = 6)]
    soak_phones: usize,
    /// Seconds between soak waves.
    #[arg(long, default_value_t = 10.0)]
    soak_wave_secs: f64,
    /// The server's `--idle-board-secs` in the soak (short: the accelerated clock).
    #[arg(long, default_value_t = 5.0)]
    soak_idle_secs: f64,
    /// Instead of the burst: write a board of this many events to SQLite and time loading it,
    /// from the whole log and from a snapshot.
    #[arg(long)]
    load_events: Option<usize>,
    /// Idétavle on PostgreSQL (a throwaway cluster started for the run) instead of SQLite; for
    /// the burst and the sustained run.
    #[arg(long)]
    postgres: bool,
    /// Idétavle instances sharing the database (needs --postgres); clients are split evenly.
    #[arg(long, default_value_t = 1)]
    instances: usize,
    /// Instead of the burst: a workshop of this many people at `--workshop-tables` tables,
    /// each posting once within `--burst-secs` (issue 18): delivery per table and the
    /// overview's cost.
    #[arg(long)]
    workshop_people: Option<usize>,
    #[arg(long, default_value_t = 15)]
    workshop_tables: u32,
}

fn main() -> anyhow::Result<()> {
    let mut argv: Vec<String> = std::env::args().collect();
    match argv.get(1).map(String::as_str) {
        Some("serve-idetavle") => {
            argv.remove(1);
            let config = server::Config::parse_from(argv);
            return server::runtime()?.block_on(async move {
                let listener = tokio::net::TcpListener::bind(config.addr).await?;
                server::run(listener, config, std::future::pending()).await
            });
        }
        Some("serve-limit") => {
            let addr = argv.get(3).cloned().unwrap_or_else(|| "127.0.0.1:0".into());
            return tokio::runtime::Runtime::new()?
                .block_on(async move { loadgen::limit::serve(tokio::net::TcpListener::bind(addr).await?).await });
        }
        _ => {}
    }
    let args = Args::parse();
    let files = loadgen::raise_fd_limit();
    let scenario = Scenario { clients: args.clients, burst: Duration::from_secs_f64(args.burst_secs), seed: args.seed };
    let me = std::env::current_exe()?;
    let targets: Vec<Target> = match args.target.as_str() {
        "idetavle" => vec![Target::Idetavle],
        "limit" => vec![Target::Limit],
        "peer" => vec![Target::Peer],
        "both" => vec![Target::Idetavle, Target::Limit],
        "all" => vec![Target::Idetavle, Target::Limit, Target::Peer],
        other => anyhow::bail!("unknown --target {other:?}: idetavle, limit, peer, both or all"),
    };
    println!("loadgen: open-file limit {files}");
    let runtime = tokio::runtime::Runtime::new()?;
    if let Some(idle) = args.idle {
        let server = loadgen::ServerChild::start(&me, Target::Idetavle)?;
        let per_board = idle.div_ceil(args.boards.max(1));
        let rss_before = server.peak_rss_kib();
        let ((), joined) =
            runtime.block_on(loadgen::client::hold_idle(server.addr, args.boards, per_board, || async {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }))?;
        let mb = |k: Option<u64>| k.map_or("?".into(), |k| format!("{:.1} MB", k as f64 / 1024.0));
        println!(
            "[idle] {} connections over {} boards joined in {:.1} s; server RSS {} before, peak {} with all connected",
            per_board * args.boards,
            args.boards,
            joined.as_secs_f64(),
            mb(rss_before),
            mb(server.peak_rss_kib()),
        );
        runtime.shutdown_background();
        return Ok(());
    }
    if let Some(people) = args.workshop_people {
        let server = loadgen::ServerChild::start(&me, Target::Idetavle)?;
        let plan = loadgen::workshop::Plan {
            people,
            tables: args.workshop_tables,
            burst: Duration::from_secs_f64(args.burst_secs),
            seed: args.seed,
        };
        let result = runtime.block_on(loadgen::workshop::run(server.addr, &plan));
        runtime.shutdown_background();
        return result;
    }
    if let Some(events) = args.load_events {
        let result = runtime.block_on(loadgen::load_time::run(events));
        runtime.shutdown_background();
        return result;
    }
    if let Some(secs) = args.soak_secs {
        let plan = loadgen::soak::Plan {
            duration: Duration::from_secs_f64(secs),
            wave_every: Duration::from_secs_f64(args.soak_wave_secs),
            workshops_per_wave: args.soak_workshops,
            phones: args.soak_phones,
            notes: 3,
            idle_board_secs: args.soak_idle_secs,
        };
        let result = runtime.block_on(loadgen::soak::run(&me, &plan));
        runtime.shutdown_background();
        return result;
    }
    if let Some(secs) = args.sustained_secs {
        let deployment = loadgen::Deployment::start(&me, args.instances, args.postgres)?;
        let boards = args.sustained_boards;
        let run = runtime.block_on(loadgen::client::sustained(
            &deployment.addrs(),
            args.clients,
            boards,
            32,
            Duration::from_secs_f64(secs),
        ))?;
        let (commits, seconds) = runtime.block_on(deployment.commits());
        println!(
            "[sustained] {}: {} clients on {boards} board(s) × 32 in flight for {secs:.0} s: {:.0} durable ops/s · {} errors · {} connections lost · {:.0} commits/s of {:.1} ops, {:.2} ms each on average",
            deployment.describe(), args.clients, run.ops_per_sec, run.errors, run.lost,
            commits / secs, run.ops_per_sec * secs / commits.max(1.0), 1000.0 * seconds / commits.max(1.0)
        );
        runtime.shutdown_background();
        return Ok(());
    }
    if targets.contains(&Target::Peer) {
        loadgen::peer::ensure_installed()?; // before any run, so a failed install fails early
    }
    println!("burst: {} clients, each posts once within {:.1} s", args.clients, args.burst_secs);
    if args.postgres || args.instances > 1 {
        // Idétavle as deployed on PostgreSQL (one instance or several), clients split over them.
        let deployment = loadgen::Deployment::start(&me, args.instances, args.postgres)?;
        let report = runtime.block_on(loadgen::run_deployed(&deployment, &scenario))?;
        println!("[{}] {report}", deployment.describe());
        runtime.shutdown_background();
        anyhow::ensure!(report.errors == 0 && report.missing == 0, "some notes were not delivered or errors occurred");
        return Ok(());
    }
    let mut reports = Vec::new();
    for target in targets {
        let report = runtime.block_on(loadgen::run(&me, target, &scenario))?;
        println!("{report}");
        reports.push(report);
    }
    // Idle pooled HTTP connections and resolver threads would hold the runtime's drop for a while.
    runtime.shutdown_background();
    let of = |target: Target| reports.iter().find(|r| r.target == target.name());
    if let (Some(ours), Some(limit)) = (of(Target::Idetavle), of(Target::Limit)) {
        println!(
            "idetavle / limit: delivery p50 {} · p99 {} · max {}",
            ratio(ours.delivery.p50, limit.delivery.p50),
            ratio(ours.delivery.p99, limit.delivery.p99),
            ratio(ours.delivery.max, limit.delivery.max),
        );
    }
    if let (Some(ours), Some(peer)) = (of(Target::Idetavle), of(Target::Peer)) {
        // The peer's ack is y-websocket's echo of the sender's own update (it sends every update
        // to the whole room); Idétavle's is its ack after the commit.
        println!(
            "idetavle / peer: delivery p50 {} · p99 {} · max {} · ack p50 {} · p99 {} (peer ack = its echo of the update)",
            ratio(ours.delivery.p50, peer.delivery.p50),
            ratio(ours.delivery.p99, peer.delivery.p99),
            ratio(ours.delivery.max, peer.delivery.max),
            ratio(ours.ack.p50, peer.ack.p50),
            ratio(ours.ack.p99, peer.ack.p99),
        );
    }
    let failed = reports.iter().any(|r| r.errors > 0 || r.missing > 0);
    anyhow::ensure!(!failed, "some notes were not delivered or errors occurred");
    Ok(())
}
