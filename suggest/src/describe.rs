//! What a suggested group is called and why: its title is its most telling words (the stems
//! and concepts that weigh most across its notes, each shown as its members most often wrote
//! it), and its shared words are those at least half its notes use.

use crate::features::Analysed;
use crate::features::Feature;
use crate::vectors::{Space, Vector};
use std::collections::HashMap;

/// Most words in a title.
const TITLE_WORDS: usize = 3;

/// The title and the shared words of the notes `members` (indices into `notes`), using only
/// the notes for which `public` is true for the title: a hidden note's words must not reach
/// the room through a group's name. Empty title if no member is public.
pub fn describe(members: &[usize], notes: &[Analysed], space: &Space, public: &[bool]) -> (String, Vec<String>) {
    let shown: Vec<usize> = members.iter().copied().filter(|&i| public.get(i).copied().unwrap_or(false)).collect();
    let title = title(&shown, notes, space);
    let shared = shared_words(members, notes);
    (title, shared)
}

fn title(members: &[usize], notes: &[Analysed], space: &Space) -> String {
    let mut weight: HashMap<u32, f32> = HashMap::new();
    for &i in members {
        let v: &Vector = &space.vectors[i];
        for &(id, w) in v {
            if let Feature::Stem(_) = space.features[id as usize] {
                *weight.entry(id).or_default() += w;
            }
        }
    }
    let mut ranked: Vec<(u32, f32)> = weight.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut words: Vec<String> = Vec::new();
    for (id, _) in ranked {
        let Feature::Stem(stem) = &space.features[id as usize] else { continue };
        let Some(word) = written_as(stem, members, notes) else { continue };
        // One word once, however it was spelt: "biblioteket" and "bibloteket" are one word.
        let taken = words.iter().any(|w| {
            let w = w.to_lowercase();
            w.starts_with(stem.as_str()) || stem.starts_with(w.as_str()) || nearly(&w, &word)
        });
        if !taken {
            words.push(word);
        }
        if words.len() == TITLE_WORDS {
            break;
        }
    }
    let mut title = words.join(", ");
    if let Some(first) = title.chars().next() {
        title = first.to_uppercase().chain(title.chars().skip(1)).collect();
    }
    title
}

/// Two words at most two edits apart (insert, delete, replace), the longer of at least 6
/// letters: a misspelling rather than another word.
fn nearly(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().max(b.len()) < 6 || a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()] <= 2
}

/// The word the members most often wrote for `stem` (the shortest on a tie).
fn written_as(stem: &str, members: &[usize], notes: &[Analysed]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &i in members {
        for (s, word) in &notes[i].stems {
            if s == stem {
                *counts.entry(word.as_str()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.len().cmp(&a.0.len())).then(b.0.cmp(a.0)))
        .map(|(w, _)| w.to_owned())
}

/// Words (as written most often) whose stem at least half the members use, most used first.
fn shared_words(members: &[usize], notes: &[Analysed]) -> Vec<String> {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for &i in members {
        let mut seen: Vec<&str> = notes[i].stems.iter().map(|(s, _)| s.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        for s in seen {
            *uses.entry(s).or_default() += 1;
        }
    }
    let mut shared: Vec<(&str, usize)> = uses.into_iter().filter(|(_, n)| n * 2 >= members.len() && *n >= 2).collect();
    shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    shared.into_iter().filter_map(|(stem, _)| written_as(stem, members, notes)).take(6).collect()
}

#[cfg(test)]
mod tests {
    use super::nearly;

    #[test]
    fn misspellings_are_nearly_the_same_word() {
        assert!(nearly("biblioteket", "bibloteket"));
        assert!(nearly("cykelstien", "cykelstierne"));
        assert!(!nearly("bus", "bud"), "short words are words");
        assert!(!nearly("biblioteket", "busserne"));
    }
}
