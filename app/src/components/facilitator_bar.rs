//! The facilitator's controls on the projector: phase, hide/reveal, lock, timer, voting.
//! Every control only sends an op; the server decides and every screen follows its events.

use super::round_title;
use super::{DeleteBoardButton, ExportButtons};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{LaneId, Op, Spotlight, DEFAULT_VOTES, MAX_TIMER_SECONDS, MAX_VOTES};
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
    let timer_invalid = RwSignal::new(false);
    let votes = RwSignal::new(DEFAULT_VOTES.to_string());
    let stacking = RwSignal::new(false);
    let round_name = RwSignal::new(String::new());
    let counts_live = RwSignal::new(false);
    let rounds = Memo::new(move |_| {
        live.with_board(|b| b.rounds.iter().map(|r| (r.round, r.name.clone())).collect::<Vec<_>>()).unwrap_or_default()
    });

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
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if !(ev.ctrl_key() || ev.meta_key()) || !ev.key().eq_ignore_ascii_case("z") {
                return;
            }
            if !super::is_typing(&ev) {
                ev.prevent_default();
                live.submit(if ev.shift_key() { Op::Redo {} } else { Op::Undo {} });
            }
        });
        on_cleanup(move || handle.remove());
    }

    view! {
        <nav class="facilitator-bar" aria-label={t.text(|t| t.control().facilitator_tools)}>
            <div class="tool-group history" role="group">
                <button class="undo secondary" title="Ctrl+Z" on:click=move |_| live.submit(Op::Undo {})>"↶ " {t.text(|t| t.control().undo)}</button>
                <button class="redo secondary" on:click=move |_| live.submit(Op::Redo {})>"↷ " {t.text(|t| t.control().redo)}</button>
            </div>
            <div class="tool-group phases" role="group">
                <span class="tool-label">{t.text(|t| t.control().phase)}</span>
                {phase_button(None, Signal::derive(move || t.get().control().all_lanes.to_owned()))}
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
                    {move || if all_hidden.get() { t.get().control().reveal_all } else { t.get().control().hide_all }}
                </button>
                <button class="lock secondary" class:active=move || locked.get()
                    on:click=move |_| live.submit(Op::SetLocked { locked: !locked.get_untracked() })>
                    {move || if locked.get() { t.get().control().unlock } else { t.get().control().lock }}
                </button>
                // Off by default: notes are anonymous to the facilitator too unless the room
                // is told otherwise (the phones say so while this is on).
                <button class="show-authors secondary" class:active=move || live.authors_shown()
                    aria-pressed=move || live.authors_shown().to_string()
                    on:click=move |_| live.submit(Op::ShowAuthors { shown: !live.authors_shown() })>
                    {move || if live.authors_shown() { t.get().control().hide_authors } else { t.get().control().show_authors }}
                </button>
            </div>
            <div class="tool-group timer-tools" role="group">
                <span class="tool-label">{t.text(|t| t.control().timer)}</span>
                {[3u32, 5, 10].map(|m| view! {
                    <button class="secondary" on:click=move |_| start_timer(m * 60)>{m} " " {t.text(|t| t.control().minutes)}</button>
                })}
                // Text, not a number field: "2,5" and "2.5" both mean two and a half minutes,
                // and a click selects the old value so typing replaces it.
                <input class="minutes" type="text" inputmode="decimal" aria-label={t.text(|t| t.control().custom_minutes)}
                    aria-invalid=move || timer_invalid.get().to_string()
                    prop:value=move || minutes.get() on:input=move |ev| { minutes.set(event_target_value(&ev)); timer_invalid.set(false); }
                    on:focus=move |ev| select_all(&ev) />
                <button class="start-timer" on:click=move |_| match timer_seconds(&minutes.get_untracked()) {
                    Some(secs) => start_timer(secs),
                    None => timer_invalid.set(true),
                }>{t.text(|t| t.control().start)}</button>
                <Show when=move || timer_invalid.get()>
                    <span class="timer-invalid" role="alert">{t.text(|t| t.control().timer_invalid)}</span>
                </Show>
                <button class="secondary" on:click=move |_| live.submit(Op::StopTimer {})>{t.text(|t| t.control().stop)}</button>
            </div>
            {live.board_id().map(|board_id| view! { <ExportButtons board_id /> })}
            {live.board_id().map(|board_id| view! { <DeleteBoardButton board_id live /> })}
            <div class="tool-group voting-tools" role="group">
                <span class="tool-label">{t.text(|t| t.voting)}</span>
                <Show
                    when=move || voting_open.get()
                    fallback=move || view! {
                        <label class="inline">
                            {t.text(|t| t.control().votes_each)}
                            <input class="votes-each" type="number" min="1" max=MAX_VOTES.to_string()
                                prop:value=move || votes.get() on:input=move |ev| votes.set(event_target_value(&ev)) />
                        </label>
                        <label class="inline">
                            <input type="checkbox" prop:checked=move || stacking.get()
                                on:change=move |ev| stacking.set(event_target_checked(&ev)) />
                            {t.text(|t| t.control().allow_stacking)}
                        </label>
                        <input class="round-name" type="text" maxlength="120" aria-label={t.text(|t| t.control().round_name)}
                            placeholder={t.text(|t| t.control().round_name)}
                            prop:value=move || round_name.get() on:input=move |ev| round_name.set(event_target_value(&ev)) />
                        // Off by default: counts seen while voting steer the later votes.
                        <label class="inline">
                            <input class="show-counts" type="checkbox" prop:checked=move || counts_live.get()
                                on:change=move |ev| counts_live.set(event_target_checked(&ev)) />
                            {t.text(|t| t.control().show_counts_live)}
                        </label>
                        <button class="open-voting" on:click=move |_| {
                            let n = votes.get_untracked().trim().parse().unwrap_or(DEFAULT_VOTES).clamp(1, MAX_VOTES);
                            let name = Some(round_name.get_untracked()).filter(|n| !n.trim().is_empty());
                            live.submit(Op::OpenVoting {
                                votes_per_participant: n,
                                allow_stacking: stacking.get_untracked(),
                                name,
                                show_counts: counts_live.get_untracked(),
                            });
                            round_name.set(String::new());
                        }>{t.text(|t| t.control().open_voting)}</button>
                        // Every closed round's results can be shown again.
                        <For each=move || rounds.get() key=|r| r.0 let:round>
                            <button class="show-results secondary" on:click=move |_| {
                                live.submit(Op::SetSpotlight { target: Some(Spotlight::Results { round: round.0 }) })
                            }>
                                {move || format!("{}: {}", t.get().control().show_results, round_title(t.get(), round.0, round.1.as_deref()))}
                            </button>
                        </For>
                    }
                >
                    <button class="close-voting" on:click=move |_| live.submit(Op::CloseVoting {})>
                        {t.text(|t| t.control().close_voting)}
                    </button>
                </Show>
            </div>
        </nav>
    }
    .into_any()
}

/// Seconds for a custom timer of `minutes` ("2,5" or "2.5"), if it is one the server takes: from
/// 0.1 minutes up to the three-hour limit. Never rounded into range: "200" is refused, not 180.
pub fn timer_seconds(minutes: &str) -> Option<u32> {
    let m: f64 = minutes.trim().replace(',', ".").parse().ok()?;
    let secs = (m * 60.0).round();
    (m >= 0.1 && secs <= f64::from(MAX_TIMER_SECONDS)).then_some(secs as u32)
}

fn select_all(ev: &leptos::ev::FocusEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.select();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[cfg(test)]
mod tests {
    use super::timer_seconds;

    #[test]
    fn custom_timers_read_commas_and_refuse_what_is_out_of_range() {
        assert_eq!(timer_seconds("0.5"), Some(30));
        assert_eq!(timer_seconds(" 2,5 "), Some(150));
        assert_eq!(timer_seconds("180"), Some(10_800));
        for bad in ["200", "0", "-1", "", "fem", "0.01", "NaN", "inf"] {
            assert_eq!(timer_seconds(bad), None, "{bad}");
        }
    }
}
