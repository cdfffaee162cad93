//! Boards this browser made or ran, with their facilitator links, kept in its local storage so
//! that closing the tab does not lock the facilitator out. Nothing of it leaves the browser; the
//! home page lists them, each with a way to forget it.

use crate::i18n::{use_texts, ReactiveText};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// At most this many are kept (the newest).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const KEEP: usize = 30;
#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "idetavle.boards";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptBoard {
    pub id: String,
    pub title: String,
    /// The facilitator link, token in its fragment.
    pub facilitator_url: String,
}

/// `board` first in `list`, once, and the list cut to [`KEEP`].
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn kept_with(mut list: Vec<KeptBoard>, board: KeptBoard) -> Vec<KeptBoard> {
    list.retain(|b| b.id != board.id);
    list.insert(0, board);
    list.truncate(KEEP);
    list
}

/// Remembers a board on this device (in the browser; nothing on the server).
pub fn remember_board(board: KeptBoard) {
    #[cfg(feature = "hydrate")]
    save(&kept_with(load(), board));
    #[cfg(not(feature = "hydrate"))]
    let _ = board;
}

#[cfg(feature = "hydrate")]
fn load() -> Vec<KeptBoard> {
    crate::sync::local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn save(list: &[KeptBoard]) {
    if let (Some(storage), Ok(json)) = (crate::sync::local_storage(), serde_json::to_string(list)) {
        let _ = storage.set_item(STORAGE_KEY, &json);
    }
}

/// "Your boards on this device", on the home page; empty until the browser has read them.
#[component]
pub fn KeptBoards() -> impl IntoView {
    let t = use_texts();
    let boards = RwSignal::new(Vec::<KeptBoard>::new());
    // After hydration: the server knows nothing of this browser's boards.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| boards.set(load()));
    let forget = move |id: String| {
        boards.update(|list| list.retain(|b| b.id != id));
        #[cfg(feature = "hydrate")]
        save(&boards.get_untracked());
    };
    view! {
        <Show when=move || !boards.with(Vec::is_empty)>
            <section class="card kept-boards">
                <h2>{t.text(|t| t.control().kept_boards)}</h2>
                <p class="hint">{t.text(|t| t.control().kept_boards_hint)}</p>
                <ul>
                    <For each=move || boards.get() key=|b| b.id.clone() let:board>
                        <li class="kept-board">
                            <a class="kept-board-link" href=board.facilitator_url.clone() rel="external">{board.title.clone()}</a>
                            <button class="forget-board secondary" on:click={
                                let id = board.id.clone();
                                move |_| forget(id.clone())
                            }>
                                {t.text(|t| t.control().forget_board)}
                            </button>
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(id: &str) -> KeptBoard {
        KeptBoard { id: id.into(), title: format!("Tavle {id}"), facilitator_url: format!("/f/{id}#t") }
    }

    #[test]
    fn the_newest_comes_first_once_and_the_list_is_bounded() {
        let list = kept_with(vec![board("a"), board("b")], board("b"));
        assert_eq!(list.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        let many = (0..40).fold(Vec::new(), |list, i| kept_with(list, board(&i.to_string())));
        assert_eq!(many.len(), KEEP);
        assert_eq!(many[0].id, "39");
    }
}
