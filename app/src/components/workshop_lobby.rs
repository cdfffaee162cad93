//! On a workshop's plenary, the phone's way in: say (optionally) which group you belong to and
//! what you bring, join, and, once the tables are formed, go to your table. On the phone's
//! path: no type-erased views (see docs/ARCHITECTURE.md).

use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::Op;
use idetavle_core::workshop::{Competences, Member, Profile, Role, Table};
use leptos::prelude::*;

/// This phone's member entry and the table it sits at, if any.
fn me_and_table(live: LiveBoard) -> Option<(Member, Option<Table>)> {
    live.with_board(|b| {
        let w = b.workshop.as_ref()?;
        let me = w.members.iter().find(|m| m.mine)?.clone();
        let table = me.table.and_then(|n| w.tables.iter().find(|t| t.number == n).cloned());
        Some((me, table))
    })
    .flatten()
}

#[component]
pub fn WorkshopLobby(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let is_workshop = Memo::new(move |_| live.with_board(|b| b.workshop.is_some()).unwrap_or(false));
    let me = Memo::new(move |_| me_and_table(live));
    let role = RwSignal::new(None::<Role>);
    let competences = RwSignal::new(Competences::default());
    // What the phone said last time, once it is known.
    Effect::new(move |_| {
        if let Some((member, _)) = me.get() {
            role.set(member.profile.role);
            competences.set(member.profile.competences);
        }
    });
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let profile = Profile { role: role.get_untracked(), competences: competences.get_untracked() };
        let name = live.state.with_untracked(|s| s.name.clone());
        live.submit(Op::JoinWorkshop { profile, name });
    };
    // `i`: the label's place in `roles`, then "rather not say".
    let role_choice = move |choice: Option<Role>, i: usize| {
        let label = move || {
            let w = t.get().workshop();
            w.roles.get(i).copied().unwrap_or(w.role_unsaid)
        };
        view! {
            <label class="inline">
                <input type="radio" name="role" prop:checked=move || role.get() == choice on:change=move |_| role.set(choice) />
                {label}
            </label>
        }
    };
    view! {
        <Show when=move || is_workshop.get()>
            <section class="workshop-lobby card" aria-labelledby="workshop-heading">
                <h2 id="workshop-heading">{t.text(|t| t.workshop().heading)}</h2>
                {move || me.get().and_then(|(_, table)| table).map(|table| view! {
                    <p class="your-table" role="status">
                        {t.text(|t| t.workshop().your_table)} ": " <strong>{table.name.clone()}</strong>
                    </p>
                    {table.code.clone().map(|code| view! {
                        <a class="button go-to-table" href=format!("/j/{code}") rel="external">{t.text(|t| t.workshop().go_to_table)}</a>
                    })}
                })}
                <form class="workshop-join" on:submit=join>
                    <p class="hint">{t.text(|t| t.workshop().intro)}</p>
                    <fieldset>
                        <legend>{t.text(|t| t.workshop().role_label)}</legend>
                        // Built once; only the labels follow the language.
                        {[Some(Role::Borger), Some(Role::Politiker), Some(Role::Medarbejder), Some(Role::Andet), None]
                            .into_iter()
                            .enumerate()
                            .map(|(i, r)| role_choice(r, i))
                            .collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>{t.text(|t| t.workshop().competences_label)}</legend>
                        {(0..Competences::COUNT).map(|i| view! {
                            <label class="inline">
                                <input type="checkbox" name="competence" prop:checked=move || competences.get().has(i)
                                    on:change=move |ev| competences.update(|c| {
                                        *c = if event_target_checked(&ev) { c.with(i) } else { Competences(c.0 & !(1 << i)) };
                                    }) />
                                {move || t.get().workshop().competences[i]}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <p class="hint">{t.text(|t| t.workshop().privacy)}</p>
                    <button type="submit" class="join-workshop">
                        {move || if me.get().is_some() { t.get().workshop().update } else { t.get().workshop().join }}
                    </button>
                    <p class="workshop-status" role="status">
                        {move || me.get().map(|(_, table)| match table {
                            Some(_) => t.get().workshop().joined,
                            None => t.get().workshop().waiting,
                        })}
                    </p>
                </form>
            </section>
        </Show>
    }
}
