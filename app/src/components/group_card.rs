//! A group of notes on a lane: a named frame that moves as one.

use super::catalogue::PromoteButton;
use super::move_menu::{focus_soon, MoveMenu, Moving};
use super::{Drag, Dragged, GroupBlock, NoteCard};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{GroupId, Op, Spotlight};
use idetavle_core::catalogue::PromoteSource;
use leptos::prelude::*;

/// Which group is being renamed, kept above the cards: a card is re-created whenever its notes
/// change (e.g. when the server confirms a move), and the half-typed name must survive that.
#[derive(Clone, Copy)]
pub struct Renaming {
    group: RwSignal<Option<GroupId>>,
    draft: RwSignal<String>,
}

impl Renaming {
    pub fn provide() {
        provide_context(Renaming { group: RwSignal::new(None), draft: RwSignal::new(String::new()) });
    }
}

#[component]
pub fn GroupCard(block: GroupBlock, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let id = StoredValue::new(block.group.id.clone());
    let title = block.group.title.clone();
    let state = use_context::<Renaming>()
        .unwrap_or_else(|| Renaming { group: RwSignal::new(None), draft: RwSignal::new(String::new()) });
    let renaming = Memo::new(move |_| state.group.with(|g| g.as_ref() == Some(&id.get_value())));
    let draft = state.draft;
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let facilitator = super::controls_shown(live);
    let counts = super::counts_shown(live);
    let group_votes = block.votes as usize;
    let drag = use_context::<Drag>();
    let item = Dragged::Group(block.group.id.clone());
    let transform = drag.map(|d| d.transform(item.clone()));
    // Read once here: inside the facilitator's `Show` below, reading the state would subscribe
    // it and rebuild every group's tools on every event.
    let board_id = live.board_id();
    let rename = move || {
        if !renaming.get_untracked() {
            return;
        }
        state.group.set(None);
        let title = draft.get_untracked();
        if !title.trim().is_empty() {
            live.submit(Op::RenameGroup { group_id: id.get_value(), title });
        }
        // Back to the button that started it, on the card as it is drawn again.
        focus_soon(format!("[data-group-id='{}'] button.rename", id.get_value()));
    };
    let start_renaming = {
        let title = title.clone();
        move |_| {
            draft.set(title.clone());
            state.group.set(Some(id.get_value()));
        }
    };

    view! {
        <section class="group" data-group-id=block.group.id.to_string()
            style:transform=move || transform.as_ref().and_then(|f| f())
            on:pointerdown=move |ev| if let (Some(d), true) = (drag, facilitator()) { d.on_down(Dragged::Group(id.get_value()))(ev) }
            on:pointermove=move |ev| if let Some(d) = drag { d.on_move()(ev) }
            on:pointerup=move |ev| if let Some(d) = drag { d.on_up()(ev) }
            on:pointercancel=move |ev| if let Some(d) = drag { d.on_cancel()(ev) }
        >
            <header class="group-header">
                <Show
                    when=move || renaming.get()
                    fallback={
                        let title = title.clone();
                        move || view! { <h3 class="group-title">{title.clone()}</h3> }
                    }
                >
                    <input class="group-rename" node_ref=input aria-label={t.text(|t| t.control().rename)} maxlength="120"
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { rename() }
                        on:blur=move |_| rename()
                    />
                </Show>
                {move || counts().then(|| view! {
                    <span class="group-votes">{t.count_of(|t| t.votes_count, group_votes)}</span>
                })}
                <Show when=facilitator>
                    <div class="group-actions">
                        <button class="rename secondary" on:click=start_renaming.clone()>{t.text(|t| t.control().rename)}</button>
                        <button class="spotlight-toggle secondary" title={t.text(|t| t.control().spotlight)}
                            on:click=move |_| live.submit(Op::SetSpotlight { target: Some(Spotlight::Group { id: id.get_value() }) })>
                            "★"
                        </button>
                        {board_id.clone().map(|board| view! {
                            <PromoteButton board source=PromoteSource::Group(id.get_value()) />
                        })}
                        <button class="ungroup secondary" on:click=move |_| live.submit(Op::Ungroup { group_id: id.get_value() })>
                            {t.text(|t| t.control().ungroup)}
                        </button>
                        // The keyboard's way to move a group: up, down, another lane.
                        <div class="group-move">
                            <MoveMenu live moving=Moving::Group(id) />
                        </div>
                    </div>
                </Show>
            </header>
            <ul class="notes">
                {block.notes.into_iter().map(|row| view! { <NoteCard row live /> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
