//! The catalogue editor's token. The editor opens `/katalog#<token>` once; the token moves
//! from the address bar into this browser's local storage (so it is not left in the history
//! or shown on a shared screen) and is sent in request bodies, never in URLs.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "idetavle.catalogue.editor";

/// The token, or `None` (the public view). While hydrating a server-rendered page it starts
/// as `None`, as on the server, and is filled in right after; when the page is reached by
/// navigating in the browser it is read at once, so the page loads once, in the right view.
pub fn use_editor_token() -> RwSignal<Option<String>> {
    #[cfg(feature = "hydrate")]
    {
        let hydrating = Owner::current_shared_context().is_some_and(|cx| cx.during_hydration());
        let token = RwSignal::new(if hydrating { None } else { read_token() });
        if hydrating {
            Effect::new(move |_| {
                if let Some(found) = read_token() {
                    token.set(Some(found));
                }
            });
        }
        // The editor link pasted into a tab already on the page changes only the fragment:
        // the page does not load again, so the change is read here.
        let handle = window_event_listener(leptos::ev::hashchange, move |_| {
            if let Some(found) = read_token() {
                token.set(Some(found));
            }
        });
        on_cleanup(move || handle.remove());
        token
    }
    #[cfg(not(feature = "hydrate"))]
    RwSignal::new(None)
}

/// Leaves the editor view in this browser.
pub fn forget_editor_token(token: RwSignal<Option<String>>) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(STORAGE_KEY);
    }
    token.set(None);
}

#[cfg(feature = "hydrate")]
fn read_token() -> Option<String> {
    let window = web_sys::window()?;
    let storage = window.local_storage().ok().flatten()?;
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let from_link = hash.trim_start_matches('#');
    if !from_link.is_empty() {
        let _ = storage.set_item(STORAGE_KEY, from_link);
        let clean = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
        }
    }
    storage.get_item(STORAGE_KEY).ok().flatten().filter(|t| !t.is_empty())
}
