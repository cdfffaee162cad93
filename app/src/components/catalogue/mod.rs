//! Pieces of the idékatalog's pages, and the promote button the projector shows.

mod editor_token;
mod entry_card;
mod entry_form;
mod facts;
mod filters;
mod promote;
mod status_control;
mod team;
mod volunteer_form;

pub use editor_token::{forget_editor_token, use_editor_token};
pub use entry_card::EntryCard;
pub use entry_form::EntryForm;
pub use facts::{EntryFacts, History, OriginNotes};
pub use filters::Filters;
pub use promote::{PromoteButton, Promoted, PromotedBanner};
pub use status_control::StatusControl;
pub use team::Team;
pub use volunteer_form::VolunteerForm;

use crate::api::catalogue::Answer;
use crate::i18n::use_texts;
use idetavle_core::catalogue::Entry;
use leptos::prelude::*;

/// A message under a form: `(ok, text)`.
pub type Notice = RwSignal<Option<(bool, String)>>;

/// A form's notice on an entry page. A refusal goes once the entry changes (another form on
/// the page saved it), so it never stands next to a "Gemt" it no longer applies to.
pub fn notice_for(entry: RwSignal<Entry>) -> Notice {
    let notice: Notice = RwSignal::new(None);
    Effect::new(move |seen: Option<u32>| {
        let version = entry.with(|e| e.version);
        if seen.is_some_and(|v| v != version) && notice.with_untracked(|n| n.as_ref().is_some_and(|(ok, _)| !ok)) {
            notice.set(None);
        }
        version
    });
    notice
}

/// Takes a server answer: a new entry goes into `entry` and `done` is shown; a refusal is
/// explained in the reader's language.
pub fn settle(answer: Answer<Entry>, entry: RwSignal<Entry>, notice: Notice, done: impl Fn() -> String) {
    let t = use_texts().get_untracked().catalogue();
    match answer {
        Ok(Ok(updated)) => {
            entry.set(updated);
            notice.set(Some((true, done())));
        }
        Ok(Err(refusal)) => notice.set(Some((false, t.error(&refusal)))),
        Err(_) => notice.set(Some((false, t.error(&idetavle_core::catalogue::CatalogueError::Unavailable)))),
    }
}

/// Why a catalogue page could not be shown: a refusal, or (`None`) the server being away.
pub fn refusal_view(refusal: Option<&idetavle_core::catalogue::CatalogueError>) -> AnyView {
    let t = use_texts().get_untracked();
    let text = match refusal {
        Some(e) => t.catalogue().error(e),
        None => t.err_unavailable.to_owned(),
    };
    view! { <p class="refusal">{text}</p> }.into_any()
}

/// Shows a form's notice, if any.
#[component]
pub fn NoticeLine(notice: Notice) -> impl IntoView {
    move || {
        notice.get().map(|(ok, text)| {
            let class = if ok { "notice ok" } else { "notice refusal" };
            view! { <p class=class role="status">{text}</p> }
        })
    }
}
