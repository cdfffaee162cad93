//! The word lists shipped in `suggest/words/`: stop words per language and related words
//! (concepts) for municipal topics. Read once, at start.

use std::collections::{HashMap, HashSet};

/// A concept's words: single words, and phrases as their words in order.
#[derive(Debug, Default)]
pub struct Concepts {
    /// Word (stemmed) → the concepts it belongs to.
    pub by_word: HashMap<String, Vec<u32>>,
    /// Phrases (stemmed words) and their concept.
    pub phrases: Vec<(Vec<String>, u32)>,
    /// Each concept's name, by id.
    pub names: Vec<String>,
}

pub struct Lists {
    pub stop_da: HashSet<String>,
    pub stop_en: HashSet<String>,
    /// Raw lines of `related.txt`: concept name and its entries, unstemmed.
    pub related: Vec<(String, Vec<String>)>,
}

impl Lists {
    /// The lists in `suggest/words/`, compiled in.
    pub fn shipped() -> Lists {
        Lists {
            stop_da: word_set(include_str!("../words/stop-da.txt")),
            stop_en: word_set(include_str!("../words/stop-en.txt")),
            related: related(include_str!("../words/related.txt")),
        }
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn word_set(text: &str) -> HashSet<String> {
    lines(text).map(str::to_lowercase).collect()
}

fn related(text: &str) -> Vec<(String, Vec<String>)> {
    lines(text)
        .filter_map(|line| {
            let (name, entries) = line.split_once(':')?;
            let entries = entries.split(',').map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()).collect();
            Some((name.trim().to_owned(), entries))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lists_are_read() {
        let lists = Lists::shipped();
        assert!(lists.stop_da.contains("og") && lists.stop_da.contains("på"));
        assert!(lists.stop_en.contains("the"));
        let loneliness = lists.related.iter().find(|(name, _)| name == "loneliness").expect("loneliness");
        assert!(loneliness.1.iter().any(|e| e == "ingen at tale med"), "phrases kept whole");
        assert!(lists.related.len() >= 25, "{} concepts", lists.related.len());
    }
}
