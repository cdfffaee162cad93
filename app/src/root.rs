//! The HTML shell and the routes.

use crate::i18n::provide_lang;
use crate::pages::{
    CatalogueEntryPage, CataloguePage, HomePage, NotFoundPage, ParticipantPage, PresentationPage, PrintPage,
    ProjectorPage,
};
use leptos::prelude::*;
use leptos::{children::TypedChildren, either::Either};
use leptos_meta::MetaTags;
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The whole document, rendered by the server around [`App`], or around [`ParticipantApp`]
/// for a participant's page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let participant = is_participant_request();
    let options = bundle_for_request(options, participant);
    let app = if participant { Either::Left(view! { <ParticipantApp /> }) } else { Either::Right(view! { <App /> }) };
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1d4e89" />
                <link rel="icon" href=icon_href() type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                {bundle_scripts(&options)}
                {crate::pages::board_meta()}
                <MetaTags />
            </head>
            <body>{app}</body>
        </html>
    }
}

/// The icon inline, as a `data:` URL: one request fewer on every page (two in Chromium, which
/// asked for the file twice) for about 200 bytes of compressed HTML. The same SVG as
/// `/favicon.svg`, which the manifest names.
fn icon_href() -> String {
    let svg = include_str!("../../public/favicon.svg").trim();
    let escaped = svg.replace('"', "'").replace('#', "%23").replace('<', "%3C").replace('>', "%3E");
    format!("data:image/svg+xml,{escaped}")
}

/// A participant's page (`/j/{code}`) is rendered as [`ParticipantApp`] and loads the
/// participant bundle; every other page the whole app. Both are built from this crate
/// (`scripts/build.sh`).
fn is_participant_request() -> bool {
    crate::pages::join_code_in(&crate::pages::current_path()).is_some()
}

/// The tags that load and start the browser bundle, in place of leptos' `HydrationScripts`.
/// The JS module is preloaded as its import asks for it (`crossorigin="anonymous"`). The WASM
/// is not preloaded but fetched by a classic script in the head, which runs as it is parsed, as
/// early as a preload would start, and hands its response to the module: WebKit does not give
/// a `<link rel=preload as=fetch>` to a later `fetch()` however well they match, and
/// downloaded the WASM twice (issue 20). Only the scripts carry the CSP nonce.
fn bundle_scripts(options: &LeptosOptions) -> impl IntoView {
    let (pkg, name) = (&options.site_pkg_dir, &options.output_name);
    let (js, wasm) = (format!("/{pkg}/{name}.js"), format!("/{pkg}/{name}.wasm"));
    let fetch = format!("window.{WASM_RESPONSE} = fetch('{wasm}');");
    let start = format!(
        "import('{js}').then(m => m.default({{ module_or_path: window.{WASM_RESPONSE} || '{wasm}' }}).then(() => m.hydrate()));"
    );
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=js crossorigin="anonymous" />
        <script nonce=nonce.clone()>{fetch}</script>
        <script type="module" nonce=nonce>{start}</script>
    }
}

/// Where the head's script leaves the WASM response for the module that instantiates it.
const WASM_RESPONSE: &str = "idetavleWasm";

fn bundle_for_request(mut options: LeptosOptions, participant: bool) -> LeptosOptions {
    if participant {
        options.output_name = format!("{}-participant", options.output_name).into();
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

/// Everything around the page: head tags and the language.
#[component]
fn Frame<C: IntoView + 'static>(
    /// The participant's page loads only the board's styles (`style/board.css`).
    stylesheet: &'static str,
    children: TypedChildren<C>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_security_headers();
    let lang = provide_lang();
    view! {
        {crate::head::head_tags(lang, stylesheet)}
        {children.into_inner()()}
    }
}

/// A participant's page without the router: the page has no in-app links, and leaving the
/// router (and every type-erased view) out took a third off what a phone downloads. The server renders
/// this same tree for `/j/…`, so the participant bundle hydrates exactly what it was sent.
#[component]
pub fn ParticipantApp() -> impl IntoView {
    view! {
        <Frame stylesheet="/pkg/idetavle-participant.css">
            <ParticipantPage />
        </Frame>
    }
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Frame stylesheet="/pkg/idetavle.css">
            <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage />
                // Async: the board is in the first HTML byte stream, readable before WASM loads.
                // The shell renders `/j/…` as ParticipantApp; this route registers the server's
                // handler for it, with that mode.
                <Route path=path!("/j/:code") view=ParticipantPage ssr=SsrMode::Async />
                <Route path=path!("/f/:board_id") view=ProjectorPage ssr=SsrMode::Async />
                <Route path=path!("/f/:board_id/print") view=PrintPage ssr=SsrMode::Async />
                <Route path=path!("/f/:board_id/vis") view=PresentationPage ssr=SsrMode::Async />
                <Route path=path!("/katalog") view=CataloguePage ssr=SsrMode::Async />
                <Route path=path!("/katalog/:entry_id") view=CatalogueEntryPage ssr=SsrMode::Async />
            </Routes>
            </Router>
        </Frame>
    }
}
