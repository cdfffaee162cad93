//! Two servers' catalogues over one shared store, with reads slow enough that their
//! read-modify-writes overlap: volunteers through both are all kept; the same group promoted
//! through both makes one entry; an editor's stale version is still a conflict.

use super::*;
use crate::hub::{Command, Hubs};
use crate::store::{CatalogueStore, MemoryStore};
use idetavle_core::board::{Actor, GroupId, LaneId, Op, OpId};
use idetavle_core::catalogue::{EntryFields, VolunteerOffer};
use std::sync::atomic::Ordering;

/// One instance: its hubs, boards service and catalogue, over the shared store.
async fn instance(store: &Arc<MemoryStore>) -> (Arc<Hubs>, Arc<BoardService>, Catalogue) {
    let shared: Arc<dyn Store> = store.clone();
    let hubs = Arc::new(Hubs::new(Arc::clone(&shared)));
    let limits = crate::limits::Limits::new(Default::default());
    let boards = Arc::new(BoardService::new(Arc::clone(&hubs), limits, "http://127.0.0.1".into(), None));
    let (catalogue, _) = Catalogue::open(shared, Arc::clone(&boards), Some("editor")).await.expect("open");
    (hubs, boards, catalogue)
}

async fn send(hubs: &Hubs, board: &BoardId, actor: Actor, op_id: &str, op: Op) {
    let hub = hubs.get(board).await.expect("load").expect("board");
    let (frames, _rx) = tokio::sync::mpsc::channel(64);
    let conn = hubs.next_conn_id();
    hub.send(Command::Join { conn, actor: actor.clone(), name: None, last_seq: None, frames }).await;
    hub.send(Command::Op { conn, actor, op_id: OpId::from(op_id), op }).await;
    hub.snapshot().await; // answered after the op
}

#[tokio::test]
async fn two_instances_promote_once_keep_every_volunteer_and_still_refuse_a_stale_edit() {
    let store = Arc::new(MemoryStore::shared());
    let (hubs_a, boards_a, a) = instance(&store).await;
    let (_, _, b) = instance(&store).await;
    let created = boards_a.create("Katalog", None, 0).await.expect("board");
    let note = |id: &str| Op::AddNote {
        note_id: id.into(),
        lane: LaneId::from("ideas"),
        text: "Delebil".into(),
        author_name: None,
    };
    send(&hubs_a, &created.id, Actor::participant("p"), "o1", note("n1")).await;
    send(&hubs_a, &created.id, Actor::participant("p"), "o2", note("n2")).await;
    let group = Op::CreateGroup {
        group_id: GroupId::from("g1"),
        title: "Mobilitet".into(),
        note_ids: vec!["n1".into(), "n2".into()],
    };
    send(&hubs_a, &created.id, Actor::Facilitator, "o3", group).await;

    store.catalogue_read_delay_ms.store(30, Ordering::SeqCst);
    let source = PromoteSource::Group(GroupId::from("g1"));
    let token = &created.facilitator_token;
    let (x, y) = tokio::join!(a.promote(&created.id, token, &source), b.promote(&created.id, token, &source));
    let (x, y) = (x.expect("promoted"), y.expect("promoted"));
    assert_eq!(x.id, y.id, "one entry");
    assert_eq!(store.entries().await.expect("entries").len(), 1);

    let offer = || VolunteerOffer { skills: vec!["data".into()], ..Default::default() };
    let (v, w) = tokio::join!(a.volunteer(&x.id, offer()), b.volunteer(&x.id, offer()));
    v.expect("the first volunteer");
    w.expect("the second, whose write met the first's: made again on the newer version");
    let stored = store.entry(&x.id).await.expect("read").expect("entry");
    assert_eq!(stored.volunteers.len(), 2, "both kept");

    let editor = a.editor("editor").expect("editor");
    let fields = EntryFields { title: "Delebiler".into(), ..stored.fields.clone() };
    let (e, f) = tokio::join!(
        a.update(&editor, &x.id, stored.version, fields.clone()),
        b.update(&editor, &x.id, stored.version, fields)
    );
    assert_eq!([e.is_ok(), f.is_ok()].iter().filter(|ok| **ok).count(), 1, "one edit of the version both saw");
    assert!(matches!(e.err().or(f.err()), Some(CatalogueError::Conflict)), "the other conflicts");
}
