//! `/f/{board_id}/vis#<token>`: the presentation the room sees, for the projector or a second
//! screen. It holds the facilitator token as the control view does (in the URL fragment, never
//! sent in a request) and uses it only to connect as the *presenter*: the server then sends it
//! what the room may see and refuses every op from it.

use super::{board_resource, param, with_board};
use crate::api::{board_by_id, BoardPage};
use crate::components::{BoardEnded, Presentation};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::BoardId;
use leptos::prelude::*;

#[component]
pub fn PresentationPage() -> impl IntoView {
    let page = board_resource(
        {
            let id = param("board_id");
            move || BoardId(id())
        },
        board_by_id,
    );
    with_board(page, |page| view! { <PresentationScreen page /> }.into_any())
}

#[component]
fn PresentationScreen(page: BoardPage) -> impl IntoView {
    let t = use_texts();
    let BoardPage { board, join_url } = page;
    let (title, join_code) = (board.title.clone(), board.join_code.clone());
    let live = LiveBoard::new(board);
    let without_token = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use idetavle_core::protocol::Credential;
            let token = crate::components::facilitator_token();
            if token.is_empty() {
                without_token.set(true);
            } else {
                live.start(Credential::Presenter { token });
            }
        }
    });
    view! {
        {crate::head::page_title({
            let title = title.clone();
            move || title.clone()
        })}
        <main class="presentation-page">
            <Presentation live title join_url join_code />
            <BoardEnded live />
            <Show when=move || without_token.get()>
                <p class="refusal presentation-refusal" role="alert">{t.text(|t| t.control().presentation_needs_link)}</p>
            </Show>
        </main>
    }
    .into_any()
}
