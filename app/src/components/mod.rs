//! Pieces the pages share.

pub mod catalogue;
mod drag;
mod drop;
mod export_buttons;
mod facilitator_bar;
mod group_card;
mod join_qr;
mod lane;
mod layout;
mod my_notes;
mod note_card;
mod note_parts;
mod phone;
mod presence;
mod spotlight;
mod status_bar;
mod timer;

pub use drag::Drag;
pub use drop::{drop_op, Dragged, DropTarget};
pub use export_buttons::{DeleteBoardButton, ExportButtons};
pub use facilitator_bar::FacilitatorBar;
pub use group_card::{GroupCard, Renaming};
pub use join_qr::JoinQr;
pub use lane::LaneColumn;
pub use layout::{lane_layout, participant, GroupBlock, LaneLayout, NoteRow, Viewer};
pub use my_notes::DeleteMyNotes;
pub use note_card::NoteCard;
pub use phone::PhoneLane;
pub use presence::PresenceList;
pub use spotlight::SpotlightBanner;
pub use status_bar::{ConnectionBadge, LanguageSwitch, RefusalBanner};
pub use timer::TimerDisplay;

/// The facilitator token from the projector's URL fragment (`/f/{id}#token`); empty when there
/// is none or outside the browser. The fragment never reaches the server or its logs.
pub fn facilitator_token() -> String {
    #[cfg(feature = "hydrate")]
    {
        let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
        hash.trim_start_matches('#').to_owned()
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}
