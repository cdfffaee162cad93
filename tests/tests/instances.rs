//! Several instances of the real server on one PostgreSQL database, behind nginx round robin
//! without sticky sessions (docs/SCALING.md, docs/DEPLOY.md). Every promise of
//! docs/PROTOCOL.md holds wherever a client is connected: clients spread over the instances
//! converge under random ops; one vote each holds when a participant votes through two
//! instances at once; hidden notes stay hidden; presence, removals and deletions reach every
//! instance; an op retried through another instance is applied once; the catalogue's versions
//! conflict only where they should. The failover test
//! (`failover.rs`) kills instances in the middle of a posting storm.

mod common;

use common::*;
use idetavle_core::board::audience::Audience;
use idetavle_core::board::{Actor, Board, LaneId, Op};
use idetavle_core::protocol::{Credential, ErrorCode, ServerMsg};
use serde_json::json;
use std::time::{Duration, Instant};
use tests::support::catalogue::{call, ok, promote_group, refusal, update};
use tests::support::client::WsClient;
use tests::support::http::{create_board, delete_board};
use tests::support::instances::Instances;
use tests::support::new_secret;
use tests::support::server::EDITOR_TOKEN;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_spread_over_instances_converge_under_random_ops() {
    let room = tokio::task::block_in_place(|| Instances::start(BIN, 3));
    let board = create_board(&room.http_base(), "Tre instanser").await;
    let mut rng = Rng(7);
    // Through nginx: each connection goes to the next instance.
    let mut clients =
        vec![(facilitator(&board), WsClient::facilitator(&room.ws_base(), &board.id, &board.facilitator_token).await)];
    for _ in 0..7 {
        let secret = new_secret();
        let c = WsClient::participant(&room.ws_base(), &board.id, &secret).await;
        clients.push((Credential::Participant { secret }, c));
    }
    for step in 0..240 {
        let who = rng.below(clients.len());
        let (_, client) = &mut clients[who];
        let Some(op) = random_op(&mut rng, client, who == 0) else { continue };
        let op_id = format!("s{step}");
        client.submit(&op_id, op).await;
        // Refusals are fine (a note deleted meanwhile, no votes left); an answer is not optional.
        let _answered = answer(client, &op_id).await;
        if rng.below(10) == 0 {
            // A phone drops and comes back, through whichever instance nginx picks.
            let (credential, client) = &mut clients[who];
            let sync = client.sync.clone();
            *client = WsClient::try_join(&room.ws_base(), &board.id, credential.clone(), sync).await.expect("rejoin");
        }
    }
    let head = room_head(&room, &board).await;
    for (credential, client) in &mut clients {
        client.caught_up_to(head).await;
        // What it built event by event equals what a fresh connection is sent (from another instance).
        let fresh = WsClient::join(
            &room.instance_ws(head as usize % room.len()),
            &board.id,
            credential.clone(),
            Default::default(),
        )
        .await;
        let audience = match client.sync.me.clone().expect("welcomed") {
            Actor::Facilitator => Audience::Facilitator,
            Actor::Participant { id } => Audience::Participant(id),
            Actor::Presenter => Audience::Public,
        };
        let (built, fresh) = (client.sync.board.as_ref().expect("board"), fresh.sync.board.as_ref().expect("board"));
        assert!(built.shows_the_same(fresh, &audience), "{}", differences(built, fresh));
    }
    println!("instances: 8 clients over 3 instances converged on event {head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_vote_each_holds_when_a_participant_votes_through_two_instances_at_once() {
    let room = tokio::task::block_in_place(|| Instances::start(BIN, 2));
    let board = create_board(&room.instance_http(0), "Afstemning").await;
    let mut author = WsClient::participant(&room.instance_ws(1), &board.id, &new_secret()).await;
    for note in ["a", "b"] {
        author.post(note, note, "ideas", "Idé").await;
        author.acked(note).await;
    }
    let mut host = WsClient::facilitator(&room.instance_ws(0), &board.id, &board.facilitator_token).await;
    host.submit(
        "open",
        Op::OpenVoting { votes_per_participant: 1, allow_stacking: false, name: None, show_counts: true },
    )
    .await;
    host.acked("open").await;
    for round in 0..20 {
        let secret = new_secret();
        let mut here = WsClient::participant(&room.instance_ws(0), &board.id, &secret).await;
        let mut there = WsClient::participant(&room.instance_ws(1), &board.id, &secret).await;
        let (x, y) = (format!("x{round}"), format!("y{round}"));
        let (_, _) = tokio::join!(
            here.submit(&x, Op::Vote { note_id: "a".into() }),
            there.submit(&y, Op::Vote { note_id: "b".into() })
        );
        let answers = [answer(&mut here, &x).await, answer(&mut there, &y).await];
        assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 1, "round {round}: one of two votes ({answers:?})");
    }
    let head = room_head(&room, &board).await;
    host.caught_up_to(head).await;
    let votes: u32 = host.sync.board.as_ref().map_or(0, |b| b.notes.values().map(|n| n.votes).sum());
    assert_eq!(votes, 20, "twenty voters, twenty votes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_notes_stay_hidden_on_every_instance() {
    let room = tokio::task::block_in_place(|| Instances::start(BIN, 3));
    let board = create_board(&room.instance_http(0), "Skjult").await;
    let mut host = WsClient::facilitator(&room.instance_ws(0), &board.id, &board.facilitator_token).await;
    host.submit("hide", Op::SetHidden { lane: None, hidden: true }).await;
    host.acked("hide").await;
    let mut writer = WsClient::participant(&room.instance_ws(1), &board.id, &new_secret()).await;
    let mut neighbour = WsClient::participant(&room.instance_ws(2), &board.id, &new_secret()).await;
    let mut screen = WsClient::join(&room.instance_ws(2), &board.id, presenter(&board), Default::default()).await;
    let secret_text = "Hemmeligt forslag ⟦42⟧";
    writer.post("w1", "n1", "ideas", secret_text).await;
    let seq = writer.acked("w1").await;
    host.caught_up_to(seq).await;
    neighbour.caught_up_to(seq).await;
    screen.caught_up_to(seq).await;
    assert!(host.raw.iter().any(|f| f.contains(secret_text)), "the facilitator on another instance reads it");
    for (who, c) in [("another participant", &neighbour), ("the room's screen", &screen)] {
        assert!(!c.raw.iter().any(|f| f.contains(secret_text)), "{who} on a third instance never gets the text");
    }
    // A late joiner on the third instance, from a snapshot: still hidden.
    let late = WsClient::participant(&room.instance_ws(2), &board.id, &new_secret()).await;
    assert!(!late.raw.iter().any(|f| f.contains(secret_text)), "nor does a snapshot");
    host.submit("show", Op::SetHidden { lane: None, hidden: false }).await;
    let shown = host.acked("show").await;
    neighbour.caught_up_to(shown).await;
    assert!(neighbour.raw.iter().any(|f| f.contains(secret_text)), "revealed, it reaches everyone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_removal_retries_and_deletion_reach_every_instance() {
    let room = tokio::task::block_in_place(|| Instances::start(BIN, 3));
    let board = create_board(&room.instance_http(0), "Tilstede").await;
    let mut host = WsClient::facilitator(&room.instance_ws(0), &board.id, &board.facilitator_token).await;
    let joined = Instant::now();
    let phone_secret = new_secret();
    let mut phone = WsClient::participant(&room.instance_ws(1), &board.id, &phone_secret).await;
    let _other = WsClient::participant(&room.instance_ws(2), &board.id, &new_secret()).await;
    host.apply_until(|m| matches!(m, ServerMsg::Presence { participants: 2, .. })).await;
    let took = joined.elapsed();
    println!("instances: presence of two participants on two other instances reached the facilitator in {took:?}");
    assert!(took < Duration::from_secs(1), "presence within a second across instances ({took:?})");

    // An ack lost with instance 1: the same op again through instance 2 is answered, not applied twice.
    phone.post("p1", "n1", "ideas", "Cykelsti").await;
    let seq = phone.acked("p1").await;
    let mut sync = phone.sync.clone();
    sync.outbox.push(app::sync::Pending { op_id: "p1".into(), op: note_op("n1") });
    let credential = Credential::Participant { secret: phone_secret };
    let mut again = WsClient::try_join(&room.instance_ws(2), &board.id, credential, sync).await.expect("join");
    assert_eq!(again.acked("p1").await, seq, "the same ack through another instance");
    assert_eq!(room_head(&room, &board).await, seq, "and nothing new in the log");

    // A removal made on instance 0 closes the participant's connections on instances 1 and 2.
    let who = phone.participant_id();
    host.submit("rm", Op::RemoveParticipant { participant: who }).await;
    host.acked("rm").await;
    for c in [&mut phone, &mut again] {
        let told = told(c).await;
        assert_eq!(told, Some(ErrorCode::Removed), "the removed participant is told on its instance");
    }

    // A deletion through instance 1 reaches the facilitator on instance 0.
    delete_board(&room.instance_http(1), &board).await;
    let told = told(&mut host).await;
    assert_eq!(told, Some(ErrorCode::BoardDeleted), "the deletion reaches every instance");
}

/// Where two boards differ (a board prints long).
fn differences(built: &Board, fresh: &Board) -> String {
    let (a, b) = (serde_json::to_value(built).expect("json"), serde_json::to_value(fresh).expect("json"));
    let mut out = Vec::new();
    differ("", &a, &b, &mut out);
    format!("a client's board differs from a fresh snapshot of its view: {out:#?}")
}

fn differ(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Array(x), Array(y)) if x.len() == y.len() => {
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                differ(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (Object(x), Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let null = serde_json::Value::Null;
                differ(&format!("{path}.{key}"), x.get(key).unwrap_or(&null), y.get(key).unwrap_or(&null), out);
            }
        }
        _ if a != b => out.push(format!("{path}: built {a} / fresh {b}")),
        _ => {}
    }
}

/// The code of the next error the server sends, or `None` if it closes first.
async fn told(c: &mut WsClient) -> Option<ErrorCode> {
    loop {
        if let ServerMsg::Error { code, .. } = c.recv().await? {
            return Some(code);
        }
    }
}

fn note_op(id: &str) -> Op {
    Op::AddNote { note_id: id.into(), lane: LaneId::from("ideas"), text: "Cykelsti".into(), author_name: None }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_across_instances_conflicts_only_where_it_should() {
    let room = tokio::task::block_in_place(|| Instances::start(BIN, 2));
    let (a, b) = (room.instance_http(0), room.instance_http(1));
    let board = create_board(&a, "Katalog").await;
    let mut phone = WsClient::participant(&room.instance_ws(0), &board.id, &new_secret()).await;
    for n in ["n1", "n2"] {
        phone.post(n, n, "ideas", "Delebiler i landsbyerne").await;
        phone.acked(n).await;
    }
    let mut host = WsClient::facilitator(&room.instance_ws(1), &board.id, &board.facilitator_token).await;
    let group =
        Op::CreateGroup { group_id: "g1".into(), title: "Mobilitet".into(), note_ids: vec!["n1".into(), "n2".into()] };
    host.submit("g", group).await;
    host.acked("g").await;

    // The same group promoted through both instances at the same moment: one entry.
    let promotions = (0..6).map(|i| {
        let (base, board) = (if i % 2 == 0 { a.clone() } else { b.clone() }, board.clone());
        tokio::spawn(async move { ok(promote_group(&base, &board, "g1").await) })
    });
    let mut ids = std::collections::HashSet::new();
    for p in promotions.collect::<Vec<_>>() {
        ids.insert(p.await.expect("a promotion")["id"].to_string());
    }
    assert_eq!(ids.len(), 1, "one entry, whichever instance made it: {ids:?}");
    let id: serde_json::Value = serde_json::from_str(ids.iter().next().expect("an id")).expect("json");

    // Citizens volunteering through both instances at once: every offer counts.
    let offer = json!({ "skills": ["data"], "consent": false });
    let volunteers = (0..40).map(|i| {
        let base = if i % 2 == 0 { a.clone() } else { b.clone() };
        let args = json!({ "id": id, "offer": offer });
        tokio::spawn(async move { call(&base, "catalogue_volunteer", args).await })
    });
    for v in volunteers.collect::<Vec<_>>() {
        ok(v.await.expect("a volunteer"));
    }
    let entry = ok(call(&b, "catalogue_entry", json!({ "editor_token": EDITOR_TOKEN, "id": id })).await)[1].clone();
    assert_eq!(entry["volunteers"].as_array().map(Vec::len), Some(40), "forty volunteers, none lost to a race");

    // Two editors from the version they both saw, through different instances: the second conflicts.
    let first = update(&a, EDITOR_TOKEN, &entry, json!({ "owner": "Teknik og Miljø" })).await;
    let second = update(&b, EDITOR_TOKEN, &entry, json!({ "owner": "Kultur" })).await;
    assert!(first.get("Ok").is_some(), "{first}");
    assert_eq!(refusal(&second), "conflict", "a stale version is refused on the other instance too");
}
