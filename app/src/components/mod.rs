//! Pieces the pages share.

pub mod catalogue;
mod drag;
mod drop;
mod export_buttons;
mod facilitator_bar;
mod facilitator_card;
mod group_card;
mod join_qr;
mod kept_boards;
mod lane;
mod lane_editor;
mod layout;
mod move_menu;
mod moves;
mod my_notes;
mod note_card;
mod note_parts;
mod phone;
mod presence;
mod presentation;
mod results;
mod spotlight;
mod status_bar;
mod suggestions;
mod table_host;
mod tables_overview;
mod tables_screen;
mod template_picker;
mod templates;
mod timer;
mod workshop_lobby;
mod workshop_panel;

pub use drag::Drag;
pub use drop::{drop_op, Dragged, DropTarget};
pub use export_buttons::{DeleteBoardButton, ExportButtons, WorkshopExportButtons};
pub use facilitator_bar::FacilitatorBar;
pub use facilitator_card::FacilitatorCard;
pub use group_card::{GroupCard, Renaming};
pub use join_qr::{JoinPanel, JoinQr};
pub use kept_boards::{remember_board, KeptBoard, KeptBoards};
pub use lane::LaneColumn;
pub use lane_editor::LaneEditor;
pub use layout::{lane_layout, participant, GroupBlock, LaneLayout, NoteRow, Viewer};
pub use my_notes::DeleteMyNotes;
pub use note_card::NoteCard;
pub use phone::PhoneLane;
pub use presence::PresenceList;
pub use presentation::{Presentation, PresentationMode};
pub use results::{placed, ranking, round_title, Placed, ResultsPanel};
pub use spotlight::SpotlightBanner;
pub use status_bar::{BoardEnded, ConnectionBadge, LanguageSwitch, RefusalBanner};
pub use suggestions::SuggestPanel;
pub use table_host::TableHostPanel;
pub use tables_overview::TablesOverview;
pub use tables_screen::TablesScreen;
pub use template_picker::{TemplateChoice, TemplatePicker};
pub use timer::TimerDisplay;
pub use workshop_lobby::WorkshopLobby;
pub use workshop_panel::WorkshopPanel;

use crate::sync::LiveBoard;
use leptos::prelude::*;

/// Marks a subtree as the presentation the room sees: no controls in it, and no counts while a
/// round is blind, even on the facilitator's own screen in presentation mode.
#[derive(Clone, Copy)]
pub struct Presenting;

/// Whether this screen shows the facilitator's controls: the facilitator's, outside a
/// presentation. Read when the component is made (contexts belong to where it is built).
pub fn controls_shown(live: LiveBoard) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let presenting = use_context::<Presenting>().is_some();
    move || !presenting && live.is_facilitator()
}

/// Whether this screen shows vote counts now: always in the facilitator's controls; elsewhere
/// once a round is not blind (the server withholds them from phones and the room anyway).
pub fn counts_shown(live: LiveBoard) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let controls = controls_shown(live);
    move || live.voting().is_some_and(|v| controls() || !v.is_blind())
}

/// Whether a key went to a text field (where its own meaning wins over a page's shortcut).
#[cfg(feature = "hydrate")]
pub fn is_typing(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

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
