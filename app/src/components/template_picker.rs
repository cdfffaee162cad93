//! The home page's choice of template: Sparringsrummet's three lanes (the default), lanes of
//! one's own (1–6, each with the question the phones show), or a template saved in this
//! browser. Only with WASM: without it the form creates the default board.

use super::templates::{forget_template, saved_templates, SavedTemplate};
use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::board::{LaneSpec, MAX_LANES};
use leptos::prelude::*;

/// What the picker says the new board's lanes are: `None` for the default.
#[derive(Clone, Copy)]
pub struct TemplateChoice {
    own: RwSignal<bool>,
    rows: RwSignal<Vec<(u32, LaneSpec)>>,
    next_key: RwSignal<u32>,
}

impl TemplateChoice {
    pub fn new() -> Self {
        TemplateChoice { own: RwSignal::new(false), rows: RwSignal::new(Vec::new()), next_key: RwSignal::new(0) }
    }

    /// The lanes to create the board with (`None`: the default three).
    pub fn lanes(self) -> Option<Vec<LaneSpec>> {
        self.own.get_untracked().then(|| self.rows.get_untracked().into_iter().map(|(_, spec)| spec).collect())
    }

    fn use_lanes(self, lanes: Vec<LaneSpec>) {
        let start = self.next_key.get_untracked();
        self.next_key.set(start + lanes.len() as u32);
        self.rows.set(lanes.into_iter().enumerate().map(|(i, spec)| (start + i as u32, spec)).collect());
        self.own.set(true);
    }

    fn add_row(self) {
        let key = self.next_key.get_untracked();
        self.next_key.set(key + 1);
        self.rows.update(|rows| rows.push((key, LaneSpec { title: String::new(), question: None })));
    }

    fn edit(self, key: u32, change: impl FnOnce(&mut LaneSpec)) {
        self.rows.update(|rows| {
            if let Some((_, spec)) = rows.iter_mut().find(|(k, _)| *k == key) {
                change(spec);
            }
        });
    }
}

#[component]
pub fn TemplatePicker(choice: TemplateChoice) -> impl IntoView {
    let t = use_texts();
    let saved = RwSignal::new(Vec::<SavedTemplate>::new());
    // After hydration: the server knows nothing of this browser's templates.
    Effect::new(move |_| saved.set(saved_templates()));
    let own = choice.own;
    let full = move || choice.rows.with(Vec::len) >= MAX_LANES;
    let blank = move |_| {
        choice.use_lanes(vec![LaneSpec { title: String::new(), question: None }]);
    };
    view! {
        <fieldset class="template-picker">
            <legend>{t.text(|t| t.lanes().template)}</legend>
            <label class="inline">
                <input type="radio" name="template" prop:checked=move || !own.get() on:change=move |_| own.set(false) />
                {t.text(|t| t.lanes().template_default)}
            </label>
            <label class="inline">
                <input type="radio" name="template" class="template-own" prop:checked=move || own.get() on:change=blank />
                {t.text(|t| t.lanes().template_blank)}
            </label>
            <For each=move || saved.get() key=|s| s.name.clone() let:template>
                <span class="saved-template">
                    <button type="button" class="use-template secondary" on:click={
                        let lanes = template.lanes.clone();
                        move |_| choice.use_lanes(lanes.clone())
                    }>{template.name.clone()}</button>
                    <button type="button" class="forget-template secondary" aria-label={t.text(|t| t.lanes().forget_template)}
                        on:click={
                            let name = template.name.clone();
                            move |_| {
                                forget_template(&name);
                                saved.set(saved_templates());
                            }
                        }>"×"</button>
                </span>
            </For>
            <Show when=move || !saved.with(Vec::is_empty)>
                <p class="hint">{t.text(|t| t.lanes().templates_hint)}</p>
            </Show>
        </fieldset>
        <Show when=move || own.get()>
            <ol class="template-lanes">
                <For each=move || choice.rows.get() key=|(key, _)| *key let:row>
                    <TemplateRow key=row.0 spec=row.1 choice />
                </For>
            </ol>
            <button type="button" class="add-template-lane secondary" disabled=full on:click=move |_| choice.add_row()>
                {t.text(|t| t.lanes().add_lane)}
            </button>
        </Show>
    }
}

#[component]
fn TemplateRow(key: u32, spec: LaneSpec, choice: TemplateChoice) -> impl IntoView {
    let t = use_texts();
    let only_one = move || choice.rows.with(Vec::len) <= 1;
    let (title_id, question_id) = (format!("template-title-{key}"), format!("template-question-{key}"));
    view! {
        <li class="template-lane">
            <label for=title_id.clone()>{t.text(|t| t.lanes().lane_title)}</label>
            <input id=title_id class="template-lane-title" type="text" maxlength="120" required value=spec.title
                on:input=move |ev| choice.edit(key, |s| s.title = event_target_value(&ev)) />
            <label for=question_id.clone()>{t.text(|t| t.lanes().lane_question)}</label>
            <input id=question_id class="template-lane-question" type="text" maxlength="200"
                value=spec.question.unwrap_or_default()
                placeholder={t.text(|t| t.lanes().question_placeholder)}
                on:input=move |ev| {
                    let q = event_target_value(&ev);
                    choice.edit(key, |s| s.question = Some(q).filter(|q| !q.trim().is_empty()))
                } />
            <button type="button" class="remove-template-lane secondary" disabled=only_one
                on:click=move |_| choice.rows.update(|rows| rows.retain(|(k, _)| *k != key))>
                {t.text(|t| t.lanes().remove_lane)}
            </button>
        </li>
    }
}
