//! The page's `<head>` tags: stylesheet, title and `<html lang>`, through leptos_meta.
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
pub fn page_title(text: String) -> impl IntoView {
    view! { <leptos_meta::Title text /> }
}

#[cfg(all(feature = "participant-bundle", not(feature = "ssr")))]
pub fn head_tags(_lang: RwSignal<Lang>, _stylesheet: &'static str) -> impl IntoView {
    in_head::InHead
}

#[cfg(all(feature = "participant-bundle", not(feature = "ssr")))]
pub fn page_title(_text: String) -> impl IntoView {
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
