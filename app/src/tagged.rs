//! Internally tagged enums (`{"type": "note_added", "note": {…}}`) without serde's buffering.
//!
//! serde's own `#[serde(tag = "type")]` reads every tagged value into a buffer first, because
//! the tag may come anywhere in the object. That buffering code is compiled for every type that
//! can sit inside such a value, and it was a sixth of the participant's WASM. Everything we
//! send puts the tag first, so the enums below derive serde's plain (externally tagged) form as
//! inherent functions (`#[serde(remote = "Self")]`) and [`tagged!`] puts these adapters between
//! that form and the wire:
//!
//! - [`TagFirst`] reads `{"type": "x", …rest}` as the variant `x` with the fields in `rest`.
//!   An object whose tag is not its first key is still accepted (hand-written JSON from other
//!   clients), by buffering it. Browsers do not read with serde at all (`crate::decode`).
//! - [`TagFirstSer`] writes a variant as `{"type": "x", …fields}`.
//!
//! The wire form is exactly serde's internally tagged form; `tests` below hold both to it.

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, VariantAccess, Visitor};
use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, SerializeStructVariant, Serializer};
use std::fmt;

/// Implements `Serialize` and `Deserialize` for an enum that derives serde's externally tagged
/// form with `#[serde(remote = "Self")]`, as an internally tagged object with `$tag` first.
macro_rules! tagged {
    ($enum:ident, $tag:literal) => {
        impl serde::Serialize for $enum {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $enum::serialize(self, $crate::tagged::TagFirstSer::new(serializer, $tag))
            }
        }
        impl<'de> serde::Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $enum::deserialize($crate::tagged::TagFirst::new(deserializer, $tag))
            }
        }
    };
}
pub(crate) use tagged;

// ---- reading ----

/// A deserializer for one tagged enum value: the object's first key must be the tag.
pub struct TagFirst<D> {
    inner: D,
    tag: &'static str,
}

impl<D> TagFirst<D> {
    pub fn new(inner: D, tag: &'static str) -> Self {
        TagFirst { inner, tag }
    }
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for TagFirst<D> {
    type Error = D::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(TaggedObject { tag: self.tag, visitor })
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, D::Error> {
        Err(de::Error::custom("TagFirst reads tagged enums only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct TaggedObject<V> {
    tag: &'static str,
    visitor: V,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TaggedObject<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a \"{}\" field", self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V::Value, A::Error> {
        match map.next_key_seed(FirstKey { tag: self.tag })? {
            None => Err(de::Error::missing_field(self.tag)),
            // The tag's value names the variant; it is read in `variant_seed`, straight from the input.
            Some(None) => self.visitor.visit_enum(Variant(map)),
            Some(Some(first)) => tag_not_first(self.tag, first, map, self.visitor),
        }
    }
}

/// Reads the first key: `None` if it is the tag (nothing allocated on this, the usual path),
/// otherwise the key itself.
struct FirstKey {
    tag: &'static str,
}

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = Option<String>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Option<String>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FirstKey {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<String>, E> {
        Ok((key != self.tag).then(|| key.to_owned()))
    }
}

/// Objects with the tag elsewhere (e.g. hand-written JSON with sorted keys) are still read, by
/// buffering that one object.
fn tag_not_first<'de, A: MapAccess<'de>, V: Visitor<'de>>(
    tag: &'static str,
    first: String,
    mut map: A,
    visitor: V,
) -> Result<V::Value, A::Error> {
    let mut rest = serde_json::Map::new();
    rest.insert(first, map.next_value()?);
    while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
        rest.insert(key, value);
    }
    let name = match rest.remove(tag) {
        Some(name @ serde_json::Value::String(_)) => name,
        Some(_) => return Err(de::Error::custom(format_args!("\"{tag}\" must be a string"))),
        None => return Err(de::Error::missing_field(tag)),
    };
    visitor.visit_enum(BufferedVariant { name, rest }).map_err(de::Error::custom)
}

/// A variant read from a buffered object: its name (a JSON string) and the other fields.
struct BufferedVariant {
    name: serde_json::Value,
    rest: serde_json::Map<String, serde_json::Value>,
}

impl<'de> EnumAccess<'de> for BufferedVariant {
    type Error = serde_json::Error;
    type Variant = BufferedFields;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, BufferedFields), Self::Error> {
        Ok((seed.deserialize(self.name)?, BufferedFields(self.rest)))
    }
}

struct BufferedFields(serde_json::Map<String, serde_json::Value>);

impl<'de> VariantAccess<'de> for BufferedFields {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Self::Error> {
        seed.deserialize(serde_json::Value::Object(self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("tagged enums have no tuple variants"))
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], visitor: V) -> Result<V::Value, Self::Error> {
        de::Deserializer::deserialize_map(serde_json::Value::Object(self.0), visitor)
    }
}

/// An object whose first key was the tag: next comes the tag's value (the variant's name),
/// then the variant's fields.
struct Variant<A>(A);

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Variant<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(mut self, seed: S) -> Result<(S::Value, Self), A::Error> {
        Ok((self.0.next_value_seed(seed)?, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        // Like serde's internally tagged form: other fields of a unit variant are ignored.
        while self.0.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        seed.deserialize(MapAccessDeserializer::new(self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("tagged enums have no tuple variants"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }
}

// ---- writing ----

/// A serializer for one tagged enum value: writes the tag, then the variant's fields.
pub struct TagFirstSer<S> {
    inner: S,
    tag: &'static str,
}

impl<S> TagFirstSer<S> {
    pub fn new(inner: S, tag: &'static str) -> Self {
        TagFirstSer { inner, tag }
    }
}

fn not_tagged<E: ser::Error>() -> E {
    E::custom("only enum variants with named fields, unit variants and struct newtypes can be tagged")
}

/// The `Serializer` methods a tagged value never reaches.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, S::Error> { Err(not_tagged()) })*
    };
}

macro_rules! refuse_scalars {
    () => {
        refuse! {
            serialize_bool(bool) -> S::Ok; serialize_i8(i8) -> S::Ok; serialize_i16(i16) -> S::Ok;
            serialize_i32(i32) -> S::Ok; serialize_i64(i64) -> S::Ok; serialize_u8(u8) -> S::Ok;
            serialize_u16(u16) -> S::Ok; serialize_u32(u32) -> S::Ok; serialize_u64(u64) -> S::Ok;
            serialize_f32(f32) -> S::Ok; serialize_f64(f64) -> S::Ok; serialize_char(char) -> S::Ok;
            serialize_str(&str) -> S::Ok; serialize_bytes(&[u8]) -> S::Ok; serialize_none() -> S::Ok;
            serialize_unit() -> S::Ok; serialize_unit_struct(&'static str) -> S::Ok;
            serialize_seq(Option<usize>) -> Self::SerializeSeq; serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_map(Option<usize>) -> Self::SerializeMap;
        }
        fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
            Err(not_tagged())
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<S::Ok, S::Error> {
            Err(not_tagged())
        }
    };
}

impl<S: Serializer> Serializer for TagFirstSer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Impossible<S::Ok, S::Error>;
    type SerializeStructVariant = TaggedFields<S::SerializeMap>;

    refuse_scalars!();
    refuse! { serialize_struct(&'static str, usize) -> Self::SerializeStruct; }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<S::Ok, S::Error> {
        let mut map = self.inner.serialize_map(Some(1))?;
        map.serialize_entry(self.tag, variant)?;
        map.end()
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(TagInside { inner: self.inner, tag: self.tag, variant })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let mut map = self.inner.serialize_map(Some(len + 1))?;
        map.serialize_entry(self.tag, variant)?;
        Ok(TaggedFields(map))
    }
}

/// A newtype variant's struct, written with the tag as its first field.
struct TagInside<S> {
    inner: S,
    tag: &'static str,
    variant: &'static str,
}

impl<S: Serializer> Serializer for TagInside<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = TaggedFields<S::SerializeMap>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    refuse_scalars!();
    refuse! {
        serialize_unit_variant(&'static str, u32, &'static str) -> S::Ok;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_tagged())
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        let mut map = self.inner.serialize_map(Some(len + 1))?;
        map.serialize_entry(self.tag, self.variant)?;
        Ok(TaggedFields(map))
    }
}

/// The fields after the tag.
pub struct TaggedFields<M>(M);

impl<M: SerializeMap> SerializeStructVariant for TaggedFields<M> {
    type Ok = M::Ok;
    type Error = M::Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

impl<M: SerializeMap> SerializeStruct for TaggedFields<M> {
    type Ok = M::Ok;
    type Error = M::Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    /// The same enum twice: once with serde's own tagging (the reference), once with ours.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    enum Reference {
        Plain,
        Fields {
            a: u32,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            b: Option<String>,
        },
        Wrapped(Inner),
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
    enum Ours {
        Plain,
        Fields {
            a: u32,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            b: Option<String>,
        },
        Wrapped(Inner),
    }
    super::tagged!(Ours, "type");

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Inner {
        seq: u64,
    }

    fn pairs() -> Vec<(Reference, Ours)> {
        vec![
            (Reference::Plain, Ours::Plain),
            (Reference::Fields { a: 1, b: None }, Ours::Fields { a: 1, b: None }),
            (Reference::Fields { a: 2, b: Some("x".into()) }, Ours::Fields { a: 2, b: Some("x".into()) }),
            (Reference::Wrapped(Inner { seq: 7 }), Ours::Wrapped(Inner { seq: 7 })),
        ]
    }

    #[test]
    fn writes_exactly_what_serde_writes_with_the_tag_first() {
        for (reference, ours) in pairs() {
            let text = serde_json::to_string(&ours).unwrap();
            assert_eq!(text, serde_json::to_string(&reference).unwrap());
            assert!(text.starts_with(r#"{"type":"#), "{text}");
            assert_eq!(serde_json::from_str::<Ours>(&text).unwrap(), ours);
        }
    }

    #[test]
    fn reads_the_tag_anywhere_on_the_server_and_refuses_what_serde_refuses() {
        // serde_json::Value sorts keys, so the tag is no longer first.
        let late = json!({"a": 3, "type": "fields"});
        assert_eq!(serde_json::from_value::<Ours>(late).unwrap(), Ours::Fields { a: 3, b: None });
        assert_eq!(
            serde_json::from_str::<Ours>(r#"{"seq":9,"type":"wrapped"}"#).unwrap(),
            Ours::Wrapped(Inner { seq: 9 })
        );
        for bad in [
            r#"{"type":"nope"}"#,
            r#"{"type":"fields"}"#,
            r#"{"type":"fields","a":1,"c":2}"#,
            r#"{"a":1}"#,
            r#"{"type":1}"#,
            r#"[]"#,
            r#""plain""#,
        ] {
            assert!(serde_json::from_str::<Reference>(bad).is_err(), "reference accepts {bad}");
            assert!(serde_json::from_str::<Ours>(bad).is_err(), "ours accepts {bad}");
        }
    }
}
