use super::search::{fold, Query, Sort};
use super::*;
use crate::board::{Actor, Board, BoardId, Op, OpContext};

fn fields(title: &str) -> EntryFields {
    EntryFields { title: title.into(), ..EntryFields::default() }
}

fn idea(title: &str) -> Entry {
    Entry::new(EntryId(title.to_lowercase()), fields(title).normalised().unwrap(), None, 1_000)
}

fn trial(title: &str) -> Entry {
    let mut e = idea(title);
    let mut f = e.fields.clone();
    f.success_criterion = "50 udlån om måneden".into();
    e.update(f, 2_000).unwrap();
    e.change_status(Status::Trial, "", 3_000).unwrap();
    e
}

#[test]
fn an_idea_cannot_become_a_trial_without_a_success_criterion() {
    let mut e = idea("Bogbus");
    assert_eq!(e.change_status(Status::Trial, "vi prøver", 2_000), Err(CatalogueError::SuccessCriterionRequired));
    assert_eq!(e.status, Status::Idea);
    assert_eq!(e.history.len(), 1, "a refused change leaves no trace");
    let mut f = e.fields.clone();
    f.success_criterion = "  50 udlån om måneden ".into();
    e.update(f, 2_000).unwrap();
    e.change_status(Status::Trial, "", 3_000).unwrap();
    assert_eq!(e.status, Status::Trial);
    assert_eq!(e.fields.success_criterion, "50 udlån om måneden");
}

#[test]
fn scaling_or_stopping_needs_a_reason_and_is_dated_in_the_history() {
    let mut e = trial("Bogbus");
    assert_eq!(
        e.change_status(Status::Scaled, "  ", 4_000),
        Err(CatalogueError::ReasonRequired { to: Status::Scaled })
    );
    e.change_status(Status::Scaled, "Målet nået i alle tre byer", 4_000).unwrap();
    let last = e.history.last().unwrap();
    assert_eq!((last.at, last.from, last.to), (4_000, Some(Status::Trial), Status::Scaled));
    assert_eq!(last.reason, "Målet nået i alle tre byer");
    assert_eq!(
        e.change_status(Status::Stopped, "", 5_000),
        Err(CatalogueError::ReasonRequired { to: Status::Stopped })
    );
    e.change_status(Status::Stopped, "Budgettet faldt bort", 5_000).unwrap();
    let trail: Vec<Status> = e.history.iter().map(|h| h.to).collect();
    assert_eq!(trail, [Status::Idea, Status::Trial, Status::Scaled, Status::Stopped]);
}

#[test]
fn only_a_trial_can_be_scaled_and_nothing_moves_to_where_it_is() {
    let mut e = idea("Bogbus");
    assert_eq!(
        e.change_status(Status::Scaled, "det virker", 2_000),
        Err(CatalogueError::TransitionNotAllowed { from: Status::Idea, to: Status::Scaled })
    );
    assert_eq!(e.change_status(Status::Idea, "", 2_000), Err(CatalogueError::SameStatus { status: Status::Idea }));
    e.change_status(Status::Stopped, "Findes allerede", 2_000).unwrap();
    assert_eq!(e.change_status(Status::Idea, "", 3_000), Err(CatalogueError::ReasonRequired { to: Status::Idea }));
    e.change_status(Status::Idea, "Ny borgergruppe vil drive den", 3_000).unwrap();
}

#[test]
fn a_running_trial_keeps_its_success_criterion() {
    let mut e = trial("Bogbus");
    let mut f = e.fields.clone();
    f.success_criterion = " ".into();
    assert_eq!(e.update(f, 4_000), Err(CatalogueError::SuccessCriterionRequired));
    assert_eq!(e.fields.success_criterion, "50 udlån om måneden");
}

#[test]
fn fields_are_trimmed_checked_and_competences_deduplicated() {
    let mut f = fields("  Bogbus  ");
    f.skills = Skill::parse_list(&["Data", " data ", "Borger  inddragelse", "", "x"]).unwrap();
    let f = f.normalised().unwrap();
    assert_eq!(f.title, "Bogbus");
    let skills: Vec<&str> = f.skills.iter().map(Skill::as_str).collect();
    assert_eq!(skills, ["data", "borger inddragelse", "x"]);
    assert_eq!(fields(" ").normalised(), Err(CatalogueError::Empty { field: Field::Title }));
    let mut long = fields("Bogbus");
    long.owner = "x".repeat(MAX_LINE_CHARS + 1);
    assert_eq!(long.normalised(), Err(CatalogueError::TooLong { field: Field::Owner, max: MAX_LINE_CHARS }));
}

#[test]
fn name_and_contact_are_kept_only_with_consent_and_never_shown_publicly() {
    let mut e = idea("Bogbus");
    let offer = |consent: bool, name: &str| VolunteerOffer {
        skills: vec!["data".into()],
        consent,
        name: name.into(),
        contact: "mia@example.dk".into(),
    };
    assert_eq!(
        e.add_volunteer(VolunteerId("v1".into()), offer(false, "Mia"), 2_000),
        Err(CatalogueError::ConsentRequired)
    );
    e.add_volunteer(VolunteerId("v1".into()), offer(true, "Mia"), 2_000).unwrap();
    let anonymous = VolunteerOffer { skills: vec!["ledelse".into()], ..VolunteerOffer::default() };
    e.add_volunteer(VolunteerId("v2".into()), anonymous, 2_000).unwrap();
    assert_eq!(e.volunteers[0].contact.as_ref().unwrap().name, "Mia");
    assert_eq!(e.volunteers[1].contact, None);
    let public = e.view_for(Viewer::Public);
    assert!(public.volunteers.iter().all(|v| v.contact.is_none()));
    let json = serde_json::to_string(&public).unwrap();
    assert!(!json.contains("Mia") && !json.contains("mia@example.dk"));
    assert_eq!(e.view_for(Viewer::Editor), e);
    let empty = VolunteerOffer { skills: vec![], ..VolunteerOffer::default() };
    assert_eq!(e.add_volunteer(VolunteerId("v3".into()), empty, 2_000), Err(CatalogueError::NoSkillsOffered));
    assert!(e.remove_volunteer(&VolunteerId("v1".into()), 3_000));
    assert!(!serde_json::to_string(&e).unwrap().contains("Mia"));
}

#[test]
fn coverage_shows_which_needed_competences_are_missing() {
    let mut e = idea("Bogbus");
    let mut f = e.fields.clone();
    f.skills = Skill::parse_list(&["data", "ledelse", "Kørekort"]).unwrap();
    e.update(f, 2_000).unwrap();
    let offer = VolunteerOffer { skills: vec!["data".into(), "kørekort".into()], ..VolunteerOffer::default() };
    e.add_volunteer(VolunteerId("v1".into()), offer, 3_000).unwrap();
    let coverage: Vec<(String, usize)> = e.coverage().into_iter().map(|(s, n)| (s.to_string(), n)).collect();
    let coverage: Vec<(&str, usize)> = coverage.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    assert_eq!(coverage, [("data", 1), ("ledelse", 0), ("kørekort", 1)]);
    assert_eq!(e.missing_skills(), vec![Skill::parse("ledelse").unwrap()]);
}

fn workshop() -> Board {
    let mut b = Board::new(BoardId::from("b1"), "Fremtidens bibliotek".into(), "ABC234".into(), 1_795_737_600_000);
    let mut run = |actor: Actor, op: Op| {
        let cx = OpContext { actor, at: 5, seq: b.seq + 1 };
        b.apply(&cx, &op).unwrap();
    };
    for (id, text) in [("n1", "Bogbus til landsbyerne"), ("n2", "Udlån fra skolen")] {
        let op = Op::AddNote { note_id: id.into(), lane: "ideas".into(), text: text.into(), author_name: None };
        run(Actor::participant("p1"), op);
    }
    let group = Op::CreateGroup {
        group_id: "g1".into(),
        title: "Biblioteket kommer til dig".into(),
        note_ids: vec!["n1".into(), "n2".into()],
    };
    run(Actor::Facilitator, group);
    run(Actor::Facilitator, Op::open_voting(5, true));
    run(Actor::participant("p1"), Op::Vote { note_id: "n2".into() });
    b
}

#[test]
fn a_promoted_group_keeps_its_board_notes_and_votes() {
    let board = workshop();
    let e = Entry::promoted(EntryId("e1".into()), &board, &PromoteSource::Group("g1".into()), 9_000).unwrap();
    assert_eq!(e.fields.title, "Biblioteket kommer til dig");
    assert_eq!(e.status, Status::Idea);
    let origin = e.origin.as_ref().unwrap();
    assert_eq!(origin.board_id.as_str(), "b1");
    assert_eq!(origin.board_title, "Fremtidens bibliotek");
    let notes: Vec<(&str, u32)> = origin.notes.iter().map(|n| (n.id.as_str(), n.votes)).collect();
    assert_eq!(notes, [("n2", 1), ("n1", 0)], "most voted first");
    assert!(e.fields.description.contains("- Bogbus til landsbyerne"));
    let note = Entry::promoted(EntryId("e2".into()), &board, &PromoteSource::Note("n1".into()), 9_000).unwrap();
    assert_eq!(note.fields.title, "Bogbus til landsbyerne");
    assert_eq!(note.origin.unwrap().group_title, None);
    let missing = Entry::promoted(EntryId("e3".into()), &board, &PromoteSource::Note("nope".into()), 9_000);
    assert_eq!(missing, Err(CatalogueError::UnknownSource));
}

#[test]
fn search_folds_accents_wants_every_word_and_filters() {
    let board = workshop();
    let promoted = Entry::promoted(EntryId("e1".into()), &board, &PromoteSource::Group("g1".into()), 9_000).unwrap();
    let mut gym = idea("Idé: udendørs fitness");
    let mut f = gym.fields.clone();
    f.skills = Skill::parse_list(&["innovation"]).unwrap();
    gym.update(f, 10_000).unwrap();
    let entries = vec![promoted, gym, trial("Bogbus")];
    let titles = |q: Query| q.run(&entries).iter().map(|e| e.fields.title.clone()).collect::<Vec<_>>();
    let text = |q: &str| Query { q: q.into(), ..Query::default() };
    assert_eq!(titles(text("IDE fitness")), ["Idé: udendørs fitness"]);
    assert_eq!(titles(text("landsbyerne")), ["Biblioteket kommer til dig"], "origin notes are searched");
    assert_eq!(titles(text("bibliotek fitness")), Vec::<String>::new());
    assert_eq!(titles(Query { status: Some(Status::Trial), ..Query::default() }), ["Bogbus"]);
    assert_eq!(titles(Query { skill: Skill::parse("innovation").ok(), ..Query::default() }), ["Idé: udendørs fitness"]);
    assert_eq!(titles(Query { board: Some("b1".into()), ..Query::default() }), ["Biblioteket kommer til dig"]);
    let on_workshop_day = Query { from: Some("2026-11-27".into()), to: Some("2026-11-27".into()), ..Query::default() };
    assert_eq!(titles(on_workshop_day), ["Biblioteket kommer til dig"]);
    assert_eq!(
        titles(Query { sort: Sort::Title, ..Query::default() }),
        ["Biblioteket kommer til dig", "Bogbus", "Idé: udendørs fitness"]
    );
    assert_eq!(titles(Query { sort: Sort::Votes, ..Query::default() })[0], "Biblioteket kommer til dig");
}

#[test]
fn queries_come_from_url_parameters_and_ignore_nonsense() {
    let params = [("q", " bus "), ("status", "forsog"), ("skill", "Data"), ("from", "2026-13-01"), ("sort", "votes")];
    let q = Query::from_params(|k| params.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string()));
    assert_eq!(q.q, "bus");
    assert_eq!(q.status, Some(Status::Trial));
    assert_eq!(q.skill, Skill::parse("data").ok());
    assert_eq!(q.from, None, "month 13 is ignored");
    assert_eq!(q.sort, Sort::Votes);
}

#[test]
fn folding_ignores_case_and_accents_but_keeps_danish_letters() {
    assert_eq!(fold("Idé ÆØÅ Über"), "ide æøå uber");
}

#[test]
fn status_keys_round_trip_as_stored() {
    for s in Status::ALL {
        assert_eq!(Status::from_key(s.key()), Some(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.key()));
    }
}
