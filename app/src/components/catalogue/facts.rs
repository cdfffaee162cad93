//! Read-only parts of an entry: its fields (public view), where it came from, its history.

use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::catalogue::Entry;
use idetavle_core::dates::iso_date;
use leptos::prelude::*;

/// The entry's fields as text, for everyone who is not the editor.
#[component]
pub fn EntryFacts(entry: RwSignal<Entry>) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let fact = move |label: fn(&'static crate::i18n::CatalogueTexts) -> &'static str,
                     class: &'static str,
                     value: fn(&Entry) -> String| {
        view! {
            <div class=format!("fact {class}")>
                <dt>{move || label(c())}</dt>
                <dd>{move || { let v = entry.with(value); if v.is_empty() { c().not_set.to_owned() } else { v } }}</dd>
            </div>
        }
    };
    view! {
        <dl class="entry-facts card">
            {fact(|c| c.need, "fact-need", |e| e.fields.need.clone())}
            {fact(|c| c.description, "fact-description", |e| e.fields.description.clone())}
            {fact(|c| c.owner, "fact-owner", |e| e.fields.owner.clone())}
            {fact(|c| c.success_criterion, "fact-success", |e| e.fields.success_criterion.clone())}
            {fact(|c| c.stop_criterion, "fact-stop", |e| e.fields.stop_criterion.clone())}
        </dl>
    }
    .into_any()
}

/// The workshop, group and notes an entry was promoted from, with their votes.
#[component]
pub fn OriginNotes(entry: RwSignal<Entry>) -> impl IntoView {
    let t = use_texts();
    move || {
        entry.with(|e| e.origin.clone()).map(|o| {
            let date = iso_date(o.board_created_at);
            view! {
                <section class="entry-origin card">
                    <h2>{t.text(|t| t.catalogue().origin)}</h2>
                    <p class="origin-board">{o.board_title.clone()} " · " {date}</p>
                    {o.group_title.clone().map(|g| view! { <p class="origin-group">{g}</p> })}
                    <ul class="origin-notes">
                        {o.notes.iter().map(|n| {
                            let votes = n.votes as usize;
                            view! {
                                <li>
                                    <span class="origin-note-text">{n.text.clone()}</span>
                                    <span class="origin-note-votes">{t.count_of(|t| t.catalogue().votes, votes)}</span>
                                    {n.from_table.as_ref().map(|f| {
                                        let name = f.name.clone();
                                        view! { <span class="origin-note-table">{t.text(|t| t.catalogue().from_table)} " " {name}</span> }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// Every status change with its date and reason.
#[component]
pub fn History(entry: RwSignal<Entry>) -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="entry-history card">
            <h2>{t.text(|t| t.catalogue().history)}</h2>
            <ol class="history">
                {move || entry.with(|e| e.history.clone()).into_iter().map(|h| {
                    let to = h.to;
                    let created = h.from.is_none();
                    view! {
                        <li>
                            <time>{iso_date(h.at)}</time> " "
                            <strong>{move || if created { t.get().catalogue().created.to_owned() } else { format!("→ {}", t.get().catalogue().status(to)) }}</strong>
                            {(!h.reason.is_empty()).then(|| view! { <span class="history-reason">": " {h.reason.clone()}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
