//! The lane ops: a facilitator adds, edits, moves and removes lanes (templates beyond the
//! default three). Checked here like every other op, so they are sequenced, permission-checked
//! (facilitator only, in `server/src/hub/permissions.rs`) and undoable.

use super::{
    is_valid_client_id, normalise_question, normalise_title, Board, Change, Lane, LaneId, Op, OpError, MAX_LANES,
};

impl Board {
    /// `Some` for the lane ops, `None` for every other op.
    pub(super) fn check_lane_op(&self, op: &Op) -> Option<Result<Change, OpError>> {
        Some(match op {
            Op::AddLane { lane_id, title, question, index, hidden } => {
                self.check_add(lane_id, title, question, *index, *hidden)
            }
            Op::EditLane { lane_id, title, question } => self.known_lane(lane_id).and_then(|_| {
                Ok(Change::LaneEdited {
                    lane_id: lane_id.clone(),
                    title: normalise_title(title)?,
                    question: normalise_question(question.as_deref())?,
                })
            }),
            Op::MoveLane { lane_id, index } => self
                .known_lane(lane_id)
                .map(|_| Change::LaneMoved { lane_id: lane_id.clone(), index: (*index).min(self.last_index()) }),
            Op::RemoveLane { lane_id } => self.check_remove(lane_id),
            _ => return None,
        })
    }

    fn check_add(
        &self,
        lane_id: &LaneId,
        title: &str,
        question: &Option<String>,
        index: Option<u32>,
        hidden: bool,
    ) -> Result<Change, OpError> {
        if !is_valid_client_id(lane_id.as_str()) {
            return Err(OpError::InvalidId);
        }
        if self.lane(lane_id).is_some() {
            return Err(OpError::DuplicateLane(lane_id.clone()));
        }
        if self.lanes.len() >= MAX_LANES {
            return Err(OpError::TooManyLanes { max: MAX_LANES });
        }
        let end = self.lanes.len() as u32;
        let lane = Lane {
            id: lane_id.clone(),
            title: normalise_title(title)?,
            hidden,
            question: normalise_question(question.as_deref())?,
        };
        Ok(Change::LaneAdded { lane, index: index.map_or(end, |i| i.min(end)) })
    }

    fn check_remove(&self, lane_id: &LaneId) -> Result<Change, OpError> {
        self.known_lane(lane_id)?;
        if self.lanes.len() <= 1 {
            return Err(OpError::LastLane);
        }
        // Only an empty lane: removing notes with it would take participants' words away
        // without anyone deleting them.
        if self.notes.values().any(|n| &n.lane == lane_id) || self.groups.values().any(|g| &g.lane == lane_id) {
            return Err(OpError::LaneNotEmpty);
        }
        Ok(Change::LaneRemoved { lane_id: lane_id.clone() })
    }

    fn known_lane(&self, lane_id: &LaneId) -> Result<&Lane, OpError> {
        self.lane(lane_id).ok_or_else(|| OpError::UnknownLane(lane_id.clone()))
    }

    fn last_index(&self) -> u32 {
        self.lanes.len().saturating_sub(1) as u32
    }

    /// The position of a lane (for undo).
    pub(super) fn lane_index(&self, lane_id: &LaneId) -> Option<u32> {
        self.lanes.iter().position(|l| &l.id == lane_id).map(|i| i as u32)
    }

    /// Replays a lane change; anything that no longer fits is skipped.
    pub(super) fn replay_lane(&mut self, change: &Change) {
        match change {
            Change::LaneAdded { lane, index } => {
                if self.lane(&lane.id).is_none() {
                    let at = (*index as usize).min(self.lanes.len());
                    self.lanes.insert(at, lane.clone());
                }
            }
            Change::LaneEdited { lane_id, title, question } => {
                if let Some(lane) = self.lanes.iter_mut().find(|l| &l.id == lane_id) {
                    lane.title = title.clone();
                    lane.question = question.clone();
                }
            }
            Change::LaneMoved { lane_id, index } => {
                if let Some(from) = self.lanes.iter().position(|l| &l.id == lane_id) {
                    let lane = self.lanes.remove(from);
                    let at = (*index as usize).min(self.lanes.len());
                    self.lanes.insert(at, lane);
                }
            }
            Change::LaneRemoved { lane_id } => {
                self.lanes.retain(|l| &l.id != lane_id);
                if self.phase.as_ref() == Some(lane_id) {
                    self.phase = None;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "lanes_tests.rs"]
mod tests;
