//! `export.csv`: one row per note, UTF-8 with a byte-order mark so Excel shows æ, ø and å.

use super::lane_export;
use idetavle_core::board::{Board, Note};
use idetavle_core::dates::iso_utc;

/// Characters that make a spreadsheet treat a cell as a formula (or mangle it).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `votes` is the last round's count; each closed round also has its own column.
pub fn csv(board: &Board) -> String {
    let mut out = String::from("\u{feff}lane,group,text,votes,author,created_at");
    for round in &board.rounds {
        out.push(',');
        out.push_str(&cell(&format!("votes_round_{}", round.round)));
    }
    out.push_str("\r\n");
    let mut row = |lane: &str, group: &str, note: &Note| {
        let author = note.author_name.as_deref().unwrap_or("");
        let mut fields = vec![
            lane.to_owned(),
            group.to_owned(),
            note.text.clone(),
            note.votes.to_string(),
            author.to_owned(),
            iso_utc(note.created_at),
        ];
        for round in &board.rounds {
            let votes = round.counts.iter().find(|c| c.note_id == note.id).map_or(0, |c| c.votes);
            fields.push(votes.to_string());
        }
        let cells: Vec<String> = fields.iter().map(|f| cell(f)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    for lane in &board.lanes {
        let export = lane_export(board, &lane.id);
        for (group, _, notes) in &export.groups {
            for note in notes {
                row(&lane.title, &group.title, note);
            }
        }
        for note in &export.loose {
            row(&lane.title, "", note);
        }
    }
    out
}

/// One RFC 4180 cell, neutralised against formula injection: a leading `= + - @`, tab or CR
/// gets an apostrophe in front, which spreadsheets show as text.
pub(super) fn cell(value: &str) -> String {
    let value = if value.starts_with(FORMULA_STARTS) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
    }
}
