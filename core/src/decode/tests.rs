//! The decoder against serde's own output: every variant, any key order, edge-case text,
//! and no panic on anything malformed.

use super::sample_tests::*;
use super::{decode, parse, DecodeError, FromJson, Json, Tagged};
use crate::board::*;
use crate::protocol::{ErrorCode, ServerMsg};
use serde::Serialize;

/// serde's text, the same with keys sorted (`serde_json::Value` sorts them, so tags are no
/// longer first), and pretty-printed: the decoder must read all three back to the value.
fn read_back<T: Serialize + FromJson + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).unwrap();
    let sorted = serde_json::to_value(value).unwrap().to_string();
    let pretty = serde_json::to_string_pretty(value).unwrap();
    for form in [&text, &sorted, &pretty] {
        assert_eq!(&decode::<T>(form).unwrap(), value, "{form}");
    }
}

/// Every tag our tables name is the one serde writes.
fn same_tag<T: Serialize + Tagged>(value: &T, field: &str) {
    let json = serde_json::to_value(value).unwrap();
    let tag = if field.is_empty() { &json } else { &json[field] };
    assert_eq!(tag.as_str(), Some(value.wire_tag()), "{json}");
}

#[test]
fn reads_every_server_message_as_serde_wrote_it() {
    for msg in server_msgs() {
        same_tag(&msg, "type");
        read_back(&msg);
    }
    for change in changes() {
        same_tag(&change, "type");
    }
    for &code in ErrorCode::ALL {
        same_tag(&code, "");
    }
    for &reason in OpErrorCode::ALL {
        same_tag(&reason, "");
        read_back(&ServerMsg::Error {
            op_id: None,
            code: ErrorCode::InvalidOp,
            reason: Some(reason),
            message: "x".into(),
        });
    }
    same_tag(&Actor::Facilitator, "role");
    same_tag(&Actor::participant("p"), "role");
    same_tag(&Spotlight::Note { id: NoteId::from("n") }, "kind");
    same_tag(&Spotlight::Group { id: GroupId::from("g") }, "kind");
}

#[test]
fn reads_every_op_as_serde_wrote_it() {
    // The browser reads its own outbox back from localStorage.
    for op in ops() {
        same_tag(&op, "type");
        read_back(&op);
    }
}

#[test]
fn the_phones_decoder_reads_exactly_the_participants_ops() {
    for op in ops() {
        let text = serde_json::to_string(&op).unwrap();
        let read = participant_op_from_json(parse(&text).unwrap());
        if op.is_facilitation() {
            assert_eq!(read, Err(DecodeError::UnknownVariant), "{text}");
        } else {
            assert_eq!(read.as_ref(), Ok(&op), "{text}");
        }
    }
}

#[test]
fn reads_the_board_as_serde_wrote_it() {
    read_back(&board());
}

#[test]
fn omitted_defaults_and_unknown_fields() {
    // What serde's derive allows: absent `Option`s and `#[serde(default)]` fields.
    let minimal = r#"{"id":"n","lane":"need","text":"t","author":"p","created_at":1,"updated_at":2,"version":0}"#;
    let read: Note = decode(minimal).unwrap();
    assert_eq!(read, serde_json::from_str::<Note>(minimal).unwrap());
    // A newer server may add fields; the browser ignores them (serde would too here).
    let newer = r#"{"type":"ack","op_id":"o","seq":1,"later":{"x":[1,2]}}"#;
    assert_eq!(decode::<ServerMsg>(newer).unwrap(), ServerMsg::Ack { op_id: OpId::from("o"), seq: 1 });
    // A reason this build does not know still delivers the error, without a reason.
    let later_reason = r#"{"type":"error","op_id":"o","code":"invalid_op","reason":"too_sunny","message":"m"}"#;
    assert_eq!(
        decode::<ServerMsg>(later_reason).unwrap(),
        ServerMsg::Error {
            op_id: Some(OpId::from("o")),
            code: ErrorCode::InvalidOp,
            reason: None,
            message: "m".into()
        }
    );
    // Required fields are required, types are checked, unknown tags refused.
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","seq":1}"#), Err(DecodeError::Missing("op_id")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","op_id":"o","seq":-1}"#), Err(DecodeError::Expected("u64")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","op_id":"o","seq":1.5}"#), Err(DecodeError::Expected("u64")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","op_id":7,"seq":1}"#), Err(DecodeError::Expected("string")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"teleport"}"#), Err(DecodeError::UnknownVariant));
    assert_eq!(decode::<ServerMsg>(r#"{"op_id":"o","seq":1}"#), Err(DecodeError::Missing("type")));
    assert_eq!(decode::<ServerMsg>(r#"[]"#), Err(DecodeError::Expected("object")));
    assert_eq!(decode::<u32>("4294967296"), Err(DecodeError::Expected("u32")));
}

#[test]
fn reads_text_and_numbers_exactly_as_serde_does() {
    let texts = [
        "",
        "plain",
        "æøå ÆØÅ",
        "quote \" backslash \\ slash / tab \t newline \n cr \r",
        "\u{0}\u{1}\u{1f}\u{7f}",
        "😀 astral 𝄞",
        "<script>alert(1)</script>",
        "\u{2028}\u{2029}",
    ];
    for text in texts {
        read_back(&text.to_owned());
    }
    // Escapes serde never writes but JSON allows.
    assert_eq!(decode::<String>(r#""\u00e6\/\b\f\ud83d\ude00""#).unwrap(), "æ/\u{8}\u{c}😀");
    let mut x: f64 = 0.0;
    for i in 0..2000 {
        // Midpoints like the ranks the board computes, plus extremes.
        x = (x + (i as f64).sqrt()) / 3.0 - 0.25;
        read_back(&x);
        read_back(&(x * 1e-300));
        read_back(&(x * 1e300));
    }
    for n in [0, 1, u64::MAX] {
        read_back(&n);
    }
    for n in [i64::MIN, -1, 0, i64::MAX] {
        read_back(&n);
    }
}

#[test]
fn refuses_what_is_not_json_as_serde_does() {
    let bad = [
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "tru",
        "nul",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"\\u12\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"raw \n newline\"",
        "[1] 2",
        "NaN",
        "Infinity",
        "'single'",
    ];
    for text in bad {
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde accepts {text:?}");
        assert!(parse(text).is_err(), "we accept {text:?}");
    }
    let good = [" 1 ", "-0", "0.5e-3", "1E+2", "[]", "{}", "[[[]]]", "\"\"", "{\"a\":{\"b\":[null,true,false]}}"];
    for text in good {
        assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "serde refuses {text:?}");
        assert!(parse(text).is_ok(), "we refuse {text:?}");
    }
    // Nesting deeper than a board ever needs is refused, not a stack overflow.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(matches!(parse(&deep), Err(DecodeError::Syntax(_))));
}

#[test]
fn never_panics_on_a_cut_or_corrupted_message() {
    let text = serde_json::to_string(&ServerMsg::Snapshot { board: board() }).unwrap();
    let mut cut_points: Vec<usize> = (0..text.len()).filter(|&i| text.is_char_boundary(i)).collect();
    cut_points.retain(|&i| i < text.len());
    for at in cut_points {
        assert!(decode::<ServerMsg>(&text[..at]).is_err(), "a prefix of {at} bytes was accepted");
    }
    // Every ASCII byte in place of each position: an error or some value, never a panic.
    let bytes = text.as_bytes();
    for at in (0..bytes.len()).step_by(7) {
        for replacement in [b'"', b'\\', b'{', b'}', b'[', b',', b':', b'0', b'-', b'e', b'n', 0x01] {
            let mut changed = bytes.to_vec();
            changed[at] = replacement;
            if let Ok(changed) = String::from_utf8(changed) {
                let _ = decode::<ServerMsg>(&changed);
            }
        }
    }
    assert_eq!(parse("null"), Ok(Json::Null));
}
