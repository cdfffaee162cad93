//! A lane column on the projector: its title, its groups and its loose notes, keyed so only
//! what changed re-renders. (A phone shows lanes with `PhoneLane`.)

use super::{lane_layout, GroupBlock, GroupCard, LaneLayout, NoteCard, NoteRow, Viewer};
use crate::board::{Lane, Op};
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use leptos::prelude::*;

#[component]
pub fn LaneColumn(lane: Lane, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let view = live.view();
    let pending = live.pending_notes();
    let lane_id = lane.id.clone();
    let layout = Memo::new(move |_| {
        view.with(|b| {
            b.as_ref().map(|b| pending.with(|p| lane_layout(b, &lane_id, p, Viewer::Projector))).unwrap_or_default()
        })
    });
    let shown = move || layout.with(LaneLayout::shown);
    let hidden = move || layout.with(|l| l.hidden);
    let lane_hidden = {
        let id = lane.id.clone();
        Memo::new(move |_| view.with(|b| b.as_ref().is_some_and(|b| b.is_hidden(&id))))
    };
    let in_focus = {
        let id = lane.id.clone();
        Memo::new(move |_| view.with(|b| b.as_ref().and_then(|b| b.phase.clone())) == Some(id.clone()))
    };
    let title = {
        let lane = lane.clone();
        move || t.get().lane_title(&lane).to_owned()
    };
    let toggle_hidden = {
        let id = lane.id.clone();
        move |_| live.submit(Op::SetHidden { lane: Some(id.clone()), hidden: !lane_hidden.get_untracked() })
    };
    let facilitator = move || live.is_facilitator();

    view! {
        <section class="lane" class:in-focus=move || in_focus.get() class:hidden-lane=move || lane_hidden.get()
            data-lane=lane.id.to_string()>
            <h2 class="lane-title">
                <span>{title}</span>
                <span class="lane-count">{move || shown() + hidden()}</span>
                <Show when=facilitator>
                    <button class="lane-hide secondary" on:click=toggle_hidden.clone()>
                        {move || if lane_hidden.get() { t.get().reveal } else { t.get().hide }}
                    </button>
                </Show>
            </h2>
            <Show when=move || lane_hidden.get()>
                <p class="hidden-info">{move || t.get().count(t.get().hidden_count, hidden())}</p>
            </Show>
            <div class="groups">
                <For each=move || layout.with(|l| l.groups.clone()) key=GroupBlock::key let:block>
                    <GroupCard block live />
                </For>
            </div>
            <ul class="notes">
                <For each=move || layout.with(|l| l.loose.clone()) key=NoteRow::key let:row>
                    <NoteCard row live />
                </For>
            </ul>
            <Show when=move || shown() == 0 && hidden() == 0>
                <p class="empty">{move || t.get().no_notes}</p>
            </Show>
        </section>
    }
    .into_any()
}
