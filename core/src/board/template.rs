//! The default board template: Sparringsrummet's three steps.

use super::{Lane, LaneId};

/// Lane keys of the default template, in the order a topic moves through them.
pub const NEED: &str = "need";
pub const IDEAS: &str = "ideas";
pub const TRIALS: &str = "trials";

/// "Se et behov → Få idéer → Lav forsøg". Titles are stored in Danish (the board's
/// language); the UI shows a translation for these known keys.
pub fn default_lanes() -> Vec<Lane> {
    [(NEED, "Se et behov"), (IDEAS, "Få idéer"), (TRIALS, "Lav forsøg")]
        .into_iter()
        .map(|(id, title)| Lane { id: LaneId(id.to_owned()), title: title.to_owned(), hidden: false })
        .collect()
}
