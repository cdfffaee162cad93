use super::*;

fn notes(texts: &[&'static str]) -> Vec<Note<'static>> {
    texts.iter().map(|text| Note { text, public: true }).collect()
}

#[test]
fn notes_about_the_same_thing_are_grouped_with_a_title_from_their_words() {
    let board = notes(&[
        "Flere cykelstier til skolen",
        "cykelstien ved skolen er farlig",
        "sikker cykel sti til skolen om morgenen",
        "Bibloteket skal have åbent om aftenen",
        "biblioteket lukker for tidligt",
        "længere åbningstid på biblioteket",
        "Hunde uden snor på legepladsen",
    ]);
    let s = Suggester::new().suggest(&board, &Settings::default());
    let members: Vec<Vec<usize>> = s.groups.iter().map(|g| g.members.clone()).collect();
    assert!(members.contains(&vec![0, 1, 2]), "{:#?}", s.groups);
    assert!(members.contains(&vec![3, 4, 5]), "{:#?}", s.groups);
    assert!(!members.iter().flatten().any(|&m| m == 6), "a note like no other stays alone");
    let bikes = s.groups.iter().find(|g| g.members == [0, 1, 2]).unwrap();
    assert!(bikes.title.to_lowercase().contains("skole") || bikes.title.to_lowercase().contains("cykel"), "{bikes:?}");
}

#[test]
fn a_hidden_note_groups_but_never_names_the_group() {
    let mut board =
        notes(&["hemmelig ordning for skraldespande", "skraldespande flyder over", "flere skraldespande i parken"]);
    for n in &mut board {
        n.public = false;
    }
    board[2].public = true;
    let s = Suggester::new().suggest(&board, &Settings::default());
    let group = s.groups.first().expect("a group");
    assert_eq!(group.members, [0, 1, 2]);
    assert!(
        !group.title.to_lowercase().contains("hemmelig") && !group.title.to_lowercase().contains("flyder"),
        "{group:?}"
    );
    board[2].public = false;
    let s = Suggester::new().suggest(&board, &Settings::default());
    assert_eq!(s.groups[0].title, "", "no public member, no title");
}

#[test]
fn the_same_notes_give_the_same_suggestions() {
    let board = notes(&[
        "bus til landsbyen",
        "flere busser om aftenen",
        "busruten er for lang",
        "ensomme ældre",
        "ældre alene",
    ]);
    let a = Suggester::new().suggest(&board, &Settings::default());
    let b = Suggester::new().suggest(&board, &Settings::default());
    assert_eq!(a, b);
}

#[test]
fn near_duplicates_are_flagged() {
    let board = notes(&["Gratis bus for unge", "gratis busser til de unge!", "plant flere træer"]);
    let s = Suggester::new().suggest(&board, &Settings::default());
    assert_eq!(s.duplicates.iter().map(|d| (d.a, d.b)).collect::<Vec<_>>(), [(0, 1)], "{s:?}");
}
