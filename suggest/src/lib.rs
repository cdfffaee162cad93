//! Suggested groups for a board's notes, in Danish and English, computed where the notes are:
//! no network, no model, nothing downloaded. Deterministic (same notes, same suggestions) and
//! explainable (each group says which words its notes share).
//!
//! Module map, in the order a note goes through them:
//! - [`text`]: language, words, Danish letters restored ("aeldre" → "ældre");
//! - [`words`]: the shipped lists (`suggest/words/`): stop words and related words;
//! - [`features`]: stems, compound parts, concepts, letter grams;
//! - [`vectors`]: TF-IDF over the board, cosine similarity;
//! - [`cluster`]: average-linkage clustering down to a similarity threshold;
//! - [`describe`]: a group's title and shared words;
//! - [`score`]: adjusted Rand index and V-measure, for the corpus test.
//!
//! The server runs this (`server/src/suggest.rs`); it is never in a browser bundle.

pub mod cluster;
pub mod describe;
pub mod features;
pub mod score;
pub mod text;
pub mod vectors;
pub mod words;

use features::{Analyzer, KindWeights};
use std::collections::HashSet;
pub use text::Lang;

/// One note to group.
#[derive(Clone, Copy, Debug)]
pub struct Note<'a> {
    pub text: &'a str,
    /// Whether everyone may read it. A hidden note may be grouped, but its words never make a
    /// group's title.
    pub public: bool,
}

/// How eager the suggestions are.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Join clusters while their mean similarity is at least this.
    pub threshold: f32,
    /// Two notes at least this similar, and this similar in their words alone, are flagged as
    /// saying the same thing.
    pub duplicate_threshold: f32,
    pub duplicate_words: f32,
    /// The language of a note whose words do not tell.
    pub fallback: Lang,
    /// How much of the similarity comes from shared concepts (the rest from shared words).
    pub concept_share: f32,
    pub weights: KindWeights,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.2,
            duplicate_threshold: 0.5,
            duplicate_words: 0.2,
            fallback: Lang::Danish,
            concept_share: 0.4,
            weights: KindWeights::default(),
        }
    }
}

/// A suggested group: indices into the notes given, a proposed title and the words its notes share.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub members: Vec<usize>,
    pub title: String,
    pub shared: Vec<String>,
}

/// Two notes that say nearly the same.
#[derive(Clone, Debug, PartialEq)]
pub struct Duplicate {
    pub a: usize,
    pub b: usize,
    pub similarity: f32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Suggestions {
    pub groups: Vec<Group>,
    pub duplicates: Vec<Duplicate>,
}

/// Builds its stemmers and lists once; then suggests for any number of boards.
#[derive(Default)]
pub struct Suggester {
    analyzer: Analyzer,
}

impl Suggester {
    pub fn new() -> Suggester {
        Suggester::default()
    }

    pub fn suggest(&self, notes: &[Note<'_>], settings: &Settings) -> Suggestions {
        let analysed: Vec<_> = notes.iter().map(|n| self.analyzer.analyse(n.text, settings.fallback)).collect();
        let mut vocabulary: HashSet<String> = self.analyzer.known_stems().map(str::to_owned).collect();
        for note in &analysed {
            vocabulary.extend(note.stems.iter().filter(|(s, _)| s.chars().count() >= 3).map(|(s, _)| s.clone()));
        }
        let bags: Vec<_> = analysed.iter().map(|a| self.analyzer.features(a, &vocabulary, settings.weights)).collect();
        // Two channels, each of unit length: the words themselves, and the concepts they name.
        // Apart, a note's one concept is not drowned by its other words.
        let (concept_bags, word_bags): (Vec<_>, Vec<_>) = bags
            .into_iter()
            .map(|bag| bag.into_iter().partition::<Vec<_>, _>(|(f, _)| matches!(f, features::Feature::Concept(_))))
            .unzip();
        let space = vectors::weigh(word_bags);
        let concepts = vectors::weigh(concept_bags);
        let mix = settings.concept_share;
        let n = notes.len();
        let mut sim = vec![vec![0.0f32; n]; n];
        let mut duplicates = Vec::new();
        #[allow(clippy::needless_range_loop)] // a symmetric matrix: both halves at once
        for i in 0..n {
            sim[i][i] = 1.0;
            for j in i + 1..n {
                let words = vectors::cosine(&space.vectors[i], &space.vectors[j]);
                let s = (1.0 - mix) * words + mix * vectors::cosine(&concepts.vectors[i], &concepts.vectors[j]);
                sim[i][j] = s;
                sim[j][i] = s;
                // Naming one concept is not saying the same thing: a duplicate shares words too.
                if s >= settings.duplicate_threshold && words >= settings.duplicate_words {
                    duplicates.push(Duplicate { a: i, b: j, similarity: s });
                }
            }
        }
        duplicates.sort_by(|x, y| y.similarity.total_cmp(&x.similarity).then((x.a, x.b).cmp(&(y.a, y.b))));
        let public: Vec<bool> = notes.iter().map(|n| n.public).collect();
        let groups = cluster::average_linkage(sim, settings.threshold)
            .into_iter()
            .map(|members| {
                let (title, shared) = describe::describe(&members, &analysed, &space, &public);
                Group { members, title, shared }
            })
            .collect();
        Suggestions { groups, duplicates }
    }
}

/// Each note's cluster label for scoring: its group's index, or a label of its own.
pub fn labels(groups: &[Group], notes: usize) -> Vec<usize> {
    let mut labels: Vec<usize> = (0..notes).map(|i| groups.len() + i).collect();
    for (g, group) in groups.iter().enumerate() {
        for &m in &group.members {
            labels[m] = g;
        }
    }
    labels
}

#[cfg(test)]
mod tests;
