//! What every request handler may use, built once at start-up.

use crate::boards::BoardService;
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::hub::Hubs;
use crate::limits::Limits;
use crate::origin::Origins;
use crate::store::Store;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub hubs: Arc<Hubs>,
    /// Create, import, find, authorise, delete and expire boards.
    pub boards: Arc<BoardService>,
    pub catalogue: Arc<Catalogue>,
    pub limits: Arc<Limits>,
    /// Base of every absolute link we hand out, e.g. `http://127.0.0.1:3000`.
    pub public_base: Arc<str>,
    /// Whose pages may open a websocket.
    pub origins: Arc<Origins>,
    /// Flips to `true` when the server shuts down, so websockets close cleanly.
    pub shutdown: watch::Receiver<bool>,
    /// Every open websocket, so shutdown can wait for them to close.
    pub sockets: TaskTracker,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// Builds the state; creates the catalogue editor token on first run (and logs its link).
    pub async fn new(
        store: Arc<dyn Store>,
        config: &Config,
        bound: SocketAddr,
        shutdown: watch::Receiver<bool>,
    ) -> anyhow::Result<Self> {
        let public_base: Arc<str> = config.public_base(bound).into();
        let origins = Arc::new(Origins::new(config.public_url.as_deref(), &public_base, &config.allowed_origins));
        let hubs = Arc::new(Hubs::configured(Arc::clone(&store), config.hubs()));
        let limits = Limits::new(config.limits());
        let board_retention_ms =
            (config.board_retention_days > 0).then(|| i64::from(config.board_retention_days) * 86_400_000);
        let boards = Arc::new(BoardService::new(
            Arc::clone(&hubs),
            Arc::clone(&limits),
            Arc::clone(&public_base),
            board_retention_ms,
        ));
        let (catalogue, created) =
            Catalogue::open(store, Arc::clone(&boards), config.catalogue_token.as_deref()).await?;
        if let Some(token) = created {
            // Printed once, by design: the operator needs it and it is never stored in clear.
            tracing::warn!("catalogue editor link (shown only now, keep it safe): {public_base}/katalog#{token}");
        }
        let leptos = LeptosOptions::builder()
            .output_name("idetavle")
            .site_root(config.site_dir.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(bound)
            .build();
        Ok(AppState {
            leptos,
            hubs,
            boards,
            catalogue: Arc::new(catalogue),
            limits,
            public_base,
            origins,
            shutdown,
            sockets: TaskTracker::new(),
        })
    }
}
