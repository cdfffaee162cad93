//! A lane column on the projector: its title, its groups and its loose notes, keyed so only
//! what changed re-renders. (A phone shows lanes with `PhoneLane`.)

use super::{lane_layout, participant, GroupBlock, GroupCard, LaneLayout, NoteCard, NoteRow, Viewer};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{Lane, LaneId, Op};
use leptos::prelude::*;

/// What a lane's column reads from the board, each derived once per lane.
#[derive(Clone, Copy)]
pub struct LaneState {
    /// What the lane shows to this screen, in order.
    pub layout: Memo<LaneLayout>,
    /// The facilitator hid the lane's notes.
    pub hidden: Memo<bool>,
    /// The room is on this lane's step.
    pub in_focus: Memo<bool>,
}

impl LaneState {
    /// `on_phone`: laid out for this participant (their own notes show in a hidden lane);
    /// otherwise for the projector.
    pub fn new(live: LiveBoard, lane: &LaneId, on_phone: bool) -> Self {
        let view = live.view();
        let pending = live.pending_notes();
        let id = lane.clone();
        let layout = Memo::new(move |_| {
            // Only a phone's layout depends on who is looking.
            let me = if on_phone { live.state.with(|s| s.me.clone()) } else { None };
            let viewer = if on_phone { Viewer::Phone(participant(me.as_ref())) } else { Viewer::Projector };
            view.with(|b| b.as_ref().map(|b| pending.with(|p| lane_layout(b, &id, p, viewer))).unwrap_or_default())
        });
        let id = lane.clone();
        let hidden = Memo::new(move |_| view.with(|b| b.as_ref().is_some_and(|b| b.is_hidden(&id))));
        let id = lane.clone();
        let in_focus = Memo::new(move |_| view.with(|b| b.as_ref().and_then(|b| b.phase.clone())) == Some(id.clone()));
        LaneState { layout, hidden, in_focus }
    }
}

#[component]
pub fn LaneColumn(lane: Lane, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let LaneState { layout, hidden: lane_hidden, in_focus } = LaneState::new(live, &lane.id, false);
    let shown = move || layout.with(LaneLayout::shown);
    let hidden = move || layout.with(|l| l.hidden);
    let title = {
        let lane = lane.clone();
        move || t.get().lane_title(&lane).to_owned()
    };
    let toggle_hidden = {
        let id = lane.id.clone();
        move |_| live.submit(Op::SetHidden { lane: Some(id.clone()), hidden: !lane_hidden.get_untracked() })
    };
    let facilitator = super::controls_shown(live);
    let question = lane.question.clone();

    view! {
        <section class="lane" class:in-focus=move || in_focus.get() class:hidden-lane=move || lane_hidden.get()
            data-lane=lane.id.to_string()>
            <h2 class="lane-title">
                <span>{title}</span>
                <span class="lane-count">{move || shown() + hidden()}</span>
                <Show when=facilitator>
                    <button class="lane-hide secondary" on:click=toggle_hidden.clone()>
                        {move || if lane_hidden.get() { t.get().control().reveal } else { t.get().control().hide }}
                    </button>
                </Show>
            </h2>
            {question.map(|q| view! { <p class="lane-question">{q}</p> })}
            <Show when=move || lane_hidden.get()>
                <p class="hidden-info">{move || t.get().count(t.get().control().hidden_count, hidden())}</p>
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
                <p class="empty">{t.text(|t| t.no_notes)}</p>
            </Show>
        </section>
    }
    .into_any()
}
