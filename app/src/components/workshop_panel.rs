//! On a workshop's plenary, the facilitator's tables: how many have joined, "Dan borde" (opens
//! the tables' boards, names them, seats everyone broad), who sits where with two ways to move
//! each person (drag them to another table, or a menu: keyboard and touch alike), and each
//! table's host link.

use crate::api::{open_tables, TableLink};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::{random_id, LiveBoard};
use idetavle_core::board::Op;
use idetavle_core::workshop::{Member, Table, Workshop};
use leptos::prelude::*;

/// A sensible first guess: tables of about seven.
fn suggested_tables(joined: u32) -> u32 {
    joined.div_ceil(7).max(1)
}

#[component]
pub fn WorkshopPanel(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let workshop = Memo::new(move |_| live.with_board(|b| b.workshop.clone()).flatten());
    let count = RwSignal::new(String::new());
    let links = RwSignal::new(Vec::<TableLink>::new());
    let form = Action::new_local(move |count: &u32| {
        let (count, board_id, token) = (*count, live.board_id(), super::facilitator_token());
        async move { open_tables(board_id.unwrap_or_default(), token, count).await }
    });
    // The tables' boards are open: name them, then seat everyone (a fresh seed each time).
    Effect::new(move |_| {
        if let Some(Ok(opened)) = form.value().get() {
            let name = t.get_untracked().workshop().table_name;
            let tables = opened
                .iter()
                .map(|l| Table {
                    number: l.number,
                    name: format!("{name} {}", l.number),
                    code: Some(l.join_code.clone()),
                })
                .collect();
            live.submit(Op::SetTables { tables });
            let seed = u64::from_str_radix(&random_id()[..16], 16).unwrap_or(1);
            live.submit(Op::FormTables { seed });
            links.set(opened);
        }
    });
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let joined = workshop.with_untracked(|w| w.as_ref().map_or(0, |w| w.joined));
        let n = count.get_untracked().trim().parse().unwrap_or_else(|_| suggested_tables(joined));
        form.dispatch(n.clamp(1, 100));
    };
    view! {
        {move || workshop.get().map(|w| view! {
            <section class="workshop-panel card" aria-labelledby="workshop-panel-heading">
                <h2 id="workshop-panel-heading">{t.text(|t| t.workshop().panel)}</h2>
                <p class="workshop-joined" role="status">{move || t.get().count(t.get().workshop().joined_count, w.joined as usize)}</p>
                <form class="form-tables" on:submit=start>
                    <label for="table-count">{t.text(|t| t.workshop().table_count)}</label>
                    <input id="table-count" type="number" min="1" max="100"
                        placeholder=suggested_tables(w.joined).to_string()
                        prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev)) />
                    <button type="submit" disabled=move || form.pending().get()>
                        {move || if form.pending().get() { t.get().workshop().forming } else { t.get().workshop().form }}
                    </button>
                </form>
                {move || matches!(form.value().get(), Some(Err(_))).then(|| view! {
                    <p class="refusal" role="alert">{t.text(|t| t.workshop().form_failed)}</p>
                })}
                <Seating workshop=w.clone() live links />
            </section>
        })}
    }
}

/// Who sits where: a list per table (and those at none), each person with a move menu.
#[component]
fn Seating(workshop: Workshop, live: LiveBoard, links: RwSignal<Vec<TableLink>>) -> impl IntoView {
    let t = use_texts();
    let at = |table: Option<u32>| workshop.members.iter().filter(|m| m.table == table).cloned().collect::<Vec<_>>();
    let unseated = at(None);
    let tables = workshop.tables.clone();
    let groups = tables.iter().map(|table| (Some(table.clone()), at(Some(table.number)))).collect::<Vec<_>>();
    let everyone = groups.into_iter().chain((!unseated.is_empty()).then_some((None, unseated)));
    // The person being dragged (by number): dropped on a table, they move there.
    let dragged = RwSignal::new(None::<u32>);
    view! {
        <p class="hint">{t.text(|t| t.tables().drag_hint)}</p>
        <div class="seating">
            {everyone.map(|(table, members)| {
                let host = table.as_ref().and_then(|t| links.with_untracked(|l| l.iter().find(|l| l.number == t.number).map(|l| l.host_url.clone())));
                let heading = table.as_ref().map(|t| t.name.clone());
                let number = table.as_ref().map(|t| t.number);
                view! {
                    <section class="seating-table" data-table=number.map(|n| n.to_string()).unwrap_or_default()
                        on:dragover=move |ev| ev.prevent_default()
                        on:drop=move |ev| {
                            ev.prevent_default();
                            if let Some(member) = dragged.get_untracked() {
                                dragged.set(None);
                                live.submit(Op::SeatMember { member, table: number });
                            }
                        }>
                        <h3>{move || heading.clone().unwrap_or_else(|| t.get().workshop().no_table.to_owned())}</h3>
                        {host.map(|url| view! {
                            <p class="host-link">{t.text(|t| t.workshop().host_link)} ": " <a href=url.clone() rel="external">{url.clone()}</a></p>
                        })}
                        <ul>
                            {members.into_iter().map(|m| view! { <SeatedMember member=m tables=tables.clone() live dragged /> }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn SeatedMember(member: Member, tables: Vec<Table>, live: LiveBoard, dragged: RwSignal<Option<u32>>) -> impl IntoView {
    let t = use_texts();
    let number = member.number;
    let role = member.profile.role.map(|r| r as usize);
    let label = move || {
        let w = t.get().workshop();
        let who = member.name.clone().unwrap_or_else(|| format!("{} {number}", w.member));
        match role {
            Some(r) => format!("{who} ({})", w.roles[r]),
            None => who,
        }
    };
    let select_id = format!("seat-{number}");
    view! {
        <li class="seated-member" data-member=number.to_string() draggable="true"
            on:dragstart=move |_ev| {
                dragged.set(Some(number));
                // Firefox starts a drag only with data in it.
                #[cfg(feature = "hydrate")]
                if let Some(data) = _ev.data_transfer() {
                    let _ = data.set_data("text/plain", &number.to_string());
                    data.set_effect_allowed("move");
                }
            }
            on:dragend=move |_| dragged.set(None)>
            <label for=select_id.clone()>{label}</label>
            <select id=select_id aria-label={t.text(|t| t.workshop().move_to_table)}
                on:change=move |ev| {
                    let table = event_target_value(&ev).parse().ok();
                    live.submit(Op::SeatMember { member: number, table });
                }>
                <option value="" selected=member.table.is_none()>{t.text(|t| t.workshop().no_table)}</option>
                {tables.into_iter().map(|table| view! {
                    <option value=table.number.to_string() selected=member.table == Some(table.number)>{table.name}</option>
                }).collect_view()}
            </select>
        </li>
    }
}
