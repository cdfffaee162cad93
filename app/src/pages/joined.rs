//! The board of a phone's page (`/j/{code}`), there when the page renders: no async resource.
//!
//! The server looks the board up before leptos renders the page (`server::pages`, a
//! middleware) and leaves it in the request as a [`JoinedBoard`]. The page renders from it at
//! once, and the shell writes it into the head as `<meta name="idetavle-board" content="…">`,
//! where the browser reads it back as it hydrates. A resource would do the same through
//! leptos' async machinery (resources, suspense, futures): some 7 KB of every phone's download.
//! An attribute, not a `<script>`: leptos escapes attribute values, so the board's text stays
//! text (`tests/tests/page_heads.rs`).

use crate::api::BoardPage;
use leptos::prelude::*;

/// The board of a join code, or `None` when no board has that code (or it could not be read).
/// In an `Arc`: the request's extensions are cloned with the request's parts, which pages read
/// several times while rendering.
#[derive(Debug, Clone)]
pub struct JoinedBoard(pub Option<std::sync::Arc<BoardPage>>);

/// The board the server found for this request.
#[cfg(feature = "ssr")]
fn found_on_the_server() -> Option<std::sync::Arc<BoardPage>> {
    use_context::<http::request::Parts>()?.extensions.get::<JoinedBoard>()?.0.clone()
}

/// The `name` of the `<meta>` that carries the board to the browser.
pub const BOARD_META: &str = "idetavle-board";

/// This page's board: on the server from the request, in the browser from the page's head.
pub fn joined_board() -> Option<BoardPage> {
    #[cfg(feature = "ssr")]
    return found_on_the_server().map(|page| BoardPage::clone(&page));
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!("meta[name={BOARD_META}]")).ok().flatten())
        .and_then(|meta| meta.get_attribute("content"))
        .and_then(|json| idetavle_core::decode::decode::<BoardPage>(&json).ok());
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    None
}

/// The head's `<meta>` with this page's board, on a phone's page that has one.
pub fn board_meta() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let content = found_on_the_server().and_then(|page| serde_json::to_string(&*page).ok());
    #[cfg(not(feature = "ssr"))]
    let content = None::<String>;
    content.map(|content| view! { <meta name=BOARD_META content=content /> })
}
