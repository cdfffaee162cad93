//! A lane as a participant's phone shows it: the notes the phone may see, grouped as on the
//! projector, with voting and the participant's own edit and delete. None of the facilitator's
//! tools, so none of their code reaches the participant bundle.

use super::lane::LaneState;
use super::note_parts::{NoteActions, NoteEditor, VoteButtons};
use super::{GroupBlock, LaneLayout, NoteRow};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::Lane;
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn PhoneLane(lane: Lane, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let LaneState { layout, hidden: lane_hidden, in_focus } = LaneState::new(live, &lane.id, true);
    let shown = move || layout.with(LaneLayout::shown);
    let hidden = move || layout.with(|l| l.hidden);
    let data_lane = lane.id.to_string();
    let question = lane.question.clone();
    let title = move || t.get().lane_title(&lane).to_owned();

    view! {
        <section class="lane" class:in-focus=move || in_focus.get() class:hidden-lane=move || lane_hidden.get()
            data-lane=data_lane>
            <h2 class="lane-title">
                <span>{title}</span>
                <span class="lane-count">{move || shown() + hidden()}</span>
            </h2>
            {question.map(|q| view! { <p class="lane-question">{q}</p> })}
            <Show when=move || lane_hidden.get()>
                <p class="hidden-info">{t.text(|t| t.hidden_notice)}</p>
            </Show>
            <div class="groups">
                <For each=move || layout.with(|l| l.groups.clone()) key=GroupBlock::key let:block>
                    <PhoneGroup block live />
                </For>
            </div>
            <ul class="notes">
                <For each=move || layout.with(|l| l.loose.clone()) key=NoteRow::key let:row>
                    <PhoneNote row live />
                </For>
            </ul>
            <Show when=move || shown() == 0 && hidden() == 0>
                <p class="empty">{t.text(|t| t.no_notes)}</p>
            </Show>
        </section>
    }
}

#[component]
fn PhoneGroup(block: GroupBlock, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let counts = super::counts_shown(live);
    let votes = block.votes as usize;
    view! {
        <section class="group" data-group-id=block.group.id.to_string()>
            <header class="group-header">
                <h3 class="group-title">{block.group.title}</h3>
                {move || counts().then(|| view! {
                    <span class="group-votes">{t.count_of(|t| t.votes_count, votes)}</span>
                })}
            </header>
            <ul class="notes">
                {block.notes.into_iter().map(|row| view! { <PhoneNote row live /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn PhoneNote(row: NoteRow, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let editing = RwSignal::new(false);
    let note_id = StoredValue::new(row.note.id.clone());
    let text = StoredValue::new(row.note.text.clone());
    let author = StoredValue::new(row.note.author_name.clone());
    let (mine, pending, votes, my_votes) = (row.mine, row.pending, row.note.votes as usize, row.my_votes);
    let voting = move || live.voting();
    let counts = super::counts_shown(live);
    let can_edit = move || mine && !live.is_locked();

    view! {
        <li class=row.class() data-note-id=row.note.id.to_string()>
            {move || if editing.get() {
                Either::Left(view! { <NoteEditor note_id live editing initial=text.get_value() /> })
            } else {
                Either::Right(view! {
                    <p class="note-text">{text.get_value()}</p>
                    <p class="note-meta">
                        <span class="note-author">
                            {move || author.get_value().unwrap_or_else(|| t.get().anonymous.to_owned())}
                        </span>
                        {pending.then(|| view! { <span class="note-pending">{t.text(|t| t.pending)}</span> })}
                        {move || (counts() && votes > 0).then(|| view! {
                            <span class="note-votes">{t.count_of(|t| t.votes_count, votes)}</span>
                        })}
                    </p>
                    <div class="note-actions">
                        <Show when=move || voting().is_some_and(|v| v.open)>
                            <VoteButtons note_id live my_votes />
                        </Show>
                        <Show when=can_edit>
                            <NoteActions note_id live editing />
                        </Show>
                    </div>
                })
            }}
        </li>
    }
}
