//! Full-text search, filters and sorting over the catalogue.
//!
//! The catalogue is small (hundreds to a few thousand entries), so search is a pure scan:
//! the server answers API queries with it and the page filters as you type with the same
//! code. Matching folds case and accents (`ide` finds "idé"), keeps æ, ø and å distinct, and
//! wants every word of the query somewhere in the entry.

use super::{Entry, Skill, Status};
use crate::board::BoardId;
use crate::dates::{day_start_ms, DAY_MS};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Newest workshop first.
    Workshop,
    Title,
    /// Most votes on the board first.
    Votes,
    /// Idé, forsøg, skaleret, stoppet.
    Status,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Updated, Sort::Workshop, Sort::Title, Sort::Votes, Sort::Status];

    pub fn key(self) -> &'static str {
        match self {
            Sort::Updated => "updated",
            Sort::Workshop => "workshop",
            Sort::Title => "title",
            Sort::Votes => "votes",
            Sort::Status => "status",
        }
    }

    pub fn from_key(key: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A search: every part is optional. Dates are `YYYY-MM-DD` and bound the workshop's date
/// (both ends inclusive, UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub skill: Option<Skill>,
    #[serde(default)]
    pub board: Option<BoardId>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub sort: Sort,
}

impl Query {
    /// Reads a query from URL parameters (`q`, `status`, `skill`, `board`, `from`, `to`,
    /// `sort`); unknown or malformed values are ignored rather than failing the page.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Query {
        let nonempty = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Query {
            q: nonempty("q").unwrap_or_default(),
            status: nonempty("status").and_then(|s| Status::from_key(&s)),
            skill: nonempty("skill").and_then(|s| Skill::parse(&s).ok()),
            board: nonempty("board").map(BoardId),
            from: nonempty("from").filter(|d| day_start_ms(d).is_some()),
            to: nonempty("to").filter(|d| day_start_ms(d).is_some()),
            sort: nonempty("sort").and_then(|s| Sort::from_key(&s)).unwrap_or_default(),
        }
    }

    fn matches(&self, entry: &Entry, words: &[String]) -> bool {
        let date = entry.workshop_date();
        self.status.is_none_or(|s| entry.status == s)
            && self.skill.as_ref().is_none_or(|s| entry.fields.skills.contains(s))
            && self.board.as_ref().is_none_or(|b| entry.origin.as_ref().is_some_and(|o| &o.board_id == b))
            && self.from.as_deref().and_then(day_start_ms).is_none_or(|from| date >= from)
            && self.to.as_deref().and_then(day_start_ms).is_none_or(|to| date < to + DAY_MS)
            && (words.is_empty() || {
                let haystack = fold(&searchable_text(entry));
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
    }

    /// The entries that match, sorted.
    pub fn run<'a>(&self, entries: &'a [Entry]) -> Vec<&'a Entry> {
        let words: Vec<String> = fold(&self.q).split_whitespace().map(str::to_owned).collect();
        let mut found: Vec<&Entry> = entries.iter().filter(|e| self.matches(e, &words)).collect();
        let votes = |e: &Entry| e.origin.as_ref().map_or(0, |o| o.votes());
        match self.sort {
            Sort::Updated => found.sort_by_key(|e| Reverse(e.updated_at)),
            Sort::Workshop => found.sort_by_key(|e| Reverse(e.workshop_date())),
            Sort::Title => found.sort_by_key(|e| fold(&e.fields.title)),
            Sort::Votes => found.sort_by_key(|e| Reverse(votes(e))),
            Sort::Status => found.sort_by_key(|e| e.status),
        }
        found
    }
}

/// Everything a search looks in.
fn searchable_text(entry: &Entry) -> String {
    let f = &entry.fields;
    let mut parts = vec![&f.title, &f.description, &f.need, &f.owner, &f.success_criterion, &f.stop_criterion];
    let skills: Vec<String> = f.skills.iter().map(|s| s.as_str().to_owned()).collect();
    let skills = skills.join(" ");
    parts.push(&skills);
    let mut text = parts.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n");
    if let Some(origin) = &entry.origin {
        text.push('\n');
        text.push_str(&origin.board_title);
        for note in &origin.notes {
            text.push('\n');
            text.push_str(&note.text);
        }
        if let Some(group) = &origin.group_title {
            text.push('\n');
            text.push_str(group);
        }
    }
    text
}

/// Lower case without accents, except the Danish letters æ, ø and å which are letters of
/// their own.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}
