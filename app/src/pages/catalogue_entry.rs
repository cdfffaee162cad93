//! `/katalog/{entry_id}`: one idea or trial. Everyone reads it and may volunteer; the
//! catalogue editor also edits its fields and moves its status.

use super::param;
use crate::api::catalogue::catalogue_entry;
use crate::components::catalogue::{
    refusal_view, use_editor_token, EntryFacts, EntryForm, History, OriginNotes, StatusControl, Team, VolunteerForm,
};
use crate::components::LanguageSwitch;
use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::catalogue::{CatalogueError, Entry, EntryId, Viewer};
use leptos::prelude::*;

#[component]
pub fn CatalogueEntryPage() -> impl IntoView {
    let t = use_texts();
    let token = use_editor_token();
    let id = param("entry_id");
    let loaded = Resource::new(move || (EntryId(id()), token.get()), |(id, token)| catalogue_entry(token, id));
    view! {
        <main class="page catalogue-entry">
            <header class="catalogue-header">
                <a class="back" href="/katalog">{t.text(|t| t.catalogue().back)}</a>
                <LanguageSwitch />
            </header>
            <Transition>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(Ok((viewer, entry))) => view! { <EntryView viewer entry token=token.get_untracked() /> }.into_any(),
                        Ok(Err(CatalogueError::NotFound)) => {
                            super::not_found::answer_not_found();
                            view! { <p class="empty">{t.text(|t| t.catalogue().not_found)}</p> }.into_any()
                        }
                        Ok(Err(e)) => refusal_view(Some(&e)),
                        Err(_) => refusal_view(None),
                    }
                })}
            </Transition>
        </main>
    }
    .into_any()
}

#[component]
fn EntryView(viewer: Viewer, entry: Entry, token: Option<String>) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let title = entry.fields.title.clone();
    let entry = RwSignal::new(entry);
    let status = move || entry.with(|e| e.status);
    let editor_token = token.clone().filter(|_| viewer == Viewer::Editor);
    view! {
        {crate::head::page_title(move || title.clone())}
        <article class="entry" data-status=move || status().key()>
            <div class="entry-head">
                <h1 class="entry-heading">{move || entry.with(|e| e.fields.title.clone())}</h1>
                <span class=move || format!("status-badge status-{}", status().key())>{move || c().status(status())}</span>
            </div>
            {match editor_token {
                Some(token) => view! {
                    <EntryForm entry token=token.clone() />
                    <StatusControl entry token />
                }.into_any(),
                None => view! { <EntryFacts entry /> }.into_any(),
            }}
            <Team entry viewer token=token.clone() />
            <VolunteerForm entry viewer token />
            <OriginNotes entry />
            <History entry />
        </article>
    }
    .into_any()
}
