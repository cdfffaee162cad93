//! `/f/{board_id}/print`: the board as a handout. Print CSS makes it A4 and readable in black
//! and white; the browser's "print to PDF" gives the file.

use super::{board_resource, param, with_board};
use crate::api::{board_by_id, BoardPage};
use crate::components::{lane_layout, placed, round_title, Viewer};
use crate::i18n::{use_texts, ReactiveText};
use idetavle_core::board::BoardId;
use leptos::prelude::*;
use std::collections::HashSet;

#[component]
pub fn PrintPage() -> impl IntoView {
    let page = board_resource(
        {
            let id = param("board_id");
            move || BoardId(id())
        },
        board_by_id,
    );
    with_board(page, |page| view! { <Handout page /> }.into_any())
}

#[component]
fn Handout(page: BoardPage) -> impl IntoView {
    let t = use_texts();
    let board = page.board;
    let voted = board.voting.is_some();
    let votes = move |n: u32| {
        voted.then(|| view! { <span class="print-votes">{t.count_of(|t| t.votes_count, n as usize)}</span> })
    };
    let lanes = board
        .lanes
        .iter()
        .map(|lane| {
            let layout = lane_layout(&board, &lane.id, &HashSet::new(), Viewer::Phone(None));
            let lane = lane.clone();
            view! {
                <section class="print-lane">
                    <h2>{
                        let lane = lane.clone();
                        move || t.get().lane_title(&lane).to_owned()
                    }</h2>
                    {lane.question.clone().map(|q| view! { <p class="lane-question">{q}</p> })}
                    {layout.groups.into_iter().map(|g| view! {
                        <h3>{g.group.title.clone()} " " {votes(g.votes)}</h3>
                        <ul>{g.notes.into_iter().map(|r| view! {
                            <li>{r.note.text.clone()} " " {votes(r.note.votes)} {r.note.author_name.clone().map(|a| format!(" — {a}"))}</li>
                        }).collect_view()}</ul>
                    }).collect_view()}
                    <ul>{layout.loose.into_iter().map(|r| view! {
                        <li>{r.note.text.clone()} " " {votes(r.note.votes)} {r.note.author_name.clone().map(|a| format!(" — {a}"))}</li>
                    }).collect_view()}</ul>
                </section>
            }
        })
        .collect_view();
    // Every closed round, with every note that got votes (the handout is the record).
    let rounds = board
        .rounds
        .iter()
        .map(|round| {
            let title = round_title(t.get_untracked(), round.round, round.name.as_deref());
            let places = round
                .counts
                .iter()
                .map(|c| {
                    let placed = placed(&board, &c.note_id);
                    let votes = c.votes as usize;
                    view! {
                        <li>
                            {move || placed.text(t.get())} " "
                            <span class="print-votes">{t.count_of(|t| t.votes_count, votes)}</span>
                        </li>
                    }
                })
                .collect_view();
            let cast = round.cast as usize;
            view! {
                <section class="print-round">
                    <h2>{t.text(|t| t.control().results)} " · " {title.clone()}</h2>
                    <p class="print-meta">{t.count_of(|t| t.control().votes_cast, cast)}</p>
                    <ol>{places}</ol>
                </section>
            }
        })
        .collect_view();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        {crate::head::page_title({
            let title = board.title.clone();
            move || title.clone()
        })}
        <main class="page print-page">
            <nav class="no-print">
                <button on:click=print>{t.text(|t| t.control().print)}</button>
            </nav>
            <h1>{board.title.clone()}</h1>
            <p class="print-meta">{t.text(|t| t.control().printed_from)} " · " {board.join_code.clone()}</p>
            {lanes}
            {rounds}
        </main>
    }
    .into_any()
}
