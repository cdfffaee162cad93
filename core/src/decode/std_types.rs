//! The standard library's types the tables are built from: text, numbers, lists and maps.

use super::{DecodeError, FromJson, Json};
use std::collections::BTreeMap;

impl FromJson for String {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Str(text) => Ok(text.into_owned()),
            _ => Err(DecodeError::Expected("string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Bool(b) => Ok(b),
            _ => Err(DecodeError::Expected("boolean")),
        }
    }
}

/// Integers parse from their text with the standard library's parsers, each into its own
/// type, refusing fractions.
macro_rules! decode_integers {
    ($($number:ty),*) => {
        $(impl FromJson for $number {
            fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
                match value {
                    Json::Num(text) => text.parse().map_err(|_| DecodeError::Expected(stringify!($number))),
                    _ => Err(DecodeError::Expected(stringify!($number))),
                }
            }
        })*
    };
}
decode_integers!(u32, u64, i64);

/// Exactly, so a rank comes back bit for bit (the reader has already checked the number's
/// grammar, so both parsers see valid JSON numbers).
impl FromJson for f64 {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Num(text) => Ok(parse_f64(text)),
            _ => Err(DecodeError::Expected("f64")),
        }
    }
}

/// In the browser, the page's own `parseFloat`, which rounds exactly as Rust's parser does:
/// Rust's brings ~15 KB of code and power-of-five tables into the phone's download.
#[cfg(target_arch = "wasm32")]
fn parse_f64(text: &str) -> f64 {
    js_sys::parse_float(text)
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_f64(text: &str) -> f64 {
    // Valid JSON numbers always parse (too large ones as infinity, as in the browser).
    text.parse().unwrap_or(f64::NAN)
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }

    fn absent(_field: &'static str) -> Result<Self, DecodeError> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        let Json::Arr(items) = value else {
            return Err(DecodeError::Expected("array"));
        };
        // A plain loop: `collect` into a `Result` compiles a much bigger adapter per type.
        let mut list = Vec::with_capacity(items.len());
        for item in items {
            list.push(T::from_json(item)?);
        }
        Ok(list)
    }
}

/// Objects with string keys (`ballots`). Inserted one by one: `collect` would sort first and
/// bring a sort per map type.
impl<K: FromJson + Ord, V: FromJson> FromJson for BTreeMap<K, V> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        let Json::Obj(fields) = value else {
            return Err(DecodeError::Expected("object"));
        };
        let mut map = BTreeMap::new();
        for (key, value) in fields {
            map.insert(K::from_json(Json::Str(key))?, V::from_json(value)?);
        }
        Ok(map)
    }
}
