//! The editor's status control: where the entry may go next, with a reason.

use super::{notice_for, settle, NoticeLine};
use crate::api::catalogue::{change_status, StatusRequest};
use crate::i18n::use_texts;
use idetavle_core::catalogue::{Entry, Status};
use leptos::prelude::*;

#[component]
pub fn StatusControl(entry: RwSignal<Entry>, token: String) -> impl IntoView {
    let t = use_texts();
    let c = move || t.get().catalogue();
    let choice = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let notice = notice_for(entry);
    let token = StoredValue::new(token);
    let next = move || entry.with(|e| e.status.next().to_vec());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fallback = next().first().copied().unwrap_or(Status::Idea);
        let to = Status::from_key(&choice.get_untracked()).unwrap_or(fallback);
        let (id, version) = entry.with_untracked(|e| (e.id.clone(), e.version));
        let request = StatusRequest { id, version, to, reason: reason.get_untracked() };
        let token = token.get_value();
        leptos::task::spawn_local(async move {
            let answer = change_status(Some(token), request).await;
            settle(answer, entry, notice, move || format!("{} → {}", c().status_heading, c().status(to)));
            if notice.with_untracked(|n| n.as_ref().is_some_and(|(ok, _)| *ok)) {
                reason.set(String::new());
                choice.set(String::new());
            }
        });
    };
    view! {
        <form class="status-control card" on:submit=on_submit>
            <h2>{move || c().status_heading}</h2>
            <label class="field">
                <span>{move || c().move_to}</span>
                <select class="status-to" on:change=move |ev| choice.set(event_target_value(&ev))>
                    {move || next().into_iter().map(|s| view! {
                        <option value=s.key() selected=move || choice.get() == s.key()>{move || c().status(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || c().reason}</span>
                <input class="status-reason" maxlength="200" placeholder=move || c().reason_hint
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="change-status">{move || c().change_status}</button>
            <NoticeLine notice />
        </form>
    }
    .into_any()
}
