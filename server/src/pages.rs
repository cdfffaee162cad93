//! Answers the pages' questions (`app::api::Boards`) from the running hubs.

use crate::{http::boards::create_board, AppState};
use app::api::{BoardPage, Boards, BoardsContext, CreatedBoard};
use app::board::audience::Audience;
use app::board::BoardId;
use std::sync::Arc;

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
    async fn page_by_code(&self, code: &str) -> Result<Option<BoardPage>, String> {
        let id = self.state.hubs.store().board_id_by_code(code).await.map_err(|e| e.to_string())?;
        match id {
            Some(id) => self.page_by_id(&id).await,
            None => Ok(None),
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
