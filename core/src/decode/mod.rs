//! The browser's JSON decoder for what the server sends: [`ServerMsg`](crate::protocol::ServerMsg),
//! the board that comes with the page, and (in `app`) the outbox kept in localStorage.
//!
//! Why not serde here: serde's derive compiles a visitor per type and per format, and that was a
//! fifth of the participant's WASM (`BENCHMARKS.md`). This module reads the text once into a
//! small tree ([`reader`]) and each type takes its fields from it by name: a few bytes of code
//! per field. Each type's table sits right under its definition (`decode_struct!(Lane { … })`),
//! so a new field is one edit in one file. The server keeps serde for everything, and browsers
//! still write with serde.
//!
//! What keeps the two in step:
//! - [`decode_struct!`] and [`decode_tagged!`] build every struct and variant with a literal
//!   that names all its fields, and [`Tagged::wire_tag`] matches every variant, so a new field
//!   or variant does not compile until it is added here too;
//! - `tests` decode serde's output for every variant, in any key order, and compare.
//!
//! Like serde's derive: absent `Option` fields are `None`, fields marked `= default` take their
//! default. Unlike it: unknown fields are ignored (a newer server may add some).

mod reader;
#[cfg(test)]
mod sample_tests;
mod std_types;
#[cfg(test)]
mod tests;

pub use reader::{parse, Json};

use std::borrow::Cow;

/// Why a text could not be decoded. The browser drops such messages (a newer server's), so
/// this stays small: no formatting code in the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON; the byte offset where reading stopped.
    Syntax(usize),
    /// A required field is absent.
    Missing(&'static str),
    /// A value of another type (or out of range) where this one was expected.
    Expected(&'static str),
    /// A tag that names no variant this build knows.
    UnknownVariant,
}

/// A type this module can build from a [`Json`] value.
pub trait FromJson: Sized {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError>;

    /// The value of an absent field. Only `Option` has one, as with serde's derive.
    fn absent(field: &'static str) -> Result<Self, DecodeError> {
        Err(DecodeError::Missing(field))
    }
}

/// An enum written as an object with a tag field (`{"type": "note_added", …}`).
pub trait Tagged {
    /// The tag's value for this variant (exhaustive: one arm per variant).
    fn wire_tag(&self) -> &'static str;
}

/// Decodes one JSON text.
pub fn decode<T: FromJson>(text: &str) -> Result<T, DecodeError> {
    T::from_json(parse(text)?)
}

/// An object's fields, taken out one by one by name.
pub struct Fields<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Fields<'a> {
    pub fn of(value: Json<'a>) -> Result<Self, DecodeError> {
        match value {
            Json::Obj(fields) => Ok(Fields(fields)),
            _ => Err(DecodeError::Expected("object")),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Json<'a>> {
        let at = self.0.iter().position(|(key, _)| key == name)?;
        Some(self.0.swap_remove(at).1)
    }

    /// A field; absent is an error unless `T` is an `Option`.
    pub fn take<T: FromJson>(&mut self, name: &'static str) -> Result<T, DecodeError> {
        match self.remove(name) {
            Some(value) => T::from_json(value),
            None => T::absent(name),
        }
    }

    /// A field serde marks `#[serde(default)]`.
    pub fn take_or_default<T: FromJson + Default>(&mut self, name: &'static str) -> Result<T, DecodeError> {
        match self.remove(name) {
            Some(value) => T::from_json(value),
            None => Ok(T::default()),
        }
    }

    /// An optional field whose values this build does not know read as absent (a newer
    /// server's error reason, say), so the rest of the message still arrives.
    pub fn take_lenient<T: FromJson>(&mut self, name: &'static str) -> Result<Option<T>, DecodeError> {
        Ok(self.remove(name).and_then(|value| T::from_json(value).ok()))
    }

    /// What is left, as an object (a newtype variant's fields sit beside the tag).
    pub fn rest(self) -> Json<'a> {
        Json::Obj(self.0)
    }
}

/// One field of a struct or variant: `name` or `name = default`.
#[macro_export]
macro_rules! take_field {
    ($fields:ident, $name:ident) => {
        $fields.take(stringify!($name))?
    };
    ($fields:ident, $name:ident = default) => {
        $fields.take_or_default(stringify!($name))?
    };
    ($fields:ident, $name:ident = lenient) => {
        $fields.take_lenient(stringify!($name))?
    };
    // Not on the wire: a cache the receiver builds itself.
    ($fields:ident, $name:ident = skip) => {
        Default::default()
    };
}

/// `FromJson` for a struct, from its fields: `decode_struct!(Lane { id, title, hidden = default })`.
#[macro_export]
macro_rules! decode_struct {
    ($ty:ident { $($name:ident $(= $default:ident)?),* $(,)? }) => {
        impl $crate::decode::FromJson for $ty {
            fn from_json(value: $crate::decode::Json<'_>) -> Result<Self, $crate::decode::DecodeError> {
                #[allow(unused_mut)]
                let mut fields = $crate::decode::Fields::of(value)?;
                Ok($ty { $($name: $crate::take_field!(fields, $name $(= $default)?)),* })
            }
        }
    };
}

/// `FromJson` and [`Tagged`] for an internally tagged enum. Each variant is
/// `"tag" => Struct { field, field = default }` (`Unit {}` for a unit variant) or
/// `"tag" => Newtype(Inner)` (the inner struct's fields sit beside the tag).
#[macro_export]
macro_rules! decode_tagged {
    ($ty:ident, $tag:literal, { $($wire:literal => $variant:ident $body:tt),* $(,)? }) => {
        impl $crate::decode::FromJson for $ty {
            fn from_json(value: $crate::decode::Json<'_>) -> Result<Self, $crate::decode::DecodeError> {
                $crate::decode_tagged!(@decode value, $ty, $tag, { $($wire => $variant $body),* })
            }
        }
        impl $crate::decode::Tagged for $ty {
            fn wire_tag(&self) -> &'static str {
                match self {
                    $($ty::$variant { .. } => $wire,)*
                }
            }
        }
    };
    // A decoder for some of the variants only, as a function: what a smaller bundle needs
    // (others read as unknown). `Tagged` stays with the full list.
    (@some $vis:vis fn $name:ident -> $ty:ident, $tag:literal, { $($wire:literal => $variant:ident $body:tt),* $(,)? }) => {
        $vis fn $name(value: $crate::decode::Json<'_>) -> Result<$ty, $crate::decode::DecodeError> {
            $crate::decode_tagged!(@decode value, $ty, $tag, { $($wire => $variant $body),* })
        }
    };
    (@decode $value:ident, $ty:ident, $tag:literal, { $($wire:literal => $variant:ident $body:tt),* }) => {{
        #[allow(unused_mut)]
        let mut fields = $crate::decode::Fields::of($value)?;
        let Some($crate::decode::Json::Str(tag)) = fields.remove($tag) else {
            return Err($crate::decode::DecodeError::Missing($tag));
        };
        match &*tag {
            $($wire => Ok($crate::decode_tagged!(@variant fields, $ty::$variant $body)),)*
            _ => Err($crate::decode::DecodeError::UnknownVariant),
        }
    }};
    (@variant $fields:ident, $ty:ident::$variant:ident { $($name:ident $(= $default:ident)?),* $(,)? }) => {
        $ty::$variant { $($name: $crate::take_field!($fields, $name $(= $default)?)),* }
    };
    (@variant $fields:ident, $ty:ident::$variant:ident ($inner:ty)) => {
        $ty::$variant(<$inner as $crate::decode::FromJson>::from_json($fields.rest())?)
    };
}

/// `FromJson` for an enum of plain names (`"too_large"`), with [`Tagged`] and `ALL`. The enum must be `Copy`.
#[macro_export]
macro_rules! decode_names {
    ($ty:ident { $($wire:literal => $variant:ident),* $(,)? }) => {
        impl $crate::decode::FromJson for $ty {
            fn from_json(value: $crate::decode::Json<'_>) -> Result<Self, $crate::decode::DecodeError> {
                let $crate::decode::Json::Str(name) = value else {
                    return Err($crate::decode::DecodeError::Expected("string"));
                };
                // A loop over the names rather than a `match` arm per name: a few bytes of code
                // however many names there are (error codes grow).
                for &candidate in $ty::ALL {
                    if $crate::decode::Tagged::wire_tag(&candidate) == name {
                        return Ok(candidate);
                    }
                }
                Err($crate::decode::DecodeError::UnknownVariant)
            }
        }
        impl $crate::decode::Tagged for $ty {
            fn wire_tag(&self) -> &'static str {
                match self {
                    $($ty::$variant => $wire,)*
                }
            }
        }
        impl $ty {
            /// Every value (complete: `wire_tag` above matches every variant).
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];
        }
    };
}
