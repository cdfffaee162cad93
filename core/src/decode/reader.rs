//! JSON text to a [`Json`] tree: the whole grammar (RFC 8259), strings borrowed from the input
//! unless they hold escapes, numbers kept as text for the field's own type to parse.

use super::DecodeError;
use std::borrow::Cow;

/// Deeper nesting than this is refused rather than risking the browser's stack.
const MAX_DEPTH: usize = 64;

/// One JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// The number's text, already checked against JSON's grammar.
    Num(&'a str),
    Str(Cow<'a, str>),
    Arr(Vec<Json<'a>>),
    /// Keys and values in the order they came.
    Obj(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// Reads one JSON value that fills `text` (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Json<'_>, DecodeError> {
    let mut reader = Reader { text, bytes: text.as_bytes(), at: 0 };
    let value = reader.value(0)?;
    reader.skip_space();
    match reader.at == reader.bytes.len() {
        true => Ok(value),
        false => Err(reader.error()),
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn error(&self) -> DecodeError {
        DecodeError::Syntax(self.at)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails.
    fn expect(&mut self, byte: u8) -> Result<(), DecodeError> {
        self.skip_space();
        match self.peek() == Some(byte) {
            true => {
                self.at += 1;
                Ok(())
            }
            false => Err(self.error()),
        }
    }

    fn literal(&mut self, word: &str, value: Json<'a>) -> Result<Json<'a>, DecodeError> {
        match self.bytes[self.at..].starts_with(word.as_bytes()) {
            true => {
                self.at += word.len();
                Ok(value)
            }
            false => Err(self.error()),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(self.error());
        }
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error()),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json<'a>, DecodeError> {
        let mut fields = Vec::new();
        if self.opens_empty(b'}') {
            return Ok(Json::Obj(fields));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error());
            }
            let key = self.string()?;
            self.expect(b':')?;
            fields.push((key, self.value(depth + 1)?));
            if self.closes(b'}')? {
                return Ok(Json::Obj(fields));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json<'a>, DecodeError> {
        let mut items = Vec::new();
        if self.opens_empty(b']') {
            return Ok(Json::Arr(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            if self.closes(b']')? {
                return Ok(Json::Arr(items));
            }
        }
    }

    /// Steps over the opening bracket; true if `close` follows at once (and steps over it too).
    fn opens_empty(&mut self, close: u8) -> bool {
        self.at += 1;
        self.skip_space();
        let empty = self.peek() == Some(close);
        if empty {
            self.at += 1;
        }
        empty
    }

    /// After an item: true at `close`, false after a comma (another item follows).
    fn closes(&mut self, close: u8) -> Result<bool, DecodeError> {
        self.skip_space();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(false)
            }
            Some(byte) if byte == close => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(self.error()),
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Json<'a>, DecodeError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error()),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.at_least_one_digit()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.at_least_one_digit()?;
        }
        Ok(Json::Num(&self.text[start..self.at]))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn at_least_one_digit(&mut self) -> Result<(), DecodeError> {
        let start = self.at;
        self.digits();
        match self.at > start {
            true => Ok(()),
            false => Err(self.error()),
        }
    }

    /// A string at `"`; borrowed from the input when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        self.at += 1; // '"'
        let start = self.at;
        loop {
            match self.peek() {
                Some(b'"') => {
                    let text = &self.text[start..self.at];
                    self.at += 1;
                    return Ok(Cow::Borrowed(text));
                }
                Some(b'\\') => break,
                Some(0x00..=0x1f) | None => return Err(self.error()),
                Some(_) => self.at += 1,
            }
        }
        // Quote and backslash are ASCII, so every stop above is on a character boundary.
        let mut owned = String::from(&self.text[start..self.at]);
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.at += 1;
                    owned.push(self.escape()?);
                }
                Some(0x00..=0x1f) | None => return Err(self.error()),
                Some(_) => {
                    let run = self.at;
                    while !matches!(self.peek(), Some(b'"' | b'\\' | 0x00..=0x1f) | None) {
                        self.at += 1;
                    }
                    owned.push_str(&self.text[run..self.at]);
                }
            }
        }
    }

    /// The character after a backslash.
    fn escape(&mut self) -> Result<char, DecodeError> {
        let byte = self.peek().ok_or_else(|| self.error())?;
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.error()),
        })
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`.
    fn unicode_escape(&mut self) -> Result<char, DecodeError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.at..].starts_with(b"\\u") {
                    return Err(self.error());
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error());
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.error())
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| (b as char).to_digit(16)).ok_or_else(|| self.error())?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }
}
