//! "Flyt til…" on a note or a group: a button that opens a list of places, each a button. Keys
//! act only on what they are on: an arrow on the closed menu does nothing, Enter or Space on a
//! place moves there, Escape closes. After a move, focus goes back to the moved card.

use super::moves::{group_op, group_targets, note_op, note_targets, Target};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::{random_id, LiveBoard};
use idetavle_core::board::{GroupId, NoteId};
use leptos::prelude::*;

/// What the menu moves.
#[derive(Clone, Copy)]
pub enum Moving {
    Note(StoredValue<NoteId>),
    Group(StoredValue<GroupId>),
}

impl Moving {
    /// The control that has focus after a move: the card's own menu button.
    fn focus_selector(self) -> String {
        match self {
            Moving::Note(id) => format!("[data-note-id='{}'] .note-tools-toggle", id.get_value()),
            Moving::Group(id) => format!("[data-group-id='{}'] .group-move .move-menu-toggle", id.get_value()),
        }
    }
}

#[component]
pub fn MoveMenu(live: LiveBoard, moving: Moving) -> impl IntoView {
    let t = use_texts();
    let open = RwSignal::new(false);
    let toggle_ref = NodeRef::<leptos::html::Button>::new();
    let targets = move || {
        live.view().with_untracked(|b| match (b, moving) {
            (Some(b), Moving::Note(id)) => note_targets(b, &id.get_value()),
            (Some(b), Moving::Group(id)) => group_targets(b, &id.get_value()),
            (None, _) => Vec::new(),
        })
    };
    let choose = move |target: Target| {
        let new_group = (GroupId(random_id()), t.get_untracked().control().new_group_title.to_owned());
        let op = live.view().with_untracked(|b| match (b, moving) {
            (Some(b), Moving::Note(id)) => note_op(b, &id.get_value(), &target, new_group),
            (Some(b), Moving::Group(id)) => group_op(b, &id.get_value(), &target),
            (None, _) => None,
        });
        open.set(false);
        if let Some(op) = op {
            live.submit(op);
        }
        focus_soon(moving.focus_selector());
    };
    let label = move |target: &Target| {
        let t = t.get();
        match target {
            Target::Up => format!("↑ {}", t.control().move_up),
            Target::Down => format!("↓ {}", t.control().move_down),
            Target::Lane(lane) => format!("→ {}", t.lane_title(lane)),
            Target::Group(_, title) => format!("→ {}: {title}", t.control().group_label),
            Target::NewGroup => t.control().new_group_from_note.to_owned(),
            Target::OutOfGroup => t.control().out_of_group.to_owned(),
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.stop_propagation();
            open.set(false);
            if let Some(button) = toggle_ref.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <div class="move-menu" on:keydown=on_keydown>
            <button class="move-menu-toggle secondary" node_ref=toggle_ref aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {t.text(|t| t.control().move_to)}
            </button>
            <Show when=move || open.get()>
                <ul class="move-targets">
                    {targets().into_iter().map(|target| {
                        let kind = match &target {
                            Target::Up => "up".to_owned(),
                            Target::Down => "down".to_owned(),
                            Target::Lane(lane) => format!("lane:{}", lane.id),
                            Target::Group(id, _) => format!("group:{id}"),
                            Target::NewGroup => "new-group".to_owned(),
                            Target::OutOfGroup => "out-of-group".to_owned(),
                        };
                        let text = { let target = target.clone(); move || label(&target) };
                        view! {
                            <li>
                                <button class="move-target secondary" data-target=kind on:click=move |_| choose(target.clone())>
                                    {text}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </div>
    }
    .into_any()
}

/// Puts focus on the element `selector` finds, for the next few frames: the moved card is drawn
/// again after the move (keyed lists), and focus must land on the new one, not on `<body>`. It
/// gives up as soon as the person has moved focus elsewhere themselves.
pub fn focus_soon(selector: String) {
    #[cfg(feature = "hydrate")]
    {
        fn frame(selector: String, frames_left: u32) {
            request_animation_frame(move || {
                use wasm_bindgen::JsCast;
                let document = web_sys::window().and_then(|w| w.document());
                let found = document
                    .as_ref()
                    .and_then(|d| d.query_selector(&selector).ok().flatten())
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
                let Some(document) = document else { return };
                let active = document.active_element();
                let lost = active.as_ref().is_none_or(|a| document.body().is_some_and(|b| b.is_same_node(Some(a))));
                match found {
                    Some(el) if lost => drop(el.focus()),
                    Some(el) if active.as_ref().is_some_and(|a| a.is_same_node(Some(&el))) => {}
                    // Focus is on something else: the person went on.
                    Some(_) => return,
                    None => {}
                }
                if frames_left > 0 {
                    frame(selector, frames_left - 1);
                }
            });
        }
        frame(selector, 8);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
}
