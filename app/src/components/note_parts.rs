//! Pieces of a note card that the phone and the projector share: voting, editing, deleting.
//! No type-erased views here: the participant bundle stays small without them.

use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{NoteId, Op};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn VoteButtons(note_id: StoredValue<NoteId>, live: LiveBoard, my_votes: u32) -> impl IntoView {
    let t = use_texts();
    view! {
        <button class="vote" aria-label={t.text(|t| t.vote)} on:click=move |_| live.submit(Op::Vote { note_id: note_id.get_value() })>
            "+1"
        </button>
        {(my_votes > 0).then(|| view! {
            <span class="my-votes" aria-label={t.count_of(|t| t.votes_count, my_votes as usize)}>
                {"●".repeat(my_votes as usize)}
            </span>
            <button class="unvote secondary" aria-label={t.text(|t| t.unvote)}
                on:click=move |_| live.submit(Op::Unvote { note_id: note_id.get_value() })>
                "−1"
            </button>
        })}
    }
}

#[component]
pub fn NoteEditor(
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
            <button class="save" on:click=save>{t.text(|t| t.save)}</button>
            <button class="secondary" on:click=move |_| editing.set(false)>{t.text(|t| t.cancel)}</button>
        </div>
    }
}

/// Edit and delete. Deleting takes two taps, so a stray tap on a phone does not lose a note.
#[component]
pub fn NoteActions(note_id: StoredValue<NoteId>, live: LiveBoard, editing: RwSignal<bool>) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    let delete = move |_| {
        live.submit(Op::DeleteNote { note_id: note_id.get_value() });
        confirming.set(false);
    };
    move || {
        if confirming.get() {
            Either::Left(view! {
                <button class="confirm-delete danger" on:click=delete>{t.text(|t| t.confirm_delete)}</button>
                <button class="secondary" on:click=move |_| confirming.set(false)>{t.text(|t| t.cancel)}</button>
            })
        } else {
            Either::Right(view! {
                <button class="edit secondary" on:click=move |_| editing.set(true)>{t.text(|t| t.edit)}</button>
                <button class="delete danger" on:click=move |_| confirming.set(true)>{t.text(|t| t.delete)}</button>
            })
        }
    }
}
