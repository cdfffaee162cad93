//! Idétavle's server.
//!
//! Module map:
//! - [`config`]: command line / environment settings.
//! - [`state`]: `AppState`, what every request handler may use; [`clock`]: the server's clock.
//! - [`routes`]: `app(state) -> Router`, every route in one place; tests call it without a port.
//! - [`http`]: JSON API and form handlers (create, import, join by code, exports, health), thin
//!   callers of [`boards`]: the boards service (create, import, find by join code with its
//!   guessing limit, token check, delete, expiry and purge).
//! - [`export`]: boards and the catalogue as Markdown, CSV and versioned JSON (pure, golden-tested).
//! - [`catalogue`]: the idékatalog service: editor token, who may change what, one writer.
//! - [`pages`]: how server-rendered pages get their boards (implements `app::api::Boards`).
//! - [`suggest`]: suggested groups for a board's notes (`idetavle-suggest`, run here only).
//! - [`ws`]: one websocket connection: handshake, limits, liveness.
//! - [`hub`]: one task per board that sequences, commits, then acknowledges and broadcasts.
//! - [`store`]: the `Store` trait, SQLite (default), PostgreSQL (several instances) and an
//!   in-memory twin for tests; [`migrate`]: `idetavle migrate`, from SQLite to PostgreSQL.
//! - [`auth`]: ids, join codes, facilitator tokens, participant ids.
//! - [`limits`]: connections per address and board, write rate, join-code guessing.
//! - [`metrics`]: what `/metrics` counts (Prometheus text format).
//! - [`origin`]: whose pages may open a websocket.
//!
//! [`run`] serves on a listener until a shutdown future resolves; `main.rs` only parses the
//! command line and calls it.

// The phone's page renders its board without a `Suspense` (app/src/pages/joined.rs), so its
// whole view is one type: deeper than the default limit lets the router's `into_any` lay out.
#![recursion_limit = "256"]

pub mod auth;
pub mod boards;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod export;
pub mod http;
pub mod hub;
pub mod limits;
pub mod metrics;
pub mod migrate;
pub mod origin;
pub mod pages;
pub mod routes;
pub mod state;
pub mod store;
pub mod suggest;
pub mod ws;

pub use config::Config;
pub use routes::app;
pub use state::AppState;

use anyhow::Context;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use store::{DataDirLock, PostgresStore, SqliteStore, Store};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long shutdown waits for open websockets to take their close frame.
const SOCKETS_GRACE: Duration = Duration::from_secs(5);

/// The binary's whole life: [`main_from_cli`]; a failure is one line on stderr that says what
/// and where (`{:#}` joins the causes), and exit code 1; never a backtrace.
pub fn cli() -> std::process::ExitCode {
    match main_from_cli() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idetavle: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Parses the command line, logs with `tracing` (filter with `RUST_LOG`), serves until Ctrl-C
/// or SIGTERM.
pub fn main_from_cli() -> anyhow::Result<()> {
    use clap::Parser;
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    if let Some(config::Tool::Migrate { from_sqlite, to }) = &config.tool {
        let copied = runtime()?.block_on(migrate::sqlite_to_postgres(from_sqlite, to))?;
        println!("{copied}");
        return Ok(());
    }
    runtime()?.block_on(async {
        let listener =
            TcpListener::bind(config.addr).await.with_context(|| format!("could not listen on {}", config.addr))?;
        run(listener, config, shutdown_signal()).await
    })
}

/// Most threads for blocking work (SQLite calls, file reads). SQLite has one connection, so more
/// would only queue on it; and every thread that ever ran leaves its stack in glibc's cache of
/// thread stacks, resident for the rest of the process's life: with tokio's default (512), a
/// burst of work left a server that had let go of every board 7 MB larger (the soak, BENCHMARKS.md).
const MAX_BLOCKING_THREADS: usize = 8;

/// The server's runtime: a worker per core, a few threads for blocking work.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    fewer_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(MAX_BLOCKING_THREADS).build()
}

/// glibc gives each thread that allocates at once an arena of its own, up to 8 per core, and
/// keeps what a burst freed in each: after a day of workshops an idle server held several MB it
/// no longer used. One arena per core (a worker each) is enough (BENCHMARKS.md, months of uptime).
fn fewer_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
        // SAFETY: mallopt only sets a malloc tunable; it runs before the runtime's threads start.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, i32::try_from(cores).unwrap_or(i32::MAX));
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Serves Idétavle on `listener` with the SQLite store in `config.data_dir` until `shutdown`
/// resolves; open websockets are then asked to reconnect (to the next server) and closed.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    if let Some(url) = config.database_url.clone() {
        let store: Arc<dyn Store> = Arc::new(PostgresStore::connect(&url).await?);
        return run_with_store(listener, config, store, shutdown).await;
    }
    // Held until this server has stopped (not as long as the store lives: a test may start
    // the next server in the same process).
    let _claim = DataDirLock::acquire(&config.data_dir)?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&config.data_dir)?);
    run_with_store(listener, config, store, shutdown).await
}

/// [`run`] with a given store (tests use this with `MemoryStore`).
pub async fn run_with_store(
    listener: TcpListener,
    config: Config,
    store: Arc<dyn Store>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let bound = listener.local_addr()?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let state = AppState::new(store, &config, bound, stop_rx).await?;
    tracing::info!(addr = %bound, public = %state.public_base, data_dir = %config.data_dir.display(), "Idétavle is listening");
    let every = std::time::Duration::from_secs(config.purge_interval_secs.max(1));
    let purge = tokio::spawn(boards::purge_expired_boards(std::sync::Arc::clone(&state.boards), every));
    // Other instances sharing the store (PostgreSQL): their commits, deletions and presence.
    let follow = state.hubs.notices().map(|notices| tokio::spawn(Arc::clone(&state.hubs).follow(notices)));
    let sockets = state.sockets.clone();
    let hubs = std::sync::Arc::clone(&state.hubs);
    let router = app(state);
    // Small frames (an ack right after an event) must not wait for Nagle's algorithm and the
    // peer's delayed ACK (up to 40 ms on Linux).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        })
        .await?;
    purge.abort();
    let _ = purge.await;
    if let Some(follow) = follow {
        follow.abort();
        let _ = follow.await;
    }
    // The HTTP server has stopped; upgraded websockets are not its to wait for. Each has been
    // told to close (4000: reconnect to the next server); wait until they have, within reason,
    // so no socket is cut off without its close frame when the runtime stops.
    sockets.close();
    if tokio::time::timeout(SOCKETS_GRACE, sockets.wait()).await.is_err() {
        tracing::warn!(open = sockets.len(), "some websockets did not close in time");
    }
    // No board's hub may outlive `run`: a runtime stopping under a hub that polls its timer
    // panics, and the next server in the same process must load each board afresh.
    hubs.stop_all(SOCKETS_GRACE).await;
    Ok(())
}
