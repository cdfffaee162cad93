//! A catalogue entry and the fields its editor fills in.

use super::{CatalogueError, Field, Skill, Status, StatusChange, Volunteer, MAX_LINE_CHARS, MAX_TEXT_CHARS};
use crate::board::{BoardId, FromTable, LaneId, NoteId, MAX_TITLE_CHARS};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An entry's id, chosen by the server (URL-safe, not guessable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub String);

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who is looking: the public sees no volunteer's name or contact; the editor sees all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Viewer {
    Public,
    Editor,
}

/// What an editor writes about an idea or trial.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFields {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The need it answers ("Se et behov").
    #[serde(default)]
    pub need: String,
    /// Who follows it up (a person or a unit).
    #[serde(default)]
    pub owner: String,
    /// When is it a success? Required before it can become a trial.
    #[serde(default)]
    pub success_criterion: String,
    /// When do we stop it, when do we scale it?
    #[serde(default)]
    pub stop_criterion: String,
    /// Competences needed: standard ones and custom tags.
    #[serde(default)]
    pub skills: Vec<Skill>,
}

impl EntryFields {
    /// Trims every field and checks lengths; the result is what gets stored.
    pub fn normalised(self) -> Result<EntryFields, CatalogueError> {
        let title = text(&self.title, Field::Title, MAX_TITLE_CHARS)?;
        if title.is_empty() {
            return Err(CatalogueError::Empty { field: Field::Title });
        }
        let skills: Vec<String> = self.skills.iter().map(|s| s.as_str().to_owned()).collect();
        Ok(EntryFields {
            title,
            description: text(&self.description, Field::Description, MAX_TEXT_CHARS)?,
            need: text(&self.need, Field::Need, MAX_TEXT_CHARS)?,
            owner: text(&self.owner, Field::Owner, MAX_LINE_CHARS)?,
            success_criterion: text(&self.success_criterion, Field::SuccessCriterion, MAX_TEXT_CHARS)?,
            stop_criterion: text(&self.stop_criterion, Field::StopCriterion, MAX_TEXT_CHARS)?,
            skills: Skill::parse_list(&skills)?,
        })
    }
}

/// Trims `raw` and checks its length in characters.
pub(super) fn text(raw: &str, field: Field, max: usize) -> Result<String, CatalogueError> {
    let trimmed = raw.trim();
    if trimmed.chars().count() > max {
        return Err(CatalogueError::TooLong { field, max });
    }
    Ok(trimmed.to_owned())
}

/// Where an entry came from: the workshop board and the notes (with their votes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub board_id: BoardId,
    pub board_title: String,
    /// When the workshop's board was created (Unix ms): "the workshop's date".
    pub board_created_at: i64,
    pub lane: LaneId,
    /// The group promoted, if a group was.
    pub group_title: Option<String>,
    pub notes: Vec<OriginNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginNote {
    pub id: NoteId,
    pub text: String,
    pub votes: u32,
    /// The workshop table the note was first written at (a plenary's copy keeps it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_table: Option<FromTable>,
}

impl Origin {
    pub fn votes(&self) -> u32 {
        self.notes.iter().map(|n| n.votes).sum()
    }

    /// Whether two promotions came from the same thing: the same board, group (by title) or
    /// note, holding the same notes. Promoting it again finds the entry instead of a twin.
    pub fn same_source(&self, other: &Origin) -> bool {
        fn ids(o: &Origin) -> Vec<&NoteId> {
            let mut ids: Vec<&NoteId> = o.notes.iter().map(|n| &n.id).collect();
            ids.sort();
            ids
        }
        self.board_id == other.board_id && self.group_title == other.group_title && ids(self) == ids(other)
    }
}

/// One idea or trial in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    /// Bumped on every change; an edit names the version it started from (optimistic locking).
    pub version: u32,
    #[serde(flatten)]
    pub fields: EntryFields,
    pub status: Status,
    /// Every status the entry has had, oldest first; the first records its creation.
    pub history: Vec<StatusChange>,
    pub origin: Option<Origin>,
    #[serde(default)]
    pub volunteers: Vec<Volunteer>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Entry {
    /// A new idea. `fields` must already be normalised.
    pub fn new(id: EntryId, fields: EntryFields, origin: Option<Origin>, at: i64) -> Entry {
        let history = vec![StatusChange { at, from: None, to: Status::Idea, reason: String::new() }];
        Entry {
            id,
            version: 1,
            fields,
            status: Status::Idea,
            history,
            origin,
            volunteers: Vec::new(),
            created_at: at,
            updated_at: at,
        }
    }

    /// Replaces the editable fields. A trial or scaled entry keeps needing its success criterion.
    pub fn update(&mut self, fields: EntryFields, at: i64) -> Result<(), CatalogueError> {
        let fields = fields.normalised()?;
        if self.status.needs_success_criterion() && fields.success_criterion.is_empty() {
            return Err(CatalogueError::SuccessCriterionRequired);
        }
        self.fields = fields;
        self.touch(at);
        Ok(())
    }

    pub(super) fn touch(&mut self, at: i64) {
        self.version += 1;
        self.updated_at = at.max(self.updated_at);
    }

    /// The entry as `viewer` may see it: the public never gets volunteers' names or contacts.
    pub fn view_for(&self, viewer: Viewer) -> Entry {
        let mut entry = self.clone();
        if viewer == Viewer::Public {
            for volunteer in &mut entry.volunteers {
                volunteer.contact = None;
            }
        }
        entry
    }

    /// The workshop's date, if it came from a board; else when the entry was created.
    pub fn workshop_date(&self) -> i64 {
        self.origin.as_ref().map_or(self.created_at, |o| o.board_created_at)
    }

    /// Each needed competence with how many volunteers offer it ("sæt holdet bredt").
    pub fn coverage(&self) -> Vec<(Skill, usize)> {
        let offered = |skill: &Skill| self.volunteers.iter().filter(|v| v.skills.contains(skill)).count();
        self.fields.skills.iter().map(|s| (s.clone(), offered(s))).collect()
    }

    /// Needed competences no volunteer offers yet.
    pub fn missing_skills(&self) -> Vec<Skill> {
        self.coverage().into_iter().filter(|(_, n)| *n == 0).map(|(s, _)| s).collect()
    }
}
