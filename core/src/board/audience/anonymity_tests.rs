//! Anonymous means anonymous (issue 21): nothing a participant receives links two notes to
//! one writer beyond the name they chose to sign with.

use super::*;
use crate::board::{Actor, BoardId, NoteId, Op, OpContext};

fn board() -> Board {
    Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0)
}

fn apply(b: &mut Board, actor: Actor, op: Op) -> Change {
    let cx = OpContext { actor, at: 5, seq: b.seq + 1 };
    b.apply(&cx, &op).unwrap()
}

fn add(id: &str, text: &str, name: Option<&str>) -> Op {
    Op::AddNote { note_id: id.into(), lane: "need".into(), text: text.into(), author_name: name.map(Into::into) }
}

/// The note as JSON without what differs between any two notes anyway.
fn fingerprint(note: &Note) -> serde_json::Value {
    let mut json = serde_json::to_value(note).unwrap();
    let fields = json.as_object_mut().unwrap();
    for varying in ["id", "text", "author_name", "rank", "created_at", "updated_at"] {
        fields.remove(varying);
    }
    json
}

#[test]
fn a_signed_and_an_anonymous_note_by_one_writer_cannot_be_linked() {
    let mut server = board();
    let ase = Actor::participant("ase-0001");
    let signed = apply(&mut server, ase.clone(), add("n1", "Vi mangler bænke", Some("Åse")));
    let anonymous = apply(&mut server, ase, add("n2", "Min leder lytter ikke", None));
    apply(&mut server, Actor::participant("cem-0003"), add("n3", "Cems note", None));

    for viewer in [Audience::Participant("bob-0002".into()), Audience::Public, Audience::Facilitator] {
        for change in [&signed, &anonymous] {
            let json = serde_json::to_string(&change.redacted_for(&server, &viewer)).unwrap();
            assert!(!json.contains("ase-0001"), "{viewer:?} receives the writer's id: {json}");
        }
        let view = server.view_for(&viewer);
        assert!(!serde_json::to_string(&view).unwrap().contains("ase-0001"), "{viewer:?}'s snapshot");
        let [a, b, c] = ["n1", "n2", "n3"].map(|id| fingerprint(&view.notes[&NoteId::from(id)]));
        assert_eq!(a, b, "{viewer:?}: Åse's two notes differ in more than their text and name");
        assert_eq!(b, c, "{viewer:?}: Åse's anonymous note differs from Cem's");
    }

    // Åse herself sees both as hers, and still not by id.
    let own = Audience::Participant("ase-0001".into());
    let view = server.view_for(&own);
    assert!(view.notes[&NoteId::from("n1")].mine && view.notes[&NoteId::from("n2")].mine);
    assert!(!view.notes[&NoteId::from("n3")].mine);
    assert!(view.notes.values().all(|n| n.author.is_none()));
    let change = anonymous.redacted_for(&server, &own);
    assert!(matches!(&change, Change::NoteAdded { note } if note.mine && note.author.is_none()));
}

#[test]
fn the_facilitator_sees_who_wrote_what_only_while_the_board_shows_it() {
    let mut server = board();
    apply(&mut server, Actor::participant("ase-0001"), add("n1", "x", None));
    let mut facilitators = server.view_for(&Audience::Facilitator);
    assert_eq!(facilitators.notes[&NoteId::from("n1")].author, None, "off by default");

    for shown in [true, false] {
        let change = apply(&mut server, Actor::Facilitator, Op::ShowAuthors { shown });
        assert_eq!(change, Change::AuthorsShown { shown, authors: None }, "the stored change lists no one");
        let theirs = change.redacted_for(&server, &Audience::Facilitator);
        facilitators.replay(server.seq, &theirs);
        // (Versions differ: gaining or dropping an author bumps a card's, so it is drawn anew.)
        assert!(facilitators.shows_the_same(&server.view_for(&Audience::Facilitator), &Audience::Facilitator));
        let author = facilitators.notes[&NoteId::from("n1")].author.clone();
        assert_eq!(author, shown.then(|| ParticipantId::from("ase-0001")));
        // Participants learn that it is on (their phones say so), never who wrote what.
        let phones = change.redacted_for(&server, &Audience::Participant("bob-0002".into()));
        assert_eq!(phones, Change::AuthorsShown { shown, authors: None });
    }
    // The server's own board keeps every author through it all.
    assert_eq!(server.notes[&NoteId::from("n1")].author, Some("ase-0001".into()));
}

#[test]
fn removing_a_notes_writer_needs_no_id_and_tells_it_to_no_one_else() {
    let mut server = board();
    apply(&mut server, Actor::participant("ase-0001"), add("n1", "x", None));
    let change = apply(&mut server, Actor::Facilitator, Op::RemoveAuthor { note_id: "n1".into() });
    assert_eq!(server.removed, vec![ParticipantId::from("ase-0001")]);
    for viewer in [Audience::Facilitator, Audience::Participant("bob-0002".into()), Audience::Public] {
        let json = serde_json::to_string(&change.redacted_for(&server, &viewer)).unwrap();
        assert!(!json.contains("ase-0001"), "{viewer:?} learns who was removed: {json}");
        assert!(server.view_for(&viewer).removed.is_empty());
    }
    let own = change.redacted_for(&server, &Audience::Participant("ase-0001".into()));
    assert_eq!(own, Change::ParticipantRemoved { participant: Some("ase-0001".into()) });
}

#[test]
fn exports_carry_no_participant_ids_even_while_authors_are_shown() {
    let mut server = board();
    apply(&mut server, Actor::participant("ase-0001"), add("n1", "x", Some("Åse")));
    apply(&mut server, Actor::Facilitator, Op::ShowAuthors { shown: true });
    apply(&mut server, Actor::Facilitator, Op::RemoveParticipant { participant: "bob-0002".into() });
    let exported = serde_json::to_string(&server.exported()).unwrap();
    assert!(!exported.contains("ase-0001") && !exported.contains("bob-0002"), "{exported}");
    assert!(exported.contains("Åse"), "a signed name stays");
    let imported = server.exported().checked_import().unwrap();
    assert!(imported.notes.values().all(|n| n.author.is_none()));
}
