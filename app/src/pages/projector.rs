//! `/f/{board_id}#<token>`: the facilitator's control view, on the facilitator's laptop. The
//! token stays in the URL fragment, which browsers never send to the server, so it never
//! reaches logs or referrers. The room sees the presentation (`/f/{board_id}/vis`, one click
//! away), or this screen in presentation mode (key P) when there is only one.

use super::{board_resource, param, with_board};
use crate::api::{board_by_id, BoardPage};
use crate::components::catalogue::{Promoted, PromotedBanner};
use crate::components::{
    BoardEnded, ConnectionBadge, Drag, FacilitatorBar, FacilitatorCard, JoinPanel, LaneColumn, LaneEditor,
    LanguageSwitch, PresenceList, Presentation, PresentationMode, RefusalBanner, Renaming, ResultsPanel,
    SpotlightBanner, SuggestPanel, TableHostPanel, TablesOverview, TimerDisplay, WorkshopPanel,
};
use crate::i18n::{use_texts, ReactiveText};
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
    let title = board.title.clone();
    let join_code = board.join_code.clone();
    let join_code_shown = join_code.clone();
    let live = LiveBoard::new(board);
    let participants = move || live.state.with(|s| s.presence.0 as usize);
    Drag::provide(live);
    Renaming::provide();
    Promoted::provide();
    let presenting = PresentationMode(RwSignal::new(false));
    presenting.listen_for_key();
    let presentation = {
        let (title, join_url, join_code) = (title.clone(), join_url.clone(), join_code.clone());
        move || {
            let (title, join_url, join_code) = (title.clone(), join_url.clone(), join_code.clone());
            view! { <Presentation live title join_url join_code /> }
        }
    };

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
        <Show when=move || presenting.0.get()>
            {presentation.clone()}
            <button class="leave-presentation secondary" on:click=move |_| presenting.toggle()>
                {t.text(|t| t.control().leave_presentation)}
            </button>
        </Show>
        <main class="page projector" class:behind-presentation=move || presenting.0.get()>
            <header class="projector-header">
                <div class="projector-title">
                    <h1 class="board-title">{title.clone()}</h1>
                    <p class="presence">
                        {move || t.get().count(t.get().control().participants_connected, participants())}
                    </p>
                    <ConnectionBadge live />
                    <LanguageSwitch />
                </div>
                <JoinPanel url=join_url.clone() code=join_code_shown />
            </header>
            <Show when=move || live.is_facilitator()>
                <div class="present-tools">
                    <button class="open-presentation" on:click=move |_| open_presentation(live)>
                        {t.text(|t| t.control().open_presentation)}
                    </button>
                    <button class="present-here secondary" on:click=move |_| presenting.toggle()>
                        {t.text(|t| t.control().present_here)}
                    </button>
                    <FacilitatorCard live title=title.clone() />
                </div>
                <FacilitatorBar live />
                <PromotedBanner />
                <PresenceList live />
                <SuggestPanel live />
                <WorkshopPanel live />
                <TablesOverview live />
                <TableHostPanel live />
                <LaneEditor live />
            </Show>
            <RefusalBanner live />
            <BoardEnded live />
            <TimerDisplay live />
            <SpotlightBanner live />
            <ResultsPanel live />
            <div class="lanes projector-lanes">
                <For each=move || live.lanes() key=|l| (l.id.clone(), l.title.clone(), l.question.clone()) let:lane>
                    <LaneColumn lane live />
                </For>
            </div>
        </main>
    }
    .into_any()
}

/// Opens the presentation in its own window (for the projector, as a second screen), with the
/// token in its fragment as here.
fn open_presentation(live: LiveBoard) {
    #[cfg(feature = "hydrate")]
    if let (Some(id), Some(window)) = (live.board_id(), web_sys::window()) {
        let url = format!("/f/{id}/vis#{}", crate::components::facilitator_token());
        let _ = window.open_with_url_and_target(&url, "idetavle-presentation");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = live;
}
