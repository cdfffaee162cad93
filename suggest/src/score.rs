//! Standard scores of a clustering against known labels, for the corpus test and the
//! benchmark: the adjusted Rand index (pairs put together or apart as the labels do, corrected
//! for chance: 0 is random, 1 is perfect) and the V-measure (harmonic mean of homogeneity and
//! completeness, from conditional entropies).

use std::collections::HashMap;

/// How often each (true, predicted) label pair occurs, and each label alone.
struct Contingency {
    joint: HashMap<(usize, usize), f64>,
    rows: HashMap<usize, f64>,
    cols: HashMap<usize, f64>,
}

impl Contingency {
    fn of(truth: &[usize], predicted: &[usize]) -> Contingency {
        let mut c = Contingency { joint: HashMap::new(), rows: HashMap::new(), cols: HashMap::new() };
        for (t, p) in truth.iter().zip(predicted) {
            *c.joint.entry((*t, *p)).or_default() += 1.0;
            *c.rows.entry(*t).or_default() += 1.0;
            *c.cols.entry(*p).or_default() += 1.0;
        }
        c
    }
}

/// The adjusted Rand index of `predicted` against `truth` (one label per item).
pub fn adjusted_rand_index(truth: &[usize], predicted: &[usize]) -> f64 {
    let n = truth.len();
    if n < 2 {
        return 1.0;
    }
    let pairs = |x: f64| x * (x - 1.0) / 2.0;
    let Contingency { joint, rows, cols } = Contingency::of(truth, predicted);
    let index: f64 = joint.values().map(|&c| pairs(c)).sum();
    let a: f64 = rows.values().map(|&c| pairs(c)).sum();
    let b: f64 = cols.values().map(|&c| pairs(c)).sum();
    let expected = a * b / pairs(n as f64);
    let max = (a + b) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// The V-measure of `predicted` against `truth`.
pub fn v_measure(truth: &[usize], predicted: &[usize]) -> f64 {
    let h = |counts: &HashMap<usize, f64>, n: f64| -> f64 { counts.values().map(|&c| -(c / n) * (c / n).ln()).sum() };
    let n = truth.len() as f64;
    if n == 0.0 {
        return 1.0;
    }
    let Contingency { joint, rows, cols } = Contingency::of(truth, predicted);
    // H(truth | predicted) and H(predicted | truth).
    let (mut h_t_given_p, mut h_p_given_t) = (0.0, 0.0);
    for (&(t, p), &c) in &joint {
        h_t_given_p -= (c / n) * (c / cols[&p]).ln();
        h_p_given_t -= (c / n) * (c / rows[&t]).ln();
    }
    let (h_t, h_p) = (h(&rows, n), h(&cols, n));
    let homogeneity = if h_t == 0.0 { 1.0 } else { 1.0 - h_t_given_p / h_t };
    let completeness = if h_p == 0.0 { 1.0 } else { 1.0 - h_p_given_t / h_p };
    if homogeneity + completeness == 0.0 {
        return 0.0;
    }
    2.0 * homogeneity * completeness / (homogeneity + completeness)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_relabelled_clusterings_score_one() {
        let truth = [0, 0, 1, 1, 2, 2];
        assert!((adjusted_rand_index(&truth, &[5, 5, 3, 3, 9, 9]) - 1.0).abs() < 1e-9);
        assert!((v_measure(&truth, &[5, 5, 3, 3, 9, 9]) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn known_values() {
        // scikit-learn's documented examples.
        let ari = adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]);
        assert!((ari - 0.5714285714).abs() < 1e-6, "{ari}");
        let v = v_measure(&[0, 0, 1, 1], &[0, 0, 1, 2]);
        assert!((v - 0.8).abs() < 1e-6, "{v}");
        let everyone_alone = adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 2, 3]);
        assert!(everyone_alone.abs() < 1e-9, "{everyone_alone}");
    }
}
