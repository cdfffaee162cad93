//! One entry in the catalogue's list.

use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::catalogue::Entry;
use idetavle_core::dates::iso_date;
use leptos::prelude::*;

#[component]
pub fn EntryCard(entry: Entry) -> impl IntoView {
    let t = use_texts();
    let href = format!("/katalog/{}", entry.id);
    let status = entry.status;
    let summary =
        if entry.fields.need.is_empty() { entry.fields.description.clone() } else { entry.fields.need.clone() };
    let summary: String = summary.chars().take(200).collect();
    let coverage = entry.coverage();
    let workshop = entry.origin.as_ref().map(|o| o.board_title.clone());
    let votes = entry.origin.as_ref().map_or(0, |o| o.votes()) as usize;
    let volunteers = entry.volunteers.len();
    let date = iso_date(entry.workshop_date());
    view! {
        <li class="entry-card" data-entry-id=entry.id.to_string() data-status=status.key()>
            <div class="entry-card-head">
                <a class="entry-link" href=href>{entry.fields.title.clone()}</a>
                <span class=format!("status-badge status-{}", status.key())>{move || t.get().catalogue().status(status)}</span>
            </div>
            {(!summary.is_empty()).then(|| view! { <p class="entry-summary">{summary}</p> })}
            <ul class="skill-chips">
                {coverage.into_iter().map(|(skill, n)| {
                    let class = if n > 0 { "skill-chip covered" } else { "skill-chip missing" };
                    view! { <li class=class>{move || t.get().catalogue().skill(&skill)}</li> }
                }).collect_view()}
            </ul>
            <p class="entry-meta">
                {workshop.map(|w| view! { <span class="entry-workshop">{w}</span> " · " })}
                <span>{date}</span> " · "
                <span>{t.count_of(|t| t.catalogue().votes, votes)}</span> " · "
                <span>{t.count_of(|t| t.catalogue().volunteers, volunteers)}</span>
            </p>
        </li>
    }
    .into_any()
}
