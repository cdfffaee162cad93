//! The HTML shell and the routes.

use crate::i18n::provide_lang;
use crate::pages::{
    CatalogueEntryPage, CataloguePage, HomePage, NotFoundPage, ParticipantPage, PrintPage, ProjectorPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The whole document, rendered by the server around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let options = bundle_for_request(options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A participant's page loads the participant bundle ([`ParticipantApp`]); every other page the
/// whole app. Both are built from this crate (`scripts/build.sh`).
fn bundle_for_request(#[allow(unused_mut)] mut options: LeptosOptions) -> LeptosOptions {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        if parts.uri.path().starts_with("/j/") {
            options.output_name = format!("{}-participant", options.output_name).into();
        }
    }
    options
}

/// Content-Security-Policy for every page: scripts only from this server or carrying this
/// response's nonce (leptos puts it on its inline hydration scripts), WASM allowed to compile,
/// no framing, no plugins. A second line of defence behind rendering user text as text.
#[cfg(feature = "ssr")]
fn set_security_headers() {
    use http::{header, HeaderValue};
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let nonce = leptos::nonce::use_nonce().map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Everything around the routes: head tags, the language, the router.
#[component]
fn Frame(children: Children) -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    set_security_headers();
    let lang = provide_lang();
    view! {
        <Stylesheet id="idetavle" href="/pkg/idetavle.css" />
        <Title text="Idétavle" />
        <leptos_meta::Html {..} lang=move || lang.get().code() />
        <Router>{children()}</Router>
    }
}

/// The participant's bundle: the same frame with only the participant's page, which renders
/// exactly as in [`App`] (the server always renders `App`). The page has no in-app links, so no
/// other route is ever needed in this bundle.
#[cfg(feature = "participant-bundle")]
#[component]
pub fn ParticipantApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/j/:code") view=ParticipantPage ssr=SsrMode::Async />
            </Routes>
        </Frame>
    }
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage />
                // Async: the board is in the first HTML byte stream, readable before WASM loads.
                <Route path=path!("/j/:code") view=ParticipantPage ssr=SsrMode::Async />
                <Route path=path!("/f/:board_id") view=ProjectorPage ssr=SsrMode::Async />
                <Route path=path!("/f/:board_id/print") view=PrintPage ssr=SsrMode::Async />
                <Route path=path!("/katalog") view=CataloguePage ssr=SsrMode::Async />
                <Route path=path!("/katalog/:entry_id") view=CatalogueEntryPage ssr=SsrMode::Async />
            </Routes>
        </Frame>
    }
}
