//! Citizens volunteering for an entry with their competences.
//!
//! Name and contact are personal data: they are kept only when the volunteer ticks consent,
//! only the catalogue editor ever sees them, and the editor can delete a volunteer.

use super::entry::text;
use super::{CatalogueError, Entry, Field, Skill, MAX_LINE_CHARS};
use crate::board::MAX_NAME_CHARS;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VolunteerId(pub String);

/// What a citizen fills in on an entry's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerOffer {
    pub skills: Vec<String>,
    /// The explicit consent tick; without it name and contact must be empty.
    #[serde(default)]
    pub consent: bool,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    /// E-mail or phone, as the volunteer wrote it.
    pub contact: String,
    /// When consent was given (Unix ms).
    pub consented_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub id: VolunteerId,
    pub skills: Vec<Skill>,
    /// Only with consent, and only in the editor's view.
    pub contact: Option<Contact>,
    pub at: i64,
}

/// Most volunteers one entry keeps; beyond that the team is broad enough and it smells of spam.
pub const MAX_VOLUNTEERS: usize = 200;

impl Entry {
    /// Records a volunteer; refuses name or contact without consent.
    pub fn add_volunteer(&mut self, id: VolunteerId, offer: VolunteerOffer, at: i64) -> Result<(), CatalogueError> {
        let skills = Skill::parse_list(&offer.skills)?;
        if skills.is_empty() {
            return Err(CatalogueError::NoSkillsOffered);
        }
        let name = text(&offer.name, Field::Name, MAX_NAME_CHARS)?;
        let contact = text(&offer.contact, Field::Contact, MAX_LINE_CHARS)?;
        let has_personal_data = !name.is_empty() || !contact.is_empty();
        if has_personal_data && !offer.consent {
            return Err(CatalogueError::ConsentRequired);
        }
        if self.volunteers.len() >= MAX_VOLUNTEERS {
            return Err(CatalogueError::TooManyVolunteers { max: MAX_VOLUNTEERS });
        }
        let contact = has_personal_data.then_some(Contact { name, contact, consented_at: at });
        self.volunteers.push(Volunteer { id, skills, contact, at });
        self.touch(at);
        Ok(())
    }

    /// Deletes a volunteer and their data; `false` if there was none with that id.
    pub fn remove_volunteer(&mut self, id: &VolunteerId, at: i64) -> bool {
        let before = self.volunteers.len();
        self.volunteers.retain(|v| &v.id != id);
        let removed = self.volunteers.len() != before;
        if removed {
            self.touch(at);
        }
        removed
    }
}
