//! Board templates: which lanes a new board starts with. The default is Sparringsrummet's
//! three steps; a facilitator may start from 1–[`MAX_LANES`] lanes of their own, each with a
//! guiding question the phones show.

use super::{normalise_question, normalise_title, Lane, LaneId, OpError};
use serde::{Deserialize, Serialize};

/// Lane keys of the default template, in the order a topic moves through them.
pub const NEED: &str = "need";
pub const IDEAS: &str = "ideas";
pub const TRIALS: &str = "trials";

/// Most lanes a board may have: six still fit side by side on a projector.
pub const MAX_LANES: usize = 6;

/// "Se et behov → Få idéer → Lav forsøg". Titles are stored in Danish (the board's
/// language); the UI shows a translation for these known keys.
pub fn default_lanes() -> Vec<Lane> {
    [(NEED, "Se et behov"), (IDEAS, "Få idéer"), (TRIALS, "Lav forsøg")]
        .into_iter()
        .map(|(id, title)| Lane { id: LaneId(id.to_owned()), title: title.to_owned(), hidden: false, question: None })
        .collect()
}

/// One lane of a template, as a facilitator writes it (the board gives it an id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaneSpec {
    pub title: String,
    #[serde(default)]
    pub question: Option<String>,
}

crate::decode_struct!(LaneSpec { title, question = default });

impl LaneSpec {
    /// The lanes of a new board from a template's lanes, checked like the lane ops check them.
    /// Ids are `lane-1`, `lane-2`, … in order.
    pub fn lanes(specs: &[LaneSpec]) -> Result<Vec<Lane>, OpError> {
        if specs.is_empty() {
            return Err(OpError::LastLane);
        }
        if specs.len() > MAX_LANES {
            return Err(OpError::TooManyLanes { max: MAX_LANES });
        }
        specs
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                Ok(Lane {
                    id: LaneId(format!("lane-{}", i + 1)),
                    title: normalise_title(&spec.title)?,
                    hidden: false,
                    question: normalise_question(spec.question.as_deref())?,
                })
            })
            .collect()
    }
}
