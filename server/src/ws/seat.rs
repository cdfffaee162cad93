//! A participant at a workshop's table stays only while they sit there: moved to another
//! table (or to none), their connection here is closed with `forbidden`, as a new one would
//! be refused, and their phone goes to their new table.

use super::{error, Outgoing, CLOSE_POLICY};
use crate::hub::{encode, Hubs};
use idetavle_core::protocol::ErrorCode;
use idetavle_core::workshop::TableOf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::WeakSender;

/// How often a table's participant is checked against the plenary's seating. A move takes
/// effect at the latest this long after it (their ops are the table's until then, as if they
/// had sent them just before being moved).
pub const SEAT_CHECK: Duration = Duration::from_secs(5);

pub const ELSEWHERE: &str = "you sit at another table of this workshop";

/// Closes the connection (through `replies`, the writer's queue) once the participant holding
/// `secret` no longer sits at `table`. Holds the queue weakly: the client leaving still closes it.
pub async fn watch(hubs: Arc<Hubs>, table: TableOf, secret: String, replies: WeakSender<Outgoing>) {
    let mut every = tokio::time::interval(SEAT_CHECK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.tick().await; // the handshake has just checked
    loop {
        every.tick().await;
        // `None`: the plenary cannot be read just now; look again next time.
        if crate::boards::seat_check(&hubs, &table, &secret).await != Some(false) {
            continue;
        }
        let Some(replies) = replies.upgrade() else { return };
        let _ = replies.send(Outgoing::Frame(encode(&error(ErrorCode::Forbidden, ELSEWHERE)))).await;
        let _ = replies.send(Outgoing::Close(CLOSE_POLICY, "moved to another table")).await;
        return;
    }
}
