//! What the room sees: the board filling the screen, the way in (QR and join code) in a corner
//! that never scrolls away, the timer, the spotlight or a round's results, how voting goes, and
//! a lock notice. No controls. Used by the presentation page (`/f/{id}/vis`) and by the control
//! view's presentation mode (one screen: key P).

use super::{
    round_title, JoinPanel, LaneColumn, Presenting, ResultsPanel, SpotlightBanner, TablesScreen, TimerDisplay,
};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::workshop::Showing;
use leptos::prelude::*;

/// Whether the control view shows the presentation instead of its controls (one screen).
#[derive(Clone, Copy)]
pub struct PresentationMode(pub RwSignal<bool>);

impl PresentationMode {
    /// In or out of presentation mode, full screen where the browser allows it.
    pub fn toggle(self) {
        let on = !self.0.get_untracked();
        self.0.set(on);
        #[cfg(feature = "hydrate")]
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            match (on, document.document_element()) {
                (true, Some(root)) => drop(root.request_fullscreen()),
                (false, _) if document.fullscreen_element().is_some() => document.exit_fullscreen(),
                _ => {}
            }
        }
    }

    /// P toggles presentation mode (not while typing, not with a modifier); leaving full screen
    /// (Esc) leaves it too.
    pub fn listen_for_key(self) {
        #[cfg(feature = "hydrate")]
        {
            let keys = window_event_listener(leptos::ev::keydown, move |ev| {
                let typing = super::is_typing(&ev);
                let modified = ev.ctrl_key() || ev.meta_key() || ev.alt_key();
                if !typing && !modified && ev.key().eq_ignore_ascii_case("p") {
                    ev.prevent_default();
                    self.toggle();
                } else if ev.key() == "Escape" && self.0.get_untracked() {
                    self.toggle();
                }
            });
            let screen =
                window_event_listener(leptos::ev::Custom::<web_sys::Event>::new("fullscreenchange"), move |_| {
                    let full =
                        web_sys::window().and_then(|w| w.document()).and_then(|d| d.fullscreen_element()).is_some();
                    if !full && self.0.get_untracked() {
                        self.0.set(false);
                    }
                });
            on_cleanup(move || {
                keys.remove();
                screen.remove();
            });
        }
    }
}

#[component]
pub fn Presentation(live: LiveBoard, title: String, join_url: String, join_code: String) -> impl IntoView {
    provide_context(Presenting);
    let t = use_texts();
    let open_round = move || live.voting().filter(|v| v.open);
    let notes = Memo::new(move |_| live.with_board(|b| b.notes.len()).unwrap_or(0));
    let root = NodeRef::<leptos::html::Div>::new();
    fit::fit_notes(root, live);
    // A workshop's plenary may show its tables instead (the facilitator's `show`).
    let showing = Signal::derive(move || {
        live.with_board(|b| b.workshop.as_ref().map(|w| w.showing)).flatten().unwrap_or_default()
    });
    let on_tables = Memo::new(move |_| showing.get() != Showing::Plenary);
    let plenary = live.board_id().unwrap_or_default();

    view! {
        <div class="presentation" node_ref=root>
            <header class="presentation-header">
                <div class="presentation-title">
                    <h1 class="board-title">{title}</h1>
                    <p class="presentation-status">
                        {move || live.is_locked().then(|| view! {
                            <span class="locked-notice">{t.text(|t| t.locked_notice)}</span>
                        })}
                        {move || open_round().map(|v| {
                            let round = round_title(t.get(), v.round, v.name.as_deref());
                            view! {
                                <span class="voting-progress">
                                    {round} " · " {t.get().count(t.get().control().votes_cast, v.cast as usize)}
                                    {v.is_blind().then(|| format!(" · {}", t.get().control().blind_notice))}
                                </span>
                            }
                        })}
                    </p>
                </div>
                <TimerDisplay live />
                <JoinPanel url=join_url code=join_code />
            </header>
            <SpotlightBanner live />
            <ResultsPanel live />
            {move || on_tables.get().then(|| view! { <TablesScreen plenary=plenary.clone() showing /> })}
            <div class="lanes presentation-lanes" hidden=move || on_tables.get()>
                <For each=move || live.lanes() key=|l| (l.id.clone(), l.title.clone(), l.question.clone()) let:lane>
                    <LaneColumn lane live />
                </For>
            </div>
            // Screen readers hear the board grow without reading every card again.
            <p class="sr-only" aria-live="polite">{move || t.get().count(t.get().control().notes_on_board, notes.get())}</p>
        </div>
    }
}

/// Fits the notes to the screen: the largest note text (30 px at 1080 lines, scaled to the
/// window) at which no lane has to scroll, down to a floor; below it the lanes scroll.
mod fit {
    use crate::sync::LiveBoard;
    use leptos::prelude::*;

    #[cfg(feature = "hydrate")]
    pub fn fit_notes(root: NodeRef<leptos::html::Div>, live: LiveBoard) {
        let view = live.view();
        let refit = move || {
            request_animation_frame(move || {
                if let Some(el) = root.get_untracked() {
                    fit(&el);
                }
            })
        };
        Effect::new(move |_| {
            view.track();
            refit();
        });
        let handle = window_event_listener(leptos::ev::resize, move |_| refit());
        on_cleanup(move || handle.remove());
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn fit_notes(_root: NodeRef<leptos::html::Div>, _live: LiveBoard) {}

    #[cfg(feature = "hydrate")]
    fn fit(el: &web_sys::HtmlElement) {
        use wasm_bindgen::JsCast;
        const FLOOR_PX: f64 = 11.0;
        let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(1080.0);
        let lanes: Vec<web_sys::Element> = el
            .query_selector_all(".presentation-lanes .lane")
            .ok()
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect())
            .unwrap_or_default();
        let style = el.style();
        let set = |size: f64| drop(style.set_property("--note-font", &format!("{size}px")));
        let fits = |size: f64| {
            set(size);
            !lanes.iter().any(|l| l.scroll_height() > l.client_height() + 1)
        };
        let largest = (30.0 * height / 1080.0).round().max(FLOOR_PX);
        // From the size in use, not from the largest: one new note usually changes nothing, and
        // every step lays out the whole board again.
        let current = style
            .get_property_value("--note-font")
            .ok()
            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
            .map_or(largest, |v| v.clamp(FLOOR_PX, largest));
        let mut size = current;
        if fits(size) {
            while size < largest && fits(size + 1.0) {
                size += 1.0;
            }
        } else {
            while size > FLOOR_PX && !fits(size - 1.0) {
                size -= 1.0;
            }
            size = (size - 1.0).max(FLOOR_PX);
        }
        set(size);
    }
}
