//! Answers the pages' questions (`app::api::Boards`) from the boards service, and finds a
//! phone's board before its page renders ([`find_joined_board`]).

use crate::boards::BoardError;
use crate::hub::Hub;
use crate::state::AppState;
use app::api::suggest::{SuggestError, SuggestRequest, Suggested};
use app::api::workshop::{GatherRequest, GatherResult, Overview, TableAction};
use app::api::{BoardPage, Boards, BoardsContext, BoardsError, CreatedBoard, TableLink};
use idetavle_core::board::audience::Audience;
use idetavle_core::board::{BoardId, LaneSpec};
use std::sync::Arc;

pub struct PageBoards {
    state: AppState,
}

impl PageBoards {
    pub fn context(state: &AppState) -> BoardsContext {
        BoardsContext(Arc::new(PageBoards { state: state.clone() }))
    }

    /// Rendered before we know who is looking: the public view (hidden notes masked).
    async fn page(&self, hub: Hub) -> Result<BoardPage, BoardsError> {
        let board = hub.snapshot().await.ok_or(BoardsError::Unavailable)?.view_for(&Audience::Public);
        let join_url = self.state.boards.join_url(&board.join_code);
        Ok(BoardPage { board, join_url })
    }
}

impl PageBoards {
    /// The board a join code opens (the page of a phone: [`find_joined_board`]). `ip`: who
    /// asks, for the limit on guessed codes.
    async fn page_by_code(&self, code: &str, ip: Option<std::net::IpAddr>) -> Result<Option<BoardPage>, BoardsError> {
        match self.state.boards.by_join_code(code, ip).await.map_err(page_error)? {
            Some(hub) => self.page(hub).await.map(Some),
            None => Ok(None),
        }
    }
}

/// Middleware: a phone's page (`/j/{code}`) gets its board before leptos renders it, as an
/// [`app::pages::JoinedBoard`] in the request (why: `app/src/pages/joined.rs`). An unknown
/// code, too many guesses or a failure all show the page for an unknown board, as before.
pub async fn find_joined_board(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let code = app::pages::join_code_in(request.uri().path()).and_then(app::api::normalise_join_code);
    if let Some(code) = code {
        let ip = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        let page = PageBoards { state }.page_by_code(&code, ip).await.ok().flatten().map(Arc::new);
        request.extensions_mut().insert(app::pages::JoinedBoard(page));
    }
    next.run(request).await
}

/// What a page may learn of a failure; the details go to the log.
fn page_error(e: BoardError) -> BoardsError {
    match e {
        BoardError::TooManyGuesses => BoardsError::TooManyGuesses,
        BoardError::Invalid(e) => BoardsError::Invalid(e.code()),
        BoardError::Unauthorized => BoardsError::Unauthorized,
        other => {
            tracing::error!(error = %other, "a page's board request failed");
            BoardsError::Unavailable
        }
    }
}

#[async_trait::async_trait]
impl Boards for PageBoards {
    async fn page_by_id(&self, id: &BoardId) -> Result<Option<BoardPage>, BoardsError> {
        match self.state.boards.hub(id).await {
            Ok(hub) => self.page(hub).await.map(Some),
            Err(BoardError::NotFound) => Ok(None),
            Err(e) => Err(page_error(e)),
        }
    }

    async fn create(
        &self,
        title: &str,
        lanes: Option<Vec<LaneSpec>>,
        workshop: bool,
    ) -> Result<CreatedBoard, BoardsError> {
        let (boards, now) = (&self.state.boards, crate::clock::now_ms());
        let created = match workshop {
            true => boards.create_workshop(title, lanes.as_deref(), now).await,
            false => boards.create(title, lanes.as_deref(), now).await,
        };
        created.map_err(page_error)
    }

    async fn open_tables(&self, plenary: &BoardId, token: &str, count: u32) -> Result<Vec<TableLink>, BoardsError> {
        self.state.boards.open_tables(plenary, token, count).await.map_err(page_error)
    }

    async fn overview(&self, plenary: &BoardId, token: &str, detail: Option<u32>) -> Result<Overview, BoardsError> {
        self.state.boards.overview(plenary, token, detail).await.map_err(page_error)
    }

    async fn for_all_tables(&self, plenary: &BoardId, token: &str, action: TableAction) -> Result<u32, BoardsError> {
        self.state.boards.for_all_tables(plenary, token, action).await.map_err(page_error)
    }

    async fn gather(
        &self,
        plenary: &BoardId,
        token: &str,
        request: GatherRequest,
    ) -> Result<GatherResult, BoardsError> {
        self.state.boards.gather(plenary, token, request).await.map_err(page_error)
    }

    async fn suggest(&self, id: &BoardId, token: &str, request: SuggestRequest) -> Result<Suggested, SuggestError> {
        let hub = self.state.boards.authorised(id, Some(token)).await.map_err(|e| match e {
            BoardError::NotFound => SuggestError::NotFound,
            BoardError::Unauthorized => SuggestError::Unauthorized,
            other => {
                tracing::error!(error = %other, "suggestions: the board could not be loaded");
                SuggestError::Unavailable
            }
        })?;
        let board = hub.snapshot().await.ok_or(SuggestError::Unavailable)?;
        // Up to a few hundred ms of CPU for a big board: not on the runtime's workers.
        tokio::task::spawn_blocking(move || crate::suggest::suggestions(&board, &request))
            .await
            .map_err(|_| SuggestError::Unavailable)
    }
}
