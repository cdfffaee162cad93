//! On a workshop's plenary, once tables exist: every table live (notes per lane, the newest
//! notes, who sits there and how many are connected, which have gone quiet), one action for
//! every table (timer, phase, lock), each table's top notes brought into the plenary, and what
//! the room's screen shows (the plenary, all tables, one table).

use super::tables_screen::{poll_overview, LaneCounts};
use crate::api::workshop::{for_all_tables, gather, GatherRequest, TableAction, TableSummary};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{LaneId, Op};
use idetavle_core::workshop::Showing;
use leptos::prelude::*;

#[component]
pub fn TablesOverview(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let tables = Memo::new(move |_| live.with_board(|b| b.workshop.as_ref().map(|w| w.tables.clone())).flatten());
    let has_tables = Signal::derive(move || tables.with(|t| t.as_ref().is_some_and(|t| !t.is_empty())));
    let plenary = live.board_id().unwrap_or_default();
    let (overview, refresh) = poll_overview(plenary, Signal::derive(|| None), has_tables);
    let said = RwSignal::new(None::<String>);
    let act = Action::new_local(move |action: &TableAction| {
        let (id, token, action) = (live.board_id().unwrap_or_default(), super::facilitator_token(), action.clone());
        async move { for_all_tables(id, token, action).await }
    });
    let bring = Action::new_local(move |request: &GatherRequest| {
        let (id, token, request) = (live.board_id().unwrap_or_default(), super::facilitator_token(), request.clone());
        async move { gather(id, token, request).await }
    });
    Effect::new(move |_| {
        let Some(answer) = act.value().get() else { return };
        let t = t.get_untracked();
        said.set(Some(match answer {
            Ok(n) => t.count(t.tables().took, n as usize),
            Err(_) => t.tables().failed.to_owned(),
        }));
        refresh.update(|n| *n += 1);
    });
    Effect::new(move |_| {
        let Some(answer) = bring.value().get() else { return };
        let t = t.get_untracked();
        said.set(Some(match answer {
            Ok(r) => t.count(t.tables().copied, r.copied as usize),
            Err(_) => t.tables().failed.to_owned(),
        }));
        refresh.update(|n| *n += 1);
    });
    let minutes = RwSignal::new("10".to_owned());
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let minutes: u32 = minutes.get_untracked().trim().parse().unwrap_or(10);
        act.dispatch(TableAction::StartTimer { seconds: minutes.clamp(1, 180) * 60 });
    };
    let locked = RwSignal::new(false);
    view! {
        <Show when=move || has_tables.get()>
            <section class="tables-overview card" aria-labelledby="tables-overview-heading">
                <h2 id="tables-overview-heading">{t.text(|t| t.tables().overview)}</h2>
                <ScreenShows live />
                <fieldset class="for-all-tables">
                    <legend>{t.text(|t| t.tables().for_all)}</legend>
                    <form class="all-timer" on:submit=start>
                        <label for="all-minutes">{t.text(|t| t.tables().minutes)}</label>
                        <input id="all-minutes" type="number" min="1" max="180" prop:value=move || minutes.get()
                            on:input=move |ev| minutes.set(event_target_value(&ev)) />
                        <button type="submit">{t.text(|t| t.tables().start_timer)}</button>
                        <button type="button" class="secondary" on:click=move |_| { act.dispatch(TableAction::StopTimer); }>
                            {t.text(|t| t.tables().stop_timer)}
                        </button>
                    </form>
                    <label for="all-phase">{t.text(|t| t.tables().phase)}</label>
                    <select id="all-phase" on:change=move |ev| {
                        let lane = Some(event_target_value(&ev)).filter(|v| !v.is_empty()).map(LaneId);
                        act.dispatch(TableAction::SetPhase { lane });
                    }>
                        <option value="">{t.text(|t| t.tables().no_phase)}</option>
                        {move || live.lanes().into_iter().map(|l| {
                            let id = l.id.to_string();
                            view! { <option value=id>{move || t.get().lane_title(&l).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="button" class="secondary" aria-pressed=move || locked.get().to_string() on:click=move |_| {
                        let lock = !locked.get_untracked();
                        locked.set(lock);
                        act.dispatch(TableAction::SetLocked { locked: lock });
                    }>
                        {move || if locked.get() { t.get().tables().unlock } else { t.get().tables().lock }}
                    </button>
                    <button type="button" class="gather-all" on:click=move |_| { bring.dispatch(GatherRequest::default()); }>
                        {t.text(|t| t.tables().gather_all)}
                    </button>
                </fieldset>
                <p class="tables-said" role="status">{move || said.get()}</p>
                <super::WorkshopExportButtons board_id=live.board_id().unwrap_or_default() />
                <ul class="overview-tables">
                    <For each=move || overview.get().map(|o| o.tables).unwrap_or_default()
                        key=|s| format!("{s:?}") let:summary>
                        <TableCard summary bring />
                    </For>
                </ul>
            </section>
        </Show>
    }
}

/// What the room's screen shows: the plenary, all tables, or one table (an op on the
/// plenary, so the presentation follows at once).
#[component]
fn ScreenShows(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let showing = move || live.with_board(|b| b.workshop.as_ref().map(|w| w.showing)).flatten().unwrap_or_default();
    let value = move || match showing() {
        Showing::Plenary => "plenary".to_owned(),
        Showing::Tables => "tables".to_owned(),
        Showing::Table { number } => number.to_string(),
    };
    let tables =
        move || live.with_board(|b| b.workshop.as_ref().map(|w| w.tables.clone())).flatten().unwrap_or_default();
    view! {
        <p class="screen-shows">
            <label for="screen-shows">{t.text(|t| t.tables().screen_shows)}</label>
            <select id="screen-shows" prop:value=value on:change=move |ev| {
                let showing = match event_target_value(&ev).as_str() {
                    "plenary" => Showing::Plenary,
                    "tables" => Showing::Tables,
                    n => match n.parse() {
                        Ok(number) => Showing::Table { number },
                        Err(_) => return,
                    },
                };
                live.submit(Op::Show { showing });
            }>
                <option value="plenary">{t.text(|t| t.tables().show_plenary)}</option>
                <option value="tables">{t.text(|t| t.tables().show_tables)}</option>
                {move || tables().into_iter().map(|table| view! {
                    <option value=table.number.to_string()>{table.name}</option>
                }).collect_view()}
            </select>
        </p>
    }
}

#[component]
fn TableCard(
    summary: TableSummary,
    bring: Action<GatherRequest, Result<crate::api::workshop::GatherResult, ServerFnError>>,
) -> impl IntoView {
    let t = use_texts();
    let TableSummary { number, name, lanes, latest, seated, present, quiet, locked, timer, gathered, .. } = summary;
    let seated_count = seated.len();
    view! {
        <li class="overview-table card" class:quiet=quiet data-table=number.to_string()>
            <h3>{name}</h3>
            <p class="overview-meta">
                {move || format!("{} / {seated_count}", t.get().count(t.get().tables().present, present as usize))}
                {quiet.then(|| view! { " · " <strong class="quiet-badge">{t.text(|t| t.tables().quiet)}</strong> })}
                {locked.then(|| view! { " · " {t.text(|t| t.tables().locked)} })}
                {timer.is_some().then(|| view! { " · " {t.text(|t| t.tables().timer_running)} })}
            </p>
            <LaneCounts lanes />
            <ul class="table-latest">
                {latest.into_iter().map(|n| view! { <li>{n.text}</li> }).collect_view()}
            </ul>
            <details>
                <summary>{t.text(|t| t.tables().seated)} " (" {seated_count} ")"</summary>
                <ul class="table-seated">{seated.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul>
            </details>
            <p class="overview-gathered">{t.count_of(|t| t.tables().in_plenary, gathered as usize)}</p>
            <button type="button" class="secondary gather-one" on:click=move |_| {
                bring.dispatch(GatherRequest { table: Some(number), ..GatherRequest::default() });
            }>
                {t.text(|t| t.tables().gather_one)} " · " {name_for_button(number)}
            </button>
        </li>
    }
}

/// The table's number, so each "bring" button has a name of its own for screen readers.
fn name_for_button(number: u32) -> String {
    format!("#{number}")
}
