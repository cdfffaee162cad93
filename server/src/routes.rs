//! Every route of the server, in one place.

use crate::state::AppState;
use crate::{http, pages};
use app::root::{shell, App};
use axum::routing::{delete, get, post, put};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The whole application as a router; tests can drive it without binding a port.
pub fn app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let boards = pages::PageBoards::context(&state);
    let catalogue = app::api::catalogue::CatalogueContext(state.catalogue.clone());
    let leptos = state.leptos.clone();
    // The browser bundle as the release build pre-compressed it (brotli at its best level,
    // gzip), falling back to compressing on the fly; everything else in the site directory
    // (favicon, …) comes through leptos' file handler below.
    let bundle = std::path::Path::new(&*leptos.site_root).join(&*leptos.site_pkg_dir);
    let bundle = ServeDir::new(bundle).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service("/pkg", bundle)
        .route("/healthz", get(http::health))
        .route("/metrics", get(http::metrics))
        .route("/api/boards", post(http::boards::create_json))
        .route("/api/boards/import", post(http::boards::import))
        .route("/api/boards/{id}", delete(http::deletion::delete_board))
        .route("/api/boards/{id}/expiry", put(http::deletion::set_expiry))
        .route("/api/boards/{id}/export.json", get(http::export::json))
        .route("/api/boards/{id}/export.md", get(http::export::md))
        .route("/api/boards/{id}/export.csv", get(http::export::csv_file))
        .route("/api/workshops", post(http::workshops::create))
        .route("/api/workshops/{id}/tables", post(http::workshops::open_tables))
        .route("/api/workshops/{id}/overview", get(http::workshops::overview))
        .route("/api/workshops/{id}/all", post(http::workshops::for_all_tables))
        .route("/api/workshops/{id}/gather", post(http::workshops::gather))
        .route("/api/workshops/{id}/export.json", get(http::workshops::export_json))
        .route("/api/workshops/{id}/export.md", get(http::workshops::export_md))
        .route("/api/catalogue", get(http::catalogue::search))
        .route("/api/catalogue/export.json", get(http::catalogue::json))
        .route("/api/catalogue/export.md", get(http::catalogue::md))
        .route("/api/catalogue/export.csv", get(http::catalogue::csv_file))
        .route("/new", post(http::boards::create_form))
        .route("/join", get(http::boards::join_by_code))
        .route("/ws/{board_id}", get(http::socket::upgrade))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(boards.clone());
                provide_context(catalogue.clone());
            },
            move || shell(leptos.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), pages::find_joined_board))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            ::http::header::X_CONTENT_TYPE_OPTIONS,
            ::http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            ::http::header::REFERRER_POLICY,
            ::http::HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            ::http::header::X_FRAME_OPTIONS,
            ::http::HeaderValue::from_static("DENY"),
        ))
        .with_state(state)
}

#[cfg(test)]
mod tests;
