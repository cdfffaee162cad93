//! Fuzzing the bytes that cross the network (issue 5, item 5): mutated client messages are
//! decoded and, when they decode, applied to a board as a participant and as the facilitator
//! (then undone, redacted and replayed); mutated server messages are decoded and fed to a
//! client's `SyncState`. Nothing may panic.
//!
//! Inputs grow from the committed seed corpus (`tests/fuzz_corpus/*.jsonl`, one message a
//! line) plus a snapshot and events made at run time, by byte-level and JSON-aware mutations
//! from a seeded generator, so a failure names its seed and input number and is reproducible:
//! `FUZZ_SEED=<seed> FUZZ_INPUTS=<n> cargo test -p app --release --test fuzz`.

use app::sync::SyncState;
use idetavle_core::board::audience::Audience;
use idetavle_core::board::{Actor, Board, BoardId, Op, OpContext};
use idetavle_core::protocol::{ClientMsg, Event, ServerMsg};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING_BYTES: &[u8] = b"\0\xff\"{}[],:\\-09eE.nt \n\xc3\xa6\xf0\x9f";
const INTERESTING_TOKENS: &[&str] = &[
    "1e309",
    "-0",
    "18446744073709551616",
    "-9223372036854775809",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\u{202e}\"",
    "4294967296",
    "0.0000001",
    "-1",
];

fn corpus() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fuzz_corpus");
    let mut seeds = Vec::new();
    for file in std::fs::read_dir(&dir).expect("the committed seed corpus") {
        let text = std::fs::read_to_string(file.expect("corpus file").path()).expect("corpus text");
        seeds.extend(text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.as_bytes().to_vec()));
    }
    seeds.sort();
    seeds
}

/// A board with content, and server messages about it, to mutate.
fn runtime_seeds(client_seeds: &[Vec<u8>]) -> (Board, Vec<Vec<u8>>) {
    let mut board = Board::new(BoardId::from("fuzz"), "Fuzz".into(), "ABCDEF".into(), 0);
    let mut seeds = Vec::new();
    for (i, seed) in client_seeds.iter().enumerate() {
        if let Ok(ClientMsg::Op { op_id, op }) = serde_json::from_slice::<ClientMsg>(seed) {
            let actor = if i % 2 == 0 { Actor::participant("p1") } else { Actor::Facilitator };
            let cx = OpContext { actor: actor.clone(), at: i as i64, seq: board.seq + 1 };
            if let Ok(change) = board.apply(&cx, &op) {
                let event = Event { seq: board.seq, op_id, actor: Some(actor), at: cx.at, change, revealed: vec![] };
                seeds.push(ServerMsg::Event(event).to_json().into_bytes());
            }
        }
    }
    seeds.push(ServerMsg::Snapshot { board: board.clone() }.to_json().into_bytes());
    (board, seeds)
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    for _ in 0..=rng.below(3) {
        let len = input.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
            }
            2 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(16) + 1).min(len);
                input.drain(start..end);
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(32) + 1).min(len);
                let copy = input[start..end].to_vec();
                let at = rng.below(len);
                input.splice(at..at, copy);
            }
            4 => {
                let at = rng.below(len + 1);
                let bytes: Vec<u8> = (0..rng.below(8) + 1).map(|_| rng.next() as u8).collect();
                input.splice(at..at, bytes);
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                input.truncate(cut);
                input.extend_from_slice(&other[from..]);
            }
            6 => {
                // Replace a value after a colon with a token JSON parsers find interesting.
                let colons: Vec<usize> =
                    input.iter().enumerate().filter(|(_, b)| **b == b':').map(|(i, _)| i).collect();
                if let Some(&at) = colons.get(rng.below(colons.len())) {
                    let end = input[at + 1..]
                        .iter()
                        .position(|b| matches!(b, b',' | b'}' | b']'))
                        .map_or(len, |p| at + 1 + p);
                    let token = INTERESTING_TOKENS[rng.below(INTERESTING_TOKENS.len())].as_bytes().to_vec();
                    input.splice(at + 1..end, token);
                }
            }
            _ => {
                // Long strings and deep nesting.
                let at = rng.below(len + 1);
                let filler: Vec<u8> = match rng.below(3) {
                    0 => "æ".repeat(rng.below(400)).into_bytes(),
                    1 => "[".repeat(rng.below(200)).into_bytes(),
                    _ => "😀".repeat(rng.below(100)).into_bytes(),
                };
                input.splice(at..at, filler);
            }
        }
    }
}

/// How far inputs got.
#[derive(Default)]
struct Reach {
    json: u64,
    ops: u64,
    applied: u64,
    server_msgs: u64,
}

/// A JSON-aware mutation: keeps the message well-formed but changes values deep inside it, so
/// most inputs reach the model instead of stopping at the parser.
fn mutate_values(rng: &mut Rng, input: &[u8]) -> Option<Vec<u8>> {
    use serde_json::{json, Value};
    let mut value: Value = serde_json::from_slice(input).ok()?;
    for _ in 0..=rng.below(3) {
        let mut node = &mut value;
        // Walk down to a random place below the root, leaving message tags (`type`) alone
        // (a wrong tag only tests serde's enum dispatch, which the byte mutations already do).
        let mut depth = 0;
        loop {
            let next_key = match node {
                Value::Object(map) if depth == 0 || rng.below(5) > 0 => {
                    let keys: Vec<&String> = map.keys().filter(|k| *k != "type").collect();
                    keys.get(rng.below(keys.len())).map(|k| (*k).clone())
                }
                _ => None,
            };
            depth += 1;
            match next_key {
                Some(key) => node = node.get_mut(&key)?,
                None => break,
            }
        }
        let strings = ["n1", "n2", "n9", "g1", "g9", "need", "ideas", "trials", "", " ", "p1", "p2", "<script>", "ø"];
        let numbers = [0_i64, -1, 1, 5, 20, 21, 10_800, 10_801, i64::from(u32::MAX), i64::MIN, i64::MAX];
        // Mostly keep the value's type (so the message still decodes and reaches the model);
        // sometimes change it (so type errors are exercised too).
        let keep_type = rng.below(5) > 0;
        *node = match (&*node, keep_type) {
            (Value::String(_), true) if rng.below(4) == 0 => json!("x".repeat(rng.below(400))),
            (Value::String(_), true) => json!(strings[rng.below(strings.len())]),
            (Value::Number(_), true) if rng.below(3) == 0 => json!([1.5, -1e300, 1e300, 0.0, -0.0][rng.below(5)]),
            (Value::Number(_), true) => json!(numbers[rng.below(numbers.len())]),
            (Value::Bool(b), true) => json!(!b),
            (Value::Array(items), true) => {
                let mut items = items.clone();
                items.push(json!(strings[rng.below(strings.len())]));
                if rng.below(2) == 0 {
                    items.clear();
                }
                Value::Array(items)
            }
            (Value::Object(_), true) | (Value::Null, true) => json!({ "kind": "note", "id": "n1" }),
            _ => match rng.below(4) {
                0 => Value::Null,
                1 => json!(numbers[rng.below(numbers.len())]),
                2 => json!(strings[rng.below(strings.len())]),
                _ => json!([]),
            },
        };
    }
    serde_json::to_vec(&value).ok()
}

/// One input through everything that reads network bytes.
fn exercise(input: &[u8], board: &mut Board, client: &mut SyncState, n: u64, reach: &mut Reach) {
    if let Ok(ClientMsg::Op { op, .. }) = serde_json::from_slice::<ClientMsg>(input) {
        reach.ops += 1;
        for actor in [Actor::participant("p1"), Actor::participant("p2"), Actor::Facilitator] {
            let before = board.clone();
            let cx = OpContext { actor: actor.clone(), at: n as i64, seq: board.seq + 1 };
            if let Ok(change) = board.apply(&cx, &op) {
                reach.applied += 1;
                let _ = change
                    .redacted_for(board, &Audience::Participant(idetavle_core::board::ParticipantId("p2".into())));
                let mut replica = before.clone();
                replica.replay(cx.seq, &change);
                for inverse in before.inverse(&op).unwrap_or_default() {
                    let _ = replica
                        .clone()
                        .apply(&OpContext { actor: Actor::Facilitator, at: 0, seq: replica.seq + 1 }, &inverse);
                }
            }
        }
    }
    if let Ok(msg) = serde_json::from_slice::<ServerMsg>(input) {
        reach.server_msgs += 1;
        client.receive(msg);
        let _ = client.view();
    }
    let _ = serde_json::from_slice::<Op>(input);
}

#[test]
fn a_million_mutated_messages_cause_no_panic() {
    let inputs: u64 = std::env::var("FUZZ_INPUTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x1DE7_AB1E);
    let client_seeds = corpus();
    assert!(client_seeds.len() >= 30, "the seed corpus is committed");
    let (start_board, server_seeds) = runtime_seeds(&client_seeds);
    let seeds: Vec<Vec<u8>> = client_seeds.iter().chain(&server_seeds).cloned().collect();
    let snapshot = ServerMsg::Snapshot { board: start_board.clone() };
    let mut rng = Rng(seed);
    let (mut board, mut client) = (start_board.clone(), SyncState::default());
    client.receive(snapshot.clone());
    let started = std::time::Instant::now();
    let mut reach = Reach::default();
    for n in 0..inputs {
        if n % 2_000 == 0 {
            // Keep the board small and the client in a known state.
            board = start_board.clone();
            client = SyncState::default();
            client.receive(snapshot.clone());
        }
        let mut input = seeds[rng.below(seeds.len())].clone();
        // Half the inputs stay JSON (values changed deep inside), half are mangled bytes.
        match mutate_values(&mut rng, &input).filter(|_| n % 2 == 0) {
            Some(structured) => input = structured,
            None => mutate(&mut rng, &mut input, &seeds),
        }
        reach.json += u64::from(serde_json::from_slice::<serde_json::Value>(&input).is_ok());
        let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&input, &mut board, &mut client, n, &mut reach)));
        if outcome.is_err() {
            panic!(
                "input {n} of seed {seed} panicked: {:?}\nreproduce: FUZZ_SEED={seed} FUZZ_INPUTS={} cargo test -p app --test fuzz",
                String::from_utf8_lossy(&input),
                n + 1
            );
        }
    }
    println!(
        "fuzz: {inputs} inputs (seed {seed}) in {:.1} s, no panic: {} valid JSON, {} decoded client ops ({} applied \
         by some role), {} decoded server messages",
        started.elapsed().as_secs_f64(),
        reach.json,
        reach.ops,
        reach.applied,
        reach.server_msgs
    );
    assert!(reach.ops > inputs / 10 && reach.server_msgs > inputs / 100, "mutations still reach the model");
}
