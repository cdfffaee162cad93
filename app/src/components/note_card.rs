//! One note. User text is always rendered as text, never as HTML.

use super::NoteRow;
use crate::board::Op;
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use leptos::prelude::*;

#[component]
pub fn NoteCard(row: NoteRow, live: LiveBoard, editable: bool) -> impl IntoView {
    let t = use_texts();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(row.note.text.clone());
    let note_id = row.note.id.clone();
    let can_edit = editable && row.mine;
    let author = row.note.author_name.clone();

    let save = {
        let note_id = note_id.clone();
        move || {
            live.submit(Op::EditNote {
                note_id: note_id.clone(),
                text: draft.get_untracked(),
            });
            editing.set(false);
        }
    };
    let delete = {
        let note_id = note_id.clone();
        move |_| {
            live.submit(Op::DeleteNote {
                note_id: note_id.clone(),
            })
        }
    };
    let text = row.note.text.clone();
    let class = move || {
        let mut c = String::from("note");
        if row.pending {
            c.push_str(" pending");
        }
        if row.mine {
            c.push_str(" mine");
        }
        c
    };

    view! {
        <li class=class data-note-id=note_id.to_string()>
            <Show
                when=move || editing.get()
                fallback=move || {
                    let author = author.clone();
                    view! {
                        <p class="note-text">{text.clone()}</p>
                        <p class="note-meta">
                            <span class="note-author">
                                {move || author.clone().unwrap_or_else(|| t.get().anonymous.to_owned())}
                            </span>
                            {row.pending.then(|| view! { <span class="note-pending">{move || t.get().pending}</span> })}
                        </p>
                    }
                }
            >
                <textarea
                    class="note-edit"
                    maxlength="280"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                ></textarea>
                <div class="note-actions">
                    <button class="save" on:click={
                        let save = save.clone();
                        move |_| save()
                    }>{move || t.get().save}</button>
                    <button class="secondary" on:click=move |_| editing.set(false)>
                        {move || t.get().cancel}
                    </button>
                </div>
            </Show>
            {can_edit.then(|| {
                let delete = delete.clone();
                view! {
                    <Show when=move || !editing.get()>
                        <div class="note-actions">
                            <button class="edit secondary" on:click=move |_| editing.set(true)>
                                {move || t.get().edit}
                            </button>
                            <button class="delete danger" on:click=delete.clone()>
                                {move || t.get().delete}
                            </button>
                        </div>
                    </Show>
                }
            })}
        </li>
    }
}
