//! A participant deletes every note they wrote on this board (their names go with them).
//! Two taps, so a stray touch deletes nothing.

use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{Actor, NoteId, Op};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn DeleteMyNotes(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    // Computed once per board change, not once per place that shows it.
    let mine = Memo::new(move |_| -> Vec<NoteId> {
        let me = live.state.with(|s| s.me.clone());
        let Some(Actor::Participant { id }) = me else { return Vec::new() };
        live.view()
            .with(|b| b.as_ref().map(|b| b.notes.values().filter(|n| n.is_by(&id)).map(|n| n.id.clone()).collect()))
            .unwrap_or_default()
    });
    let delete_all = move |_| {
        for note_id in mine.get_untracked() {
            live.submit(Op::DeleteNote { note_id });
        }
        confirming.set(false);
    };
    view! {
        <Show when=move || mine.with(|m| !m.is_empty())>
            <section class="my-notes">
                {move || if confirming.get() {
                    Either::Left(view! {
                        <button class="confirm-delete-my-notes danger" on:click=delete_all>
                            {t.text(|t| t.confirm_delete)}
                        </button>
                        <button class="secondary" on:click=move |_| confirming.set(false)>{t.text(|t| t.cancel)}</button>
                    })
                } else {
                    Either::Right(view! {
                        <button class="delete-my-notes danger" on:click=move |_| confirming.set(true)>
                            {move || t.get().count(t.get().delete_my_notes, mine.with(Vec::len))}
                        </button>
                    })
                }}
                <p class="hint">{t.text(|t| t.delete_my_notes_hint)}</p>
            </section>
        </Show>
    }
}
