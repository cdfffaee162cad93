//! The facilitator's controls on the projector: phase, hide/reveal, lock, timer, voting.
//! Every control only sends an op; the server decides and every screen follows its events.

use super::{DeleteBoardButton, ExportButtons};
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use idetavle_core::board::{LaneId, Op, DEFAULT_VOTES, MAX_VOTES};
use leptos::prelude::*;

#[component]
pub fn FacilitatorBar(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let lanes = live.lanes_untracked();
    let phase = Memo::new(move |_| live.with_board(|b| b.phase.clone()).flatten());
    let all_hidden = Memo::new(move |_| live.with_board(|b| b.lanes.iter().all(|l| l.hidden)).unwrap_or(false));
    let locked = Memo::new(move |_| live.is_locked());
    let voting_open = Memo::new(move |_| live.voting().is_some_and(|v| v.open));
    let minutes = RwSignal::new(String::from("5"));
    let votes = RwSignal::new(DEFAULT_VOTES.to_string());
    let stacking = RwSignal::new(false);

    let phase_button = move |lane: Option<LaneId>, label: Signal<String>| {
        let active = {
            let lane = lane.clone();
            move || phase.get() == lane
        };
        view! {
            <button class="phase secondary" class:active=active.clone() aria-pressed=move || active().to_string()
                on:click=move |_| live.submit(Op::SetPhase { lane: lane.clone() })>
                {label}
            </button>
        }
    };
    let start_timer = move |secs: u32| live.submit(Op::StartTimer { seconds: secs });
    // Ctrl+Z / Ctrl+Shift+Z (⌘ on a Mac), except while typing, where the field's own undo wins.
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if !(ev.ctrl_key() || ev.meta_key()) || !ev.key().eq_ignore_ascii_case("z") {
                return;
            }
            let typing = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if !typing {
                ev.prevent_default();
                live.submit(if ev.shift_key() { Op::Redo {} } else { Op::Undo {} });
            }
        });
        on_cleanup(move || handle.remove());
    }

    view! {
        <nav class="facilitator-bar" aria-label="facilitator">
            <div class="tool-group history" role="group">
                <button class="undo secondary" title="Ctrl+Z" on:click=move |_| live.submit(Op::Undo {})>"↶ " {move || t.get().undo}</button>
                <button class="redo secondary" on:click=move |_| live.submit(Op::Redo {})>"↷ " {move || t.get().redo}</button>
            </div>
            <div class="tool-group phases" role="group">
                <span class="tool-label">{move || t.get().phase}</span>
                {phase_button(None, Signal::derive(move || t.get().all_lanes.to_owned()))}
                {lanes
                    .into_iter()
                    .map(|lane| {
                        let title = Signal::derive({
                            let lane = lane.clone();
                            move || t.get().lane_title(&lane).to_owned()
                        });
                        phase_button(Some(lane.id), title)
                    })
                    .collect_view()}
            </div>
            <div class="tool-group">
                <button class="hide-all secondary" on:click=move |_| live.submit(Op::SetHidden { lane: None, hidden: !all_hidden.get_untracked() })>
                    {move || if all_hidden.get() { t.get().reveal_all } else { t.get().hide_all }}
                </button>
                <button class="lock secondary" class:active=move || locked.get()
                    on:click=move |_| live.submit(Op::SetLocked { locked: !locked.get_untracked() })>
                    {move || if locked.get() { t.get().unlock } else { t.get().lock }}
                </button>
                // Off by default: notes are anonymous to the facilitator too unless the room
                // is told otherwise (the phones say so while this is on).
                <button class="show-authors secondary" class:active=move || live.authors_shown()
                    aria-pressed=move || live.authors_shown().to_string()
                    on:click=move |_| live.submit(Op::ShowAuthors { shown: !live.authors_shown() })>
                    {move || if live.authors_shown() { t.get().hide_authors } else { t.get().show_authors }}
                </button>
            </div>
            <div class="tool-group timer-tools" role="group">
                <span class="tool-label">{move || t.get().timer}</span>
                {[3u32, 5, 10].map(|m| view! {
                    <button class="secondary" on:click=move |_| start_timer(m * 60)>{m} " " {move || t.get().minutes}</button>
                })}
                <input class="minutes" type="number" min="1" max="180" aria-label=move || t.get().custom_minutes
                    prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev)) />
                <button class="start-timer" on:click=move |_| {
                    if let Ok(m) = minutes.get_untracked().trim().parse::<f64>() {
                        start_timer((m * 60.0).round().clamp(1.0, 10_800.0) as u32);
                    }
                }>{move || t.get().start}</button>
                <button class="secondary" on:click=move |_| live.submit(Op::StopTimer {})>{move || t.get().stop}</button>
            </div>
            {live.board_id().map(|board_id| view! { <ExportButtons board_id /> })}
            {live.board_id().map(|board_id| view! { <DeleteBoardButton board_id /> })}
            <div class="tool-group voting-tools" role="group">
                <span class="tool-label">{move || t.get().voting}</span>
                <Show
                    when=move || voting_open.get()
                    fallback=move || view! {
                        <label class="inline">
                            {move || t.get().votes_each}
                            <input class="votes-each" type="number" min="1" max=MAX_VOTES.to_string()
                                prop:value=move || votes.get() on:input=move |ev| votes.set(event_target_value(&ev)) />
                        </label>
                        <label class="inline">
                            <input type="checkbox" prop:checked=move || stacking.get()
                                on:change=move |ev| stacking.set(event_target_checked(&ev)) />
                            {move || t.get().allow_stacking}
                        </label>
                        <button class="open-voting" on:click=move |_| {
                            let n = votes.get_untracked().trim().parse().unwrap_or(DEFAULT_VOTES).clamp(1, MAX_VOTES);
                            live.submit(Op::OpenVoting { votes_per_participant: n, allow_stacking: stacking.get_untracked() });
                        }>{move || t.get().open_voting}</button>
                    }
                >
                    <button class="close-voting" on:click=move |_| live.submit(Op::CloseVoting {})>
                        {move || t.get().close_voting}
                    </button>
                </Show>
            </div>
        </nav>
    }
    .into_any()
}
