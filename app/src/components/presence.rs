//! Who is here, for the facilitator: named participants, a count of anonymous ones, and a way
//! to remove someone who disrupts the workshop.

use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{Op, ParticipantId};
use leptos::prelude::*;

#[component]
pub fn PresenceList(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let people = Memo::new(move |_| live.state.with(|s| s.people.clone()));
    let named =
        move || people.with(|p| p.iter().filter_map(|p| Some((p.id.clone(), p.name.clone()?))).collect::<Vec<_>>());
    let anonymous = move || people.with(|p| p.iter().filter(|p| p.name.is_none()).count());
    let confirming = RwSignal::new(None::<ParticipantId>);
    view! {
        <section class="presence-list" aria-label={t.text(|t| t.control().present)}>
            <h2>{t.text(|t| t.control().present)}</h2>
            <ul>
                <For each=named key=|(id, name)| (id.clone(), name.clone()) let:person>
                    {
                        let (id, name) = person;
                        let asking = {
                            let id = id.clone();
                            move || confirming.get().as_ref() == Some(&id)
                        };
                        view! {
                            <li class="person">
                                <span class="person-name">{name}</span>
                                <Show
                                    when=asking
                                    fallback={
                                        let id = id.clone();
                                        move || {
                                            let id = id.clone();
                                            view! {
                                                <button class="remove-person secondary" on:click=move |_| confirming.set(Some(id.clone()))>
                                                    {t.text(|t| t.control().remove)}
                                                </button>
                                            }
                                        }
                                    }
                                >
                                    {
                                        let id = id.clone();
                                        view! {
                                            <button class="confirm-remove danger" on:click=move |_| {
                                                live.submit(Op::RemoveParticipant { participant: id.clone() });
                                                confirming.set(None);
                                            }>{t.text(|t| t.control().confirm_remove)}</button>
                                        }
                                    }
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
            <p class="anonymous-count">{move || t.get().count(t.get().control().anonymous_present, anonymous())}</p>
        </section>
    }
    .into_any()
}
