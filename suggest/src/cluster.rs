//! Agglomerative clustering with average linkage: start with every note alone, join the two
//! most similar clusters (the mean similarity of all their pairs) while that is at least the
//! threshold. Average linkage, unlike single linkage, does not chain a whole board together
//! through one shared word, and a threshold (unlike a chosen k) leaves notes that resemble
//! nothing alone, which is what a facilitator wants: no group is better than a wrong one.
//!
//! The similarity matrix is kept in full (n² floats: 16 MB for 2,000 notes) with each row's
//! best neighbour cached, so a join costs O(n) unless it took someone's best neighbour.

/// Clusters of indices into `similarity`'s rows, each of at least 2, by size (largest first).
pub fn average_linkage(mut sim: Vec<Vec<f32>>, threshold: f32) -> Vec<Vec<usize>> {
    let n = sim.len();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut alive = vec![true; n];
    let mut best: Vec<Option<(usize, f32)>> = (0..n).map(|i| best_of(&sim, &alive, i)).collect();
    loop {
        let top = (0..n)
            .filter(|&i| alive[i])
            .filter_map(|i| best[i].map(|(j, s)| (i, j, s)))
            .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)));
        let Some((a, b, s)) = top else { break };
        if s < threshold {
            break;
        }
        // Join b into a; a's row becomes the size-weighted mean of both (Lance–Williams).
        let (na, nb) = (members[a].len() as f32, members[b].len() as f32);
        for k in 0..n {
            if alive[k] && k != a && k != b {
                let joined = (na * sim[a][k] + nb * sim[b][k]) / (na + nb);
                sim[a][k] = joined;
                sim[k][a] = joined;
            }
        }
        alive[b] = false;
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        for k in 0..n {
            if !alive[k] {
                continue;
            }
            let stale = k == a || best[k].is_some_and(|(j, _)| j == a || j == b);
            best[k] = match stale {
                true => best_of(&sim, &alive, k),
                // a's row changed: it may now be k's best.
                false => match best[k] {
                    Some((_, s)) if sim[k][a] <= s => best[k],
                    _ => Some((a, sim[k][a])),
                },
            };
        }
    }
    let mut clusters: Vec<Vec<usize>> = members
        .into_iter()
        .zip(alive)
        .filter(|(m, alive)| *alive && m.len() > 1)
        .map(|(mut m, _)| {
            m.sort_unstable();
            m
        })
        .collect();
    clusters.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    clusters
}

fn best_of(sim: &[Vec<f32>], alive: &[bool], i: usize) -> Option<(usize, f32)> {
    (0..sim.len())
        .filter(|&j| j != i && alive[j])
        .map(|j| (j, sim[i][j]))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(n: usize, pairs: &[(usize, usize, f32)]) -> Vec<Vec<f32>> {
        let mut m = vec![vec![0.0; n]; n];
        for (i, row) in m.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        for &(a, b, s) in pairs {
            m[a][b] = s;
            m[b][a] = s;
        }
        m
    }

    #[test]
    fn similar_notes_join_and_loners_stay_alone() {
        let m = matrix(6, &[(0, 1, 0.8), (1, 2, 0.7), (0, 2, 0.6), (3, 4, 0.5), (2, 3, 0.1)]);
        assert_eq!(average_linkage(m, 0.3), vec![vec![0, 1, 2], vec![3, 4]]);
    }

    #[test]
    fn one_shared_word_does_not_chain_everything_together() {
        // 0-1 and 2-3 are close; 1-2 alone is close, but the clusters' means are not.
        let m = matrix(4, &[(0, 1, 0.9), (2, 3, 0.9), (1, 2, 0.5)]);
        assert_eq!(average_linkage(m, 0.3), vec![vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn nothing_similar_enough_means_no_group() {
        assert!(average_linkage(matrix(3, &[(0, 1, 0.1)]), 0.3).is_empty());
        assert!(average_linkage(Vec::new(), 0.3).is_empty());
    }
}
