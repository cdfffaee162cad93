//! The facilitator link, to hand over: a QR code to scan and a copy button, on the control view.
//! Made in the browser only: the link's token is in the fragment, which the server never sees.
//! Opening the control view also keeps the board in this browser's list (`kept_boards.rs`).

use super::JoinQr;
#[cfg(feature = "hydrate")]
use super::{remember_board, KeptBoard};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use leptos::prelude::*;

#[component]
pub fn FacilitatorCard(live: LiveBoard, title: String) -> impl IntoView {
    let t = use_texts();
    let url = RwSignal::new(String::new());
    let copied = RwSignal::new(false);
    // Once the server has welcomed this screen as the facilitator (a wrong link keeps nothing).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if live.is_facilitator() {
            let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
            if let Some(id) = live.board_id() {
                remember_board(KeptBoard { id: id.to_string(), title: title.clone(), facilitator_url: href.clone() });
            }
            url.set(href);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (live, &title);
    });
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let promise = window.navigator().clipboard().write_text(&url.get_untracked());
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                    copied.set(true);
                }
            });
        }
    };
    view! {
        <Show when=move || !url.with(String::is_empty)>
            <details class="facilitator-card">
                <summary>{t.text(|t| t.control().facilitator_card)}</summary>
                <p class="hint">{t.text(|t| t.control().facilitator_card_hint)}</p>
                {move || view! { <JoinQr url=url.get() label="QR" /> }}
                <p class="facilitator-url">{move || url.get()}</p>
                <button class="copy-link secondary" on:click=copy>
                    {move || if copied.get() { t.get().control().copied } else { t.get().control().copy_link }}
                </button>
            </details>
        </Show>
    }
    .into_any()
}
