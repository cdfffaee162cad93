//! One note on the projector. User text is always rendered as text, never as HTML.
//! (A phone shows notes with `PhoneLane`'s own card.)

use super::catalogue::PromoteButton;
use super::move_menu::{MoveMenu, Moving};
use super::note_parts::{NoteActions, NoteEditor};
use super::{Drag, Dragged, NoteRow};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{NoteId, Op, ParticipantId, Spotlight};
use idetavle_core::catalogue::PromoteSource;
use leptos::prelude::*;

#[component]
pub fn NoteCard(row: NoteRow, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let editing = RwSignal::new(false);
    let note_id = StoredValue::new(row.note.id.clone());
    let text = StoredValue::new(row.note.text.clone());
    let author = StoredValue::new(row.note.author_name.clone());
    // Set only on the facilitator's screen, and only while the board shows authors. Shown in
    // the tools the facilitator opens, not on the card: the room may be looking at this screen.
    let author_id = StoredValue::new(row.note.author.clone());
    let facilitator = super::controls_shown(live);
    let counts = super::counts_shown(live);
    // The facilitator's tools open per note on demand: on a board of thousands of notes, a menu
    // of every lane and group in every card made the projector slow to load and to update.
    let tools_open = RwSignal::new(false);
    let drag = use_context::<Drag>();
    let transform = drag.map(|d| d.transform(Dragged::Note(row.note.id.clone())));
    let votes = row.note.votes;
    let class = row.class();

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
                        <span class="note-author" class:anonymous=author.get_value().is_none()>
                            {move || author.get_value().unwrap_or_else(|| t.get().anonymous.to_owned())}
                        </span>

                        {row.pending.then(|| view! { <span class="note-pending">{t.text(|t| t.pending)}</span> })}
                        {move || (counts() && votes > 0).then(|| view! {
                            <span class="note-votes">{t.count_of(|t| t.votes_count, votes as usize)}</span>
                        })}
                    </p>
                }
            >
                <NoteEditor note_id live editing initial=text.get_value() />
            </Show>
            <Show when=move || !editing.get()>
                <div class="note-actions">
                    <Show when=facilitator>
                        <button class="note-tools-toggle secondary" title={t.text(|t| t.control().note_tools)}
                            aria-label={t.text(|t| t.control().note_tools)}
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

/// Spotlight and the keyboard alternative to dragging: a "move to…" menu of places.
#[component]
fn FacilitatorNoteTools(note_id: StoredValue<NoteId>, live: LiveBoard, author: Option<ParticipantId>) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    let writer = StoredValue::new(author.map(|id| live.person_label(&id)));
    view! {
        {writer.get_value().map(|w| view! { <span class="note-writer">{t.text(|t| t.control().written_by)} ": " {w}</span> })}
        <button class="spotlight-toggle secondary" title={t.text(|t| t.control().spotlight)} aria-label={t.text(|t| t.control().spotlight)}
            on:click=move |_| live.submit(Op::SetSpotlight { target: Some(Spotlight::Note { id: note_id.get_value() }) })>
            "★"
        </button>
        {live.board_id().map(|board| view! {
            <PromoteButton board source=PromoteSource::Note(note_id.get_value()) />
        })}
        <MoveMenu live moving=Moving::Note(note_id) />
        // Anonymous participants have no name in the presence list; their notes lead to them.
        // The server finds the writer: the facilitator's screen need not know who it is.
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <button class="remove-author secondary" on:click=move |_| confirming.set(true)>{t.text(|t| t.control().remove_author)}</button>
            }
        >
            <button class="confirm-remove danger" on:click=move |_| {
                live.submit(Op::RemoveAuthor { note_id: note_id.get_value() });
                confirming.set(false);
            }>{t.text(|t| t.control().confirm_remove)}</button>
        </Show>
    }
    .into_any()
}
