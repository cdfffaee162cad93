//! New boards: created empty with a title, or imported from an `export.json`.

use super::{BoardError, BoardService};
use crate::auth::{hash_token, new_board_id, new_facilitator_token, new_join_code};
use crate::export::{BoardExport, EXPORT_FORMAT, EXPORT_VERSION};
use crate::store::{BoardRecord, StoreError};
use app::api::CreatedBoard;
use idetavle_core::board::workshop::Workshop;
use idetavle_core::board::{normalise_title, Actor, Board, BoardId, Change, LaneSpec};
use idetavle_core::protocol::Event;

impl BoardService {
    /// Creates an empty board with the default lanes, or with a template's (`lanes`).
    pub async fn create(
        &self,
        title: &str,
        lanes: Option<&[LaneSpec]>,
        created_at: i64,
    ) -> Result<CreatedBoard, BoardError> {
        self.create_shaped(title, lanes, created_at, None).await
    }

    /// A new board with a template's lanes and, for a workshop's plenary, a `Workshop`: both
    /// are the board's first event (`op_id`), as an import's content is. A board with neither
    /// has no first event.
    pub(super) async fn create_shaped(
        &self,
        title: &str,
        lanes: Option<&[LaneSpec]>,
        created_at: i64,
        workshop: Option<Workshop>,
    ) -> Result<CreatedBoard, BoardError> {
        // Checked before anything is stored: a bad template makes no board.
        let lanes = lanes.map(LaneSpec::lanes).transpose()?;
        let (created, record) = self.create_record(title, created_at).await?;
        if lanes.is_some() || workshop.is_some() {
            let mut board = Board::new(record.id.clone(), record.title.clone(), record.join_code.clone(), created_at);
            board.lanes = lanes.unwrap_or(board.lanes);
            let op_id = if workshop.is_some() { "workshop" } else { "template" };
            board.workshop = workshop;
            self.store_first_event(&record, op_id, board).await?;
        }
        Ok(created)
    }

    /// A new board (new id, join code and facilitator token) with the content of an export.
    pub async fn import(&self, body: &[u8]) -> Result<CreatedBoard, BoardError> {
        let export: BoardExport = serde_json::from_slice(body).map_err(|e| BoardError::NotAnExport(e.to_string()))?;
        if export.format != EXPORT_FORMAT || export.version != EXPORT_VERSION {
            return Err(BoardError::UnsupportedExport);
        }
        let board = export.board.checked_import()?;
        let (created, record) = self.create_record(&board.title, board.created_at).await?;
        self.store_first_event(&record, "import", board).await?;
        tracing::info!(board = %record.id, "board imported");
        Ok(created)
    }

    /// The whole content of a new board as its first event, stored like any other change. If
    /// that fails, the board goes again: no half-made board is left behind.
    pub(super) async fn store_first_event(
        &self,
        record: &BoardRecord,
        op_id: &str,
        board: Board,
    ) -> Result<(), BoardError> {
        let event = Event {
            seq: 1,
            op_id: op_id.into(),
            actor: Some(Actor::Facilitator),
            at: board.created_at,
            change: Change::Imported { board: Box::new(board) },
            revealed: Vec::new(),
        };
        if let Err(e) = self.hubs.store().append_events(&record.id, &[event]).await {
            if let Err(cleanup) = self.hubs.store().delete_board(&record.id).await {
                tracing::error!(board = %record.id, error = %cleanup, "a half-made board could not be removed");
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Stores a board record with a fresh id, join code and token.
    pub(super) async fn create_record(
        &self,
        title: &str,
        created_at: i64,
    ) -> Result<(CreatedBoard, BoardRecord), BoardError> {
        let title = normalise_title(title)?;
        let token = new_facilitator_token();
        let expires_at = self.retention_ms.map(|keep| created_at.saturating_add(keep));
        let record = self.insert_record(None, &title, &token, created_at, expires_at).await?;
        tracing::info!(board = %record.id, "board created");
        let created = CreatedBoard {
            participant_url: self.join_url(&record.join_code),
            facilitator_url: format!("{}/f/{}#{token}", self.public_base, record.id),
            id: record.id.clone(),
            join_code: record.join_code.clone(),
            facilitator_token: token,
        };
        Ok((created, record))
    }

    /// Stores a board record with `id` (or a fresh one) and a fresh join code. A fixed id that
    /// is taken is `StoreError::BoardExists`.
    pub(super) async fn insert_record(
        &self,
        id: Option<BoardId>,
        title: &str,
        token: &str,
        created_at: i64,
        expires_at: Option<i64>,
    ) -> Result<BoardRecord, BoardError> {
        // 30 bits of join code: collisions are rare but possible, so retry a few times.
        for _ in 0..8 {
            let record = BoardRecord {
                id: id.clone().unwrap_or_else(new_board_id),
                title: title.to_owned(),
                join_code: new_join_code(),
                token_hash: hash_token(token),
                created_at,
                expires_at,
            };
            match self.hubs.store().create_board(&record).await {
                Ok(()) => return Ok(record),
                Err(StoreError::BoardExists) if id.is_some() => return Err(StoreError::BoardExists.into()),
                Err(StoreError::JoinCodeTaken | StoreError::BoardExists) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(BoardError::NoFreeJoinCode)
    }
}
