//! Competences an entry needs and volunteers offer: the five standard ones plus custom tags.

use super::{CatalogueError, Field, MAX_SKILLS};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The municipality's standard competences, as stored (their labels are translated).
pub const STANDARD_SKILLS: [&str; 5] = ["data", "ledelse", "digitalisering", "innovation", "borgerinddragelse"];

/// Longest custom tag, in characters.
pub const MAX_SKILL_CHARS: usize = 40;

/// A competence key: trimmed, lower case, inner whitespace collapsed, 1–40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Skill(String);

impl Skill {
    pub fn parse(raw: &str) -> Result<Skill, CatalogueError> {
        let key = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        let chars = key.chars().count();
        if chars == 0 {
            return Err(CatalogueError::Empty { field: Field::Skills });
        }
        if chars > MAX_SKILL_CHARS {
            return Err(CatalogueError::TooLong { field: Field::Skills, max: MAX_SKILL_CHARS });
        }
        Ok(Skill(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_standard(&self) -> bool {
        STANDARD_SKILLS.contains(&self.0.as_str())
    }

    pub fn standard() -> impl Iterator<Item = Skill> {
        STANDARD_SKILLS.iter().map(|s| Skill((*s).to_owned()))
    }

    /// Normalises a list: each skill parsed, duplicates dropped, order kept, at most 20.
    pub fn parse_list<S: AsRef<str>>(raw: &[S]) -> Result<Vec<Skill>, CatalogueError> {
        let mut out: Vec<Skill> = Vec::new();
        for skill in raw.iter().filter(|s| !s.as_ref().trim().is_empty()) {
            let skill = Skill::parse(skill.as_ref())?;
            if !out.contains(&skill) {
                out.push(skill);
            }
        }
        if out.len() > MAX_SKILLS {
            return Err(CatalogueError::TooManySkills { max: MAX_SKILLS });
        }
        Ok(out)
    }
}

impl fmt::Display for Skill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
