//! The store keeps events in the protocol's JSON form, so every change to that form must still
//! read what earlier versions wrote. Rows as protocol 3 wrote them (a note with its writer's
//! id, a removal naming the participant) load and replay as they did.

use super::*;
use crate::store::{BoardRecord, Store};
use idetavle_core::board::BoardId;
use idetavle_core::board::{NoteId, ParticipantId};

const PROTOCOL_3_ROWS: [&str; 2] = [
    r#"{"seq":1,"op_id":"o1","actor":{"role":"participant","id":"p-old"},"at":2,"change":{"type":"note_added","note":{"id":"n1","lane":"need","group":null,"rank":1.0,"text":"Gammel note","author":"p-old","author_name":null,"created_at":2,"updated_at":2,"version":1,"votes":0}}}"#,
    r#"{"seq":2,"op_id":"o2","actor":{"role":"facilitator"},"at":3,"change":{"type":"participant_removed","participant":"p-old"}}"#,
];

#[tokio::test]
async fn events_stored_before_notes_hid_their_writers_still_load() {
    let dir = std::env::temp_dir().join(format!("idetavle-compat-{}", crate::auth::new_board_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = SqliteStore::open(&dir).unwrap();
    let record = BoardRecord {
        id: BoardId::from("old"),
        title: "Fra før".into(),
        join_code: "ABCDEF".into(),
        token_hash: [1; 32],
        created_at: 1,
        expires_at: None,
    };
    store.create_board(&record).await.unwrap();
    {
        let conn = Connection::open(dir.join("idetavle.db")).unwrap();
        for (seq, body) in PROTOCOL_3_ROWS.iter().enumerate() {
            conn.execute(
                "INSERT INTO events (board_id, seq, op_id, body) VALUES ('old', ?1, ?2, ?3)",
                rusqlite::params![seq as i64 + 1, format!("o{}", seq + 1), body],
            )
            .unwrap();
        }
    }
    let board = store.load_board(&record.id).await.unwrap().unwrap().replay().unwrap();
    let writer = Some(ParticipantId::from("p-old"));
    assert_eq!(board.notes[&NoteId::from("n1")].author, writer, "the server still knows who wrote it");
    assert_eq!(board.removed, vec![ParticipantId::from("p-old")]);
    std::fs::remove_dir_all(dir).ok();
}
