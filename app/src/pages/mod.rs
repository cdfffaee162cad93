//! One file per page.

mod catalogue;
mod catalogue_entry;
mod home;
mod not_found;
mod participant;
mod print;
mod projector;

pub use catalogue::CataloguePage;
pub use catalogue_entry::CatalogueEntryPage;
pub use home::HomePage;
pub use not_found::{NotFoundPage, UnknownBoard};
pub use participant::ParticipantPage;
pub use print::PrintPage;
pub use projector::ProjectorPage;

use crate::api::BoardPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A route parameter, as a reactive source for a resource.
fn param(name: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// Shows a loaded board with `show`, or the friendly page for a wrong code or link.
fn with_board<F>(page: Resource<Result<Option<BoardPage>, ServerFnError>>, show: F) -> AnyView
where
    F: Fn(BoardPage) -> AnyView + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(Some(page)) => show(page),
                        _ => view! { <UnknownBoard /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}
