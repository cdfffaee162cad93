//! The idékatalog: ideas and trials that live on after the workshop that produced them.
//!
//! Pure like [`crate::board`]: no IO, no clocks. The server stores entries and checks who may
//! change them; what an entry is and which changes are valid is decided here, so the rules are
//! unit-tested once and the browser can explain a refusal before it asks.
//!
//! - [`entry`]: `Entry` and the fields an editor fills in; validation of those fields.
//! - [`status`]: idé → forsøg → skaleret / stoppet, with the rules and a dated history.
//! - [`volunteer`]: citizens offering competences; contact data only with consent.
//! - [`promote`]: a new entry from a note or a group on a board, keeping the link to it.
//! - [`search`]: full-text search, filters and sorting (used by the API and the page alike).

mod entry;
mod error;
mod promote;
pub mod search;
mod skill;
mod status;
mod volunteer;

pub use entry::{Entry, EntryFields, EntryId, Origin, OriginNote, Viewer};
pub use error::{CatalogueError, Field};
pub use promote::PromoteSource;
pub use skill::{Skill, STANDARD_SKILLS};
pub use status::{Status, StatusChange};
pub use volunteer::{Contact, Volunteer, VolunteerId, VolunteerOffer};

/// Longest free-text fields, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest one-line fields (owner, a reason, a contact), in characters.
pub const MAX_LINE_CHARS: usize = 200;
/// Most competences one entry can ask for.
pub const MAX_SKILLS: usize = 20;

#[cfg(test)]
mod tests;
