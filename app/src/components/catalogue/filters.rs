//! Search and filters above the catalogue's list. A plain GET form, so it works before (or
//! without) WASM; once hydrated, every keystroke filters at once.

use crate::i18n::use_texts;
use idetavle_core::board::BoardId;
use idetavle_core::catalogue::search::{Query, Sort};
use idetavle_core::catalogue::{Skill, Status};
use leptos::prelude::*;

#[component]
pub fn Filters(query: RwSignal<Query>, skills: Vec<Skill>, workshops: Vec<(BoardId, String)>) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let set =
        move |f: fn(&mut Query, String)| move |ev: leptos::ev::Event| query.update(|q| f(q, event_target_value(&ev)));
    let on_submit = move |ev: leptos::ev::SubmitEvent| ev.prevent_default();
    view! {
        <form class="catalogue-filters" method="get" action="/katalog" role="search" on:submit=on_submit>
            <label class="search-field">
                <span>{move || c().search_label}</span>
                <input type="search" name="q" class="catalogue-search" placeholder=move || c().search_placeholder
                    prop:value=move || query.with(|q| q.q.clone())
                    on:input=set(|q, v| q.q = v) />
            </label>
            <label>
                <span>{move || c().status_label}</span>
                <select name="status" class="filter-status" on:change=set(|q, v| q.status = Status::from_key(&v))>
                    <option value="">{move || c().all}</option>
                    {Status::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=move || query.with(|q| q.status == Some(s))>{move || c().status(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || c().skill_label}</span>
                <select name="skill" class="filter-skill" on:change=set(|q, v| q.skill = Skill::parse(&v).ok())>
                    <option value="">{move || c().all}</option>
                    {skills.into_iter().map(|s| {
                        let key = s.as_str().to_owned();
                        let selected = { let s = s.clone(); move || query.with(|q| q.skill.as_ref() == Some(&s)) };
                        view! { <option value=key selected=selected>{move || c().skill(&s)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || c().workshop_label}</span>
                <select name="board" class="filter-workshop"
                    on:change=set(|q, v| q.board = (!v.is_empty()).then_some(BoardId(v)))>
                    <option value="">{move || c().all}</option>
                    {workshops.into_iter().map(|(id, title)| {
                        let selected = { let id = id.clone(); move || query.with(|q| q.board.as_ref() == Some(&id)) };
                        view! { <option value=id.to_string() selected=selected>{title}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || c().from_label}</span>
                <input type="date" name="from" prop:value=move || query.with(|q| q.from.clone().unwrap_or_default())
                    on:change=set(|q, v| q.from = (!v.is_empty()).then_some(v)) />
            </label>
            <label>
                <span>{move || c().to_label}</span>
                <input type="date" name="to" prop:value=move || query.with(|q| q.to.clone().unwrap_or_default())
                    on:change=set(|q, v| q.to = (!v.is_empty()).then_some(v)) />
            </label>
            <label>
                <span>{move || c().sort_label}</span>
                <select name="sort" class="filter-sort" on:change=set(|q, v| q.sort = Sort::from_key(&v).unwrap_or_default())>
                    {Sort::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=move || query.with(|q| q.sort == s)>{move || c().sort(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="filter-submit secondary">{move || c().filter_button}</button>
        </form>
    }
    .into_any()
}
