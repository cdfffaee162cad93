//! The seating's promises over many random rooms: everyone seated once, sizes within one, no
//! single swap improves it, the same seed gives the same seating, late arrivals even out.

use super::{cost, form_tables, place_newcomer, Seating};
use crate::board::workshop::{Competences, Profile, Role};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        (super::splitmix(&mut self.0) % n.max(1) as u64) as usize
    }
}

/// A room like a municipality's: mostly citizens, a few politicians, some saying nothing,
/// competences skewed (many know "borgerinddragelse", few "data").
fn room(rng: &mut Rng, people: usize) -> Vec<Profile> {
    (0..people)
        .map(|_| {
            let role = match rng.below(20) {
                0..=9 => Some(Role::Borger),
                10 | 11 => Some(Role::Politiker),
                12..=15 => Some(Role::Medarbejder),
                16 => Some(Role::Andet),
                _ => None,
            };
            let odds = [15, 30, 25, 35, 60];
            let competences = (0..Competences::COUNT)
                .filter(|&c| rng.below(100) < odds[c])
                .fold(Competences::default(), Competences::with);
            Profile { role, competences }
        })
        .collect()
}

/// Every way one swap could make the seating better, by recomputing the cost from scratch.
fn improving_swap(people: &[Profile], seating: &Seating) -> Option<(usize, usize)> {
    let before = cost(people, seating);
    for a in 0..seating.tables.len() {
        for b in a + 1..seating.tables.len() {
            for ia in 0..seating.tables[a].len() {
                for ib in 0..seating.tables[b].len() {
                    let mut trial = seating.clone();
                    let (pa, pb) = (trial.tables[a][ia], trial.tables[b][ib]);
                    trial.tables[a][ia] = pb;
                    trial.tables[b][ib] = pa;
                    if cost(people, &trial) < before {
                        return Some((pa, pb));
                    }
                }
            }
        }
    }
    None
}

#[test]
fn everyone_is_seated_once_at_tables_within_one_of_each_other_and_no_swap_improves_it() {
    let mut rng = Rng(7);
    for case in 0..120 {
        let people = {
            let size = 1 + rng.below(60);
            room(&mut rng, size)
        };
        let tables = 1 + rng.below(10);
        let seating = form_tables(&people, tables, case);
        let mut seen: Vec<usize> = seating.tables.concat();
        seen.sort_unstable();
        assert_eq!(seen, (0..people.len()).collect::<Vec<_>>(), "case {case}: everyone once");
        assert_eq!(seating.tables.len(), tables.min(people.len()), "case {case}");
        let sizes: Vec<usize> = seating.tables.iter().map(Vec::len).collect();
        let (least, most) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(most - least <= 1, "case {case}: sizes {sizes:?}");
        assert_eq!(improving_swap(&people, &seating), None, "case {case}: a swap improves {seating:?}");
    }
}

#[test]
fn the_same_seed_gives_the_same_seating_and_another_seed_may_not() {
    let people = room(&mut Rng(3), 90);
    assert_eq!(form_tables(&people, 12, 42), form_tables(&people, 12, 42));
    let differs = (0..10).any(|seed| form_tables(&people, 12, seed) != form_tables(&people, 12, 42));
    assert!(differs, "the seed chooses among equally good seatings");
}

#[test]
fn groups_alone_are_spread_to_within_one_per_table() {
    // Without competences, a seating no swap improves has each group within one of even.
    let mut rng = Rng(11);
    for case in 0..60 {
        let people: Vec<Profile> = {
            let size = 8 + rng.below(80);
            room(&mut rng, size)
        }
        .into_iter()
        .map(|p| Profile { role: p.role, competences: Competences::default() })
        .collect();
        let tables = 2 + rng.below(8);
        let seating = form_tables(&people, tables, case);
        let equal_sizes = seating.tables.iter().all(|t| t.len() == seating.tables[0].len());
        for &role in Role::ALL {
            let counts: Vec<usize> =
                seating.tables.iter().map(|t| t.iter().filter(|&&p| people[p].role == Some(role)).count()).collect();
            let spread = counts.iter().max().unwrap() - counts.iter().min().unwrap();
            assert!(spread <= 1 || !equal_sizes && spread <= 2, "case {case}: {role:?} {counts:?}");
        }
    }
}

#[test]
fn a_politician_at_every_table_when_there_are_enough() {
    let mut people = vec![Profile { role: Some(Role::Borger), ..Profile::default() }; 90];
    people.extend(vec![Profile { role: Some(Role::Politiker), ..Profile::default() }; 15]);
    people.extend(vec![Profile { role: Some(Role::Medarbejder), ..Profile::default() }; 15]);
    let seating = form_tables(&people, 15, 1);
    for (t, members) in seating.tables.iter().enumerate() {
        let roles = |r| members.iter().filter(|&&p| people[p].role == Some(r)).count();
        assert_eq!((roles(Role::Politiker), roles(Role::Medarbejder), roles(Role::Borger)), (1, 1, 6), "table {t}");
    }
}

#[test]
fn a_late_arrival_sits_where_it_evens_things_out_most_at_a_smallest_table() {
    let mut rng = Rng(5);
    for case in 0..80 {
        let people = {
            let size = 5 + rng.below(50);
            room(&mut rng, size)
        };
        let seating = form_tables(&people, 2 + rng.below(6), case);
        let newcomer = room(&mut rng, 1)[0];
        let chosen = place_newcomer(&people, &seating, newcomer);
        let fewest = seating.tables.iter().map(Vec::len).min().unwrap();
        assert_eq!(seating.tables[chosen].len(), fewest, "case {case}: a smallest table");
        let mut everyone = people.clone();
        everyone.push(newcomer);
        let with_at = |t: usize| {
            let mut s = seating.clone();
            s.tables[t].push(people.len());
            cost(&everyone, &s)
        };
        let best = (0..seating.tables.len()).filter(|&t| seating.tables[t].len() == fewest).map(with_at).min();
        assert_eq!(Some(with_at(chosen)), best, "case {case}");
    }
}

#[test]
fn nobody_and_one_person_are_seated_too() {
    assert_eq!(form_tables(&[], 4, 0).tables, vec![Vec::<usize>::new()]);
    assert_eq!(form_tables(&[Profile::default()], 4, 0).tables, vec![vec![0]]);
    assert_eq!(place_newcomer(&[], &form_tables(&[], 3, 0), Profile::default()), 0);
}
