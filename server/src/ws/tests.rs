//! One connection end to end against a real hub (memory store), with tokio's clock paused so
//! the timeouts take no real time.

use super::*;
use crate::store::{MemoryStore, Store};
use idetavle_core::board::{BoardId, Op};
use std::convert::Infallible;
use tokio::time::Instant;

/// A hub for a fresh board, and the `Connection` to serve a client of it with.
async fn connection(shutdown: watch::Receiver<bool>) -> Connection {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let record = BoardRecord {
        id: BoardId::from("b1"),
        title: "Test".into(),
        join_code: "123456".into(),
        token_hash: [0; 32],
        created_at: 0,
        expires_at: None,
    };
    store.create_board(&record).await.expect("create board");
    let hubs = Arc::new(Hubs::new(store));
    let hub = hubs.get(&record.id).await.expect("load board").expect("board exists");
    Connection { hub, hubs, shutdown, writes_per_minute: 60 }
}

/// A client that says hello, sends `then`, and after that stays silent forever.
fn client(then: Vec<Message>) -> impl Stream<Item = Result<Message, axum::Error>> + Unpin + Send + 'static {
    let hello = ClientMsg::Hello {
        protocol: PROTOCOL_VERSION,
        credential: Credential::Participant { secret: "0123456789abcdef0123456789abcdef".into() },
        last_seq: None,
        name: None,
    };
    let hello = Message::Text(serde_json::to_string(&hello).expect("hello serialises").into());
    futures_util::stream::iter(std::iter::once(hello).chain(then).map(Ok)).chain(futures_util::stream::pending())
}

/// A sink that hands every message the server sends to `out`.
fn recorder(out: mpsc::UnboundedSender<Message>) -> impl Sink<Message> + Unpin {
    Box::pin(futures_util::sink::unfold(out, |out, msg: Message| async move {
        let _ = out.send(msg);
        Ok::<_, Infallible>(out)
    }))
}

fn close_code(msg: &Message) -> Option<u16> {
    match msg {
        Message::Close(Some(frame)) => Some(frame.code),
        _ => None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_client_that_goes_quiet_is_pinged_then_closed_after_the_idle_timeout() {
    let (_shutdown_tx, shutdown) = watch::channel(false);
    let (out, mut sent) = mpsc::unbounded_channel();
    let began = Instant::now();
    let serving = serve(recorder(out), client(Vec::new()), connection(shutdown).await);
    tokio::time::timeout(IDLE_TIMEOUT * 2, serving).await.expect("the server gave up on the quiet client");
    let quiet_for = began.elapsed();

    let mut messages = Vec::new();
    while let Ok(msg) = sent.try_recv() {
        messages.push(msg);
    }
    let pings = messages.iter().filter(|m| matches!(m, Message::Ping(_))).count();
    assert!(pings >= 3, "pinged every {PING_INTERVAL:?} while quiet: {pings} pings");
    assert_eq!(messages.last().and_then(close_code), Some(CLOSE_GOING_AWAY), "closed as gone away");
    assert!(quiet_for >= IDLE_TIMEOUT && quiet_for < IDLE_TIMEOUT + PING_INTERVAL, "closed after {quiet_for:?}");
}

#[tokio::test(start_paused = true)]
async fn a_bad_frame_is_answered_and_the_connection_stays_until_the_server_shuts_down() {
    let (shutdown_tx, shutdown) = watch::channel(false);
    let (out, mut sent) = mpsc::unbounded_channel();
    let binary = Message::Binary(vec![1, 2, 3].into());
    let serving = tokio::spawn(serve(recorder(out), client(vec![binary]), connection(shutdown).await));

    let mut answered = false;
    while let Some(msg) = sent.recv().await {
        if let Message::Text(text) = &msg {
            if let Ok(ServerMsg::Error { code: ErrorCode::Malformed, .. }) = serde_json::from_str(text.as_str()) {
                answered = true;
                break;
            }
        }
    }
    assert!(answered, "the binary frame got a malformed error");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!serving.is_finished(), "the connection stays open after bad input");

    shutdown_tx.send(true).expect("the connection listens");
    serving.await.expect("serve ends");
    let mut last = None;
    while let Ok(msg) = sent.try_recv() {
        last = Some(msg);
    }
    assert_eq!(last.as_ref().and_then(close_code), Some(CLOSE_RECONNECT), "told to reconnect");
}

/// Messages the server sent, up to and including its close frame (or until it stops).
async fn until_closed(sent: &mut mpsc::UnboundedReceiver<Message>) -> Vec<Message> {
    let mut messages = Vec::new();
    while let Some(msg) = sent.recv().await {
        let closed = matches!(msg, Message::Close(_));
        messages.push(msg);
        if closed {
            break;
        }
    }
    messages
}

fn has_error(messages: &[Message], code: ErrorCode) -> bool {
    messages.iter().any(|m| match m {
        Message::Text(text) => {
            matches!(serde_json::from_str(text.as_str()), Ok(ServerMsg::Error { code: c, .. }) if c == code)
        }
        _ => false,
    })
}

#[tokio::test(start_paused = true)]
async fn a_removed_participant_is_told_so_and_closed_for_good_not_asked_to_reconnect() {
    let (_shutdown_tx, shutdown) = watch::channel(false);
    let connection = connection(shutdown).await;
    let hub = connection.hub.clone();
    let (out, mut sent) = mpsc::unbounded_channel();
    let serving = tokio::spawn(serve(recorder(out), client(Vec::new()), connection));
    tokio::time::sleep(Duration::from_secs(1)).await; // the handshake is done
    let me = crate::auth::participant_id(&hub.record.id, "0123456789abcdef0123456789abcdef").expect("id");
    let remove = Op::RemoveParticipant { participant: me };
    assert!(hub.send(Command::Op { conn: 0, actor: Actor::Facilitator, op_id: "rm".into(), op: remove }).await);
    serving.await.expect("serve ends");
    let messages = until_closed(&mut sent).await;
    assert!(has_error(&messages, ErrorCode::Removed), "told why");
    assert_eq!(messages.last().and_then(close_code), Some(CLOSE_POLICY), "closed with 1008: do not come back");

    // Coming back anyway: the same answer.
    let (out, mut sent) = mpsc::unbounded_channel();
    let (_shutdown_tx, shutdown) = watch::channel(false);
    let again = Connection {
        hub: hub.clone(),
        hubs: Arc::new(Hubs::new(Arc::new(MemoryStore::new()))),
        shutdown,
        writes_per_minute: 60,
    };
    serve(recorder(out), client(Vec::new()), again).await;
    let messages = until_closed(&mut sent).await;
    assert!(has_error(&messages, ErrorCode::Removed));
    assert_eq!(messages.last().and_then(close_code), Some(CLOSE_POLICY));
}

#[tokio::test(start_paused = true)]
async fn a_reader_whose_hub_has_stopped_asks_for_a_reconnect_with_4000_not_silence() {
    let (_shutdown_tx, shutdown) = watch::channel(false);
    let connection = connection(shutdown).await;
    let hub = connection.hub.clone();
    assert!(hub.send(Command::Close).await, "the hub stops");
    tokio::time::sleep(Duration::from_millis(10)).await;
    let (replies, mut told) = mpsc::channel(4);
    let reader = reader::Reader {
        hub,
        conn: 1,
        actor: Actor::participant("p"),
        bucket: WriteBucket::new(60),
        replies,
        closing: Default::default(),
        metrics: Default::default(),
    };
    let op = ClientMsg::Op { op_id: "o1".into(), op: Op::DeleteNote { note_id: "n1".into() } };
    let frame = Message::Text(serde_json::to_string(&op).expect("op serialises").into());
    let stream = futures_util::stream::iter([Ok(frame)]).chain(futures_util::stream::pending());
    reader.run(stream).await;
    assert!(
        matches!(told.recv().await, Some(Outgoing::Close(CLOSE_RECONNECT, _))),
        "the writer is told to close with 4000"
    );
}
