//! The life of an entry: idé → forsøg → skaleret / stoppet.
//!
//! Rules (the municipality's political model asks of every trial "when is it a success, when
//! do we stop it, when do we scale it"):
//! - a trial needs a success criterion, before it starts and for as long as it runs;
//! - scaling or stopping needs a reason, and so does going back (reopening, a trial back to an idea);
//! - only a trial can be scaled; a scaled entry can only be stopped.
//!
//! Every change is kept in the history with its date and reason.

use super::entry::text;
use super::{CatalogueError, Entry, Field, MAX_LINE_CHARS};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "ide")]
    Idea,
    #[serde(rename = "forsog")]
    Trial,
    #[serde(rename = "skaleret")]
    Scaled,
    #[serde(rename = "stoppet")]
    Stopped,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Idea, Status::Trial, Status::Scaled, Status::Stopped];

    /// The stored key, also used in URLs (`?status=forsog`).
    pub fn key(self) -> &'static str {
        match self {
            Status::Idea => "ide",
            Status::Trial => "forsog",
            Status::Scaled => "skaleret",
            Status::Stopped => "stoppet",
        }
    }

    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Where an entry in this status may go next.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::Idea => &[Status::Trial, Status::Stopped],
            Status::Trial => &[Status::Scaled, Status::Stopped, Status::Idea],
            Status::Scaled => &[Status::Stopped],
            Status::Stopped => &[Status::Idea, Status::Trial],
        }
    }

    /// True for statuses that only make sense with a success criterion.
    pub fn needs_success_criterion(self) -> bool {
        matches!(self, Status::Trial | Status::Scaled)
    }

    /// Whether moving from `self` to `to` must be explained.
    pub fn needs_reason(self, to: Status) -> bool {
        let backwards = matches!((self, to), (Status::Trial, Status::Idea) | (Status::Stopped, _));
        matches!(to, Status::Scaled | Status::Stopped) || backwards
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One line of an entry's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Unix time in milliseconds.
    pub at: i64,
    /// `None` for the entry's creation.
    pub from: Option<Status>,
    pub to: Status,
    #[serde(default)]
    pub reason: String,
}

impl Entry {
    /// Moves the entry to `to`, or says which rule forbids it.
    pub fn change_status(&mut self, to: Status, reason: &str, at: i64) -> Result<(), CatalogueError> {
        let from = self.status;
        if from == to {
            return Err(CatalogueError::SameStatus { status: to });
        }
        if !from.next().contains(&to) {
            return Err(CatalogueError::TransitionNotAllowed { from, to });
        }
        if to == Status::Trial && self.fields.success_criterion.is_empty() {
            return Err(CatalogueError::SuccessCriterionRequired);
        }
        let reason = text(reason, Field::Reason, MAX_LINE_CHARS)?;
        if from.needs_reason(to) && reason.is_empty() {
            return Err(CatalogueError::ReasonRequired { to });
        }
        self.status = to;
        self.history.push(StatusChange { at, from: Some(from), to, reason });
        self.touch(at);
        Ok(())
    }
}
