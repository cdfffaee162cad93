//! New boards: created empty with a title, or imported from an `export.json`.

use super::{BoardError, BoardService};
use crate::auth::{hash_token, new_board_id, new_facilitator_token, new_join_code};
use crate::export::{BoardExport, EXPORT_FORMAT, EXPORT_VERSION};
use crate::store::{BoardRecord, StoreError};
use app::api::CreatedBoard;
use idetavle_core::board::{normalise_title, Actor, Change};
use idetavle_core::protocol::Event;

impl BoardService {
    /// Creates an empty board with the default lanes.
    pub async fn create(&self, title: &str, created_at: i64) -> Result<CreatedBoard, BoardError> {
        self.create_record(title, created_at).await.map(|(created, _)| created)
    }

    /// A new board (new id, join code and facilitator token) with the content of an export.
    pub async fn import(&self, body: &[u8]) -> Result<CreatedBoard, BoardError> {
        let export: BoardExport = serde_json::from_slice(body).map_err(|e| BoardError::NotAnExport(e.to_string()))?;
        if export.format != EXPORT_FORMAT || export.version != EXPORT_VERSION {
            return Err(BoardError::UnsupportedExport);
        }
        let board = export.board.checked_import()?;
        let (created, record) = self.create_record(&board.title, board.created_at).await?;
        // The whole content is the board's first event, so it is stored like any other change.
        let event = Event {
            seq: 1,
            op_id: "import".into(),
            actor: Some(Actor::Facilitator),
            at: board.created_at,
            change: Change::Imported { board: Box::new(board) },
            revealed: Vec::new(),
        };
        self.hubs.store().append_events(&record.id, &[event]).await?;
        tracing::info!(board = %record.id, "board imported");
        Ok(created)
    }

    /// Stores a board record with a fresh id, join code and token.
    async fn create_record(&self, title: &str, created_at: i64) -> Result<(CreatedBoard, BoardRecord), BoardError> {
        let title = normalise_title(title)?;
        let token = new_facilitator_token();
        // 30 bits of join code: collisions are rare but possible, so retry a few times.
        for _ in 0..8 {
            let record = BoardRecord {
                id: new_board_id(),
                title: title.clone(),
                join_code: new_join_code(),
                token_hash: hash_token(&token),
                created_at,
                expires_at: self.retention_ms.map(|keep| created_at.saturating_add(keep)),
            };
            match self.hubs.store().create_board(&record).await {
                Ok(()) => {
                    tracing::info!(board = %record.id, "board created");
                    let base = &self.public_base;
                    let created = CreatedBoard {
                        participant_url: self.join_url(&record.join_code),
                        facilitator_url: format!("{base}/f/{}#{token}", record.id),
                        id: record.id.clone(),
                        join_code: record.join_code.clone(),
                        facilitator_token: token,
                    };
                    return Ok((created, record));
                }
                Err(StoreError::JoinCodeTaken | StoreError::BoardExists) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(BoardError::NoFreeJoinCode)
    }
}
