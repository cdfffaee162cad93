//! "Sæt holdet bredt": which needed competences volunteers cover, and (for the editor only)
//! who the volunteers are, with a button that deletes a volunteer's data.

use super::{notice_for, settle, NoticeLine};
use crate::api::catalogue::remove_volunteer;
use crate::i18n::use_texts;
use idetavle_core::catalogue::{Entry, Viewer};
use leptos::prelude::*;

#[component]
pub fn Team(entry: RwSignal<Entry>, viewer: Viewer, token: Option<String>) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let notice = notice_for(entry);
    let token = StoredValue::new(token);
    let remove = move |volunteer| {
        let Some(token) = token.get_value() else { return };
        let id = entry.with_untracked(|e| e.id.clone());
        leptos::task::spawn_local(async move {
            let answer = remove_volunteer(Some(token), id, volunteer).await;
            settle(answer, entry, notice, move || c().remove_volunteer.to_owned());
        });
    };
    view! {
        <section class="entry-team card">
            <h2>{move || c().team}</h2>
            <p class="volunteer-count">{move || t.get().count(c().volunteers, entry.with(|e| e.volunteers.len()))}</p>
            {move || {
                let coverage = entry.with(Entry::coverage);
                if coverage.is_empty() {
                    return view! { <p class="hint">{move || c().no_skills_needed}</p> }.into_any();
                }
                view! {
                    <ul class="coverage">
                        {coverage.into_iter().map(|(skill, n)| {
                            let class = if n > 0 { "skill-chip covered" } else { "skill-chip missing" };
                            view! {
                                <li class=class data-skill=skill.as_str().to_owned()>
                                    {let s = skill.clone(); move || c().skill(&s)} ": "
                                    {move || if n > 0 { format!("{} ({n})", c().covered) } else { c().missing.to_owned() }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(viewer == Viewer::Editor).then(|| view! {
                <ul class="volunteers">
                    {move || entry.with(|e| e.volunteers.clone()).into_iter().map(|v| {
                        let who = v.contact.as_ref().map(|k| format!("{} · {}", k.name, k.contact));
                        let skills = v.skills.clone();
                        let skills = move || skills.iter().map(|s| c().skill(s)).collect::<Vec<_>>().join(", ");
                        let id = StoredValue::new(v.id.clone());
                        view! {
                            <li class="volunteer">
                                <span class="volunteer-who">{move || who.clone().unwrap_or_else(|| c().anonymous_volunteer.to_owned())}</span>
                                " — " <span class="volunteer-skills">{skills}</span>
                                <button class="remove-volunteer secondary" on:click=move |_| remove(id.get_value())>
                                    {move || c().remove_volunteer}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <NoticeLine notice />
            })}
        </section>
    }
    .into_any()
}
