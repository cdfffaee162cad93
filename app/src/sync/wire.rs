//! The JSON a browser sends: its messages and its saved outbox. The phone's bundle writes its
//! few kinds by hand ([`phone_json`]): serde's `Serialize` for `Op` carries every facilitator
//! op too, a cost every phone in the room would download for nothing. Every other screen uses
//! serde. A test checks that both write the same text.

use super::Pending;
use idetavle_core::board::Op;
use idetavle_core::protocol::{ClientMsg, Credential};
use idetavle_core::workshop::Role;

/// `msg` as JSON for the server.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn client_json(msg: &ClientMsg) -> String {
    #[cfg(feature = "participant-bundle")]
    return phone_json(msg).unwrap_or_default();
    #[cfg(not(feature = "participant-bundle"))]
    msg.to_json()
}

/// The outbox as JSON for local storage.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn outbox_json(outbox: &[Pending]) -> String {
    #[cfg(feature = "participant-bundle")]
    return phone_outbox_json(outbox).unwrap_or_default();
    #[cfg(not(feature = "participant-bundle"))]
    serde_json::to_string(outbox).unwrap_or_default()
}

/// What a phone sends, as serde would write it; `None` for what only the facilitator's and the
/// room's screens send.
#[cfg_attr(not(feature = "participant-bundle"), allow(dead_code))]
pub fn phone_json(msg: &ClientMsg) -> Option<String> {
    let mut out = String::new();
    match msg {
        ClientMsg::Hello { protocol, credential, last_seq, name } => {
            let (role, key, value) = match credential {
                Credential::Participant { secret } => ("participant", "secret", secret),
                Credential::Facilitator { token } => ("facilitator", "token", token),
                Credential::Presenter { token } => ("presenter", "token", token),
            };
            out.push_str(&format!(
                "{{\"type\":\"hello\",\"protocol\":{protocol},\"credential\":{{\"role\":\"{role}\",\"{key}\":"
            ));
            string(&mut out, value);
            out.push_str("},\"last_seq\":");
            out.push_str(&last_seq.map_or("null".to_owned(), |s| s.to_string()));
            if let Some(name) = name {
                out.push_str(",\"name\":");
                string(&mut out, name);
            }
            out.push('}');
        }
        ClientMsg::Op { op_id, op } => {
            out.push_str("{\"type\":\"op\",\"op_id\":");
            string(&mut out, op_id.as_str());
            out.push_str(",\"op\":");
            out.push_str(&op_json(op)?);
            out.push('}');
        }
        ClientMsg::SetName { name } => {
            out.push_str("{\"type\":\"set_name\",\"name\":");
            optional(&mut out, name.as_deref());
            out.push('}');
        }
    }
    Some(out)
}

#[cfg_attr(not(feature = "participant-bundle"), allow(dead_code))]
fn phone_outbox_json(outbox: &[Pending]) -> Option<String> {
    let mut out = String::from("[");
    for (i, pending) in outbox.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"op_id\":");
        string(&mut out, pending.op_id.as_str());
        out.push_str(",\"op\":");
        out.push_str(&op_json(&pending.op)?);
        out.push('}');
    }
    out.push(']');
    Some(out)
}

/// A participant's op as serde writes it (fields in declaration order).
fn op_json(op: &Op) -> Option<String> {
    let mut out = String::new();
    let note = |out: &mut String, kind: &str, id: &str| {
        out.push_str(&format!("{{\"type\":\"{kind}\",\"note_id\":"));
        string(out, id);
    };
    match op {
        Op::AddNote { note_id, lane, text, author_name } => {
            note(&mut out, "add_note", note_id.as_str());
            out.push_str(",\"lane\":");
            string(&mut out, lane.as_str());
            out.push_str(",\"text\":");
            string(&mut out, text);
            out.push_str(",\"author_name\":");
            optional(&mut out, author_name.as_deref());
        }
        Op::EditNote { note_id, text } => {
            note(&mut out, "edit_note", note_id.as_str());
            out.push_str(",\"text\":");
            string(&mut out, text);
        }
        Op::DeleteNote { note_id } => note(&mut out, "delete_note", note_id.as_str()),
        Op::Vote { note_id } => note(&mut out, "vote", note_id.as_str()),
        Op::Unvote { note_id } => note(&mut out, "unvote", note_id.as_str()),
        Op::JoinWorkshop { profile, name } => {
            let role = match profile.role {
                None => "null",
                Some(Role::Borger) => "\"borger\"",
                Some(Role::Politiker) => "\"politiker\"",
                Some(Role::Medarbejder) => "\"medarbejder\"",
                Some(Role::Andet) => "\"andet\"",
            };
            out.push_str(&format!(
                "{{\"type\":\"join_workshop\",\"profile\":{{\"role\":{role},\"competences\":{}}},\"name\":",
                profile.competences.0
            ));
            optional(&mut out, name.as_deref());
        }
        _ => return None,
    }
    out.push('}');
    Some(out)
}

fn optional(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.push_str("null"),
    }
}

/// A JSON string, escaped as serde_json escapes it.
fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::workshop::{Competences, Profile};

    fn phone_messages() -> Vec<ClientMsg> {
        let text = "Tekst med \"citat\", \\, linjeskift\n, tab\t, \u{1} og 😀 </script>";
        let ops = vec![
            Op::AddNote {
                note_id: "n1".into(),
                lane: "need".into(),
                text: text.into(),
                author_name: Some("Åse".into()),
            },
            Op::AddNote { note_id: "n2".into(), lane: "ideas".into(), text: "x".into(), author_name: None },
            Op::EditNote { note_id: "n1".into(), text: text.into() },
            Op::DeleteNote { note_id: "n1".into() },
            Op::Vote { note_id: "n1".into() },
            Op::Unvote { note_id: "n1".into() },
            Op::JoinWorkshop { profile: Profile::default(), name: None },
            Op::JoinWorkshop {
                profile: Profile { role: Some(Role::Medarbejder), competences: Competences(0b10101) },
                name: Some("Bo \"B\"".into()),
            },
        ];
        let mut msgs: Vec<ClientMsg> = ops
            .into_iter()
            .enumerate()
            .map(|(i, op)| ClientMsg::Op { op_id: format!("o{i}").as_str().into(), op })
            .collect();
        for role in [Role::Borger, Role::Politiker, Role::Andet] {
            let op = Op::JoinWorkshop { profile: Profile { role: Some(role), ..Profile::default() }, name: None };
            msgs.push(ClientMsg::Op { op_id: "j".into(), op });
        }
        msgs.push(ClientMsg::Hello {
            protocol: 8,
            credential: Credential::Participant { secret: "s3cr\"t".into() },
            last_seq: Some(41),
            name: Some("Åse".into()),
        });
        msgs.push(ClientMsg::Hello {
            protocol: 8,
            credential: Credential::Presenter { token: "t".into() },
            last_seq: None,
            name: None,
        });
        msgs.push(ClientMsg::SetName { name: Some("Ny\u{7f}".into()) });
        msgs.push(ClientMsg::SetName { name: None });
        msgs
    }

    #[test]
    fn the_phone_writes_what_serde_writes() {
        for msg in phone_messages() {
            assert_eq!(phone_json(&msg).as_deref(), Some(msg.to_json().as_str()), "{msg:?}");
        }
        let outbox: Vec<Pending> = phone_messages()
            .into_iter()
            .filter_map(|m| match m {
                ClientMsg::Op { op_id, op } => Some(Pending { op_id, op }),
                _ => None,
            })
            .collect();
        assert_eq!(phone_outbox_json(&outbox), Some(serde_json::to_string(&outbox).unwrap()));
        assert_eq!(phone_outbox_json(&[]), Some("[]".into()));
    }

    #[test]
    fn a_facilitator_op_is_not_the_phones() {
        let msg = ClientMsg::Op { op_id: "x".into(), op: Op::Undo {} };
        assert_eq!(phone_json(&msg), None);
    }
}
