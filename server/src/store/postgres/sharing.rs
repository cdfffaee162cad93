//! How instances that share the database hear of each other (docs/SCALING.md): `NOTIFY`
//! in the transaction that commits (PostgreSQL delivers it only if the commit succeeds), one
//! `LISTEN`ing connection per instance, and each instance's presence in a table.

use super::{boxed, PostgresStore, CHANNEL};
use crate::store::{Notice, PresenceShare, StoreError, PRESENCE_FRESH_MS};
use deadpool_postgres::GenericClient;
use futures_util::StreamExt;
use idetavle_core::board::BoardId;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_postgres::{AsyncMessage, NoTls};

/// How long the listener waits before connecting again after losing its connection.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// The payload of a notice: `e <seq> <board>`, `d <board>` or `p <board>` (board ids have no spaces).
pub(super) fn payload(notice: &Notice) -> String {
    match notice {
        Notice::Appended { board, seq } => format!("e {seq} {board}"),
        Notice::Deleted { board } => format!("d {board}"),
        Notice::Presence { board } => format!("p {board}"),
        Notice::Missed => "m".into(),
    }
}

fn parse(payload: &str) -> Option<Notice> {
    let board = |id: &str| BoardId(id.to_owned());
    match payload.split_once(' ')? {
        ("e", rest) => {
            let (seq, id) = rest.split_once(' ')?;
            Some(Notice::Appended { board: board(id), seq: seq.parse().ok()? })
        }
        ("d", id) => Some(Notice::Deleted { board: board(id) }),
        ("p", id) => Some(Notice::Presence { board: board(id) }),
        _ => None,
    }
}

/// Sends `notice` to every instance when (and only if) the transaction `c` is in commits.
pub(super) async fn notify(c: &impl GenericClient, notice: &Notice) -> Result<(), StoreError> {
    c.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload(notice)]).await.map_err(boxed)?;
    Ok(())
}

/// Listens for every instance's notices, for as long as the store lives, and passes them on.
/// Whenever the connection is lost, notices may have been missed: it says so ([`Notice::Missed`])
/// once listening again, and every hub catches up by sequence number.
pub(super) async fn listen(config: tokio_postgres::Config, notices: broadcast::Sender<Notice>) {
    loop {
        match listen_once(&config, &notices).await {
            Ok(()) => tracing::warn!("lost the database connection that listens for other instances"),
            Err(e) => tracing::warn!(error = %e, "could not listen for other instances"),
        }
        let _ = notices.send(Notice::Missed);
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

async fn listen_once(
    config: &tokio_postgres::Config,
    notices: &broadcast::Sender<Notice>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (heard, mut hear) = mpsc::unbounded_channel();
    // The connection must be polled for the client to work; its messages are the notices.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    let _ = heard.send(n.payload().to_owned());
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "the listening connection failed");
                    break;
                }
            }
        }
    });
    let listening = client.batch_execute(&format!("LISTEN {CHANNEL}")).await;
    if let Err(e) = listening {
        driver.abort();
        return Err(e);
    }
    let _ = notices.send(Notice::Missed);
    while let Some(payload) = hear.recv().await {
        match parse(&payload) {
            Some(notice) => {
                let _ = notices.send(notice);
            }
            None => tracing::debug!(payload, "a notice this version does not know"),
        }
    }
    drop(client);
    Ok(())
}

impl PostgresStore {
    pub(super) async fn put_presence(
        &self,
        id: &BoardId,
        instance: &str,
        share: &PresenceShare,
        changed: bool,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(boxed)?;
        if share.is_empty() {
            tx.execute("DELETE FROM presence WHERE board_id = $1 AND instance = $2", &[&id.as_str(), &instance])
                .await
                .map_err(boxed)?;
        } else {
            let body = serde_json::to_string(share).map_err(boxed)?;
            tx.execute(
                "INSERT INTO presence (board_id, instance, body, seen_at) VALUES ($1, $2, $3, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT)
                 ON CONFLICT (board_id, instance) DO UPDATE SET body = excluded.body, seen_at = excluded.seen_at",
                &[&id.as_str(), &instance, &body],
            )
            .await
            .map_err(boxed)?;
        }
        if changed {
            notify(&tx, &Notice::Presence { board: id.clone() }).await?;
        }
        tx.commit().await.map_err(boxed)
    }

    /// Deletes the shares not renewed for an hour (instances that died without withdrawing).
    pub(super) async fn clear_stale_presence(&self) -> Result<(), StoreError> {
        let sql =
            "DELETE FROM presence WHERE seen_at < (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT - 3600000";
        self.client().await?.execute(sql, &[]).await.map_err(boxed)?;
        Ok(())
    }

    /// The other instances' shares, renewed within [`PRESENCE_FRESH_MS`] by the database's
    /// clock (instances' clocks may differ).
    pub(super) async fn get_presence(&self, id: &BoardId, except: &str) -> Result<Vec<PresenceShare>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT body FROM presence WHERE board_id = $1 AND instance <> $2
                 AND seen_at > (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT - $3 ORDER BY instance",
                &[&id.as_str(), &except, &PRESENCE_FRESH_MS],
            )
            .await
            .map_err(boxed)?;
        let shares = rows.iter().filter_map(|row| serde_json::from_str(row.get::<_, &str>(0)).ok());
        Ok(shares.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_as_itself() {
        let board = BoardId("b-1_x".into());
        for notice in [
            Notice::Appended { board: board.clone(), seq: 42 },
            Notice::Deleted { board: board.clone() },
            Notice::Presence { board },
        ] {
            assert_eq!(parse(&payload(&notice)), Some(notice));
        }
        assert_eq!(parse("e x b"), None);
        assert_eq!(parse("zz"), None);
    }
}
