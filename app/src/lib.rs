//! Idétavle's shared crate: the board model and protocol both sides use, and the leptos UI.
//!
//! Module map:
//! - [`board`]: the pure model. `Board::apply(context, op)` is the only way a board changes.
//!   No IO, no cfg; unit-tested here and used by the server and by every browser.
//! - [`protocol`]: websocket messages (`ClientMsg`, `ServerMsg`), the handshake, limits.
//! - [`sync`]: a client's side of syncing: `SyncState` (sans-IO: outbox, resume from seq) and,
//!   in the browser, the websocket driver with reconnect and backoff.
//! - [`api`]: what pages ask the server for (server functions) and the `Boards` trait the
//!   server implements to answer them.
//! - [`catalogue`]: the idékatalog's pure model: entries, status rules, volunteers, search.
//! - [`dates`]: ISO dates from Unix milliseconds and back, without a date library.
//! - [`decode`]: the browser's JSON decoder for what the server sends (serde's derive is too
//!   big for a phone's download); the server decodes with serde.
//! - [`i18n`]: every UI string, Danish (default) and English.
//! - [`head`]: the page's `<head>` tags (stylesheet, title, language).
//! - [`root`]: the HTML shell and the router; [`pages`]: one file per page;
//!   [`components`]: pieces pages share (lanes, note cards, the join QR code, status bar).
//!
//! Features: `ssr` (linked into the server) and `hydrate` (compiled to WASM for the browser).

#![recursion_limit = "512"]

pub mod api;
pub mod board;
pub mod catalogue;
pub mod components;
pub mod dates;
pub mod decode;
pub mod head;
pub mod i18n;
pub mod pages;
pub mod protocol;
pub mod root;
pub mod sync;
mod tagged;

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
