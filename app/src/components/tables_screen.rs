//! A workshop's tables seen together: the overview asked of the server every few seconds
//! ([`poll_overview`]), and what the room's screen shows of it when the facilitator says so
//! ([`TablesScreen`]): every table side by side (up to 12 fill a 1920×1080 screen), or one
//! table with all its visible notes by lane.

use crate::api::workshop::{LaneCount, Overview, SummaryNote, TableSummary};
use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::board::{BoardId, Lane, LaneId};
use idetavle_core::workshop::Showing;
use leptos::prelude::*;

/// How often the overview is asked for: a glance, not a feed (its cost does not grow with
/// how fast the tables write).
#[cfg(feature = "hydrate")]
const POLL: std::time::Duration = std::time::Duration::from_secs(3);

/// The workshop's overview, asked for at once and then every [`POLL`] while `active`; bump
/// the returned trigger to ask at once (after an action).
pub fn poll_overview(
    plenary: BoardId,
    detail: Signal<Option<u32>>,
    active: Signal<bool>,
) -> (RwSignal<Option<Overview>>, RwSignal<u32>) {
    let overview = RwSignal::new(None::<Overview>);
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|n| *n += 1), POLL) {
            on_cleanup(move || handle.clear());
        }
        Effect::new(move |_| {
            tick.track();
            if !active.get() {
                return;
            }
            let (id, detail, token) = (plenary.clone(), detail.get(), super::facilitator_token());
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = crate::api::workshop::workshop_overview(id, token, detail).await {
                    overview.set(Some(fresh));
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (plenary, detail, active);
    (overview, tick)
}

/// The room's screen when it shows the tables, not the plenary.
#[component]
pub fn TablesScreen(plenary: BoardId, showing: Signal<Showing>) -> impl IntoView {
    let detail = Signal::derive(move || match showing.get() {
        Showing::Table { number } => Some(number),
        _ => None,
    });
    let active = Signal::derive(move || showing.get() != Showing::Plenary);
    let (overview, _) = poll_overview(plenary, detail, active);
    let tables = move || overview.get().map(|o| o.tables).unwrap_or_default();
    view! {
        {move || match detail.get() {
            None => {
                let count = tables().len().max(1);
                // Columns for a wide screen: 12 tables are 4 × 3.
                let columns = (1..=6).find(|&c| c * c * 3 >= count * 4 || c >= count).unwrap_or(6);
                view! {
                    <ul class="tables-grid" style=format!("--grid-columns: {columns}")>
                        {tables().into_iter().map(|s| view! { <li><TableTile summary=s /></li> }).collect_view()}
                    </ul>
                }.into_any()
            }
            Some(number) => match tables().into_iter().find(|s| s.number == number) {
                Some(summary) => view! { <OneTable summary /> }.into_any(),
                None => ().into_any(),
            },
        }}
    }
}

/// A lane's title as the summary gives it, translated when it is one of the default lanes.
pub fn lane_title(t: &'static crate::i18n::Texts, lane: &LaneId, title: &str) -> String {
    let lane = Lane { id: lane.clone(), title: title.to_owned(), hidden: false, question: None };
    t.lane_title(&lane).to_owned()
}

/// One table in the grid: its name, notes per lane, its newest notes.
#[component]
pub fn TableTile(summary: TableSummary) -> impl IntoView {
    let TableSummary { name, lanes, latest, quiet, .. } = summary;
    view! {
        <section class="table-tile card" class:quiet=quiet aria-label=name.clone()>
            <h2>{name.clone()}</h2>
            <LaneCounts lanes />
            <NoteList notes=latest />
        </section>
    }
}

/// Notes per lane, each lane by its (translated) title.
#[component]
pub fn LaneCounts(lanes: Vec<LaneCount>) -> impl IntoView {
    let t = use_texts();
    view! {
        <ul class="table-counts">
            {lanes.into_iter().map(|l| {
                let title = move || lane_title(t.get(), &l.lane, &l.title);
                view! { <li><span>{title}</span> " " <strong>{l.notes}</strong></li> }
            }).collect_view()}
        </ul>
    }
}

/// Notes as plain text (never markup), or a word that there are none yet.
#[component]
fn NoteList(notes: Vec<SummaryNote>) -> impl IntoView {
    let t = use_texts();
    if notes.is_empty() {
        return view! { <p class="table-empty">{t.text(|t| t.tables().no_notes_yet)}</p> }.into_any();
    }
    view! {
        <ul class="table-latest">
            {notes.into_iter().map(|n| view! { <li>{n.text}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// One table on the whole screen: every visible note, by lane.
#[component]
fn OneTable(summary: TableSummary) -> impl IntoView {
    let t = use_texts();
    let TableSummary { name, lanes, latest, .. } = summary;
    view! {
        <section class="table-focus" aria-label=name.clone()>
            <h2>{name.clone()}</h2>
            <div class="lanes">
                {lanes.into_iter().map(|l| {
                    let notes: Vec<SummaryNote> = latest.iter().filter(|n| n.lane == l.lane).cloned().collect();
                    let title = move || lane_title(t.get(), &l.lane, &l.title);
                    view! {
                        <section class="lane">
                            <h3>{title}</h3>
                            <NoteList notes />
                        </section>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}
