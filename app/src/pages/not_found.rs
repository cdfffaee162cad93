//! Friendly pages for wrong links and codes.

use crate::components::LanguageSwitch;
use crate::i18n::{use_texts, ReactiveText};
use leptos::prelude::*;

/// The router's fallback: a path no page serves.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <UnknownBoard /> }
}

/// A join code or board link that matches no board.
#[component]
pub fn UnknownBoard() -> impl IntoView {
    let t = use_texts();
    answer_not_found();
    view! {
        <main class="page narrow not-found">
            <LanguageSwitch />
            <h1>{t.text(|t| t.control().not_found_title)}</h1>
            <p>{t.text(|t| t.control().not_found_body)}</p>
            <a class="button" href="/" rel="external">{t.text(|t| t.back_home)}</a>
        </main>
    }
}

/// Makes the server answer this page with 404 (in the browser: nothing to do).
pub fn answer_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}
