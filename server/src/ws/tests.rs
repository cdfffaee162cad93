//! One connection end to end against a real hub (memory store), with tokio's clock paused so
//! the timeouts take no real time.

use super::*;
use crate::store::{MemoryStore, Store};
use app::board::BoardId;
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
