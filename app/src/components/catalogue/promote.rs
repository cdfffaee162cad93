//! The facilitator's "to the catalogue" button on groups and notes, and the banner that
//! links to the new entry.

use crate::api::catalogue::promote;
use crate::components::facilitator_token;
use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::board::BoardId;
use idetavle_core::catalogue::{CatalogueError, Entry, PromoteSource};
use leptos::prelude::*;

/// The last promotion's result on this projector: the entry, or why it failed.
#[derive(Clone, Copy)]
pub struct Promoted(RwSignal<Option<Result<Entry, String>>>);

impl Promoted {
    pub fn provide() {
        provide_context(Promoted(RwSignal::new(None)));
    }
}

#[component]
pub fn PromoteButton(board: BoardId, source: PromoteSource) -> impl IntoView {
    let t = use_texts();
    let target = StoredValue::new((board, source));
    // Promoting again finds the same entry (the server makes no twin); the button says so.
    let done = RwSignal::new(false);
    let on_click = move |_| {
        let Some(Promoted(result)) = use_context::<Promoted>() else { return };
        let (board, source) = target.get_value();
        let token = facilitator_token();
        let c = t.get_untracked().catalogue();
        leptos::task::spawn_local(async move {
            let answer = match promote(board, Some(token), source).await {
                Ok(Ok(entry)) => Ok(entry),
                Ok(Err(refusal)) => Err(c.error(&refusal)),
                Err(_) => Err(c.error(&CatalogueError::Unavailable)),
            };
            done.set(answer.is_ok());
            result.set(Some(answer));
        });
    };
    let label = move || if done.get() { t.get().catalogue().promote_done } else { t.get().catalogue().promote };
    view! {
        <button class="promote secondary" class:done=move || done.get() title=label on:click=on_click>
            {label}
        </button>
    }
    .into_any()
}

/// "Promoted to the catalogue: <title> — Open", or the refusal.
#[component]
pub fn PromotedBanner() -> impl IntoView {
    let t = use_texts();
    let Some(Promoted(result)) = use_context::<Promoted>() else { return ().into_any() };
    let close = move |_| result.set(None);
    view! {
        {move || result.get().map(|r| match r {
            Ok(entry) => view! {
                <div class="promoted-banner" role="status">
                    {t.text(|t| t.catalogue().promoted)} " "
                    <strong class="promoted-title">{entry.fields.title.clone()}</strong> " "
                    <a class="open-entry button secondary" href=format!("/katalog/{}", entry.id) target="_blank" rel="external">
                        {t.text(|t| t.catalogue().open_entry)}
                    </a>
                    <button class="close secondary" aria-label="×" on:click=close>"×"</button>
                </div>
            }.into_any(),
            Err(message) => view! {
                <div class="promoted-banner refusal" role="alert">
                    {message}
                    <button class="close secondary" aria-label="×" on:click=close>"×"</button>
                </div>
            }.into_any(),
        })}
    }
    .into_any()
}
