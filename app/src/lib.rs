//! Idétavle's leptos app: pages and components, server-rendered and hydrated. The board model,
//! the protocol and the browser's JSON decoder live in `idetavle_core`.
//!
//! Module map:
//! - [`sync`]: a client's side of syncing: `SyncState` (sans-IO: outbox, resume from seq) and,
//!   in the browser, the websocket driver with reconnect and backoff.
//! - [`api`]: what pages ask the server for (server functions) and the `Boards` trait the
//!   server implements to answer them.
//! - [`i18n`]: every UI string, Danish (default) and English.
//! - [`head`]: the page's `<head>` tags (stylesheet, title, language).
//! - [`root`]: the HTML shell and the router; [`pages`]: one file per page;
//!   [`components`]: pieces pages share (lanes, note cards, the join QR code, status bar).
//!
//! Features: `ssr` (linked into the server) and `hydrate` (compiled to WASM for the browser).

#![recursion_limit = "512"]

pub mod api;
pub mod components;
pub mod head;
pub mod i18n;
pub mod pages;
pub mod root;
pub mod sync;

/// Browser entry point: attaches the app to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "participant-bundle"))]
    leptos::mount::hydrate_body(root::App);
    #[cfg(feature = "participant-bundle")]
    leptos::mount::hydrate_body(root::ParticipantApp);
    // A marker for tests and scripts: event handlers are attached from here on.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "");
    }
}
