//! A lane column: its title, its groups and its loose notes, keyed so only what changed
//! re-renders.

use super::{lane_layout, participant, GroupCard, LaneLayout, NoteCard, Viewer};
use crate::board::{Lane, Op};
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use leptos::prelude::*;

/// Which screen a lane is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// A participant's phone: own notes editable, voting.
    Phone,
    /// The projector: large type; the facilitator's controls when the token was given.
    Projector,
}

#[component]
pub fn LaneColumn(lane: Lane, live: LiveBoard, screen: Screen) -> impl IntoView {
    let t = use_texts();
    let view = live.view();
    let pending = live.pending_notes();
    let lane_id = lane.id.clone();
    let layout = Memo::new(move |_| {
        let me = live.state.with(|s| s.me.clone());
        let viewer = match screen {
            Screen::Phone => Viewer::Phone(participant(me.as_ref())),
            Screen::Projector => Viewer::Projector,
        };
        view.with(|b| b.as_ref().map(|b| pending.with(|p| lane_layout(b, &lane_id, p, viewer))).unwrap_or_default())
    });
    let shown =
        move || layout.with(|l: &LaneLayout| l.loose.len() + l.groups.iter().map(|g| g.notes.len()).sum::<usize>());
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
    let facilitator = move || screen == Screen::Projector && live.is_facilitator();

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
                <p class="hidden-info">
                    {move || match screen {
                        Screen::Projector => t.get().count(t.get().hidden_count, hidden()),
                        Screen::Phone => t.get().hidden_notice.to_owned(),
                    }}
                </p>
            </Show>
            <div class="groups">
                <For
                    each=move || layout.with(|l| l.groups.clone())
                    key=|g| (g.group.id.clone(), g.group.version, g.votes, g.notes.iter().map(|r| r.key()).collect::<Vec<_>>())
                    let:block
                >
                    <GroupCard block live screen />
                </For>
            </div>
            <ul class="notes">
                <For each=move || layout.with(|l| l.loose.clone()) key=|row| row.key() let:row>
                    <NoteCard row live screen />
                </For>
            </ul>
            <Show when=move || shown() == 0 && hidden() == 0>
                <p class="empty">{move || t.get().no_notes}</p>
            </Show>
        </section>
    }
    .into_any()
}
