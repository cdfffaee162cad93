//! Why a catalogue request was refused. Serialisable, so the browser can say it in the
//! reader's language.

use super::Status;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A field of an entry or a volunteer offer, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Description,
    Need,
    Owner,
    SuccessCriterion,
    StopCriterion,
    Skills,
    Reason,
    Name,
    Contact,
}

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CatalogueError {
    #[error("an entry cannot become a trial without a success criterion")]
    SuccessCriterionRequired,
    #[error("moving to {to} needs a short reason")]
    ReasonRequired { to: Status },
    #[error("an entry cannot go from {from} to {to}")]
    TransitionNotAllowed { from: Status, to: Status },
    #[error("the entry is already {status}")]
    SameStatus { status: Status },
    #[error("{field:?} must not be empty")]
    Empty { field: Field },
    #[error("{field:?} is too long (at most {max} characters)")]
    TooLong { field: Field, max: usize },
    #[error("at most {max} competences")]
    TooManySkills { max: usize },
    #[error("name and contact are only kept with the volunteer's consent")]
    ConsentRequired,
    #[error("choose at least one competence to offer")]
    NoSkillsOffered,
    #[error("this entry already has {max} volunteers")]
    TooManyVolunteers { max: usize },
    #[error("the entry was changed meanwhile; reload and try again")]
    Conflict,
    #[error("no such entry")]
    NotFound,
    #[error("no such note or group on this board")]
    UnknownSource,
    #[error("this needs the catalogue editor's (or the board facilitator's) link")]
    Unauthorized,
    #[error("the catalogue is unavailable right now")]
    Unavailable,
}
