//! The idékatalog as files: Markdown (a readable catalogue), CSV (one row per entry) and
//! versioned JSON. Each is rendered from the entries as the requester may see them, so the
//! public exports carry no volunteer's name or contact.

use super::csv::cell;
use super::markdown::escape;
use idetavle_core::catalogue::{Entry, Status, Viewer};
use idetavle_core::dates::{iso_date, iso_utc};
use serde::{Deserialize, Serialize};

pub const CATALOGUE_FORMAT: &str = "idetavle.catalogue";
pub const CATALOGUE_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogueExport {
    pub format: String,
    pub version: u32,
    pub viewer: Viewer,
    pub entries: Vec<Entry>,
}

impl CatalogueExport {
    pub fn new(viewer: Viewer, entries: Vec<Entry>) -> Self {
        CatalogueExport { format: CATALOGUE_FORMAT.into(), version: CATALOGUE_VERSION, viewer, entries }
    }
}

fn status_da(status: Status) -> &'static str {
    match status {
        Status::Idea => "Idé",
        Status::Trial => "Forsøg",
        Status::Scaled => "Skaleret",
        Status::Stopped => "Stoppet",
    }
}

fn skills(entry: &Entry) -> String {
    entry.fields.skills.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
}

fn missing(entry: &Entry) -> String {
    entry.missing_skills().iter().map(|s| s.as_str().to_owned()).collect::<Vec<_>>().join("; ")
}

/// `catalogue.md`: entries grouped by status (idé, forsøg, skaleret, stoppet), each with its
/// fields, team coverage, origin and history.
pub fn markdown(entries: &[Entry]) -> String {
    let mut out = format!("# Idékatalog\n\n{} idéer og forsøg\n", entries.len());
    for status in Status::ALL {
        let in_status: Vec<&Entry> = entries.iter().filter(|e| e.status == status).collect();
        if in_status.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}\n", status_da(status)));
        for entry in in_status {
            entry_markdown(&mut out, entry);
        }
    }
    out
}

fn entry_markdown(out: &mut String, entry: &Entry) {
    let f = &entry.fields;
    out.push_str(&format!("\n### {}\n\n", escape(&f.title)));
    for (label, value) in [
        ("Beskrivelse", &f.description),
        ("Behov", &f.need),
        ("Ejer", &f.owner),
        ("Succeskriterium", &f.success_criterion),
        ("Stop/skalér", &f.stop_criterion),
    ] {
        if !value.is_empty() {
            out.push_str(&format!("- **{label}:** {}\n", escape(&value.replace('\n', " "))));
        }
    }
    if !f.skills.is_empty() {
        out.push_str(&format!("- **Kompetencer:** {}\n", escape(&skills(entry))));
        let missing = missing(entry);
        if !missing.is_empty() {
            out.push_str(&format!("- **Mangler på holdet:** {}\n", escape(&missing)));
        }
    }
    out.push_str(&format!("- **Frivillige:** {}\n", entry.volunteers.len()));
    for v in &entry.volunteers {
        if let Some(c) = &v.contact {
            out.push_str(&format!("  - {} ({})\n", escape(&c.name), escape(&c.contact)));
        }
    }
    if let Some(o) = &entry.origin {
        let votes = o.votes();
        out.push_str(&format!(
            "- **Fra workshop:** {} ({}), {votes} stemmer\n",
            escape(&o.board_title),
            iso_date(o.board_created_at)
        ));
    }
    for h in &entry.history {
        let reason = if h.reason.is_empty() { String::new() } else { format!(": {}", escape(&h.reason)) };
        out.push_str(&format!("- {} → {}{reason}\n", iso_date(h.at), status_da(h.to)));
    }
}

/// `catalogue.csv`: one row per entry, UTF-8 with BOM, cells neutralised against formulas.
pub fn csv(entries: &[Entry]) -> String {
    let mut out = String::from(
        "\u{feff}id,title,status,owner,need,success_criterion,stop_criterion,competences,missing_competences,volunteers,workshop,workshop_date,votes,updated_at\r\n",
    );
    for e in entries {
        let f = &e.fields;
        let (workshop, votes) = e.origin.as_ref().map_or((String::new(), 0), |o| (o.board_title.clone(), o.votes()));
        let row = [
            e.id.0.clone(),
            f.title.clone(),
            e.status.key().to_owned(),
            f.owner.clone(),
            f.need.clone(),
            f.success_criterion.clone(),
            f.stop_criterion.clone(),
            skills(e),
            missing(e),
            e.volunteers.len().to_string(),
            workshop,
            iso_date(e.workshop_date()),
            votes.to_string(),
            iso_utc(e.updated_at),
        ];
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::catalogue::{EntryFields, EntryId, Skill, VolunteerId, VolunteerOffer};

    fn entry() -> Entry {
        let fields = EntryFields {
            title: "=Bogbus, \"æøå\"".into(),
            success_criterion: "50 udlån\npr. måned".into(),
            skills: Skill::parse_list(&["data", "ledelse"]).unwrap(),
            ..EntryFields::default()
        };
        let mut e = Entry::new(EntryId("e1".into()), fields, None, 1_795_737_600_000);
        e.change_status(Status::Trial, "", 1_795_737_600_000).unwrap();
        let offer = VolunteerOffer {
            skills: vec!["data".into()],
            consent: true,
            name: "Mia".into(),
            contact: "mia@x.dk".into(),
        };
        e.add_volunteer(VolunteerId("v1".into()), offer, 1_795_737_600_000).unwrap();
        e
    }

    #[test]
    fn markdown_groups_by_status_and_shows_contacts_only_in_the_editors_view() {
        let editor = markdown(&[entry()]);
        assert!(editor.contains("## Forsøg\n"), "{editor}");
        assert!(editor.contains("- **Mangler på holdet:** ledelse"), "{editor}");
        assert!(editor.contains("Mia (mia@x.dk)"));
        assert!(editor.contains("2026-11-27 → Forsøg"));
        let public = markdown(&[entry().view_for(Viewer::Public)]);
        assert!(!public.contains("Mia") && !public.contains("mia@x.dk"), "{public}");
    }

    #[test]
    fn csv_has_one_row_per_entry_and_neutralises_formulas() {
        let text = csv(&[entry()]);
        assert!(text.starts_with('\u{feff}'));
        let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(rows.len(), 2);
        assert!(rows[1].starts_with("e1,\"'=Bogbus, \"\"æøå\"\"\",forsog,"), "{}", rows[1]);
        assert!(rows[1].contains("\"50 udlån\npr. måned\""));
        assert!(rows[1].contains(",data; ledelse,ledelse,1,"));
        assert!(!text.contains("Mia"), "the CSV never carries contact data");
    }
}
