//! The note or group the facilitator highlights, shown prominently on every screen.

use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::{Op, Spotlight};
use leptos::prelude::*;

#[component]
pub fn SpotlightBanner(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let controls = super::controls_shown(live);
    let text = Memo::new(move |_| {
        live.with_board(|b| match b.spotlight.as_ref()? {
            Spotlight::Note { id } => b.notes.get(id).filter(|n| !n.masked).map(|n| n.text.clone()),
            Spotlight::Group { id } => b.groups.get(id).map(|g| g.title.clone()),
            // The results have their own panel (`ResultsPanel`).
            Spotlight::Results { .. } => None,
        })
        .flatten()
    });
    move || {
        text.get().map(|text| {
            view! {
                <div class="spotlight" role="status">
                    <span class="spotlight-star" aria-hidden="true">"★"</span>
                    <span class="spotlight-text">{text}</span>
                    <Show when=controls>
                        <button class="clear-spotlight secondary" on:click=move |_| live.submit(Op::SetSpotlight { target: None })>
                            {t.text(|t| t.clear_spotlight)}
                        </button>
                    </Show>
                </div>
            }
        })
    }
}
