//! Forming tables: everyone seated, tables within one person of each other in size, and each
//! table's mix of groups and competences as close to the room's as it can be.
//!
//! **Objective.** For every table `t` and trait `a` (the four groups, the five competences),
//! the table's fair share is `total_a × size_t / N`. The cost of a seating is
//! `Σ_t Σ_a w_a × (count_{t,a} − share_{t,a})²`, with groups weighing 2 and each competence 1
//! (a table without a politician matters more than one without data skills). Kept exact in
//! integers: every term is multiplied by `N²`.
//!
//! **Algorithm.** A seeded shuffle, then the rarest groups are seated first, each person at the
//! table (with a seat left) where they add least to the cost; then *swaps*: for every pair of
//! tables, the swap of two people (of different profiles) that lowers the cost most is made,
//! until a full sweep finds none. The cost is an integer that falls with every swap, so this
//! ends, and where it ends **no single swap of two people improves the seating** (the guarantee
//! `forming_tests.rs` checks). People with the same profile are interchangeable, so a sweep
//! compares profiles, not people: cheap for 500 people.
//!
//! Deterministic: the same people, table count and seed give the same seating.

use super::Profile;

/// Weights of the traits: the four groups (bits 0–3), then the five competences.
const WEIGHTS: [i64; TRAITS] = [2, 2, 2, 2, 1, 1, 1, 1, 1];
const TRAITS: usize = 9;

/// Most tables a workshop forms.
pub const MAX_TABLES: usize = 100;

/// Who sits at which table: indices into the people as given, per table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seating {
    pub tables: Vec<Vec<usize>>,
}

/// Seats `people` at `tables` tables (clamped to 1..=people, at most [`MAX_TABLES`]).
pub fn form_tables(people: &[Profile], tables: usize, seed: u64) -> Seating {
    let n = people.len();
    let count = tables.clamp(1, MAX_TABLES).min(n.max(1));
    let sizes: Vec<usize> = (0..count).map(|t| n / count + usize::from(t < n % count)).collect();
    let mut room = Room::new(people, &sizes);
    for person in seating_order(people, seed) {
        let table = room.cheapest_open_table(people[person].traits());
        room.seat(person, people[person].traits(), table);
    }
    room.improve_by_swaps(people);
    Seating { tables: room.members }
}

/// The seating's cost under the objective (scaled by `N²`; lower is better).
pub fn cost(people: &[Profile], seating: &Seating) -> i64 {
    let sizes: Vec<usize> = seating.tables.iter().map(Vec::len).collect();
    let mut room = Room::new(people, &sizes);
    for (t, members) in seating.tables.iter().enumerate() {
        for &p in members {
            room.seat(p, people[p].traits(), t);
        }
    }
    (0..sizes.len()).map(|t| room.table_cost(t)).sum()
}

/// Where a late arrival evens things out most: among the tables with the fewest people (so
/// sizes stay within one of each other), the one whose seating costs least with them there.
pub fn place_newcomer(people: &[Profile], seating: &Seating, newcomer: Profile) -> usize {
    let fewest = seating.tables.iter().map(Vec::len).min().unwrap_or(0);
    let mut everyone = people.to_vec();
    everyone.push(newcomer);
    let mut best = (i64::MAX, 0);
    for (t, members) in seating.tables.iter().enumerate().filter(|(_, m)| m.len() == fewest) {
        let mut trial = seating.clone();
        trial.tables[t] = members.iter().copied().chain([people.len()]).collect();
        let c = cost(&everyone, &trial);
        if c < best.0 {
            best = (c, t);
        }
    }
    best.1
}

/// A seeded shuffle, then stably by how rare the person's group is (rarest first: they are
/// the hardest to spread), so the greedy start places them while every table has room.
fn seating_order(people: &[Profile], seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..people.len()).collect();
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    for i in (1..order.len()).rev() {
        let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let group_size = |p: &Profile| people.iter().filter(|q| q.role == p.role).count();
    order.sort_by_key(|&i| (people[i].role.is_none(), group_size(&people[i])));
    order
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seating being built, with each table's errors against its fair share kept up to date.
struct Room {
    n: i64,
    sizes: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// `N × count − total × size` per table and trait: `N ×` the distance from the fair share.
    errors: Vec<[i64; TRAITS]>,
}

impl Room {
    fn new(people: &[Profile], sizes: &[usize]) -> Room {
        let mut totals = [0i64; TRAITS];
        for p in people {
            add(&mut totals, p.traits(), 1);
        }
        let errors = sizes.iter().map(|&s| totals.map(|total| -total * s as i64)).collect();
        Room { n: people.len() as i64, sizes: sizes.to_vec(), members: vec![Vec::new(); sizes.len()], errors }
    }

    fn seat(&mut self, person: usize, traits: u16, table: usize) {
        self.members[table].push(person);
        add(&mut self.errors[table], traits, self.n);
    }

    fn table_cost(&self, t: usize) -> i64 {
        self.errors[t].iter().zip(WEIGHTS).map(|(e, w)| w * e * e).sum()
    }

    /// The table with a seat left where `traits` raises the cost least (the first on ties).
    fn cheapest_open_table(&self, traits: u16) -> usize {
        let mut best = (i64::MAX, 0);
        for t in (0..self.sizes.len()).filter(|&t| self.members[t].len() < self.sizes[t]) {
            let rise: i64 = (0..TRAITS)
                .filter(|&a| traits & 1 << a != 0)
                .map(|a| WEIGHTS[a] * (2 * self.errors[t][a] * self.n + self.n * self.n))
                .sum();
            if rise < best.0 {
                best = (rise, t);
            }
        }
        best.1
    }

    /// Swaps until no swap of two people between two tables lowers the cost.
    fn improve_by_swaps(&mut self, people: &[Profile]) {
        loop {
            let mut improved = false;
            for a in 0..self.members.len() {
                for b in a + 1..self.members.len() {
                    if let Some((pa, pb)) = self.best_swap(people, a, b) {
                        self.swap(people, a, pa, b, pb);
                        improved = true;
                    }
                }
            }
            if !improved {
                return;
            }
        }
    }

    /// The improving swap between tables `a` and `b` that lowers the cost most, as positions in
    /// their member lists; one person per distinct profile is enough to compare.
    fn best_swap(&self, people: &[Profile], a: usize, b: usize) -> Option<(usize, usize)> {
        let kinds = |t: usize| {
            let mut seen: Vec<(u16, usize)> = Vec::new();
            for (i, &p) in self.members[t].iter().enumerate() {
                let traits = people[p].traits();
                if !seen.iter().any(|(k, _)| *k == traits) {
                    seen.push((traits, i));
                }
            }
            seen
        };
        let (in_a, in_b) = (kinds(a), kinds(b));
        let mut best = (0i64, None);
        for &(ta, ia) in &in_a {
            for &(tb, ib) in &in_b {
                if ta == tb {
                    continue;
                }
                let delta = self.swap_delta(a, ta, b, tb);
                if delta < best.0 {
                    best = (delta, Some((ia, ib)));
                }
            }
        }
        best.1
    }

    /// How the cost changes if someone with `ta` at table `a` and someone with `tb` at `b`
    /// change places: with `d = tb − ta` per trait, `Σ w (2Nd(e_a − e_b) + 2N²d²)`.
    fn swap_delta(&self, a: usize, ta: u16, b: usize, tb: u16) -> i64 {
        (0..TRAITS)
            .map(|k| {
                let d = i64::from(tb >> k & 1) - i64::from(ta >> k & 1);
                if d == 0 {
                    0
                } else {
                    WEIGHTS[k] * (2 * self.n * d * (self.errors[a][k] - self.errors[b][k]) + 2 * self.n * self.n)
                }
            })
            .sum()
    }

    fn swap(&mut self, people: &[Profile], a: usize, ia: usize, b: usize, ib: usize) {
        let (pa, pb) = (self.members[a][ia], self.members[b][ib]);
        let (ta, tb) = (people[pa].traits(), people[pb].traits());
        self.members[a][ia] = pb;
        self.members[b][ib] = pa;
        add(&mut self.errors[a], ta, -self.n);
        add(&mut self.errors[a], tb, self.n);
        add(&mut self.errors[b], tb, -self.n);
        add(&mut self.errors[b], ta, self.n);
    }
}

fn add(errors: &mut [i64; TRAITS], traits: u16, amount: i64) {
    for (k, e) in errors.iter_mut().enumerate() {
        if traits & 1 << k != 0 {
            *e += amount;
        }
    }
}

#[cfg(test)]
#[path = "forming_tests.rs"]
mod tests;
