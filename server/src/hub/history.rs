//! The facilitator's undo/redo history of one board (in memory: a restart forgets it).

use idetavle_core::board::Op;

/// How many of the facilitator's actions can be undone.
pub const MAX_HISTORY: usize = 50;

/// One undoable action: the ops that did it and the ops that undo it.
pub struct Step {
    pub forward: Vec<Op>,
    pub backward: Vec<Op>,
}

#[derive(Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// A new action: it can be undone, and what was undone before can no longer be redone.
    pub fn record(&mut self, step: Step) {
        self.push_undo(step);
        self.redo.clear();
    }

    pub fn take_undo(&mut self) -> Option<Step> {
        self.undo.pop()
    }

    pub fn take_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }

    pub fn undone(&mut self, step: Step) {
        self.redo.push(step);
    }

    pub fn redone(&mut self, step: Step) {
        self.push_undo(step);
    }

    fn push_undo(&mut self, step: Step) {
        self.undo.push(step);
        if self.undo.len() > MAX_HISTORY {
            self.undo.remove(0);
        }
    }
}
