//! Suggested groups for a board, from its notes as the facilitator sees them: per lane (groups
//! never span lanes), grouped notes left out unless asked for, hidden lanes' notes grouped but
//! never named after (`idetavle-suggest` builds titles from public notes only).

use app::api::suggest::{DuplicateSuggestion, GroupSuggestion, SuggestRequest, Suggested};
use idetavle_core::board::Board;
use idetavle_suggest::{Lang, Note, Settings, Suggester};
use std::sync::OnceLock;

/// The stemmers and word lists, built on first use.
fn suggester() -> &'static Suggester {
    static SUGGESTER: OnceLock<Suggester> = OnceLock::new();
    SUGGESTER.get_or_init(Suggester::new)
}

/// The suggestions for `board` (pure; a few ms for 100 notes, see BENCHMARKS.md).
pub fn suggestions(board: &Board, request: &SuggestRequest) -> Suggested {
    let mut out = Suggested::default();
    let settings = Settings { fallback: Lang::Danish, ..Settings::default() };
    for lane in board.lanes.iter().filter(|l| request.lane.as_ref().is_none_or(|wanted| *wanted == l.id)) {
        let notes: Vec<_> = board
            .notes
            .values()
            .filter(|n| n.lane == lane.id && (request.include_grouped || n.group.is_none()))
            .collect();
        let input: Vec<Note> = notes.iter().map(|n| Note { text: &n.text, public: !lane.hidden }).collect();
        let found = suggester().suggest(&input, &settings);
        let pair = |a: usize, b: usize| [notes[a].id.clone(), notes[b].id.clone()];
        // A pair inside one suggested group is flagged there; only the others stand alone.
        let (inside, apart): (Vec<_>, Vec<_>) = found
            .duplicates
            .into_iter()
            .partition(|d| found.groups.iter().any(|g| g.members.contains(&d.a) && g.members.contains(&d.b)));
        out.groups.extend(found.groups.into_iter().map(|g| GroupSuggestion {
            lane: lane.id.clone(),
            note_ids: g.members.iter().map(|&i| notes[i].id.clone()).collect(),
            near_duplicates: inside.iter().filter(|d| g.members.contains(&d.a)).map(|d| pair(d.a, d.b)).collect(),
            title: g.title,
            shared: g.shared,
        }));
        out.duplicates
            .extend(apart.into_iter().map(|d| DuplicateSuggestion { lane: lane.id.clone(), note_ids: pair(d.a, d.b) }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{Actor, BoardId, LaneId, Op, OpContext};

    fn apply(board: &mut Board, actor: Actor, op: Op) {
        let cx = OpContext { actor, at: 0, seq: board.seq + 1 };
        board.apply(&cx, &op).expect("apply");
    }

    fn board(notes: &[(&str, &str)]) -> Board {
        let mut board = Board::new(BoardId::from("b"), "Tavle".into(), "ABCDEF".into(), 0);
        for (i, (lane, text)) in notes.iter().enumerate() {
            let (note_id, lane, text) = (format!("n{i}").as_str().into(), LaneId::from(*lane), (*text).into());
            apply(&mut board, Actor::participant("p"), Op::AddNote { note_id, lane, text, author_name: None });
        }
        board
    }

    #[test]
    fn groups_stay_in_their_lane_and_grouped_notes_are_left_alone() {
        let mut b = board(&[
            ("ideas", "flere cykelstier til skolen"),
            ("ideas", "cykelstien ved skolen"),
            ("need", "cykelsti til skolen mangler"),
            ("ideas", "sikker cykelsti til skolen"),
        ]);
        let all = suggestions(&b, &SuggestRequest { lane: None, include_grouped: false });
        assert_eq!(all.groups.len(), 1, "{all:?}");
        assert_eq!(all.groups[0].note_ids, ["n0".into(), "n1".into(), "n3".into()]);
        let group =
            Op::CreateGroup { group_id: "g".into(), title: "x".into(), note_ids: vec!["n0".into(), "n1".into()] };
        apply(&mut b, Actor::Facilitator, group);
        let ideas = Some(LaneId::from("ideas"));
        let left = suggestions(&b, &SuggestRequest { lane: ideas.clone(), include_grouped: false });
        assert!(left.groups.is_empty(), "one ungrouped note left: {left:?}");
        let again = suggestions(&b, &SuggestRequest { lane: ideas, include_grouped: true });
        assert_eq!(again.groups.len(), 1);
    }

    #[test]
    fn a_hidden_lanes_notes_are_grouped_but_name_nothing() {
        let mut b = board(&[
            ("ideas", "hemmelig plan: skraldespande med sensor"),
            ("ideas", "skraldespande med sensor i parken"),
            ("ideas", "sensor i skraldespande så de tømmes til tiden"),
        ]);
        apply(&mut b, Actor::Facilitator, Op::SetHidden { lane: Some(LaneId::from("ideas")), hidden: true });
        let s = suggestions(&b, &SuggestRequest { lane: None, include_grouped: false });
        assert_eq!(s.groups.len(), 1, "{s:?}");
        assert_eq!(s.groups[0].title, "", "no word of a hidden note in a title the room may see");
    }
}
