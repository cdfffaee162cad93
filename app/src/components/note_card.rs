//! One note. User text is always rendered as text, never as HTML.

use super::catalogue::PromoteButton;
use super::drop::step_op;
use super::group_card::group_choices;
use super::{Drag, Dragged, NoteRow, Screen};
use crate::board::{GroupId, LaneId, NoteId, Op, ParticipantId, Spotlight};
use crate::catalogue::PromoteSource;
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use leptos::prelude::*;

#[component]
pub fn NoteCard(row: NoteRow, live: LiveBoard, screen: Screen) -> impl IntoView {
    let t = use_texts();
    let editing = RwSignal::new(false);
    let note_id = StoredValue::new(row.note.id.clone());
    let text = StoredValue::new(row.note.text.clone());
    let author = StoredValue::new(row.note.author_name.clone());
    let author_id = StoredValue::new(row.note.author.clone());
    let facilitator = move || screen == Screen::Projector && live.is_facilitator();
    let locked = move || live.is_locked();
    let phone_can_edit = move || screen == Screen::Phone && row.mine && !locked();
    // The facilitator's tools open per note on demand: on a board of thousands of notes, a menu
    // of every lane and group in every card made the projector slow to load and to update.
    let tools_open = RwSignal::new(false);
    let voting = move || live.voting();
    let drag = use_context::<Drag>().filter(|_| screen == Screen::Projector);
    let transform = drag.map(|d| d.transform(Dragged::Note(row.note.id.clone())));
    let votes = row.note.votes;
    let mut class = String::from("note");
    for (on, name) in [(row.pending, " pending"), (row.mine, " mine"), (row.my_votes > 0, " voted")] {
        if on {
            class.push_str(name);
        }
    }

    view! {
        <li class=class data-note-id=row.note.id.to_string()
            style:transform=move || transform.as_ref().and_then(|f| f())
            on:pointerdown=move |ev| if let (Some(d), true) = (drag, facilitator()) { d.on_down(Dragged::Note(note_id.get_value()))(ev) }
            on:pointermove=move |ev| if let Some(d) = drag { d.on_move()(ev) }
            on:pointerup=move |ev| if let Some(d) = drag { d.on_up()(ev) }
            on:pointercancel=move |ev| if let Some(d) = drag { d.on_cancel()(ev) }
        >
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <p class="note-text">{text.get_value()}</p>
                    <p class="note-meta">
                        <span class="note-author">
                            {move || author.get_value().unwrap_or_else(|| t.get().anonymous.to_owned())}
                        </span>
                        {row.pending.then(|| view! { <span class="note-pending">{move || t.get().pending}</span> })}
                        {move || voting().map(|_| view! {
                            <span class="note-votes">{move || t.get().count(t.get().votes_count, votes as usize)}</span>
                        })}
                    </p>
                }
            >
                <NoteEditor note_id live editing initial=text.get_value() />
            </Show>
            <Show when=move || !editing.get()>
                <div class="note-actions">
                    <Show when=move || screen == Screen::Phone && voting().is_some_and(|v| v.open)>
                        <VoteButtons note_id live my_votes=row.my_votes />
                    </Show>
                    <Show when=phone_can_edit>
                        <NoteActions note_id live editing />
                    </Show>
                    <Show when=facilitator>
                        <button class="note-tools-toggle secondary" title=move || t.get().note_tools
                            aria-label=move || t.get().note_tools
                            aria-expanded=move || tools_open.get().to_string()
                            on:click=move |_| tools_open.update(|open| *open = !*open)>
                            "⋯"
                        </button>
                        <Show when=move || tools_open.get()>
                            <FacilitatorNoteTools note_id live author=author_id.get_value() />
                            <NoteActions note_id live editing />
                        </Show>
                    </Show>
                </div>
            </Show>
        </li>
    }
    .into_any()
}

#[component]
fn VoteButtons(note_id: StoredValue<NoteId>, live: LiveBoard, my_votes: u32) -> impl IntoView {
    let t = use_texts();
    view! {
        <button class="vote" aria-label=move || t.get().vote on:click=move |_| live.submit(Op::Vote { note_id: note_id.get_value() })>
            "+1"
        </button>
        {(my_votes > 0).then(|| view! {
            <span class="my-votes" aria-label=move || t.get().count(t.get().votes_count, my_votes as usize)>
                {"●".repeat(my_votes as usize)}
            </span>
            <button class="unvote secondary" aria-label=move || t.get().unvote
                on:click=move |_| live.submit(Op::Unvote { note_id: note_id.get_value() })>
                "−1"
            </button>
        })}
    }
    .into_any()
}

/// Spotlight and the keyboard alternative to dragging: a "move to…" menu of lanes and groups.
#[component]
fn FacilitatorNoteTools(note_id: StoredValue<NoteId>, live: LiveBoard, author: ParticipantId) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    let author = StoredValue::new(author);
    let lanes = live.lanes_untracked();
    let groups = group_choices(live);
    let move_to = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let op = if value == "up" || value == "down" {
            live.view().get_untracked().and_then(|b| step_op(&b, &note_id.get_value(), value == "up"))
        } else if let Some(lane) = value.strip_prefix("lane:") {
            Some(Op::MoveNote { note_id: note_id.get_value(), lane: LaneId::from(lane), group: None, rank: None })
        } else if let Some(group) = value.strip_prefix("group:") {
            live.with_board(|b| b.groups.get(&GroupId::from(group)).map(|g| g.lane.clone())).flatten().map(|lane| {
                Op::MoveNote { note_id: note_id.get_value(), lane, group: Some(GroupId::from(group)), rank: None }
            })
        } else {
            None
        };
        if let Some(op) = op {
            live.submit(op);
        }
    };
    view! {
        <button class="spotlight-toggle secondary" title=move || t.get().spotlight aria-label=move || t.get().spotlight
            on:click=move |_| live.submit(Op::SetSpotlight { target: Some(Spotlight::Note { id: note_id.get_value() }) })>
            "★"
        </button>
        {live.board_id().map(|board| view! {
            <PromoteButton board source=PromoteSource::Note(note_id.get_value()) />
        })}
        <select class="move-to" aria-label=move || t.get().move_to on:change=move_to>
            <option value="" selected>{move || t.get().move_to}</option>
            <option value="up">{move || format!("↑ {}", t.get().move_up)}</option>
            <option value="down">{move || format!("↓ {}", t.get().move_down)}</option>
            {lanes.into_iter().map(|l| {
                let value = format!("lane:{}", l.id);
                view! { <option value=value>{move || format!("→ {}", t.get().lane_title(&l))}</option> }
            }).collect_view()}
            {groups.into_iter().map(|(id, title)| view! {
                <option value=format!("group:{id}")>{move || format!("→ {}: {title}", t.get().group_label)}</option>
            }).collect_view()}
        </select>
        // Anonymous participants have no name in the presence list; their notes lead to them.
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <button class="remove-author secondary" on:click=move |_| confirming.set(true)>{move || t.get().remove_author}</button>
            }
        >
            <button class="confirm-remove danger" on:click=move |_| {
                live.submit(Op::RemoveParticipant { participant: author.get_value() });
                confirming.set(false);
            }>{move || t.get().confirm_remove}</button>
        </Show>
    }
    .into_any()
}

#[component]
fn NoteEditor(
    note_id: StoredValue<NoteId>,
    live: LiveBoard,
    editing: RwSignal<bool>,
    initial: String,
) -> impl IntoView {
    let t = use_texts();
    let draft = RwSignal::new(initial);
    let save = move |_| {
        live.submit(Op::EditNote { note_id: note_id.get_value(), text: draft.get_untracked() });
        editing.set(false);
    };
    view! {
        <textarea
            class="note-edit"
            maxlength="280"
            prop:value=move || draft.get()
            on:input=move |ev| draft.set(event_target_value(&ev))
        ></textarea>
        <div class="note-actions">
            <button class="save" on:click=save>{move || t.get().save}</button>
            <button class="secondary" on:click=move |_| editing.set(false)>{move || t.get().cancel}</button>
        </div>
    }
    .into_any()
}

/// Edit and delete. Deleting takes two taps, so a stray tap on a phone does not lose a note.
#[component]
fn NoteActions(note_id: StoredValue<NoteId>, live: LiveBoard, editing: RwSignal<bool>) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    let delete = move |_| {
        live.submit(Op::DeleteNote { note_id: note_id.get_value() });
        confirming.set(false);
    };
    view! {
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <button class="edit secondary" on:click=move |_| editing.set(true)>{move || t.get().edit}</button>
                <button class="delete danger" on:click=move |_| confirming.set(true)>{move || t.get().delete}</button>
            }
        >
            <button class="confirm-delete danger" on:click=delete>{move || t.get().confirm_delete}</button>
            <button class="secondary" on:click=move |_| confirming.set(false)>{move || t.get().cancel}</button>
        </Show>
    }
    .into_any()
}
