//! "Spor og spørgsmål": the facilitator renames lanes, sets the question the phones show, moves,
//! adds (up to six) and removes empty lanes, and saves the lanes as a template in this browser.
//! Each control only sends a lane op; the server decides, and undo takes it back.

use super::templates::{save_template, SavedTemplate};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::{random_id, LiveBoard};
use idetavle_core::board::{Lane, LaneId, LaneSpec, Op, MAX_LANES};
use leptos::prelude::*;

#[component]
pub fn LaneEditor(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let full = move || live.lanes().len() >= MAX_LANES;
    let add = move |_| {
        live.submit(Op::AddLane {
            lane_id: LaneId(random_id()),
            title: t.get_untracked().lanes().new_lane.to_owned(),
            question: None,
            index: None,
            hidden: false,
        })
    };
    view! {
        <details class="lane-editor">
            <summary>{t.text(|t| t.lanes().edit_lanes)}</summary>
            <ol class="lane-rows">
                {move || {
                    let lanes = live.lanes();
                    let last = lanes.len().saturating_sub(1);
                    lanes.into_iter().enumerate().map(|(i, lane)| view! { <LaneRow lane index=i last live /> }).collect_view()
                }}
            </ol>
            <button class="add-lane secondary" disabled=full on:click=add>
                {t.text(|t| t.lanes().add_lane)}
            </button>
            <Show when=full>
                <span class="hint">{t.text(|t| t.lanes().max_lanes)}</span>
            </Show>
            <SaveTemplate live />
        </details>
    }
}

#[component]
fn LaneRow(lane: Lane, index: usize, last: usize, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let shown_title = t.get_untracked().lane_title(&lane).to_owned();
    let title = RwSignal::new(shown_title.clone());
    let question = RwSignal::new(lane.question.clone().unwrap_or_default());
    let id = StoredValue::new(lane.id.clone());
    let empty =
        Memo::new(move |_| live.with_board(|b| !b.notes.values().any(|n| n.lane == id.get_value())).unwrap_or(true));
    let save = move || {
        let (new_title, new_question) = (title.get_untracked(), question.get_untracked());
        let question = Some(new_question.trim().to_owned()).filter(|q| !q.is_empty());
        if new_title.trim() != shown_title || question != lane.question {
            live.submit(Op::EditLane { lane_id: id.get_value(), title: new_title, question });
        }
    };
    let save_on_change = save.clone();
    let move_to = move |to: usize| live.submit(Op::MoveLane { lane_id: id.get_value(), index: to as u32 });
    let field = |name: &str| format!("lane-{name}-{index}");
    view! {
        <li class="lane-row" data-lane=lane.id.to_string()>
            <label for=field("title")>{t.text(|t| t.lanes().lane_title)}</label>
            <input id=field("title") class="lane-title-input" type="text" maxlength="120"
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))
                on:change=move |_| save_on_change() />
            <label for=field("question")>{t.text(|t| t.lanes().lane_question)}</label>
            <input id=field("question") class="lane-question-input" type="text" maxlength="200"
                placeholder={t.text(|t| t.lanes().question_placeholder)}
                prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev))
                on:change=move |_| save() />
            <div class="lane-row-actions" role="group">
                <button class="lane-left secondary" disabled=index == 0 on:click=move |_| move_to(index.saturating_sub(1))>
                    "← " {t.text(|t| t.lanes().move_left)}
                </button>
                <button class="lane-right secondary" disabled={index >= last} on:click=move |_| move_to(index + 1)>
                    {t.text(|t| t.lanes().move_right)} " →"
                </button>
                <button class="lane-remove secondary" disabled=move || !empty.get() || last == 0
                    title=move || (!empty.get()).then(|| t.get().lanes().not_empty)
                    on:click=move |_| live.submit(Op::RemoveLane { lane_id: id.get_value() })>
                    {t.text(|t| t.lanes().remove_lane)}
                </button>
            </div>
        </li>
    }
}

/// Saves the board's lanes (titles as shown, questions) under a name, in this browser.
#[component]
fn SaveTemplate(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let name = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let texts = t.get_untracked();
        let lanes = live
            .lanes_untracked()
            .iter()
            .map(|l| LaneSpec { title: texts.lane_title(l).to_owned(), question: l.question.clone() })
            .collect();
        let name = name.get_untracked().trim().to_owned();
        if !name.is_empty() {
            save_template(SavedTemplate { name, lanes });
            saved.set(true);
        }
    };
    view! {
        <form class="save-template" on:submit=save>
            <label for="template-name">{t.text(|t| t.lanes().template_name)}</label>
            <input id="template-name" type="text" maxlength="60" required
                prop:value=move || name.get() on:input=move |ev| { name.set(event_target_value(&ev)); saved.set(false); } />
            <button type="submit" class="secondary">{t.text(|t| t.lanes().save_template)}</button>
            <span class="hint" role="status">{move || saved.get().then(|| t.get().lanes().template_saved)}</span>
        </form>
    }
}
