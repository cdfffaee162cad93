//! `/`: create a board, or join one by typing its code.

use crate::api::{create_board, CreatedBoard};
use crate::components::{remember_board, KeptBoard, KeptBoards, LanguageSwitch, TemplateChoice, TemplatePicker};
use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::board::LaneSpec;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    let title = RwSignal::new(String::new());
    let template = TemplateChoice::new();
    let workshop = RwSignal::new(false);
    let create = Action::new(|(title, lanes, workshop): &(String, Option<Vec<LaneSpec>>, bool)| {
        create_board(title.clone(), lanes.clone(), Some(*workshop))
    });
    let created = move || create.value().get().and_then(Result::ok);
    let failed = move || matches!(create.value().get(), Some(Err(_)));

    // This browser keeps the new board's facilitator link (the home page lists it).
    Effect::new(move |_| {
        if let Some(c) = created() {
            let title = title.get_untracked();
            remember_board(KeptBoard { id: c.id.to_string(), title, facilitator_url: c.facilitator_url });
        }
    });

    let on_create = move |ev: leptos::ev::SubmitEvent| {
        // With WASM loaded we stay on the page and show both links; without it the form
        // posts to /new, which creates the board and opens the facilitator link.
        ev.prevent_default();
        create.dispatch((title.get_untracked(), template.lanes(), workshop.get_untracked()));
    };

    view! {
        <main class="page narrow home">
            <header class="home-header">
                <h1>{t.text(|t| t.control().app_name)}</h1>
                <LanguageSwitch />
            </header>
            <p class="tagline">{t.text(|t| t.control().tagline)}</p>

            <KeptBoards />
            <section class="card">
                <h2>{t.text(|t| t.control().join_heading)}</h2>
                <form class="join-form" method="get" action="/join">
                    <label for="join-code">{t.text(|t| t.control().code_label)}</label>
                    <input
                        id="join-code"
                        name="code"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        maxlength="12"
                        required
                    />
                    <button type="submit">{t.text(|t| t.control().join_button)}</button>
                </form>
            </section>

            <section class="card">
                <h2>{t.text(|t| t.control().create_heading)}</h2>
                <form class="create-form" method="post" action="/new" on:submit=on_create>
                    <label for="board-title">{t.text(|t| t.control().title_label)}</label>
                    <input
                        id="board-title"
                        name="title"
                        maxlength="120"
                        required
                        placeholder={t.text(|t| t.control().title_placeholder)}
                        on:input=move |ev| title.set(event_target_value(&ev))
                        prop:value=move || title.get()
                    />
                    <TemplatePicker choice=template />
                    <p class="workshop-choice">
                        <input id="as-workshop" type="checkbox" prop:checked=move || workshop.get()
                            on:change=move |ev| workshop.set(event_target_checked(&ev)) />
                        <label for="as-workshop">{t.text(|t| t.tables().as_workshop)}</label>
                    </p>
                    <button type="submit" disabled=move || create.pending().get()>
                        {move || if create.pending().get() { t.get().control().creating } else { t.get().control().create_button }}
                    </button>
                </form>
                <Show when=failed>
                    <p class="refusal" role="alert">{t.text(|t| t.err_other)}</p>
                </Show>
                {move || created().map(|c| view! { <CreatedLinks created=c /> })}
            </section>
        </main>
    }
    .into_any()
}

#[component]
fn CreatedLinks(created: CreatedBoard) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="created" role="status">
            <h3>{t.text(|t| t.control().created_heading)}</h3>
            <p>
                {t.text(|t| t.control().participant_link)} ": "
                <a class="participant-link" href=created.participant_url.clone() rel="external">
                    {created.participant_url.clone()}
                </a>
                " (" <strong class="join-code">{created.join_code.clone()}</strong> ")"
            </p>
            <p>
                {t.text(|t| t.control().facilitator_link)} ": "
                <a class="facilitator-link" href=created.facilitator_url.clone() rel="external">
                    {created.facilitator_url.clone()}
                </a>
            </p>
            <p class="hint">{t.text(|t| t.control().facilitator_link_hint)}</p>
            <a class="button" href=created.facilitator_url.clone() rel="external">
                {t.text(|t| t.control().open_projector)}
            </a>
        </div>
    }
    .into_any()
}
