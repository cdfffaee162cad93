//! What a phone has seen since its page was loaded, kept in localStorage frame by frame (the
//! frames as they came, one key each, so keeping one costs the same however long the list).
//! A page reloaded without a network comes from the service worker's cache, that is, as it was
//! last loaded; replaying these frames on it shows the board as last seen.

use super::local_storage;
use idetavle_core::board::BoardId;
use std::cell::Cell;

/// Frames kept at most: beyond them the reloaded page shows an older board (still a correct
/// one, and the connection brings the rest).
const MAX_FRAMES: u32 = 1000;

pub struct Seen {
    board: BoardId,
    /// The sequence number of the page's own board, where the frames start.
    base: u64,
    count: Cell<u32>,
}

impl Seen {
    /// Starts keeping frames for a page whose board is at `page_seq`, and answers the frames
    /// this same page saw in an earlier life (the same starting point), to be replayed.
    pub fn open(board: &BoardId, page_seq: u64) -> (Seen, Vec<String>) {
        let seen = Seen { board: board.clone(), base: page_seq, count: Cell::new(0) };
        let Some(storage) = local_storage() else { return (seen, Vec::new()) };
        let meta = storage.get_item(&seen.meta_key()).ok().flatten().unwrap_or_default();
        let (base, count) = meta
            .split_once(' ')
            .and_then(|(b, c)| Some((b.parse::<u64>().ok()?, c.parse::<u32>().ok()?)))
            .unwrap_or((u64::MAX, 0));
        if base == page_seq {
            let frames: Vec<String> =
                (0..count).filter_map(|i| storage.get_item(&seen.frame_key(i)).ok().flatten()).collect();
            seen.count.set(count);
            return (seen, frames);
        }
        for i in 0..count {
            let _ = storage.remove_item(&seen.frame_key(i));
        }
        seen.save_meta();
        (seen, Vec::new())
    }

    /// Keeps one frame (an event or a snapshot, as received).
    pub fn record(&self, frame: &str) {
        let n = self.count.get();
        let Some(storage) = local_storage().filter(|_| n < MAX_FRAMES) else { return };
        if storage.set_item(&self.frame_key(n), frame).is_ok() {
            self.count.set(n + 1);
            self.save_meta();
        }
    }

    fn save_meta(&self) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(&self.meta_key(), &format!("{} {}", self.base, self.count.get()));
        }
    }

    fn meta_key(&self) -> String {
        format!("idetavle.seen.{}", self.board)
    }

    fn frame_key(&self, i: u32) -> String {
        format!("idetavle.seen.{}.{i}", self.board)
    }
}
