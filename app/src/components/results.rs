//! A closed voting round's results: the ranking overall and per lane. Shown while the spotlight
//! is on the round (closing a round puts it there), on the presentation and the control view.

use super::catalogue::PromoteButton;
use super::controls_shown;
use crate::i18n::{use_texts, ReactiveText, Texts};
use crate::sync::LiveBoard;
use idetavle_core::board::{Board, Lane, NoteId, NoteVotes, Op, RoundResult, Spotlight};
use idetavle_core::catalogue::PromoteSource;
use leptos::prelude::*;

/// Places shown overall and per lane.
pub const TOP_OVERALL: usize = 5;
pub const TOP_PER_LANE: usize = 3;

/// One ranked note as the screen may show it.
#[derive(Debug, Clone, PartialEq)]
pub enum Placed {
    Text(String),
    /// In a lane still hidden from this screen.
    Hidden,
    /// Deleted since the round closed (its count stays, its text is gone).
    Deleted,
}

/// One note's place in a ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub note: NoteId,
    pub placed: Placed,
    pub votes: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub round: u32,
    pub name: Option<String>,
    pub cast: u32,
    pub overall: Vec<Place>,
    pub lanes: Vec<(Lane, Vec<Place>)>,
}

/// A ranked note as this screen may show it.
pub fn placed(board: &Board, id: &NoteId) -> Placed {
    match board.notes.get(id) {
        Some(n) if n.masked || board.is_hidden(&n.lane) => Placed::Hidden,
        Some(n) => Placed::Text(n.text.clone()),
        None => Placed::Deleted,
    }
}

impl Placed {
    pub fn text(&self, t: &Texts) -> String {
        match self {
            Placed::Text(text) => text.clone(),
            Placed::Hidden => t.control().hidden_note.to_owned(),
            Placed::Deleted => t.control().deleted_note.to_owned(),
        }
    }
}

/// The ranking of `result` on `board` as this screen sees it.
pub fn ranking(board: &Board, result: &RoundResult) -> Ranking {
    let place = |c: &NoteVotes| Place { note: c.note_id.clone(), placed: placed(board, &c.note_id), votes: c.votes };
    let overall = result.counts.iter().take(TOP_OVERALL).map(place).collect();
    let lanes = board
        .lanes
        .iter()
        .map(|lane| {
            let top = result
                .counts
                .iter()
                .filter(|c| board.notes.get(&c.note_id).is_some_and(|n| n.lane == lane.id))
                .take(TOP_PER_LANE)
                .map(place)
                .collect();
            (lane.clone(), top)
        })
        .collect();
    Ranking { round: result.round, name: result.name.clone(), cast: result.cast, overall, lanes }
}

/// "Runde 2: Hvad haster mest?"
pub fn round_title(t: &Texts, round: u32, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{} {round}: {name}", t.control().round_label),
        None => format!("{} {round}", t.control().round_label),
    }
}

#[component]
pub fn ResultsPanel(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let controls = controls_shown(live);
    let shown = Memo::new(move |_| {
        live.with_board(|b| match b.spotlight {
            Some(Spotlight::Results { round }) => b.rounds.iter().find(|r| r.round == round).map(|r| ranking(b, r)),
            _ => None,
        })
        .flatten()
    });
    move || {
        shown.get().map(|r| {
            let title = round_title(t.get(), r.round, r.name.as_deref());
            view! {
                <section class="results" aria-label={t.text(|t| t.control().results)}>
                    <header class="results-header">
                        <h2>{t.text(|t| t.control().results)} " · " {title.clone()}</h2>
                        <p class="votes-cast">{move || t.get().count(t.get().control().votes_cast, r.cast as usize)}</p>
                        <Show when=controls>
                            <button class="clear-spotlight secondary"
                                on:click=move |_| live.submit(Op::SetSpotlight { target: None })>
                                {t.text(|t| t.control().back_to_board)}
                            </button>
                        </Show>
                    </header>
                    <div class="results-body">
                        <section class="results-overall">
                            <h3>{t.text(|t| t.control().results_overall)}</h3>
                            <Places live places=r.overall />
                        </section>
                        {r.lanes.into_iter().map(|(lane, places)| {
                            let id = lane.id.to_string();
                            view! {
                                <section class="results-lane" data-lane=id>
                                    <h3>{move || t.get().lane_title(&lane).to_owned()}</h3>
                                    <Places live places />
                                </section>
                            }
                        }).collect_view()}
                    </div>
                </section>
            }
        })
    }
}

/// The places; in the facilitator's controls each readable note can go to the catalogue.
#[component]
fn Places(live: LiveBoard, places: Vec<Place>) -> impl IntoView {
    let t = use_texts();
    let controls = controls_shown(live);
    view! {
        <ol class="places">
            {places.into_iter().map(|Place { note, placed, votes }| {
                let promotable = matches!(placed, Placed::Text(_));
                let text = move || placed.text(t.get());
                let promote = live.board_id().filter(|_| promotable && controls()).map(|board| {
                    view! { <PromoteButton board source=PromoteSource::Note(note.clone()) /> }
                });
                view! {
                    <li class="place">
                        <span class="place-votes">{t.count_of(|t| t.votes_count, votes as usize)}</span>
                        <span class="place-text">{text}</span>
                        {promote}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{Actor, BoardId, OpContext};

    #[test]
    fn the_ranking_shows_what_this_screen_may_see() {
        let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        let mut apply = |actor: Actor, op: Op| {
            let cx = OpContext { actor, at: 0, seq: b.seq + 1 };
            b.apply(&cx, &op).unwrap();
        };
        for (id, lane) in [("a", "need"), ("b", "ideas"), ("c", "ideas")] {
            let add = Op::AddNote { note_id: id.into(), lane: lane.into(), text: id.into(), author_name: None };
            apply(Actor::participant("ann"), add);
        }
        apply(Actor::Facilitator, Op::open_voting(4, true));
        for id in ["b", "b", "c", "a"] {
            apply(Actor::participant("bo"), Op::Vote { note_id: id.into() });
        }
        apply(Actor::Facilitator, Op::CloseVoting {});
        apply(Actor::Facilitator, Op::DeleteNote { note_id: "c".into() });
        apply(Actor::Facilitator, Op::SetHidden { lane: Some("need".into()), hidden: true });
        let r = ranking(&b, &b.rounds[0]);
        let places = |list: &[Place]| list.iter().map(|p| (p.placed.clone(), p.votes)).collect::<Vec<_>>();
        assert_eq!(
            places(&r.overall),
            [(Placed::Text("b".into()), 2), (Placed::Hidden, 1), (Placed::Deleted, 1)],
            "ties in board order"
        );
        assert_eq!(places(&r.lanes[0].1), [(Placed::Hidden, 1)], "need");
        assert_eq!(places(&r.lanes[1].1), [(Placed::Text("b".into()), 2)], "ideas: the deleted note has no lane");
        assert_eq!(r.overall[0].note.as_str(), "b");
        assert_eq!(r.cast, 4);
    }
}
