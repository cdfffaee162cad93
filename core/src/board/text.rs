//! The rules for user text: notes, display names and titles. What they return is what gets
//! stored; the phone counts with [`note_length`] exactly as the server does.

use super::{OpError, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_QUESTION_CHARS, MAX_TITLE_CHARS};

/// Trims and checks a note text; the returned string is what gets stored. Line breaks and tabs
/// stay (a `\r\n` becomes `\n`); other control characters are refused. Its length is counted
/// in characters (Unicode scalar values) after trimming: [`note_length`].
pub fn normalise_note_text(text: &str) -> Result<String, OpError> {
    let text = text.trim();
    let text = if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_owned() };
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(OpError::ControlCharacter);
    }
    let chars = note_length(&text);
    if chars == 0 {
        return Err(OpError::EmptyText);
    }
    if chars > MAX_NOTE_CHARS {
        return Err(OpError::TextTooLong { max: MAX_NOTE_CHARS, got: chars });
    }
    Ok(text)
}

/// A note's length as the limit counts it, on the phone and on the server alike: characters
/// (Unicode scalar values: "æ" is one, an emoji one or more) after trimming.
pub fn note_length(text: &str) -> usize {
    text.trim().chars().count()
}

/// Names and titles are one line of text: no control characters at all.
fn one_line(text: &str) -> Result<(), OpError> {
    match text.chars().any(char::is_control) {
        true => Err(OpError::ControlCharacter),
        false => Ok(()),
    }
}

/// Trims a display name; blank means anonymous.
pub fn normalise_name(name: Option<&str>) -> Result<Option<String>, OpError> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    one_line(name)?;
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(OpError::NameTooLong { max: MAX_NAME_CHARS, got: chars });
    }
    Ok(Some(name.to_owned()))
}

/// Trims and checks a board or group title.
pub fn normalise_title(title: &str) -> Result<String, OpError> {
    let title = title.trim();
    one_line(title)?;
    let chars = title.chars().count();
    if chars == 0 {
        return Err(OpError::EmptyTitle);
    }
    if chars > MAX_TITLE_CHARS {
        return Err(OpError::TitleTooLong { max: MAX_TITLE_CHARS, got: chars });
    }
    Ok(title.to_owned())
}

/// Trims a lane's guiding question (one line); blank means none.
pub fn normalise_question(question: Option<&str>) -> Result<Option<String>, OpError> {
    let Some(question) = question.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    one_line(question)?;
    let chars = question.chars().count();
    if chars > MAX_QUESTION_CHARS {
        return Err(OpError::QuestionTooLong { max: MAX_QUESTION_CHARS, got: chars });
    }
    Ok(Some(question.to_owned()))
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max - 1).collect();
    short.push('…');
    short
}
