//! Answers the pages' questions (`app::api::Boards`) from the running hubs.

use crate::http::boards::create_board;
use crate::state::AppState;
use app::api::{BoardPage, Boards, BoardsContext, CreatedBoard};
use idetavle_core::board::audience::Audience;
use idetavle_core::board::BoardId;
use std::sync::Arc;

/// The address of the request being served (pages and server functions alike).
fn peer_ip() -> Option<std::net::IpAddr> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?;
    Some(info.0.ip())
}

pub struct PageBoards {
    state: AppState,
}

impl PageBoards {
    pub fn context(state: &AppState) -> BoardsContext {
        BoardsContext(Arc::new(PageBoards { state: state.clone() }))
    }

    fn join_url(&self, code: &str) -> String {
        format!("{}/j/{code}", self.state.public_base)
    }
}

#[async_trait::async_trait]
impl Boards for PageBoards {
    /// Join codes are short (about 30 bits), so wrong guesses are counted per address and cut
    /// off after `--max-failed-joins-per-minute`; right codes never count.
    async fn page_by_code(&self, code: &str) -> Result<Option<BoardPage>, String> {
        let ip = peer_ip();
        if let Some(ip) = ip {
            if !self.state.limits.may_try_join_code(ip) {
                tracing::warn!(%ip, "join code lookups refused: too many wrong codes");
                return Err("too many wrong join codes; wait a minute".into());
            }
        }
        let id = self.state.hubs.store().board_id_by_code(code).await.map_err(|e| e.to_string())?;
        match id {
            Some(id) => self.page_by_id(&id).await,
            None => {
                if let Some(ip) = ip {
                    self.state.limits.join_code_failed(ip);
                }
                Ok(None)
            }
        }
    }

    async fn page_by_id(&self, id: &BoardId) -> Result<Option<BoardPage>, String> {
        let Some(hub) = self.state.hubs.get(id).await.map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        // Rendered before we know who is looking: the public view (hidden notes masked).
        let board = hub.snapshot().await.ok_or("the board is restarting")?.view_for(&Audience::Public);
        let join_url = self.join_url(&board.join_code);
        Ok(Some(BoardPage { board, join_url }))
    }

    async fn create(&self, title: &str) -> Result<CreatedBoard, String> {
        create_board(&self.state, title).await.map_err(|e| e.to_string())
    }
}
