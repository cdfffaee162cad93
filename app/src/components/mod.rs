//! Pieces the pages share.

mod join_qr;
mod lane;
mod note_card;
mod status_bar;

pub use join_qr::JoinQr;
pub use lane::{lane_rows, LaneColumn, NoteRow};
pub use note_card::NoteCard;
pub use status_bar::{ConnectionBadge, LanguageSwitch, RefusalBanner};
