//! Keyed collections travel as JSON lists (readable exports); in memory they are maps by id.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::hash::Hash;

pub trait Keyed {
    type Key: Hash + Eq;
    fn key(&self) -> Self::Key;
}

impl Keyed for super::Note {
    type Key = super::NoteId;
    fn key(&self) -> super::NoteId {
        self.id.clone()
    }
}

impl Keyed for super::Group {
    type Key = super::GroupId;
    fn key(&self) -> super::GroupId {
        self.id.clone()
    }
}

pub fn serialize<S: Serializer, T: Serialize, K>(items: &IndexMap<K, T>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.values())
}

pub fn deserialize<'de, D, T>(d: D) -> Result<IndexMap<T::Key, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Keyed,
{
    let list = Vec::<T>::deserialize(d)?;
    Ok(list.into_iter().map(|t| (t.key(), t)).collect())
}

/// The browser reads such a list the same way (`decode`).
impl<T: crate::decode::FromJson + Keyed> crate::decode::FromJson for IndexMap<T::Key, T> {
    fn from_json(value: crate::decode::Json<'_>) -> Result<Self, crate::decode::DecodeError> {
        let crate::decode::Json::Arr(items) = value else {
            return Err(crate::decode::DecodeError::Expected("array"));
        };
        let mut map = IndexMap::with_capacity(items.len());
        for item in items {
            let item = T::from_json(item)?;
            map.insert(item.key(), item);
        }
        Ok(map)
    }
}
