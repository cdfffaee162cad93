//! What a note is compared by: its features, each of a kind.
//! - **stems** of its words (Snowball, Danish or English by the note), stop words left out;
//! - **parts** of Danish compounds, when both halves are words of the board or of the related
//!   words ("cykelstien" → "cykel" + "sti");
//! - **concepts** from the related words ("ensom", "alene", "ingen at tale med" → loneliness);
//! - **grams**: three-letter pieces of each stem, so "bibloteket" still meets "biblioteket".
//!
//! Each kind has a weight; the bag goes on to TF-IDF (`vectors.rs`).

use crate::text::{self, Lang};
use crate::words::{Concepts, Lists};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;

/// How much each kind of feature counts (before TF-IDF). A word's grams share one weight.
#[derive(Clone, Copy, Debug)]
pub struct KindWeights {
    pub stem: f32,
    pub part: f32,
    pub concept: f32,
    pub grams: f32,
}

impl Default for KindWeights {
    fn default() -> Self {
        KindWeights { stem: 1.0, part: 0.7, concept: 1.2, grams: 0.5 }
    }
}

/// A note's words as analysed: its stems (with the word each came from) in order.
#[derive(Debug, Default)]
pub struct Analysed {
    pub lang: Option<Lang>,
    /// (stem, word as written), stop words left out.
    pub stems: Vec<(String, String)>,
}

/// Stems, stop words and concepts, ready for any number of notes.
pub struct Analyzer {
    lists: Lists,
    danish: Stemmer,
    english: Stemmer,
    concepts: Concepts,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new(Lists::shipped())
    }
}

impl Analyzer {
    pub fn new(lists: Lists) -> Analyzer {
        let danish = Stemmer::create(Algorithm::Danish);
        let english = Stemmer::create(Algorithm::English);
        let mut concepts = Concepts::default();
        for (id, (name, entries)) in lists.related.iter().enumerate() {
            let id = id as u32;
            concepts.names.push(name.clone());
            for entry in entries {
                // As in the notes, stop words are not part of a phrase ("ingen at tale med").
                let words: Vec<String> = text::words(entry)
                    .into_iter()
                    .filter(|w| !lists.stop_da.contains(w) && !lists.stop_en.contains(w))
                    .collect();
                for stemmer in [&danish, &english] {
                    let stems: Vec<String> =
                        words.iter().map(|w| stemmer.stem(&text::restore_danish_letters(w)).into_owned()).collect();
                    match stems.as_slice() {
                        [one] => add_concept(concepts.by_word.entry(one.clone()).or_default(), id),
                        [] => {}
                        _ => concepts.phrases.push((stems, id)),
                    }
                }
            }
        }
        Analyzer { lists, danish, english, concepts }
    }

    /// The note's language (by its words, else `fallback`) and its stems.
    pub fn analyse(&self, text: &str, fallback: Lang) -> Analysed {
        let words = text::words(text::without_role(text));
        let lang = text::language(&words, &self.lists, fallback);
        let (stemmer, stop) = match lang {
            Lang::Danish => (&self.danish, &self.lists.stop_da),
            Lang::English => (&self.english, &self.lists.stop_en),
        };
        let stems = words
            .into_iter()
            .map(|w| if lang == Lang::Danish { text::restore_danish_letters(&w) } else { w })
            // Two letters say nothing here ("kl", "p", "ok") and numbers are times and prices.
            .filter(|w| !stop.contains(w) && w.chars().count() > 2 && !w.chars().all(|c| c.is_ascii_digit()))
            .map(|w| (stemmer.stem(&w).into_owned(), w))
            .collect();
        Analysed { lang: Some(lang), stems }
    }

    /// The concepts a stem names: as a whole, or as the first or last part of a compound
    /// ("kørestolsbrug" starts with "kørestol", "gadelamp" ends with "lamp"), parts of at
    /// least 4 letters.
    fn concepts_in(&self, stem: &str) -> Vec<u32> {
        let mut found: Vec<u32> = self.concepts.by_word.get(stem).cloned().unwrap_or_default();
        let chars: Vec<char> = stem.chars().collect();
        for len in 4..chars.len().saturating_sub(1) {
            let head: String = chars[..len].iter().collect();
            let tail: String = chars[chars.len() - len..].iter().collect();
            for part in [head, tail] {
                for id in self.concepts.by_word.get(&part).into_iter().flatten() {
                    add_concept(&mut found, *id);
                }
            }
        }
        found
    }

    /// Every stem the concepts know, for compound splitting.
    pub fn known_stems(&self) -> impl Iterator<Item = &str> {
        self.concepts.by_word.keys().map(String::as_str)
    }

    pub fn concept_name(&self, id: u32) -> &str {
        self.concepts.names.get(id as usize).map_or("", String::as_str)
    }

    /// The note's features with their weights (a feature may repeat: TF counts it).
    pub fn features(&self, note: &Analysed, vocabulary: &HashSet<String>, w: KindWeights) -> Vec<(Feature, f32)> {
        let mut out = Vec::new();
        let concepts_of = |stem: &str, out: &mut Vec<(Feature, f32)>| {
            for id in self.concepts_in(stem) {
                out.push((Feature::Concept(id), w.concept));
            }
        };
        for (stem, _) in &note.stems {
            out.push((Feature::Stem(stem.clone()), w.stem));
            concepts_of(stem, &mut out);
            if note.lang == Some(Lang::Danish) {
                for part in compound_parts(stem, vocabulary) {
                    concepts_of(&part, &mut out);
                    out.push((Feature::Stem(part), w.part));
                }
            }
            let grams = grams(stem);
            let each = w.grams / (grams.len().max(1) as f32).sqrt();
            out.extend(grams.into_iter().map(|g| (Feature::Gram(g), each)));
        }
        let stems: Vec<&str> = note.stems.iter().map(|(s, _)| s.as_str()).collect();
        for (phrase, id) in &self.concepts.phrases {
            if stems.windows(phrase.len()).any(|window| window.iter().zip(phrase).all(|(a, b)| *a == b)) {
                out.push((Feature::Concept(*id), w.concept));
            }
        }
        out
    }
}

fn add_concept(ids: &mut Vec<u32>, id: u32) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}

/// A feature of a note.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    Stem(String),
    Concept(u32),
    Gram(String),
}

/// The halves of a Danish compound whose halves are both known (the head as a stem or a
/// word, the tail as a stem, with a linking "s" or "e" allowed): "cykelsti" → "cykel", "sti".
/// Each half at least 3 letters. The longest known head wins.
pub fn compound_parts(stem: &str, vocabulary: &HashSet<String>) -> Vec<String> {
    let chars: Vec<char> = stem.chars().collect();
    if chars.len() < 6 {
        return Vec::new();
    }
    for split in (3..=chars.len() - 3).rev() {
        let head: String = chars[..split].iter().collect();
        if !vocabulary.contains(&head) {
            continue;
        }
        for skip in [0, 1] {
            let rest = &chars[split + skip..];
            if rest.len() < 3 || (skip == 1 && !matches!(chars[split], 's' | 'e')) {
                continue;
            }
            let tail: String = rest.iter().collect();
            if vocabulary.contains(&tail) {
                return vec![head, tail];
            }
        }
    }
    Vec::new()
}

/// Three-letter pieces of a stem, with its ends marked ("^by", "by$"); none for short stems,
/// whose pieces would match everything.
fn grams(stem: &str) -> Vec<String> {
    let chars: Vec<char> = std::iter::once('^').chain(stem.chars()).chain(std::iter::once('$')).collect();
    if chars.len() < 7 {
        return Vec::new();
    }
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(words: &[&str]) -> HashSet<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn compounds_split_into_known_halves() {
        let v = vocabulary(&["cykel", "sti", "skol", "vej", "hjælp", "hjem"]);
        assert_eq!(compound_parts("cykelsti", &v), ["cykel", "sti"]);
        assert_eq!(compound_parts("skolevej", &v), ["skol", "vej"], "linking e");
        assert!(compound_parts("cykler", &v).is_empty());
        assert!(compound_parts("bibliotek", &v).is_empty());
    }

    #[test]
    fn related_words_meet_in_a_concept() {
        let a = Analyzer::default();
        let v = HashSet::new();
        let concept = |text: &str| -> Vec<u32> {
            let f = a.features(&a.analyse(text, Lang::Danish), &v, KindWeights::default());
            f.into_iter().filter_map(|(f, _)| if let Feature::Concept(id) = f { Some(id) } else { None }).collect()
        };
        let lonely = concept("jeg er så ensom");
        assert!(!lonely.is_empty(), "ensom is a concept");
        assert!(concept("der er ingen at tale med").iter().any(|c| lonely.contains(c)), "a phrase meets a word");
        assert!(concept("min mor sidder alene hele dagen").iter().any(|c| lonely.contains(c)));
        assert!(concept("lonely and nobody to talk to").iter().any(|c| lonely.contains(c)), "English too");
    }

    #[test]
    fn stop_words_and_numbers_are_left_out_and_danish_letters_restored() {
        let a = Analyzer::default();
        let n = a.analyse("Der er for faa aeldre paa 30 km vejen", Lang::Danish);
        let stems: Vec<&str> = n.stems.iter().map(|(s, _)| s.as_str()).collect();
        assert!(stems.contains(&"ældr"), "{stems:?}");
        assert!(!stems.iter().any(|s| *s == "der" || *s == "på" || *s == "30"), "{stems:?}");
    }
}
