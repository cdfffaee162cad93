//! Dragging notes and groups on the projector with pointer events (mouse, pen and touch alike).
//! The decision what a drop means is `drop::drop_op`; this file only follows the pointer.

use super::drop::{drop_op, Dragged, DropTarget};
use crate::i18n::use_texts;
use crate::sync::{random_id, LiveBoard};
use idetavle_core::board::GroupId;
use leptos::ev::PointerEvent;
use leptos::prelude::*;

/// Pixels the pointer must travel before a press becomes a drag (so clicks stay clicks).
const DRAG_THRESHOLD: f64 = 6.0;
/// Height of the strip along a note's top edge where a drop means "put it before this note".
#[cfg(feature = "hydrate")]
const BEFORE_STRIP_PX: f64 = 14.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    pub item: Dragged,
    start: (f64, f64),
    pub offset: (f64, f64),
    moved: bool,
}

/// The one drag in progress on this screen, shared by every card (provided by the projector).
#[derive(Clone, Copy)]
pub struct Drag {
    pub active: RwSignal<Option<Active>>,
    /// What is being dragged (once it has moved): set twice per drag, not on every move.
    moving: RwSignal<Option<Dragged>>,
    /// Tells a card only when *it* starts or stops being dragged: with thousands of cards on a
    /// board, waking all of them at the start and end of every drag took tens of milliseconds.
    selected: StoredValue<Selector<Option<Dragged>>>,
    live: LiveBoard,
}

impl Drag {
    pub fn provide(live: LiveBoard) -> Drag {
        let moving = RwSignal::new(None);
        let selected = StoredValue::new(Selector::new(move || moving.get()));
        let drag = Drag { active: RwSignal::new(None), moving, selected, live };
        provide_context(drag);
        drag
    }

    /// The CSS transform that makes `item` follow the pointer while it is dragged.
    pub fn transform(self, item: Dragged) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        move || {
            // Only the dragged card goes on to read the pointer offset, so a pointer move wakes
            // one card, not the thousands on a big board.
            if !self.selected.with_value(|s| s.selected(&Some(item.clone()))) {
                return None;
            }
            self.active.with(|a| a.as_ref().map(|a| format!("translate({}px, {}px)", a.offset.0, a.offset.1)))
        }
    }

    pub fn on_down(self, item: Dragged) -> impl Fn(PointerEvent) + 'static {
        move |ev: PointerEvent| {
            if ev.button() != 0 || on_control(&ev) {
                return;
            }
            capture(&ev);
            let start = (f64::from(ev.client_x()), f64::from(ev.client_y()));
            self.active.set(Some(Active { item: item.clone(), start, offset: (0.0, 0.0), moved: false }));
        }
    }

    pub fn on_move(self) -> impl Fn(PointerEvent) + 'static {
        move |ev: PointerEvent| {
            if self.active.with_untracked(Option::is_none) {
                return;
            }
            let mut started = None;
            self.active.update(|a| {
                if let Some(a) = a.as_mut() {
                    a.offset = (f64::from(ev.client_x()) - a.start.0, f64::from(ev.client_y()) - a.start.1);
                    if !a.moved && a.offset.0.hypot(a.offset.1) > DRAG_THRESHOLD {
                        a.moved = true;
                        started = Some(a.item.clone());
                    }
                }
            });
            if started.is_some() {
                self.moving.set(started);
            }
        }
    }

    pub fn on_up(self) -> impl Fn(PointerEvent) + 'static {
        let t = use_texts();
        move |ev: PointerEvent| {
            let Some(active) = self.active.get_untracked() else { return };
            self.end();
            if !active.moved {
                return;
            }
            let Some(target) = drop_target(&ev) else { return };
            let new_group = (GroupId(random_id()), t.get_untracked().control().new_group_title.to_owned());
            let op = self.live.view().with_untracked(|board| {
                board.as_ref().and_then(|board| drop_op(board, &active.item, &target, new_group))
            });
            if let Some(op) = op {
                self.live.submit(op);
            }
        }
    }

    pub fn on_cancel(self) -> impl Fn(PointerEvent) + 'static {
        move |_| self.end()
    }

    fn end(self) {
        self.active.set(None);
        if self.moving.with_untracked(Option::is_some) {
            self.moving.set(None);
        }
    }
}

/// Presses on buttons, inputs and menus inside a card are theirs, not a drag.
fn on_control(ev: &PointerEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button, input, select, textarea, a").ok().flatten())
            .is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// Keeps receiving the pointer's events even when it leaves the card.
fn capture(ev: &PointerEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// The note, group or lane under the pointer, looking past the dragged element itself.
fn drop_target(ev: &PointerEvent) -> Option<DropTarget> {
    #[cfg(feature = "hydrate")]
    {
        use idetavle_core::board::{LaneId, NoteId};
        use wasm_bindgen::JsCast;
        let dragged = ev.current_target()?.dyn_into::<web_sys::HtmlElement>().ok()?;
        let (x, y) = (ev.client_x() as f32, ev.client_y() as f32);
        let _ = dragged.style().set_property("visibility", "hidden");
        let under = web_sys::window()?.document()?.element_from_point(x, y);
        let _ = dragged.style().remove_property("visibility");
        let el = under?.closest("[data-note-id], [data-group-id], [data-lane]").ok()??;
        if let Some(id) = el.get_attribute("data-note-id") {
            let rect = el.get_bounding_client_rect();
            // A thin strip along the top edge reorders; anywhere else on the card clusters.
            let before = f64::from(y) - rect.top() < (rect.height() * 0.25).min(BEFORE_STRIP_PX);
            return Some(DropTarget::Note { id: NoteId(id), before });
        }
        if let Some(id) = el.get_attribute("data-group-id") {
            return Some(DropTarget::Group(GroupId(id)));
        }
        el.get_attribute("data-lane").map(|l| DropTarget::Lane(LaneId(l)))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}
