//! `/j/{code}`: the phone view. Pick a lane, write a note, post it; edit and delete your own.

use super::UnknownBoard;
use crate::api::BoardPage;
use crate::components::{
    participant, BoardEnded, ConnectionBadge, DeleteMyNotes, LanguageSwitch, PhoneLane, RefusalBanner, SpotlightBanner,
    TimerDisplay, WorkshopLobby,
};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::Connection;
use crate::sync::{random_id, LiveBoard};
use idetavle_core::board::{note_length, LaneId, NoteId, Op, MAX_NOTE_CHARS};
use leptos::either::Either;
use leptos::prelude::*;

/// Rendered without the router in the participant bundle (see `root::ParticipantApp`); the
/// board is there from the start ([`super::joined`]).
#[component]
pub fn ParticipantPage() -> impl IntoView {
    match super::joined::joined_board() {
        Some(page) => Either::Left(view! { <ParticipantBoard page /> }),
        None => Either::Right(view! { <UnknownBoard /> }),
    }
}

#[component]
fn ParticipantBoard(page: BoardPage) -> impl IntoView {
    let t = use_texts();
    let board_id = page.board.id.clone();
    // At a workshop's table, the phone is who it is at the plenary: the same secret.
    let secret_of = page.board.table_of.as_ref().map_or_else(|| board_id.clone(), |t| t.plenary.clone());
    let first_lane = page.board.lanes.first().map(|l| l.id.clone());
    let title = page.board.title.clone();
    let live = LiveBoard::new(page.board);

    let name = RwSignal::new(String::new());
    let lane = RwSignal::new(first_lane.unwrap_or_else(|| LaneId::from("need")));
    let text = RwSignal::new(String::new());
    // Counted as the server counts (`note_length`), not as `maxlength` would (UTF-16 units,
    // so an emoji would count twice): the box takes more, the counter says how much too much.
    let length = move || text.with(|t| note_length(t));
    let too_long = move || length() > MAX_NOTE_CHARS;
    // Nothing can be posted on a locked board, nor on one that is gone.
    let locked = Memo::new(move |_| live.is_locked() || live.ended.get().is_some());
    let phase = Memo::new(move |_| live.with_board(|b| b.phase.clone()).flatten());
    // When the facilitator moves the room to a step, the phone follows.
    Effect::new(move |_| {
        if let Some(p) = phase.get() {
            lane.set(p);
        }
    });
    let votes_left = Memo::new(move |_| {
        live.state.with(|s| {
            let board = s.board.as_ref()?;
            let voting = board.voting.clone().filter(|v| v.open)?;
            let used = participant(s.me.as_ref()).map_or(0, |me| board.votes_used(me));
            Some(voting.votes_per_participant.saturating_sub(used) as usize)
        })
    });

    // Browser only: effects do not run during server rendering.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use crate::sync::{local_storage, socket::participant_secret};
            use idetavle_core::protocol::Credential;
            if let Some(saved) = local_storage().and_then(|s| s.get_item("idetavle.name").ok().flatten()) {
                live.set_name(Some(saved.clone()));
                name.set(saved);
            }
            live.start(Credential::Participant { secret: participant_secret(&secret_of) });
            // So the page opens again without a network (public/sw.js). Browsers offer service
            // workers only on https and localhost: elsewhere the page simply goes without.
            if let Some(navigator) = web_sys::window().map(|w| w.navigator()) {
                if js_sys::Reflect::get(&navigator, &"serviceWorker".into()).is_ok_and(|sw| !sw.is_undefined()) {
                    let _ = navigator.service_worker().register("/sw.js");
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&board_id, &secret_of);
    });

    let last_sent = RwSignal::new(None::<NoteId>);
    let post = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        if body.trim().is_empty() || too_long() {
            return;
        }
        let author_name = Some(name.get_untracked()).filter(|n| !n.trim().is_empty());
        #[cfg(feature = "hydrate")]
        if let Some(storage) = crate::sync::local_storage() {
            let _ = storage.set_item("idetavle.name", author_name.as_deref().unwrap_or(""));
        }
        let note_id = NoteId::from(random_id().as_str());
        last_sent.set(Some(note_id.clone()));
        live.submit(Op::AddNote { note_id, lane: lane.get_untracked(), text: body, author_name });
        text.set(String::new());
    };
    // What became of the last note sent, said next to the form (the note itself may be far below).
    let pending = live.pending_notes();
    let sent = Memo::new(move |_| {
        let id = last_sent.get()?;
        if pending.with(|p| p.contains(&id)) {
            Some((id, false))
        } else {
            live.with_board(|b| b.notes.contains_key(&id)).unwrap_or(false).then_some((id, true))
        }
    });

    // The facilitator may add, rename and remove lanes while people write: a phone on a lane
    // that is gone moves to the first.
    Effect::new(move |_| {
        let lanes = live.lanes();
        if !lanes.iter().any(|l| lane.with_untracked(|c| *c == l.id)) {
            if let Some(first) = lanes.first() {
                lane.set(first.id.clone());
            }
        }
    });
    let question = move || {
        let current = lane.get();
        live.lanes().into_iter().find(|l| l.id == current).and_then(|l| l.question)
    };
    view! {
        {crate::head::page_title({
            let title = title.clone();
            move || title.clone()
        })}
        <main class="page participant">
            <header class="bar">
                <h1 class="board-title">{title.clone()}</h1>
                <ConnectionBadge live />
                <LanguageSwitch />
            </header>
            <RefusalBanner live />
            <BoardEnded live />
            <WorkshopLobby live />
            <TimerDisplay live />
            <SpotlightBanner live />
            <Show when=move || locked.get()>
                <p class="locked-notice" role="status">{t.text(|t| t.locked_notice)}</p>
            </Show>
            <Show when=move || live.authors_shown()>
                <p class="authors-notice" role="status">{t.text(|t| t.authors_notice)}</p>
            </Show>
            {move || votes_left.get().map(|n| view! {
                <p class="votes-left" role="status">{t.count_of(|t| t.votes_left, n)}</p>
            })}
            <form class="post-form card" class:disabled=move || locked.get() on:submit=post>
                <label for="display-name">{t.text(|t| t.your_name)}</label>
                <input
                    id="display-name"
                    maxlength="40"
                    autocomplete="nickname"
                    placeholder={t.text(|t| t.name_placeholder)}
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    on:change=move |_| {
                        let value = name.get_untracked();
                        #[cfg(feature = "hydrate")]
                        if let Some(storage) = crate::sync::local_storage() {
                            let _ = storage.set_item("idetavle.name", value.trim());
                        }
                        live.set_name(Some(value));
                    }
                />
                <fieldset class="lane-picker">
                    <legend>{t.text(|t| t.lane_label)}</legend>
                    <For each=move || live.lanes() key=|l| (l.id.clone(), l.title.clone()) let:l>
                        {
                            let id = l.id.clone();
                            let checked_id = l.id.clone();
                            let focus_id = l.id.clone();
                            let value = l.id.to_string();
                            view! {
                                <label class="lane-choice" class:in-focus=move || phase.get().as_ref() == Some(&focus_id)>
                                    <input
                                        type="radio"
                                        name="lane"
                                        value=value
                                        prop:checked=move || lane.with(|c| *c == checked_id)
                                        on:change=move |_| lane.set(id.clone())
                                    />
                                    <span>{move || t.get().lane_title(&l).to_owned()}</span>
                                </label>
                            }
                        }
                    </For>
                </fieldset>
                <p id="lane-question" class="lane-question" aria-live="polite">{question}</p>
                <label for="note-text">{t.text(|t| t.note_label)}</label>
                <textarea
                    id="note-text"
                    rows="3"
                    aria-describedby="lane-question chars-left"
                    aria-invalid=move || too_long().then_some("true")
                    placeholder={t.text(|t| t.note_placeholder)}
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <div class="post-row">
                    <span id="chars-left" class="chars-left" class:over=too_long aria-live="polite">
                        {move || match length() {
                            n if n > MAX_NOTE_CHARS => t.get().count(t.get().chars_over, n - MAX_NOTE_CHARS),
                            n => t.get().count(t.get().chars_left, MAX_NOTE_CHARS - n),
                        }}
                    </span>
                    <button type="submit" class="post" disabled=move || locked.get() || too_long() || text.with(|t| t.trim().is_empty())>
                        {t.text(|t| t.post)}
                    </button>
                </div>
                <p class="sent-status" role="status" aria-live="polite">
                    {move || sent.get().map(|(id, done)| {
                        let label = move || match (done, live.connection.get()) {
                            (true, _) => t.get().sent,
                            (false, Connection::Online) => t.get().sending,
                            (false, _) => t.get().waiting_offline,
                        };
                        view! {
                            <span class:waiting=!done>{label}</span>
                            " "
                            <button type="button" class="see-note secondary" on:click=move |_| show_note(&id)>
                                {t.text(|t| t.see_note)}
                            </button>
                        }
                    })}
                </p>
            </form>
            <div class="lanes">
                <For each=move || live.lanes() key=|l| (l.id.clone(), l.title.clone(), l.question.clone()) let:lane>
                    <PhoneLane lane live />
                </For>
            </div>
            <DeleteMyNotes live />
        </main>
    }
}

/// Scrolls the phone to one of its notes.
fn show_note(id: &NoteId) {
    #[cfg(feature = "hydrate")]
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!("[data-note-id='{id}']")).ok().flatten())
    {
        el.scroll_into_view();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
