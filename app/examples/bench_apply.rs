//! How long one facilitator move takes on a big board: `cargo run --release -p app --example bench_apply`.
//!
//! Prints figures (no assertions): the server's `Board::apply`, the per-viewer work the hub adds
//! (redaction + JSON), and a screen's `replay` plus re-layout of the lane it shows.

use app::components::{lane_layout, Viewer};
use idetavle_core::board::audience::{revealed_by, Audience};
use idetavle_core::board::{Actor, Board, BoardId, Change, Op, OpContext};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const NOTES: usize = 1_000;
const MOVES: usize = 5_000;
const LANES: [&str; 3] = ["need", "ideas", "trials"];

fn board() -> Board {
    let mut b = Board::new(BoardId::from("bench"), "Bench".into(), "BENCH2".into(), 0);
    for i in 0..NOTES {
        let cx = OpContext { actor: Actor::participant(&format!("p{}", i % 200)), at: 0, seq: b.seq + 1 };
        let text = format!("Idé nummer {i}: flere grønne områder, bedre cykelstier og længere åbningstider");
        let op = Op::AddNote {
            note_id: format!("n{i}").as_str().into(),
            lane: LANES[i % 3].into(),
            text,
            author_name: None,
        };
        b.apply(&cx, &op).expect("add");
    }
    for g in 0..50 {
        let cx = OpContext { actor: Actor::Facilitator, at: 0, seq: b.seq + 1 };
        let ids = vec![format!("n{}", g * 6).as_str().into(), format!("n{}", g * 6 + 3).as_str().into()];
        b.apply(
            &cx,
            &Op::CreateGroup { group_id: format!("g{g}").as_str().into(), title: "Gruppe".into(), note_ids: ids },
        )
        .expect("group");
    }
    b
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    println!(
        "{what:<52} mean {mean:>9.2?}  p50 {:>9.2?}  p99 {:>9.2?}  max {:>9.2?}",
        pct(0.5),
        pct(0.99),
        samples[samples.len() - 1]
    );
}

fn main() {
    let mut server = board();
    let mut screen = server.view_for(&Audience::Facilitator);
    println!("board: {} notes, {} groups; {MOVES} moves", server.notes.len(), server.groups.len());
    let (mut apply, mut hub, mut client) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..MOVES {
        let note = format!("n{}", (i * 7919) % NOTES);
        let lane = LANES[i % 3];
        let op =
            Op::MoveNote { note_id: note.as_str().into(), lane: lane.into(), group: None, rank: Some(i as f64 / 3.0) };
        let cx = OpContext { actor: Actor::Facilitator, at: i as i64, seq: server.seq + 1 };

        let t = Instant::now();
        let change: Change = server.apply(&cx, &op).expect("move");
        apply.push(t.elapsed());

        let t = Instant::now();
        let facilitator = serde_json::to_string(&change.redacted_for(&server, &Audience::Facilitator)).expect("json");
        let others = serde_json::to_string(&change.redacted_for(&server, &Audience::Public)).expect("json");
        let revealed = revealed_by(&change, &server);
        std::hint::black_box((facilitator, others, revealed));
        hub.push(t.elapsed());

        let t = Instant::now();
        screen.replay(cx.seq, &change);
        let layout = lane_layout(&screen, &lane.into(), &HashSet::new(), Viewer::Projector);
        std::hint::black_box(layout);
        client.push(t.elapsed());
    }
    report("server: Board::apply(MoveNote)", apply);
    report("server: redact + serialise for 2 audiences", hub);
    report("screen: replay + lay out the target lane", client);
}
