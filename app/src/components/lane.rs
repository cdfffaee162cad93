//! A lane column: its title and its notes, keyed so only changed notes re-render.

use super::NoteCard;
use crate::board::{Actor, Board, Lane, LaneId, Note, NoteId};
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use leptos::prelude::*;
use std::collections::HashSet;

/// One note as a screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub note: Note,
    pub pending: bool,
    pub mine: bool,
}

/// The rows of one lane, in display order.
pub fn lane_rows(board: &Board, lane: &LaneId, pending: &HashSet<NoteId>, me: Option<&Actor>) -> Vec<NoteRow> {
    board
        .notes_in(lane)
        .map(|n| NoteRow {
            note: n.clone(),
            pending: pending.contains(&n.id),
            mine: matches!(me, Some(Actor::Participant { id }) if *id == n.author),
        })
        .collect()
}

#[component]
pub fn LaneColumn(
    lane: Lane,
    live: LiveBoard,
    /// Participants can edit and delete their own notes; the projector only shows.
    editable: bool,
) -> impl IntoView {
    let t = use_texts();
    let view = live.view();
    let pending = live.pending_notes();
    let lane_id = lane.id.clone();
    let rows = Memo::new(move |_| {
        let me = live.state.with(|s| s.me.clone());
        view.with(|b| b.as_ref().map(|b| pending.with(|p| lane_rows(b, &lane_id, p, me.as_ref()))).unwrap_or_default())
    });
    let count = move || rows.with(Vec::len);
    let title = {
        let lane = lane.clone();
        move || t.get().lane_title(&lane).to_owned()
    };
    view! {
        <section class="lane" data-lane=lane.id.to_string()>
            <h2 class="lane-title">
                <span>{title}</span>
                <span class="lane-count">{count}</span>
            </h2>
            <ul class="notes">
                <For
                    each=move || rows.get()
                    key=|row| (row.note.id.clone(), row.note.version, row.pending, row.mine)
                    let:row
                >
                    <NoteCard row live editable />
                </For>
            </ul>
            <Show when=move || count() == 0>
                <p class="empty">{move || t.get().no_notes}</p>
            </Show>
        </section>
    }
}
