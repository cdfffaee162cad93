//! Templates a facilitator saved: a name and the lanes (titles and guiding questions), kept in
//! this browser's local storage like the kept boards; nothing of it is on the server, which has
//! no accounts to hang them on. The home page offers them; the lane editor saves them.

use idetavle_core::board::LaneSpec;
use serde::{Deserialize, Serialize};

/// At most this many are kept (the newest).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const KEEP: usize = 20;
#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "idetavle.templates";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTemplate {
    pub name: String,
    pub lanes: Vec<LaneSpec>,
}

/// `template` first in `list`, replacing one of the same name, and the list cut to [`KEEP`].
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn templates_with(mut list: Vec<SavedTemplate>, template: SavedTemplate) -> Vec<SavedTemplate> {
    list.retain(|t| t.name != template.name);
    list.insert(0, template);
    list.truncate(KEEP);
    list
}

/// The templates this browser keeps (none outside the browser).
pub fn saved_templates() -> Vec<SavedTemplate> {
    #[cfg(feature = "hydrate")]
    {
        crate::sync::local_storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

/// Saves (or replaces, by name) a template in this browser.
pub fn save_template(template: SavedTemplate) {
    store(&templates_with(saved_templates(), template));
}

/// Forgets a template by name.
pub fn forget_template(name: &str) {
    let mut list = saved_templates();
    list.retain(|t| t.name != name);
    store(&list);
}

fn store(list: &[SavedTemplate]) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(json)) = (crate::sync::local_storage(), serde_json::to_string(list)) {
        let _ = storage.set_item(STORAGE_KEY, &json);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = list;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str) -> SavedTemplate {
        SavedTemplate { name: name.into(), lanes: vec![LaneSpec { title: "Før".into(), question: None }] }
    }

    #[test]
    fn a_template_of_the_same_name_is_replaced_and_the_list_is_bounded() {
        let list = templates_with(vec![template("a"), template("b")], template("b"));
        assert_eq!(list.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        let many = (0..30).fold(Vec::new(), |list, i| templates_with(list, template(&i.to_string())));
        assert_eq!((many.len(), many[0].name.as_str()), (KEEP, "29"));
    }
}
