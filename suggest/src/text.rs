//! From a note as written to the words it is compared by: the language guessed, the text
//! lower-cased and split into words (letters and digits; æ, ø, å kept), Danish written without
//! a Danish keyboard restored ("aeldre", "paa" → "ældre", "på").

use crate::words::Lists;

/// The language of a note, as far as its words tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Danish,
    English,
}

/// The note's words, lower-cased, in order.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The note without the speaker's role it may start with ("Som politiker: …", "Fra
/// hjemmeplejen: …", "As a parent: …"): who says it is not what it is about.
pub fn without_role(text: &str) -> &str {
    let Some((head, rest)) = text.split_once(':') else { return text };
    let head = head.trim().to_lowercase();
    let role = ["som ", "fra ", "as a ", "as an ", "from "].iter().any(|p| head.starts_with(p));
    match role && head.split_whitespace().count() <= 4 {
        true => rest,
        false => text,
    }
}

/// Danish unless the note reads as English: more English stop words than Danish ones, and no
/// æ, ø or å. A short note that says nothing either way is taken as `fallback` (the board's).
pub fn language(words: &[String], lists: &Lists, fallback: Lang) -> Lang {
    if words.iter().any(|w| w.contains(['æ', 'ø', 'å'])) {
        return Lang::Danish;
    }
    let danish = words.iter().filter(|w| lists.stop_da.contains(w.as_str())).count();
    let english = words.iter().filter(|w| lists.stop_en.contains(w.as_str())).count();
    match english.cmp(&danish) {
        std::cmp::Ordering::Greater => Lang::English,
        std::cmp::Ordering::Less => Lang::Danish,
        std::cmp::Ordering::Equal => fallback,
    }
}

/// Danish as typed without æ, ø, å: "ae", "oe", "aa" become the letters they stand for. Only
/// for Danish notes (English has "shoe", "aerial"); "aa" at the start of a name-like word is
/// the same rule ("aarhus" → "århus"), which is what a Danish reader would match anyway.
pub fn restore_danish_letters(word: &str) -> String {
    if !word.contains("ae") && !word.contains("oe") && !word.contains("aa") {
        return word.to_owned();
    }
    word.replace("aa", "å").replace("ae", "æ").replace("oe", "ø")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_letters_and_digits() {
        assert_eq!(words("Cykelstien ved Skolen!! 30 km/t 🚲"), ["cykelstien", "ved", "skolen", "30", "km", "t"]);
        assert_eq!(words("Ældre-centret"), ["ældre", "centret"]);
    }

    #[test]
    fn a_speakers_role_is_not_the_topic() {
        assert_eq!(without_role("Som politiker: flere busser"), " flere busser");
        assert_eq!(without_role("Fra hjemmeplejen: vi er de eneste"), " vi er de eneste");
        assert_eq!(without_role("bussen: kører for sjældent"), "bussen: kører for sjældent");
    }

    #[test]
    fn danish_typed_without_danish_letters_is_restored() {
        assert_eq!(restore_danish_letters("aeldre"), "ældre");
        assert_eq!(restore_danish_letters("paa"), "på");
        assert_eq!(restore_danish_letters("hjemmehjaelp"), "hjemmehjælp");
        assert_eq!(restore_danish_letters("bus"), "bus");
    }

    #[test]
    fn the_language_is_read_from_stop_words() {
        let lists = Lists::shipped();
        let da = words("det er for langt til bussen");
        let en = words("the bus is too far from the village");
        assert_eq!(language(&da, &lists, Lang::English), Lang::Danish);
        assert_eq!(language(&en, &lists, Lang::Danish), Lang::English);
        assert_eq!(language(&words("flextur"), &lists, Lang::English), Lang::English, "nothing to tell");
        assert_eq!(language(&words("bænke"), &lists, Lang::English), Lang::Danish, "æ tells");
    }
}
