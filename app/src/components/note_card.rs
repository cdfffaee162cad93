//! One note. User text is always rendered as text, never as HTML.

use super::NoteRow;
use crate::board::{NoteId, Op};
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use leptos::prelude::*;

#[component]
pub fn NoteCard(row: NoteRow, live: LiveBoard, editable: bool) -> impl IntoView {
    let t = use_texts();
    let editing = RwSignal::new(false);
    let note_id = StoredValue::new(row.note.id.clone());
    let text = StoredValue::new(row.note.text.clone());
    let author = StoredValue::new(row.note.author_name.clone());
    let mut class = String::from("note");
    if row.pending {
        class.push_str(" pending");
    }
    if row.mine {
        class.push_str(" mine");
    }

    view! {
        <li class=class data-note-id=row.note.id.to_string()>
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <p class="note-text">{text.get_value()}</p>
                        <p class="note-meta">
                            <span class="note-author">
                                {move || author.get_value().unwrap_or_else(|| t.get().anonymous.to_owned())}
                            </span>
                            {row.pending.then(|| view! { <span class="note-pending">{move || t.get().pending}</span> })}
                        </p>
                    }
                }
            >
                <NoteEditor note_id live editing initial=text.get_value() />
            </Show>
            {(editable && row.mine).then(|| view! {
                <Show when=move || !editing.get()>
                    <NoteActions note_id live editing />
                </Show>
            })}
        </li>
    }
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
}

/// Edit and delete for one's own note. Deleting takes two taps, so a stray tap on a phone
/// does not lose a note.
#[component]
fn NoteActions(note_id: StoredValue<NoteId>, live: LiveBoard, editing: RwSignal<bool>) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    let delete = move |_| {
        live.submit(Op::DeleteNote { note_id: note_id.get_value() });
        confirming.set(false);
    };
    view! {
        <div class="note-actions">
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
        </div>
    }
}
