//! A citizen volunteers for an entry. Name and contact fields stay disabled until the
//! consent box is ticked, and are cleared if it is unticked: nothing personal is sent without it.

use super::{notice_for, NoticeLine};
use crate::api::catalogue::{catalogue_entry, volunteer};
use crate::i18n::use_texts;
use idetavle_core::catalogue::{CatalogueError, Entry, Skill, Viewer, VolunteerOffer};
use leptos::prelude::*;

#[component]
pub fn VolunteerForm(entry: RwSignal<Entry>, viewer: Viewer, token: Option<String>) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let needed = entry.with_untracked(|e| e.fields.skills.clone());
    let offered: Vec<Skill> = if needed.is_empty() { Skill::standard().collect() } else { needed };
    let choices: Vec<(Skill, RwSignal<bool>)> = offered.into_iter().map(|s| (s, RwSignal::new(false))).collect();
    let picked = StoredValue::new(choices.clone());
    let consent = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let notice = notice_for(entry);
    let token = StoredValue::new(token);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let skills =
            picked.get_value().iter().filter(|(_, on)| on.get_untracked()).map(|(s, _)| s.to_string()).collect();
        let with_consent = consent.get_untracked();
        let offer = VolunteerOffer {
            skills,
            consent: with_consent,
            name: if with_consent { name.get_untracked() } else { String::new() },
            contact: if with_consent { contact.get_untracked() } else { String::new() },
        };
        let id = entry.with_untracked(|e| e.id.clone());
        leptos::task::spawn_local(async move {
            match volunteer(id.clone(), offer).await {
                Ok(Ok(public)) => {
                    // The answer is the public view; the editor reloads to keep seeing contacts.
                    let editor_view = match (viewer, token.get_value()) {
                        (Viewer::Editor, Some(token)) => {
                            catalogue_entry(Some(token), id).await.ok().and_then(Result::ok)
                        }
                        _ => None,
                    };
                    entry.set(editor_view.map(|(_, e)| e).unwrap_or(public));
                    for (_, on) in picked.get_value() {
                        on.set(false);
                    }
                    name.set(String::new());
                    contact.set(String::new());
                    consent.set(false);
                    notice.set(Some((true, c().volunteer_thanks.to_owned())));
                }
                Ok(Err(refusal)) => notice.set(Some((false, c().error(&refusal)))),
                Err(_) => notice.set(Some((false, c().error(&CatalogueError::Unavailable)))),
            }
        });
    };
    view! {
        <form class="volunteer-form card" on:submit=on_submit>
            <h2>{move || c().volunteer_heading}</h2>
            <fieldset class="field">
                <legend>{move || c().volunteer_intro}</legend>
                {choices.into_iter().map(|(skill, on)| view! {
                    <label class="check">
                        <input type="checkbox" class="offer-skill" value=skill.as_str().to_owned()
                            prop:checked=move || on.get() on:change=move |ev| on.set(event_target_checked(&ev)) />
                        {move || c().skill(&skill)}
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="check consent">
                <input type="checkbox" class="volunteer-consent" prop:checked=move || consent.get()
                    on:change=move |ev| consent.set(event_target_checked(&ev)) />
                {move || c().consent}
            </label>
            <label class="field">
                <span>{move || c().name}</span>
                <input class="volunteer-name" maxlength="40" autocomplete="name" disabled=move || !consent.get()
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{move || c().contact}</span>
                <input class="volunteer-contact" maxlength="200" autocomplete="email" disabled=move || !consent.get()
                    prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="volunteer-submit">{move || c().volunteer_button}</button>
            <NoticeLine notice />
        </form>
    }
    .into_any()
}
