//! Every string the UI shows, in Danish (default) and English.
//!
//! A new string is a new field on [`Texts`] if a participant's phone shows it, else on
//! [`ControlTexts`] (or the catalogue's or the suggestions' struct): the phone's bundle carries
//! only `Texts`. The compiler then demands both translations.
//! Components read the current language with [`use_texts`], and show a text that follows it
//! with [`ReactiveText::text`].

mod catalogue;
mod control;
mod da;
mod en;
mod lanes;
mod reactive;
mod suggest;
mod tables;
mod workshop;

pub use catalogue::CatalogueTexts;
pub use control::ControlTexts;
pub use lanes::LaneTexts;
pub use reactive::ReactiveText;
pub use suggest::SuggestTexts;
pub use tables::TablesTexts;
pub use workshop::WorkshopTexts;

use idetavle_core::board::OpErrorCode;
use idetavle_core::protocol::ErrorCode;
use serde::{Deserialize, Serialize};

/// The cookie that remembers the chosen language, so the server renders what the browser hydrates.
pub const LANG_COOKIE: &str = "idetavle_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language chosen in a `Cookie:` header value, Danish when none is.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::from_code(v))
            .unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Da => &da::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }
}

/// All UI strings of one language.
pub struct Texts {
    pub switch_language: &'static str,
    // Participant
    pub your_name: &'static str,
    pub name_placeholder: &'static str,
    pub anonymous: &'static str,
    pub lane_label: &'static str,
    pub note_label: &'static str,
    pub note_placeholder: &'static str,
    pub post: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub pending: &'static str,
    pub no_notes: &'static str,
    pub confirm_delete: &'static str,
    // Connection
    pub connecting: &'static str,
    pub online: &'static str,
    pub offline: &'static str,
    // Not found
    pub back_home: &'static str,
    // Lanes of the default template, by key
    pub lane_need: &'static str,
    pub lane_ideas: &'static str,
    pub lane_trials: &'static str,
    // Errors from the server, by code
    pub err_empty_text: &'static str,
    pub err_text_too_long: &'static str,
    pub err_name_too_long: &'static str,
    pub err_control_character: &'static str,
    pub err_forbidden: &'static str,
    pub err_unauthorized: &'static str,
    pub err_too_large: &'static str,
    pub err_unavailable: &'static str,
    pub err_rate_limited: &'static str,
    pub err_board_deleted: &'static str,
    pub delete_my_notes: (&'static str, &'static str),
    pub delete_my_notes_hint: &'static str,
    pub err_other: &'static str,
    // Facilitation and voting
    /// Phones, while the facilitator's screen shows who wrote which note.
    pub authors_notice: &'static str,
    pub locked_notice: &'static str,
    pub hidden_notice: &'static str,
    pub vote: &'static str,
    pub unvote: &'static str,
    pub timer_done: &'static str,
    pub voting: &'static str,
    pub clear_spotlight: &'static str,
    /// The phone, under the form, about the note just sent.
    pub sent: &'static str,
    pub sending: &'static str,
    pub waiting_offline: &'static str,
    pub see_note: &'static str,
    pub err_locked: &'static str,
    pub err_no_votes_left: &'static str,
    pub err_already_voted: &'static str,
    pub err_voting_closed: &'static str,
    pub err_removed: &'static str,
    pub votes_left: (&'static str, &'static str),
    pub votes_count: (&'static str, &'static str),
    // Counted phrases: (one, many), with {n} replaced
    pub offline_waiting: (&'static str, &'static str),
    pub chars_left: (&'static str, &'static str),
    pub chars_over: (&'static str, &'static str),
    /// Which language these are; also picks the catalogue's strings.
    pub lang: Lang,
}

impl Texts {
    /// The idékatalog's strings in the same language. Looked up here rather than held in a
    /// field, so a bundle without the catalogue's pages (the participant's) leaves them out.
    pub fn catalogue(&self) -> &'static CatalogueTexts {
        match self.lang {
            Lang::Da => &catalogue::DA,
            Lang::En => &catalogue::EN,
        }
    }

    /// A workshop's strings in the same language (the phone's joining, the control view's
    /// tables).
    pub fn workshop(&self) -> &'static WorkshopTexts {
        match self.lang {
            Lang::Da => &workshop::DA,
            Lang::En => &workshop::EN,
        }
    }

    /// A workshop's tables seen together (overview, table hosts, the room's grid).
    pub fn tables(&self) -> &'static TablesTexts {
        match self.lang {
            Lang::Da => &tables::DA,
            Lang::En => &tables::EN,
        }
    }

    /// The lane editor's and the templates' strings in the same language.
    pub fn lanes(&self) -> &'static LaneTexts {
        match self.lang {
            Lang::Da => &lanes::DA,
            Lang::En => &lanes::EN,
        }
    }

    /// The suggested groups' strings in the same language (left out of bundles that never
    /// suggest, as the catalogue's are).
    pub fn suggest(&self) -> &'static SuggestTexts {
        match self.lang {
            Lang::Da => &suggest::DA,
            Lang::En => &suggest::EN,
        }
    }

    /// The strings the phone never shows, in the same language (see [`ControlTexts`]).
    pub fn control(&self) -> &'static ControlTexts {
        match self.lang {
            Lang::Da => &da::CONTROL,
            Lang::En => &en::CONTROL,
        }
    }

    /// Picks the singular or plural phrase and fills in `{n}`.
    pub fn count(&self, phrase: (&str, &str), n: usize) -> String {
        let pattern = if n == 1 { phrase.0 } else { phrase.1 };
        pattern.replace("{n}", &n.to_string())
    }

    /// The shown title of a lane: translated for the default template, as stored otherwise.
    pub fn lane_title<'a>(&'a self, lane: &'a idetavle_core::board::Lane) -> &'a str {
        use idetavle_core::board::default_lanes;
        let is_default = default_lanes().iter().any(|d| d.id == lane.id && d.title == lane.title);
        match (is_default, lane.id.as_str()) {
            (true, "need") => self.lane_need,
            (true, "ideas") => self.lane_ideas,
            (true, "trials") => self.lane_trials,
            _ => &lane.title,
        }
    }

    /// A user-facing sentence for a server error. `reason` is the model's code for invalid ops.
    pub fn error(&self, code: ErrorCode, reason: Option<OpErrorCode>) -> &'static str {
        match (code, reason) {
            (ErrorCode::Forbidden, _) => self.err_forbidden,
            (ErrorCode::Unauthorized, _) => self.err_unauthorized,
            (ErrorCode::Removed, _) => self.err_removed,
            (ErrorCode::InvalidOp, Some(OpErrorCode::Locked)) => self.err_locked,
            (ErrorCode::InvalidOp, Some(OpErrorCode::NoVotesLeft)) => self.err_no_votes_left,
            (ErrorCode::InvalidOp, Some(OpErrorCode::AlreadyVoted)) => self.err_already_voted,
            (ErrorCode::InvalidOp, Some(OpErrorCode::VotingClosed)) => self.err_voting_closed,
            (ErrorCode::TooLarge, _) => self.err_too_large,
            (ErrorCode::Unavailable, _) => self.err_unavailable,
            (ErrorCode::RateLimited, _) => self.err_rate_limited,
            (ErrorCode::BoardDeleted, _) => self.err_board_deleted,
            (ErrorCode::InvalidOp, Some(OpErrorCode::EmptyText)) => self.err_empty_text,
            (ErrorCode::InvalidOp, Some(OpErrorCode::TextTooLong)) => self.err_text_too_long,
            (ErrorCode::InvalidOp, Some(OpErrorCode::NameTooLong)) => self.err_name_too_long,
            (ErrorCode::InvalidOp, Some(OpErrorCode::ControlCharacter)) => self.err_control_character,
            _ => self.err_other,
        }
    }
}

#[cfg(feature = "hydrate")]
fn browser_lang() -> Lang {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.cookie().ok())
        .map(|c| Lang::from_cookie_header(&c))
        .unwrap_or_default()
}

/// Provides the language signal for the app. On the server it comes from the request's cookie;
/// in the browser from `document.cookie`, so both render the same text.
pub fn provide_lang() -> leptos::prelude::RwSignal<Lang> {
    use leptos::prelude::*;
    #[cfg(feature = "ssr")]
    let lang = use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::COOKIE).cloned())
        .and_then(|v| v.to_str().ok().map(Lang::from_cookie_header))
        .unwrap_or_default();
    #[cfg(feature = "hydrate")]
    let lang = browser_lang();
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    let lang = Lang::default();
    let signal = RwSignal::new(lang);
    provide_context(signal);
    signal
}

/// The current language's texts, reactive.
pub fn use_texts() -> leptos::prelude::Signal<&'static Texts> {
    use leptos::prelude::*;
    let lang = use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()));
    Signal::derive(move || lang.get().texts())
}

/// Switches language and remembers it for a year.
pub fn set_lang(lang: Lang) {
    use leptos::prelude::*;
    if let Some(signal) = use_context::<RwSignal<Lang>>() {
        signal.set(lang);
    }
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.set_cookie(&format!("{LANG_COOKIE}={}; path=/; max-age=31536000; SameSite=Lax", lang.code()));
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_is_the_default_and_the_cookie_picks_english() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Da);
        assert_eq!(Lang::from_cookie_header("a=b; idetavle_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("idetavle_lang=xx"), Lang::Da);
    }

    #[test]
    fn counted_phrases_pick_singular_and_plural() {
        let da = Lang::Da.texts();
        assert_eq!(da.count(da.offline_waiting, 1), "offline — 1 note venter");
        assert_eq!(da.count(da.offline_waiting, 3), "offline — 3 noter venter");
        let en = Lang::En.texts();
        assert_eq!(en.count(en.offline_waiting, 2), "offline — 2 notes waiting");
    }

    #[test]
    fn default_lanes_are_translated() {
        let lanes = idetavle_core::board::default_lanes();
        assert_eq!(Lang::Da.texts().lane_title(&lanes[0]), "Se et behov");
        assert_eq!(Lang::En.texts().lane_title(&lanes[2]), "Run trials");
    }
}
