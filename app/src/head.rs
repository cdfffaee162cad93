//! The page's `<head>` tags: stylesheet, title and `<html lang>`, through leptos_meta.
//!
//! Every page title goes through [`page_title`]: leptos_meta 0.8 copies a title into the
//! server's HTML as it is, so a board titled `</title><script>…` would end the title and write
//! into the head. `page_title` escapes it for the server's HTML; in the browser leptos_meta
//! sets `document.title`, which takes text, so there it stays as it is.
//!
//! The server renders them into every page's head. The whole app keeps them up to date in the
//! browser (the projector's title follows its board). The participant's bundle leaves
//! leptos_meta out, about 4 KB of what a phone downloads: the phone's head never changes after
//! the server rendered it, except `lang`, which `i18n::set_lang` sets itself. In its place
//! stands [`InHead`], which, like leptos_meta's tags, puts nothing in the body, so the body
//! hydrates exactly as the server rendered it. (`()` would not do: it renders a placeholder.)

use crate::i18n::Lang;
use leptos::prelude::*;

#[cfg(not(all(feature = "participant-bundle", not(feature = "ssr"))))]
pub fn head_tags(lang: RwSignal<Lang>, stylesheet: &'static str) -> impl IntoView {
    use leptos_meta::{provide_meta_context, Stylesheet, Title};
    provide_meta_context();
    view! {
        <Stylesheet id="idetavle" href=stylesheet />
        <Title text="Idétavle" />
        <leptos_meta::Html {..} lang=move || lang.get().code() />
    }
}

#[cfg(not(all(feature = "participant-bundle", not(feature = "ssr"))))]
pub fn page_title(text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = move || escape_html(&text());
    view! { <leptos_meta::Title text /> }
}

/// Text made safe to put between HTML tags or in a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(all(feature = "participant-bundle", not(feature = "ssr")))]
pub fn head_tags(_lang: RwSignal<Lang>, _stylesheet: &'static str) -> impl IntoView {
    in_head::InHead
}

#[cfg(all(feature = "participant-bundle", not(feature = "ssr")))]
pub fn page_title(_text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    in_head::InHead
}

#[cfg(all(feature = "participant-bundle", not(feature = "ssr")))]
mod in_head {
    use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
    use leptos::tachys::hydration::Cursor;
    use leptos::tachys::view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml};

    /// Tags the server rendered into the head: nothing in the body, nothing to hydrate.
    pub struct InHead;

    impl Render for InHead {
        type State = ();

        fn build(self) {}

        fn rebuild(self, _state: &mut ()) {}
    }

    impl AddAnyAttr for InHead {
        type Output<SomeNewAttr: Attribute> = InHead;

        fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> InHead {
            self
        }
    }

    impl RenderHtml for InHead {
        type AsyncOutput = InHead;
        type Owned = InHead;

        const MIN_LENGTH: usize = 0;
        const EXISTS: bool = false;

        fn dry_resolve(&mut self) {}

        async fn resolve(self) -> InHead {
            self
        }

        fn to_html_with_buf(self, _: &mut String, _: &mut Position, _: bool, _: bool, _: Vec<AnyAttribute>) {}

        fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, _position: &PositionState) {}

        fn into_owned(self) -> InHead {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_a_title_becomes_text() {
        let title = r#"</title><meta http-equiv=refresh content="0;url=http://evil.example/"> & 'x'"#;
        assert_eq!(
            super::escape_html(title),
            "&lt;/title&gt;&lt;meta http-equiv=refresh content=&quot;0;url=http://evil.example/&quot;&gt; &amp; &#39;x&#39;"
        );
        assert_eq!(super::escape_html("Fremtidens bibliotek – æøå"), "Fremtidens bibliotek – æøå");
    }
}
