//! The facilitator's exports on the projector: Markdown, CSV and JSON downloads (fetched with
//! the facilitator token as a header, never in a URL) and the printable handout.

use crate::i18n::{use_texts, ReactiveText};
use crate::sync::LiveBoard;
use idetavle_core::board::BoardId;
use leptos::prelude::*;

#[component]
pub fn ExportButtons(board_id: BoardId) -> impl IntoView {
    let t = use_texts();
    let print_href = format!("/f/{board_id}/print");
    let id = StoredValue::new(board_id);
    let download = move |ext: &'static str| {
        let id = id.get_value();
        start_download(format!("/api/boards/{id}/export.{ext}"), format!("idetavle-{id}.{ext}"));
    };
    view! {
        <div class="tool-group exports" role="group">
            <span class="tool-label">{t.text(|t| t.control().export)}</span>
            <button class="export-md secondary" on:click=move |_| download("md")>"Markdown"</button>
            <button class="export-csv secondary" on:click=move |_| download("csv")>"CSV"</button>
            <button class="export-json secondary" on:click=move |_| download("json")>"JSON"</button>
            <a class="button secondary print-link" href=print_href target="_blank" rel="external">{t.text(|t| t.control().print)}</a>
        </div>
    }
    .into_any()
}

/// A whole workshop's exports (its plenary and every table), on the plenary's overview.
#[component]
pub fn WorkshopExportButtons(board_id: BoardId) -> impl IntoView {
    let t = use_texts();
    let id = StoredValue::new(board_id);
    let download = move |ext: &'static str| {
        let id = id.get_value();
        start_download(format!("/api/workshops/{id}/export.{ext}"), format!("idetavle-workshop-{id}.{ext}"));
    };
    view! {
        <div class="tool-group exports" role="group">
            <span class="tool-label">{t.text(|t| t.tables().export_workshop)}</span>
            <button class="export-workshop-md secondary" on:click=move |_| download("md")>"Markdown"</button>
            <button class="export-workshop-json secondary" on:click=move |_| download("json")>"JSON"</button>
        </div>
    }
}

/// Downloads `url` (with the facilitator token) as `file`, in the background.
fn start_download(url: String, file: String) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Err(e) = fetch_download(&url, &file).await {
            web_sys::console::warn_1(&e);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, file);
}

/// Fetches `url` with the facilitator token and hands the file to the browser as a download
/// named `file`.
#[cfg(feature = "hydrate")]
async fn fetch_download(url: &str, file: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let response = facilitator_request("GET", url).await?;
    let blob: web_sys::Blob = JsFuture::from(response.blob()?).await?.dyn_into()?;
    let href = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&href);
    a.set_download(file);
    a.click();
    web_sys::Url::revoke_object_url(&href)?;
    Ok(())
}

/// A request with the facilitator token from the page's fragment as a bearer header (never in
/// the URL); an error unless the answer is 2xx.
#[cfg(feature = "hydrate")]
pub async fn facilitator_request(method: &str, url: &str) -> Result<web_sys::Response, wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let token = super::facilitator_token();
    let headers = web_sys::Headers::new()?;
    headers.set("Authorization", &format!("Bearer {token}"))?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
    if !response.ok() {
        return Err(format!("{method} {url} failed: {}", response.status()).into());
    }
    Ok(response)
}

/// Deletes the board for good after a second tap; the screen then says so (as every other
/// screen of the board does when the server tells it).
#[component]
pub fn DeleteBoardButton(board_id: BoardId, live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let confirming = RwSignal::new(false);
    let id = StoredValue::new(board_id);
    let delete = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match facilitator_request("DELETE", &format!("/api/boards/{}", id.get_value())).await {
                Ok(_) => live.ended.set(Some(idetavle_core::protocol::ErrorCode::BoardDeleted)),
                Err(e) => web_sys::console::warn_1(&e),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, live);
    };
    view! {
        <div class="tool-group delete-board" role="group">
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button class="danger delete-board-start" on:click=move |_| confirming.set(true)>{t.text(|t| t.control().delete_board)}</button>
                }
            >
                <button class="danger delete-board-confirm" on:click=delete>{t.text(|t| t.control().delete_board_confirm)}</button>
                <button class="secondary" on:click=move |_| confirming.set(false)>{t.text(|t| t.cancel)}</button>
            </Show>
        </div>
    }
    .into_any()
}
