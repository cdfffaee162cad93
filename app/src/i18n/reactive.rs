//! Texts that follow the language, as views. `t.text(|t| t.post)` instead of
//! `move || t.get().post`: every call site shares the one closure type made here, so the
//! render-effect, hydrate and rebuild code for a reactive text exists once in the WASM. With a
//! closure per label, each of ~200 labels compiled its own copy, a cost every phone downloaded.

use super::Texts;
use leptos::prelude::{Get, Signal};

/// Picks one text from the current language's [`Texts`].
pub type Pick = fn(&'static Texts) -> &'static str;

/// Picks a counted phrase (singular, plural) from the current language's [`Texts`].
pub type PickCount = fn(&'static Texts) -> (&'static str, &'static str);

/// Reactive texts from the language signal of [`super::use_texts`].
pub trait ReactiveText {
    /// The picked text, now and after every switch of language.
    fn text(self, pick: Pick) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static;
    /// The picked phrase for `n` things ("1 stemme", "3 stemmer"), following the language.
    fn count_of(self, pick: PickCount, n: usize) -> impl Fn() -> String + Copy + Send + Sync + 'static;
}

impl ReactiveText for Signal<&'static Texts> {
    fn text(self, pick: Pick) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || pick(self.get())
    }

    fn count_of(self, pick: PickCount, n: usize) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || {
            let texts = self.get();
            texts.count(pick(texts), n)
        }
    }
}
