//! Workshops: a plenary board with a [`Workshop`] in it (its join code and token are the
//! workshop's) and a board per table, `{plenary}-t{number}`, opened when the facilitator asks
//! for them. A table's facilitator token (its host's link) is derived from the workshop's
//! ([`table_token`]), so only hashes are stored. Deleting the plenary deletes its tables.

use super::{BoardError, BoardService};
use crate::auth::{participant_id, table_token};
use crate::hub::Hubs;
use crate::store::BoardRecord;
use crate::store::StoreError;
use app::api::{CreatedBoard, TableLink};
use idetavle_core::board::{Board, BoardId, Lane, LaneSpec, OpError, ParticipantId, MAX_TITLE_CHARS};
use idetavle_core::workshop::forming::MAX_TABLES;
use idetavle_core::workshop::{table_board_id, table_of_id, TableOf, Workshop};

impl BoardService {
    /// A new workshop: its plenary board, with the default lanes or a template's; every table
    /// gets the same lanes.
    pub async fn create_workshop(
        &self,
        title: &str,
        lanes: Option<&[LaneSpec]>,
        created_at: i64,
    ) -> Result<CreatedBoard, BoardError> {
        let created = self.create_shaped(title, lanes, created_at, Some(Workshop::default())).await?;
        tracing::info!(board = %created.id, "workshop created");
        Ok(created)
    }

    /// Opens the boards of tables `1..=count` that are not open yet (the plenary's facilitator
    /// only) and returns every table's links.
    pub async fn open_tables(&self, plenary: &BoardId, token: &str, count: u32) -> Result<Vec<TableLink>, BoardError> {
        let hub = self.authorised(plenary, Some(token)).await?;
        let board = hub.snapshot().await.ok_or(BoardError::Restarting)?;
        if board.workshop.is_none() {
            return Err(BoardError::Invalid(OpError::NotAWorkshop));
        }
        if !(1..=MAX_TABLES as u32).contains(&count) {
            return Err(BoardError::Invalid(OpError::InvalidTables { max: MAX_TABLES }));
        }
        let mut links = Vec::new();
        for number in 1..=count {
            let id = table_board_id(plenary, number);
            let host_token = table_token(token, &id);
            let join_code = self.open_table(&board, &hub.record, number, &host_token).await?;
            let host_url = format!("{}/f/{id}#{host_token}", self.public_base);
            links.push(TableLink { number, board_id: id, join_code, host_url, host_token });
        }
        Ok(links)
    }

    /// Opens table `number`'s board with the plenary's lanes, unless it is open (asked again, or
    /// by another instance at the same time); its join code.
    async fn open_table(
        &self,
        plenary: &Board,
        plenary_record: &BoardRecord,
        number: u32,
        host_token: &str,
    ) -> Result<String, BoardError> {
        let id = table_board_id(&plenary.id, number);
        let title: String = format!("{} · {number}", plenary.title).chars().take(MAX_TITLE_CHARS).collect();
        let inserted =
            self.insert_record(Some(id.clone()), &title, host_token, plenary.created_at, plenary_record.expires_at);
        let record = match inserted.await {
            Ok(record) => record,
            Err(BoardError::Store(StoreError::BoardExists)) => {
                return Ok(self.hub(&id).await?.record.join_code.clone())
            }
            Err(e) => return Err(e),
        };
        let mut table = Board::new(id, title, record.join_code.clone(), plenary.created_at);
        table.lanes = plenary.lanes.iter().map(|l| Lane { hidden: false, ..l.clone() }).collect();
        table.table_of = Some(TableOf { plenary: plenary.id.clone(), number });
        self.store_first_event(&record, "table", table).await?;
        Ok(record.join_code)
    }

    /// Deletes a workshop's tables with its plenary (`delete` calls this for every board).
    pub(super) async fn delete_tables_of(&self, plenary: &BoardId) -> Result<(), BoardError> {
        for table in tables_of(plenary) {
            if !self.hubs.delete(&table).await? {
                break; // tables are opened in order, 1 to n
            }
        }
        Ok(())
    }

    /// Gives a workshop's tables the expiry its plenary was given (`set_expiry` calls this for
    /// every board).
    pub(super) async fn set_tables_expiry(&self, plenary: &BoardId, expires_at: Option<i64>) -> Result<(), BoardError> {
        for table in tables_of(plenary) {
            if !self.hubs.store().set_board_expiry(&table, expires_at).await? {
                break;
            }
        }
        Ok(())
    }
}

/// The boards a workshop's tables may have, in the order they are opened; none for a board
/// that is itself a table.
fn tables_of(plenary: &BoardId) -> impl Iterator<Item = BoardId> + '_ {
    let count = if table_of_id(plenary).is_some() { 0 } else { MAX_TABLES as u32 };
    (1..=count).map(move |number| table_board_id(plenary, number))
}

/// Whether the participant holding `secret` sits at table `table`: checked when they connect
/// to its board, so a participant at table 2 cannot post at table 3. `false` when the plenary
/// cannot be read (the phone retries).
pub async fn seated_at(hubs: &Hubs, table: &TableOf, secret: &str) -> bool {
    seat_check(hubs, table, secret).await == Some(true)
}

/// Whether the participant holding `secret` sits at `table`; `None` when the plenary cannot
/// be read just now.
pub async fn seat_check(hubs: &Hubs, table: &TableOf, secret: &str) -> Option<bool> {
    let Some(member) = participant_id(&table.plenary, secret) else { return Some(false) };
    let plenary = match hubs.get(&table.plenary).await {
        Ok(Some(hub)) => hub,
        Ok(None) => return Some(false),
        Err(e) => {
            tracing::warn!(plenary = %table.plenary, error = %e, "a table's plenary could not be loaded");
            return None;
        }
    };
    let board = plenary.snapshot().await?;
    Some(seat_of(&board, &member) == Some(table.number))
}

/// The table a member sits at, from the plenary's (server) board.
fn seat_of(plenary: &Board, member: &ParticipantId) -> Option<u32> {
    let workshop = plenary.workshop.as_ref()?;
    workshop.members.iter().find(|m| m.participant.as_ref() == Some(member))?.table
}
