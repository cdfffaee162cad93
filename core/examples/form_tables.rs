//! How long forming tables takes: `cargo run --release -p idetavle-core --example form_tables`.
//! Prints, per room size, the median and slowest of 21 runs (different seeds) and the cost.

use idetavle_core::workshop::forming::{cost, form_tables};
use idetavle_core::workshop::{Competences, Profile, Role};
use std::time::Instant;

fn room(people: usize) -> Vec<Profile> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    (0..people)
        .map(|_| {
            let role = [Some(Role::Borger), Some(Role::Politiker), Some(Role::Medarbejder), Some(Role::Andet), None]
                [[0, 0, 0, 0, 0, 1, 2, 2, 3, 4][next(10) as usize]];
            let competences =
                (0..Competences::COUNT).filter(|_| next(3) == 0).fold(Competences::default(), Competences::with);
            Profile { role, competences }
        })
        .collect()
}

fn main() {
    println!("{:>7} {:>7} {:>12} {:>12}", "people", "tables", "median ms", "slowest ms");
    for (people, tables) in [(40, 5), (120, 15), (500, 63), (1000, 100)] {
        let profiles = room(people);
        let mut times: Vec<f64> = (0..21u64)
            .map(|seed| {
                let start = Instant::now();
                let seating = form_tables(&profiles, tables, seed);
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                assert!(cost(&profiles, &seating) >= 0);
                ms
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!("{people:>7} {tables:>7} {:>12.2} {:>12.2}", times[10], times[20]);
    }
}
