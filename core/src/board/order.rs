//! One way to put a list in order, shared by every list the board and the phone sort.
//!
//! Why one: each `sort_by` over its own element type and comparator compiles its own copy of
//! the standard library's sort, some 4.5 KB of WASM each, and five were on the phone's page.
//! Here the sort runs over one concrete key type only; the items follow their keys.

/// Where an item goes: by `major`, then `minor`, then `name`. Items in the same place keep
/// the order they came in (a stable sort).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'a> {
    pub major: u32,
    pub minor: f64,
    pub name: &'a str,
}

impl Place<'_> {
    /// Most votes first.
    pub fn most_votes_first(votes: u32) -> Place<'static> {
        Place { major: u32::MAX - votes, minor: 0.0, name: "" }
    }
}

/// `items` sorted by their places.
pub fn in_order<'k, T>(items: Vec<T>, place: impl Fn(&T) -> Place<'k>) -> Vec<T> {
    let mut keys: Vec<(Place<'k>, usize)> = items.iter().map(place).zip(0..).collect();
    sort_places(&mut keys);
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    keys.iter().filter_map(|(_, at)| slots.get_mut(*at).and_then(Option::take)).collect()
}

/// Not generic, so compiled once. The index makes every key distinct, so an unstable sort
/// keeps equal places in their first order.
fn sort_places(keys: &mut [(Place<'_>, usize)]) {
    keys.sort_unstable_by(|(a, i), (b, j)| {
        a.major.cmp(&b.major).then(a.minor.total_cmp(&b.minor)).then(a.name.cmp(b.name)).then(i.cmp(j))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_major_minor_name_and_keeps_ties_in_order() {
        let items =
            vec![(2, 0.5, "b", 'a'), (1, 0.7, "a", 'b'), (1, 0.7, "a", 'c'), (1, -1.0, "z", 'd'), (1, 0.7, "0", 'e')];
        let sorted = in_order(items, |&(major, minor, name, _)| Place { major, minor, name });
        let order: String = sorted.iter().map(|i| i.3).collect();
        assert_eq!(order, "debca");
    }

    #[test]
    fn most_votes_first_is_stable() {
        let votes = vec![(1, 'a'), (3, 'b'), (0, 'c'), (3, 'd'), (1, 'e')];
        let sorted = in_order(votes, |v| Place::most_votes_first(v.0));
        assert_eq!(sorted.iter().map(|v| v.1).collect::<String>(), "bdaec");
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        // A small deterministic walk over many lists with many ties.
        let mut seed = 7u64;
        for len in 0..60 {
            let items: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (((seed >> 33) % 5) as u32, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(v, _)| std::cmp::Reverse(v));
            assert_eq!(in_order(items, |&(v, _)| Place::most_votes_first(v)), expected);
        }
    }
}
