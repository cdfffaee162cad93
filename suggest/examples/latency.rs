//! How long suggestions take for boards of 100, 500 and 2,000 notes (target: under 200 ms for
//! 500 on the 2-core test machine). The notes are the corpus's, repeated with a number added
//! where a board needs more. `cargo run -p idetavle-suggest --release --example latency`.

use idetavle_suggest::{Note, Settings, Suggester};
use std::time::Instant;

fn main() {
    let da = include_str!("../corpus/da.tsv");
    let texts: Vec<&str> =
        da.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.splitn(3, '\t').nth(2)).collect();
    let suggester = Suggester::new();
    for n in [100, 500, 2000] {
        let board: Vec<String> = (0..n)
            .map(|i| match i < texts.len() {
                true => texts[i].to_owned(),
                false => format!("{} {}", texts[i % texts.len()], i / texts.len()),
            })
            .collect();
        let notes: Vec<Note> = board.iter().map(|text| Note { text, public: true }).collect();
        let mut times = Vec::new();
        let mut groups = 0;
        for _ in 0..5 {
            let start = Instant::now();
            groups = suggester.suggest(&notes, &Settings::default()).groups.len();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "[suggest latency] {n:>5} notes: median {:.1} ms, slowest {:.1} ms of 5 runs ({groups} groups)",
            times[2], times[4]
        );
    }
}
