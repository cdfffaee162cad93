//! `export.md`: a catalogue-ready document. Lanes, then groups and notes, most votes first.

use super::lane_export;
use idetavle_core::board::{Board, Note};
use idetavle_core::dates::iso_date;

pub fn markdown(board: &Board) -> String {
    let mut out = format!("# {}\n\n", escape(&board.title));
    out.push_str(&format!("Workshop: {} · Idétavle · {} noter\n", iso_date(board.created_at), board.notes.len()));
    let voted = board.voting.is_some();
    for lane in &board.lanes {
        out.push_str(&format!("\n## {}\n", escape(&lane.title)));
        if let Some(question) = &lane.question {
            out.push_str(&format!("\n_{}_\n", escape(question)));
        }
        let export = lane_export(board, &lane.id);
        if export.groups.is_empty() && export.loose.is_empty() {
            out.push_str("\n_Ingen noter._\n");
        }
        for (group, votes, notes) in &export.groups {
            out.push_str(&format!("\n### {}{}\n\n", escape(&group.title), votes_suffix(voted, *votes)));
            for note in notes {
                out.push_str(&item(note, voted));
            }
        }
        if !export.loose.is_empty() {
            if !export.groups.is_empty() {
                out.push_str("\n### Øvrige noter\n");
            }
            out.push('\n');
            for note in &export.loose {
                out.push_str(&item(note, voted));
            }
        }
    }
    out.push_str(&rounds(board));
    out
}

/// Every closed round, oldest first: its ranking with counts.
fn rounds(board: &Board) -> String {
    let mut out = String::new();
    if !board.rounds.is_empty() {
        out.push_str("\n## Afstemninger\n");
    }
    for round in &board.rounds {
        let name = round.name.as_deref().map(|n| format!(": {}", escape(n))).unwrap_or_default();
        out.push_str(&format!("\n### Runde {}{name}\n\n", round.round));
        out.push_str(&format!("{} stemmer afgivet, {} pr. deltager.\n\n", round.cast, round.votes_per_participant));
        for (place, count) in round.counts.iter().enumerate() {
            let text = match board.notes.get(&count.note_id) {
                Some(note) => escape_line_start(&escape(&note.text).replace('\n', " ")),
                None => "_(slettet note)_".into(),
            };
            out.push_str(&format!("{}. {text}{}\n", place + 1, votes_suffix(true, count.votes)));
        }
    }
    out
}

fn votes_suffix(voted: bool, votes: u32) -> String {
    match (voted, votes) {
        (false, _) => String::new(),
        (true, 1) => " (1 stemme)".into(),
        (true, n) => format!(" ({n} stemmer)"),
    }
}

/// One note as a list item; continuation lines are indented so they stay in the item.
fn item(note: &Note, voted: bool) -> String {
    let lines: Vec<String> = escape(&note.text).split('\n').map(escape_line_start).collect();
    let text = lines.join("  \n  ");
    let author = note.author_name.as_deref().map(|a| format!(" — {}", escape(a))).unwrap_or_default();
    let table = note.from_table.as_ref().map(|f| format!(" (fra {})", escape(&f.name))).unwrap_or_default();
    format!("- {text}{}{author}{table}\n", votes_suffix(voted, note.votes))
}

/// Escapes what Markdown would read as formatting, links or HTML, so every note reads as
/// written and nothing a participant typed can become markup in the catalogue.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|' | '~' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            // Bidi controls could make a line read differently than it is stored.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A line starting with `-` or `1.` would become a list of its own.
fn escape_line_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if line.starts_with('-') {
        format!("\\{line}")
    } else if digits > 0 && line[digits..].starts_with('.') {
        format!("{}\\{}", &line[..digits], &line[digits..])
    } else {
        line.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_line_start};

    #[test]
    fn lines_that_look_like_lists_stay_text() {
        assert_eq!(escape_line_start("- punkt"), "\\- punkt");
        assert_eq!(escape_line_start("12. maj"), "12\\. maj");
        assert_eq!(escape_line_start("ok"), "ok");
    }

    #[test]
    fn markup_in_notes_stays_text() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script\\>alert\\(1\\)&lt;/script\\>");
        assert_eq!(escape("[klik](javascript:x)"), "\\[klik\\]\\(javascript:x\\)");
        assert_eq!(escape("# ikke en overskrift"), "\\# ikke en overskrift");
    }
}
