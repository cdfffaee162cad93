//! On a workshop table's board, for whoever runs it (the facilitator or the table's host):
//! send the table's top notes, or the note or group in the spotlight, to the plenary. The
//! server checks that the token is this table's (or the workshop's).

use crate::api::workshop::{gather, GatherRequest};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::Spotlight;
use leptos::prelude::*;

#[component]
pub fn TableHostPanel(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let table_of = Memo::new(move |_| live.with_board(|b| b.table_of.clone()).flatten());
    let spotlighted = move || {
        live.with_board(|b| match &b.spotlight {
            Some(Spotlight::Note { id }) => Some(id.to_string()),
            Some(Spotlight::Group { id }) => Some(id.to_string()),
            _ => None,
        })
        .flatten()
    };
    let send = Action::new_local(move |request: &GatherRequest| {
        let plenary = table_of.get_untracked().map(|t| t.plenary).unwrap_or_default();
        let (token, request) = (super::facilitator_token(), request.clone());
        async move { gather(plenary, token, request).await }
    });
    let said = move || {
        let t = t.get();
        send.value().get().map(|answer| match answer {
            Ok(r) => t.count(t.tables().copied, r.copied as usize),
            Err(_) => t.tables().failed.to_owned(),
        })
    };
    view! {
        {move || table_of.get().map(|table| {
            let number = table.number;
            view! {
                <section class="table-host card" aria-labelledby="table-host-heading">
                    <h2 id="table-host-heading">{t.text(|t| t.tables().host_panel)}</h2>
                    <p class="hint">{t.text(|t| t.tables().send_hint)}</p>
                    <button type="button" class="send-top" on:click=move |_| {
                        send.dispatch(GatherRequest { table: Some(number), top: Some(3), chosen: vec![] });
                    }>{t.text(|t| t.tables().send_top)}</button>
                    <button type="button" class="secondary send-spotlight" disabled=move || spotlighted().is_none()
                        on:click=move |_| {
                            if let Some(id) = spotlighted() {
                                send.dispatch(GatherRequest { table: Some(number), top: None, chosen: vec![id] });
                            }
                        }>{t.text(|t| t.tables().send_spotlight)}</button>
                    <p class="tables-said" role="status">{said}</p>
                </section>
            }
        })}
    }
}
