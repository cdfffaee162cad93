//! A workshop's facilitator acting on all its tables: the overview of every table, one action
//! sent to every table, and tables' notes copied into the plenary. Each table's ops go through
//! its hub like any client's ([`Hub::submit`]): checked, committed, then broadcast.

use super::{BoardError, BoardService};
use crate::auth::{hash_token, hex, token_matches};
use crate::hub::Hub;
use app::api::workshop::{
    GatherRequest, GatherResult, LaneCount, Overview, SummaryNote, TableAction, TableSummary, QUIET_AFTER_MS,
};
use idetavle_core::board::audience::Audience;
use idetavle_core::board::{clip, Actor, Board, BoardId, LaneId, Note, Op, OpError, OpId, MAX_NOTE_CHARS};
use idetavle_core::protocol::ServerMsg;
use idetavle_core::workshop::{table_board_id, GatheredNote, Table, MAX_GATHERED};

/// Most notes or groups of one table `top` may ask for.
const MAX_TOP: u32 = 20;
/// Notes in a summary's `latest`, unless the table's detail was asked for.
const LATEST: usize = 3;

impl BoardService {
    /// Every open table of the workshop, as the room may see it (hidden notes left out), with
    /// who sits there; for the plenary's facilitator (and the room's screen, which holds the
    /// same token).
    pub async fn overview(&self, plenary: &BoardId, token: &str, detail: Option<u32>) -> Result<Overview, BoardError> {
        let (_, board) = self.plenary(plenary, token).await?;
        let now = crate::clock::now_ms();
        let mut tables = Vec::new();
        for table in tables_in(&board) {
            let Some(table_hub) = self.hubs.get(&table_board_id(plenary, table.number)).await? else { continue };
            let at_table = table_hub.snapshot().await.ok_or(BoardError::Restarting)?;
            let present = table_hub.present().await.unwrap_or_default();
            let latest = if detail == Some(table.number) { usize::MAX } else { LATEST };
            tables.push(summary(&board, table, &at_table, &present, latest, now));
        }
        Ok(Overview { tables, at: now })
    }

    /// Sends `action` to every open table as their facilitator; how many took it (a table
    /// whose lanes differ may refuse a phase).
    pub async fn for_all_tables(&self, plenary: &BoardId, token: &str, action: TableAction) -> Result<u32, BoardError> {
        let (_, board) = self.plenary(plenary, token).await?;
        let op = match action {
            TableAction::StartTimer { seconds } => Op::StartTimer { seconds },
            TableAction::StopTimer => Op::StopTimer {},
            TableAction::SetPhase { lane } => Op::SetPhase { lane },
            TableAction::SetLocked { locked } => Op::SetLocked { locked },
        };
        let mut took = 0;
        for table in tables_in(&board) {
            let Some(hub) = self.hubs.get(&table_board_id(plenary, table.number)).await? else { continue };
            match self.submit(&hub, op.clone()).await? {
                Ok(()) => took += 1,
                Err(reason) => tracing::info!(board = %hub.record.id, reason, "a table refused the workshop's action"),
            }
        }
        Ok(took)
    }

    /// Copies tables' top (or chosen) notes into the plenary, naming the table. The plenary's
    /// token may copy from any table; a table host's only from theirs.
    pub async fn gather(
        &self,
        plenary: &BoardId,
        token: &str,
        request: GatherRequest,
    ) -> Result<GatherResult, BoardError> {
        let plenary_hub = self.hub(plenary).await?;
        let board = plenary_hub.snapshot().await.ok_or(BoardError::Restarting)?;
        let whole_workshop = token_matches(token, &plenary_hub.record.token_hash);
        let numbers: Vec<u32> = match request.table {
            Some(n) => vec![n],
            None if whole_workshop => tables_in(&board).map(|t| t.number).collect(),
            None => return Err(BoardError::Unauthorized),
        };
        let top = request.top.unwrap_or(3);
        if !(1..=MAX_TOP).contains(&top) && request.chosen.is_empty() {
            return Err(BoardError::Invalid(OpError::TooManyGathered { max: MAX_TOP as usize }));
        }
        let mut copied = 0;
        for number in numbers {
            let table = tables_in(&board).find(|t| t.number == number).ok_or(OpError::UnknownTable(number))?;
            let table_hub = self.hub(&table_board_id(plenary, number)).await?;
            if !whole_workshop && !token_matches(token, &table_hub.record.token_hash) {
                return Err(BoardError::Unauthorized);
            }
            let at_table = table_hub.snapshot().await.ok_or(BoardError::Restarting)?;
            let notes = pick(&board, table.number, &at_table, top as usize, &request.chosen);
            let new = notes.iter().filter(|g| !board.copied_from(number, &g.source)).count();
            if new == 0 {
                continue;
            }
            if let Err(reason) = self.submit(&plenary_hub, Op::Gather { table: number, notes }).await? {
                tracing::warn!(%plenary, table = number, reason, "copying a table's notes was refused");
                return Err(BoardError::Restarting);
            }
            copied += new as u32;
        }
        Ok(GatherResult { copied })
    }

    /// The plenary and every open table as their facilitator's exports (who joined is left
    /// out, as in any export), for the workshop's token.
    pub async fn workshop_boards(&self, plenary: &BoardId, token: &str) -> Result<(Board, Vec<Board>), BoardError> {
        let (_, board) = self.plenary(plenary, token).await?;
        let mut tables = Vec::new();
        for table in tables_in(&board) {
            if let Some(hub) = self.hubs.get(&table_board_id(plenary, table.number)).await? {
                tables.push(hub.snapshot().await.ok_or(BoardError::Restarting)?.exported());
            }
        }
        Ok((board.exported(), tables))
    }

    /// The plenary's hub and board, for its facilitator's token.
    async fn plenary(&self, plenary: &BoardId, token: &str) -> Result<(Hub, Board), BoardError> {
        let hub = self.authorised(plenary, Some(token)).await?;
        let board = hub.snapshot().await.ok_or(BoardError::Restarting)?;
        if board.workshop.is_none() {
            return Err(BoardError::Invalid(OpError::NotAWorkshop));
        }
        Ok((hub, board))
    }

    /// Sends `op` as the board's facilitator: `Ok(Err(reason))` when the board refused it.
    async fn submit(&self, hub: &Hub, op: Op) -> Result<Result<(), String>, BoardError> {
        let op_id = OpId(format!("srv-{}", hex(&rand::random::<[u8; 12]>())));
        match hub.submit(self.hubs.next_conn_id(), Actor::Facilitator, op_id, op).await {
            Some(ServerMsg::Ack { .. }) => Ok(Ok(())),
            Some(ServerMsg::Error { message, .. }) => Ok(Err(message)),
            _ => Err(BoardError::Restarting),
        }
    }
}

fn tables_in(plenary: &Board) -> impl Iterator<Item = &Table> {
    plenary.workshop.iter().flat_map(|w| w.tables.iter())
}

/// One table as the overview shows it. `latest`: how many of its newest visible notes.
fn summary(
    plenary: &Board,
    table: &Table,
    at_table: &Board,
    present: &[idetavle_core::board::ParticipantId],
    latest: usize,
    now: i64,
) -> TableSummary {
    let seated: Vec<_> =
        plenary.workshop.iter().flat_map(|w| &w.members).filter(|m| m.table == Some(table.number)).collect();
    let room = at_table.view_for(&Audience::Public);
    let mut visible: Vec<&Note> = room.notes.values().filter(|n| !n.masked).collect();
    visible.sort_by_key(|n| std::cmp::Reverse(n.updated_at));
    let last_note_at = at_table.notes.values().map(|n| n.updated_at).max();
    let quiet = !seated.is_empty() && now - last_note_at.unwrap_or(at_table.created_at) > QUIET_AFTER_MS;
    TableSummary {
        number: table.number,
        name: table.name.clone(),
        board_id: at_table.id.clone(),
        lanes: at_table
            .lanes
            .iter()
            .map(|l| LaneCount {
                lane: l.id.clone(),
                title: l.title.clone(),
                notes: at_table.notes.values().filter(|n| n.lane == l.id).count() as u32,
            })
            .collect(),
        latest: visible
            .iter()
            .take(latest)
            .map(|n| SummaryNote { lane: n.lane.clone(), text: n.text.clone() })
            .collect(),
        seated: seated.iter().map(|m| m.name.clone().unwrap_or_else(|| format!("#{}", m.number))).collect(),
        // Only those seated here get in, so everyone connected is one of them (a table's
        // participant ids are its own, not the plenary's: they cannot be matched by name).
        present: present.len() as u32,
        last_note_at,
        quiet,
        timer: at_table.timer,
        phase: at_table.phase.clone(),
        locked: at_table.locked,
        gathered: plenary
            .notes
            .values()
            .filter(|n| n.from_table.as_ref().is_some_and(|f| f.table == table.number))
            .count() as u32,
    }
}

/// What `gather` copies from a table: the `chosen` notes and groups, or its `top` most voted
/// (a group counts as one, with its notes' votes; ties keep the board's order). Only what the
/// room may see: nothing from a hidden lane.
fn pick(plenary: &Board, table: u32, at_table: &Board, top: usize, chosen: &[String]) -> Vec<GatheredNote> {
    let room = at_table.view_for(&Audience::Public);
    let mut items: Vec<(u32, String, LaneId, String)> = Vec::new(); // votes, source, lane, text
    for lane in &at_table.lanes {
        let notes: Vec<&Note> = room.notes_in(&lane.id).collect();
        if notes.iter().any(|n| n.masked) {
            continue;
        }
        let votes = |n: &Note| at_table.notes.get(&n.id).map_or(0, |n| n.votes);
        for group in room.groups.values().filter(|g| g.lane == lane.id) {
            let members: Vec<&&Note> = notes.iter().filter(|n| n.group.as_ref() == Some(&group.id)).collect();
            let text = std::iter::once(group.title.clone()).chain(members.iter().map(|n| format!("– {}", n.text)));
            let total = members.iter().map(|n| votes(n)).sum();
            items.push((
                total,
                group.id.to_string(),
                lane.id.clone(),
                clip(&text.collect::<Vec<_>>().join("\n"), MAX_NOTE_CHARS),
            ));
        }
        for note in notes.iter().filter(|n| n.group.is_none()) {
            items.push((votes(note), note.id.to_string(), lane.id.clone(), note.text.clone()));
        }
    }
    let picked: Vec<_> = match chosen.is_empty() {
        true => {
            items.sort_by_key(|item| std::cmp::Reverse(item.0)); // stable: ties keep the board's order
            items.into_iter().take(top).collect()
        }
        false => items.into_iter().filter(|item| chosen.contains(&item.1)).collect(),
    };
    picked
        .into_iter()
        .take(MAX_GATHERED)
        .map(|(_, source, lane, text)| GatheredNote {
            id: idetavle_core::board::NoteId(copy_id(table, &source)),
            lane: plenary_lane(plenary, at_table, &lane),
            source,
            text,
        })
        .collect()
}

/// The copy's id on the plenary: the same for the same note, so copying twice adds nothing.
fn copy_id(table: u32, source: &str) -> String {
    format!("t{table}-{}", &hex(&hash_token(source))[..24])
}

/// The plenary's lane for a table's: the same lane, else the one at the same place, else the first.
fn plenary_lane(plenary: &Board, at_table: &Board, lane: &LaneId) -> LaneId {
    if plenary.lane(lane).is_some() {
        return lane.clone();
    }
    let index = at_table.lanes.iter().position(|l| &l.id == lane).unwrap_or(0);
    let lanes = &plenary.lanes;
    lanes.get(index).or(lanes.first()).map(|l| l.id.clone()).unwrap_or_else(|| lane.clone())
}
