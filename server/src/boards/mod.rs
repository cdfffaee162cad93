//! The boards service: create, import, find by join code (with its guessing limit), check a
//! facilitator's token, delete, expire and purge. `http/` and `pages.rs` are thin callers;
//! nothing here knows about HTTP or pages.

mod create;
mod purge;
mod tables;
mod workshop;

pub use purge::purge_expired_boards;
pub use workshop::{seat_check, seated_at};

use crate::auth::token_matches;
use crate::hub::{Hub, Hubs};
use crate::limits::Limits;
use crate::store::StoreError;
use idetavle_core::board::{BoardId, OpError};
use idetavle_core::dates::day_start_ms;
use std::net::IpAddr;
use std::sync::Arc;

/// Why a board request was refused.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("no such board")]
    NotFound,
    #[error("a valid facilitator token is required")]
    Unauthorized,
    #[error("{0}")]
    Invalid(#[from] OpError),
    #[error("not an Idétavle export: {0}")]
    NotAnExport(String),
    #[error("expected format {format} version {version}", format = crate::export::EXPORT_FORMAT, version = crate::export::EXPORT_VERSION)]
    UnsupportedExport,
    #[error("expires_on must be a date like 2027-01-31")]
    InvalidDate,
    #[error("too many wrong join codes; wait a minute")]
    TooManyGuesses,
    #[error("the board is restarting; try again")]
    Restarting,
    #[error("no free join code after 8 tries")]
    NoFreeJoinCode,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Every board of this server, as the HTTP API and the pages ask for them.
pub struct BoardService {
    hubs: Arc<Hubs>,
    limits: Arc<Limits>,
    /// Base of every absolute link handed out, e.g. `http://127.0.0.1:3000`.
    public_base: Arc<str>,
    /// How long new boards live, in ms; `None`: until deleted.
    retention_ms: Option<i64>,
}

impl BoardService {
    pub fn new(hubs: Arc<Hubs>, limits: Arc<Limits>, public_base: Arc<str>, retention_ms: Option<i64>) -> Self {
        BoardService { hubs, limits, public_base, retention_ms }
    }

    /// The link participants join by (what the QR code holds).
    pub fn join_url(&self, code: &str) -> String {
        format!("{}/j/{code}", self.public_base)
    }

    /// The running hub of a board, or `NotFound`.
    pub async fn hub(&self, id: &BoardId) -> Result<Hub, BoardError> {
        self.hubs.get(id).await?.ok_or(BoardError::NotFound)
    }

    /// The hub of a board whose facilitator token is presented. Board ids are not secret, so an
    /// unknown board is `NotFound` before the token is looked at.
    pub async fn authorised(&self, id: &BoardId, token: Option<&str>) -> Result<Hub, BoardError> {
        let hub = self.hub(id).await?;
        match token {
            Some(token) if token_matches(token, &hub.record.token_hash) => Ok(hub),
            _ => Err(BoardError::Unauthorized),
        }
    }

    /// The board a join code opens. Join codes are short (about 30 bits), so wrong guesses are
    /// counted per address and cut off after `--max-failed-joins-per-minute`; right codes never
    /// count. `ip` is `None` only for in-process callers.
    pub async fn by_join_code(&self, code: &str, ip: Option<IpAddr>) -> Result<Option<Hub>, BoardError> {
        if let Some(ip) = ip.filter(|ip| !self.limits.may_try_join_code(*ip)) {
            tracing::warn!(%ip, "join code lookups refused: too many wrong codes");
            return Err(BoardError::TooManyGuesses);
        }
        match self.hubs.store().board_id_by_code(code).await? {
            Some(id) => self.hubs.get(&id).await.map_err(BoardError::from),
            None => {
                if let Some(ip) = ip {
                    self.limits.join_code_failed(ip);
                }
                Ok(None)
            }
        }
    }

    /// Deletes a board with everything on it (a workshop's plenary: with its tables);
    /// connected screens are told `board_deleted`. Catalogue entries promoted from it stay:
    /// they are the municipality's record.
    pub async fn delete(&self, id: &BoardId) -> Result<(), BoardError> {
        self.hubs.delete(id).await?;
        self.delete_tables_of(id).await
    }

    /// Sets (`Some("2027-01-31")`: purged at the start of that day, UTC) or clears a board's
    /// expiry; returns the new expiry time.
    pub async fn set_expiry(&self, id: &BoardId, expires_on: Option<&str>) -> Result<Option<i64>, BoardError> {
        let expires_at = match expires_on {
            None => None,
            Some(date) => Some(day_start_ms(date).ok_or(BoardError::InvalidDate)?),
        };
        self.hubs.store().set_board_expiry(id, expires_at).await?;
        self.set_tables_expiry(id, expires_at).await?; // a workshop's tables go with its plenary
        Ok(expires_at)
    }
}
