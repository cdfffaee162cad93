//! Tuning on the corpus's `dev` split: the adjusted Rand index over a grid of thresholds and
//! feature weights. `cargo run -p idetavle-suggest --release --example tune [da|en]`.

use idetavle_suggest::features::KindWeights;
use idetavle_suggest::score::adjusted_rand_index;
use idetavle_suggest::{labels, Lang, Note, Settings, Suggester};
use std::collections::HashMap;

fn main() {
    let lang = std::env::args().nth(1).unwrap_or_else(|| "da".into());
    let path = format!("{}/corpus/{lang}.tsv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the corpus");
    let rows: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut c = l.splitn(3, '\t');
            let (split, theme, text) = (c.next()?, c.next()?, c.next()?);
            (split == "dev").then_some((theme, text))
        })
        .collect();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let truth: Vec<usize> = rows
        .iter()
        .map(|(t, _)| {
            let n = ids.len();
            *ids.entry(t).or_insert(n)
        })
        .collect();
    let notes: Vec<Note> = rows.iter().map(|(_, text)| Note { text, public: true }).collect();
    let fallback = if lang == "en" { Lang::English } else { Lang::Danish };
    let suggester = Suggester::new();
    if std::env::var("TUNE_COVERAGE").is_ok() {
        use idetavle_suggest::features::{Analyzer, Feature};
        let a = Analyzer::default();
        let none = std::collections::HashSet::new();
        let mut bare = 0;
        for (theme, text) in &rows {
            let f = a.features(&a.analyse(text, fallback), &none, KindWeights::default());
            let concepts: Vec<&str> = f
                .iter()
                .filter_map(|(f, _)| if let Feature::Concept(c) = f { Some(a.concept_name(*c)) } else { None })
                .collect();
            if concepts.is_empty() {
                bare += 1;
                println!("   {theme:<24} {text}");
            }
        }
        println!("{bare} of {} notes name no concept", rows.len());
        return;
    }
    if std::env::var("TUNE_SHOW").is_ok() {
        let s = suggester.suggest(&notes, &Settings { fallback, ..Settings::default() });
        for g in &s.groups {
            println!("== {} | {:?}", g.title, g.shared);
            for &m in &g.members {
                println!("   {:<24} {}", rows[m].0, rows[m].1);
            }
        }
        return;
    }
    for share in [0.0, 0.2, 0.3, 0.4, 0.5, 0.6] {
        for grams in [0.0, 0.5] {
            let mut line = format!("concept share {share:.1} grams {grams:.1}:");
            for threshold in [0.06, 0.08, 0.10, 0.12, 0.15, 0.2, 0.25] {
                let weights = KindWeights { grams, ..KindWeights::default() };
                let settings = Settings { threshold, fallback, weights, concept_share: share, ..Settings::default() };
                let s = suggester.suggest(&notes, &settings);
                let ari = adjusted_rand_index(&truth, &labels(&s.groups, notes.len()));
                line += &format!("  t{threshold:.2} {ari:.3} ({})", s.groups.len());
            }
            println!("{line}");
        }
    }
}

/// `TUNE_SHOW=1`: the groups at the default settings, each member's theme and text.
#[allow(dead_code)]
fn show() {}
