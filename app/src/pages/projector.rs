//! `/f/{board_id}#<token>`: the facilitator's projector view. The token stays in the URL
//! fragment, which browsers never send to the server, so it never reaches logs or referrers.

use super::{board_resource, param, with_board};
use crate::api::{board_by_id, BoardPage};
use crate::components::catalogue::{Promoted, PromotedBanner};
use crate::components::{
    ConnectionBadge, Drag, FacilitatorBar, JoinQr, LaneColumn, LanguageSwitch, PresenceList, RefusalBanner, Renaming,
    SpotlightBanner, TimerDisplay,
};
use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use idetavle_core::board::BoardId;
use leptos::prelude::*;

#[component]
pub fn ProjectorPage() -> impl IntoView {
    let page = board_resource(
        {
            let id = param("board_id");
            move || BoardId(id())
        },
        board_by_id,
    );
    with_board(page, |page| view! { <ProjectorBoard page /> }.into_any())
}

#[component]
fn ProjectorBoard(page: BoardPage) -> impl IntoView {
    let t = use_texts();
    let BoardPage { board, join_url } = page;
    let lanes = board.lanes.clone();
    let title = board.title.clone();
    let join_code = board.join_code.clone();
    let live = LiveBoard::new(board);
    let participants = move || live.state.with(|s| s.presence.0 as usize);
    Drag::provide(live);
    Renaming::provide();
    Promoted::provide();

    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use idetavle_core::protocol::Credential;
            let token = crate::components::facilitator_token();
            let id = live.state.with_untracked(|s| s.board.as_ref().map(|b| b.id.clone()));
            let credential = if token.is_empty() {
                // Without the token this is a read-only screen, like a participant's.
                Credential::Participant { secret: crate::sync::socket::participant_secret(&id.unwrap_or_default()) }
            } else {
                Credential::Facilitator { token }
            };
            live.start(credential);
        }
    });

    view! {
        {crate::head::page_title({
            let title = title.clone();
            move || title.clone()
        })}
        <main class="page projector">
            <header class="projector-header">
                <div class="projector-title">
                    <h1 class="board-title">{title.clone()}</h1>
                    <p class="presence">
                        {move || t.get().count(t.get().participants_connected, participants())}
                    </p>
                    <ConnectionBadge live />
                    <LanguageSwitch />
                </div>
                <aside class="join-panel">
                    <JoinQr url=join_url.clone() label="QR" />
                    <div>
                        <p class="join-label">{move || t.get().join_at}</p>
                        <p class="join-url">{join_url.clone()}</p>
                        <p class="join-code" aria-label="join code">{join_code}</p>
                    </div>
                </aside>
            </header>
            <Show when=move || live.is_facilitator()>
                <FacilitatorBar live />
                <PromotedBanner />
                <PresenceList live />
            </Show>
            <RefusalBanner live />
            <TimerDisplay live />
            <SpotlightBanner live />
            <div class="lanes projector-lanes">
                {lanes.into_iter().map(|lane| view! { <LaneColumn lane live /> }).collect_view()}
            </div>
        </main>
    }
    .into_any()
}
