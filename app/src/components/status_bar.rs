//! Connection state, server refusals and the language switch.

use crate::i18n::{set_lang, use_texts, Lang, ReactiveText};
use crate::sync::{Connection, LiveBoard};
use idetavle_core::protocol::ErrorCode;
use leptos::prelude::*;

/// "Forbundet", "Forbinder…" or "offline — n noter venter".
#[component]
pub fn ConnectionBadge(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let waiting = live.outbox_len();
    let label = move || {
        let t = t.get();
        match live.connection.get() {
            Connection::Online => t.online.to_owned(),
            Connection::Connecting if waiting.get() == 0 => t.connecting.to_owned(),
            Connection::Connecting | Connection::Offline => {
                if waiting.get() == 0 {
                    t.offline.to_owned()
                } else {
                    t.count(t.offline_waiting, waiting.get())
                }
            }
        }
    };
    let class = move || match live.connection.get() {
        Connection::Online => "badge online",
        Connection::Connecting => "badge connecting",
        Connection::Offline => "badge offline",
    };
    view! { <span class=class role="status" aria-live="polite">{label}</span> }
}

/// Shows the last thing the server refused, in the user's language.
#[component]
pub fn RefusalBanner(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    move || {
        live.refusal.get().map(|r| {
            view! {
                <div class="refusal" role="alert">
                    <span>{t.get().error(r.code, r.reason)}</span>
                    <button class="secondary" aria-label="OK" on:click=move |_| live.refusal.set(None)>
                        "×"
                    </button>
                </div>
            }
        })
    }
}

/// The whole screen once the board is deleted: nothing on it can be sent any more, so nothing
/// is offered, and the way home is.
#[component]
pub fn BoardEnded(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    move || {
        (live.ended.get() == Some(ErrorCode::BoardDeleted)).then(|| {
            view! {
                <div class="board-ended" role="alert">
                    <p>{t.text(|t| t.err_board_deleted)}</p>
                    <a class="button" href="/">{t.text(|t| t.back_home)}</a>
                </div>
            }
        })
    }
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let t = use_texts();
    let lang = use_context::<RwSignal<Lang>>();
    let toggle = move |_| set_lang(lang.map(|l| l.get_untracked()).unwrap_or_default().other());
    view! {
        <button class="lang-switch secondary" on:click=toggle>
            {t.text(|t| t.switch_language)}
        </button>
    }
}
