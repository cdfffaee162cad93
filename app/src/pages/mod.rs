//! One file per page.

mod catalogue;
mod catalogue_entry;
mod home;
mod joined;
mod not_found;
mod participant;
mod presentation;
mod print;
mod projector;

pub use catalogue::CataloguePage;
pub use catalogue_entry::CatalogueEntryPage;
pub use home::HomePage;
pub use joined::{board_meta, JoinedBoard};
pub use not_found::{NotFoundPage, UnknownBoard};
pub use participant::ParticipantPage;
pub use presentation::PresentationPage;
pub use print::PrintPage;
pub use projector::ProjectorPage;

use crate::api::BoardCodec;
use crate::api::BoardPage;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A route parameter, as a reactive source for a resource.
fn param(name: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// The path of the page being rendered: the request's on the server, the address bar's in the
/// browser.
pub fn current_path() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        return parts.uri.path().to_owned();
    }
    #[cfg(feature = "hydrate")]
    if let Some(path) = web_sys::window().and_then(|w| w.location().pathname().ok()) {
        return path;
    }
    String::new()
}

/// The join code in a participant's path (`/j/{code}`, exactly the router's route), if it is one.
pub fn join_code_in(path: &str) -> Option<&str> {
    let code = path.strip_prefix("/j/")?;
    (!code.is_empty() && !code.contains('/')).then_some(code)
}

/// A board page, loaded while the server renders the page and read back in the browser with
/// [`BoardCodec`] (no serde decoder in the bundle).
type BoardResource = Resource<Result<Option<BoardPage>, ServerFnError>, BoardCodec>;

fn board_resource<S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> BoardResource
where
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = Result<Option<BoardPage>, ServerFnError>> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// Shows a loaded board with `show`, or the friendly page for a wrong code or link.
fn with_board<F, V>(page: BoardResource, show: F) -> impl IntoView
where
    F: Fn(BoardPage) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(Some(page)) => Either::Left(show(page)),
                        _ => Either::Right(view! { <UnknownBoard /> }),
                    }
                })
            }}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::join_code_in;

    #[test]
    fn only_a_join_path_has_a_join_code() {
        assert_eq!(join_code_in("/j/ABC123"), Some("ABC123"));
        for path in ["/", "/j/", "/j", "/j/ABC123/", "/f/x", "/j/ABC/print", "/katalog"] {
            assert_eq!(join_code_in(path), None, "{path}");
        }
    }
}
