//! Notes as weighted feature vectors over the board (TF-IDF): a feature most notes share says
//! little, one a few share says much. Vectors are sparse, sorted by feature id and of length 1,
//! so the cosine similarity of two notes is their dot product.

use crate::features::Feature;
use std::collections::HashMap;

/// A note's vector: (feature id, weight), sorted by id, length 1 (or empty).
pub type Vector = Vec<(u32, f32)>;

/// The board's vectors, one per note, and the feature each id stands for.
pub struct Space {
    pub vectors: Vec<Vector>,
    pub features: Vec<Feature>,
}

/// Weighs each note's features: `kind weight × (1 + ln tf) × idf`, idf = ln((N + 1) / (df + 1)) + 1.
pub fn weigh(notes: Vec<Vec<(Feature, f32)>>) -> Space {
    let mut ids: HashMap<Feature, u32> = HashMap::new();
    let mut features = Vec::new();
    // Per note: id → (count, kind weight).
    let counted: Vec<HashMap<u32, (u32, f32)>> = notes
        .into_iter()
        .map(|bag| {
            let mut counts: HashMap<u32, (u32, f32)> = HashMap::new();
            for (feature, weight) in bag {
                let next = ids.len() as u32;
                let id = *ids.entry(feature.clone()).or_insert_with(|| {
                    features.push(feature);
                    next
                });
                let entry = counts.entry(id).or_insert((0, 0.0));
                entry.0 += 1;
                entry.1 = entry.1.max(weight);
            }
            counts
        })
        .collect();
    let mut df = vec![0u32; features.len()];
    for counts in &counted {
        for id in counts.keys() {
            df[*id as usize] += 1;
        }
    }
    let n = counted.len() as f32;
    let vectors = counted
        .into_iter()
        .map(|counts| {
            let mut v: Vector = counts
                .into_iter()
                .map(|(id, (tf, kind))| {
                    let idf = ((n + 1.0) / (df[id as usize] as f32 + 1.0)).ln() + 1.0;
                    (id, kind * (1.0 + (tf as f32).ln()) * idf)
                })
                .collect();
            v.sort_unstable_by_key(|(id, _)| *id);
            normalise(&mut v);
            v
        })
        .collect();
    Space { vectors, features }
}

fn normalise(v: &mut Vector) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// The cosine similarity of two unit vectors.
pub fn cosine(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(s: &str) -> (Feature, f32) {
        (Feature::Stem(s.into()), 1.0)
    }

    #[test]
    fn shared_rare_features_make_notes_similar() {
        let space = weigh(vec![
            vec![stem("cykel"), stem("sti")],
            vec![stem("cykel"), stem("skol")],
            vec![stem("bus"), stem("skol")],
            vec![stem("bus"), stem("land")],
        ]);
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| &space.vectors[i]);
        assert!((cosine(a, a) - 1.0).abs() < 1e-5, "unit length");
        assert!(cosine(a, b) > 0.0 && cosine(a, d) == 0.0);
        assert!(cosine(c, d) > 0.0);
    }
}
