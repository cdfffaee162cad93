//! The editor's form for an entry's fields.

use super::{notice_for, settle, NoticeLine};
use crate::api::catalogue::update_entry;
use crate::i18n::use_texts;
use idetavle_core::catalogue::{Entry, EntryFields, Skill, STANDARD_SKILLS};
use leptos::prelude::*;

#[component]
pub fn EntryForm(entry: RwSignal<Entry>, token: String) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let start = entry.get_untracked().fields;
    let title = RwSignal::new(start.title.clone());
    let description = RwSignal::new(start.description.clone());
    let need = RwSignal::new(start.need.clone());
    let owner = RwSignal::new(start.owner.clone());
    let success = RwSignal::new(start.success_criterion.clone());
    let stop = RwSignal::new(start.stop_criterion.clone());
    let standard: Vec<(Skill, RwSignal<bool>)> =
        Skill::standard().map(|s| (s.clone(), RwSignal::new(start.skills.contains(&s)))).collect();
    let custom = start.skills.iter().filter(|s| !s.is_standard()).map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    let custom = RwSignal::new(custom);
    let notice = notice_for(entry);
    let token = StoredValue::new(token);
    let checked = StoredValue::new(standard.clone());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut skills: Vec<String> = checked
            .get_value()
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(s, _)| s.as_str().to_owned())
            .collect();
        skills.extend(custom.get_untracked().split(',').map(str::to_owned));
        let skills = match Skill::parse_list(&skills) {
            Ok(skills) => skills,
            Err(refusal) => return notice.set(Some((false, c().error(&refusal)))),
        };
        let fields = EntryFields {
            title: title.get_untracked(),
            description: description.get_untracked(),
            need: need.get_untracked(),
            owner: owner.get_untracked(),
            success_criterion: success.get_untracked(),
            stop_criterion: stop.get_untracked(),
            skills,
        };
        let (id, version) = entry.with_untracked(|e| (e.id.clone(), e.version));
        let token = token.get_value();
        leptos::task::spawn_local(async move {
            let answer = update_entry(Some(token), id, version, fields).await;
            settle(answer, entry, notice, move || c().saved.to_owned());
        });
    };

    view! {
        <form class="entry-form card" on:submit=on_submit>
            {text_line(move || c().title, "field-title", title, "120")}
            {text_area(move || c().need, "field-need", need)}
            {text_area(move || c().description, "field-description", description)}
            {text_line(move || c().owner, "field-owner", owner, "200")}
            {text_area(move || c().success_criterion, "field-success", success)}
            {text_area(move || c().stop_criterion, "field-stop", stop)}
            <fieldset class="field skills-field">
                <legend>{move || c().skills}</legend>
                {standard.into_iter().zip(STANDARD_SKILLS).map(|((skill, on), key)| view! {
                    <label class="check">
                        <input type="checkbox" value=key prop:checked=move || on.get()
                            on:change=move |ev| on.set(event_target_checked(&ev)) />
                        {move || c().skill(&skill)}
                    </label>
                }).collect_view()}
                <label class="field">
                    <span>{move || c().custom_tags}</span>
                    <input class="field-tags" prop:value=move || custom.get() on:input=move |ev| custom.set(event_target_value(&ev)) />
                </label>
            </fieldset>
            <button type="submit" class="save-entry">{move || c().save}</button>
            <NoticeLine notice />
        </form>
    }
    .into_any()
}

fn text_line(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    class: &'static str,
    value: RwSignal<String>,
    max: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input class=class maxlength=max prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

fn text_area(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    class: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <textarea class=class maxlength="2000" rows="3" prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))>{value.get_untracked()}</textarea>
        </label>
    }
}
