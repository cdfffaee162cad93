//! `/katalog`: the idékatalog. Everyone sees the public view; the editor (who opened
//! `/katalog#<token>` once in this browser) sees the same list with an editor badge and
//! edits entries on their pages. Search and filters come from the URL and work as you type.

use crate::api::catalogue::{catalogue, CataloguePage as Catalogue};
use crate::components::catalogue::{forget_editor_token, refusal_view, use_editor_token, EntryCard, Filters};
use crate::components::LanguageSwitch;
use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::board::BoardId;
use idetavle_core::catalogue::search::Query;
use idetavle_core::catalogue::{Entry, Skill, Viewer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let t = use_texts();
    let token = use_editor_token();
    let page = Resource::new(move || token.get(), catalogue);
    let params = use_query_map();
    let query = RwSignal::new(params.with_untracked(|p| Query::from_params(|k| p.get(k))));
    view! {
        {crate::head::page_title(move || t.get().catalogue().heading.to_owned())}
        <main class="page catalogue">
            <header class="catalogue-header">
                <h1>{t.text(|t| t.catalogue().heading)}</h1>
                <LanguageSwitch />
            </header>
            <p class="tagline">{t.text(|t| t.catalogue().intro)}</p>
            <Transition>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(Ok(page)) => view! { <CatalogueBody page query token /> }.into_any(),
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
fn CatalogueBody(page: Catalogue, query: RwSignal<Query>, token: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let entries = StoredValue::new(page.entries);
    let found = Memo::new(move |_| {
        entries.with_value(|all| query.with(|q| q.run(all).into_iter().cloned().collect::<Vec<Entry>>()))
    });
    let (skills, workshops) = entries.with_value(|all| filter_choices(all));
    let total = entries.with_value(Vec::len);
    view! {
        {(page.viewer == Viewer::Editor).then(|| view! {
            <p class="editor-badge">
                {move || c().editor_mode} " "
                <button class="secondary leave-editor" on:click=move |_| forget_editor_token(token)>"×"</button>
            </p>
        })}
        <Filters query skills workshops />
        <div class="catalogue-toolbar">
            <p class="found" role="status">{move || t.get().count(c().found, found.with(Vec::len))}</p>
            <p class="exports">
                {move || c().export} ": "
                <a href="/api/catalogue/export.md" download>"Markdown"</a> " · "
                <a href="/api/catalogue/export.csv" download>"CSV"</a> " · "
                <a href="/api/catalogue/export.json" download>"JSON"</a>
            </p>
        </div>
        <Show
            when=move || found.with(|f| !f.is_empty())
            fallback=move || view! {
                <p class="empty">{move || if total == 0 { c().empty } else { c().no_results }}</p>
            }
        >
            <ul class="entries">
                <For each=move || found.get() key=|e| (e.id.clone(), e.version) let:entry>
                    <EntryCard entry />
                </For>
            </ul>
        </Show>
    }
    .into_any()
}

/// The competences (standard ones first, then custom tags in use) and workshops to filter by.
fn filter_choices(entries: &[Entry]) -> (Vec<Skill>, Vec<(BoardId, String)>) {
    let mut skills: Vec<Skill> = Skill::standard().collect();
    let mut workshops: Vec<(BoardId, String)> = Vec::new();
    for entry in entries {
        for skill in &entry.fields.skills {
            if !skills.contains(skill) {
                skills.push(skill.clone());
            }
        }
        if let Some(o) = &entry.origin {
            if !workshops.iter().any(|(id, _)| id == &o.board_id) {
                workshops.push((o.board_id.clone(), o.board_title.clone()));
            }
        }
    }
    (skills, workshops)
}
