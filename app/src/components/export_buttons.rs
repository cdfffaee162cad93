//! The facilitator's exports on the projector: Markdown, CSV and JSON downloads (fetched with
//! the facilitator token as a header, never in a URL) and the printable handout.

use crate::board::BoardId;
use crate::i18n::use_texts;
use leptos::prelude::*;

#[component]
pub fn ExportButtons(board_id: BoardId) -> impl IntoView {
    let t = use_texts();
    let print_href = format!("/f/{board_id}/print");
    let id = StoredValue::new(board_id);
    let download = move |ext: &'static str| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Err(e) = fetch_download(&id.get_value(), ext).await {
                web_sys::console::warn_1(&e);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (ext, id);
    };
    view! {
        <div class="tool-group exports" role="group">
            <span class="tool-label">{move || t.get().export}</span>
            <button class="export-md secondary" on:click=move |_| download("md")>"Markdown"</button>
            <button class="export-csv secondary" on:click=move |_| download("csv")>"CSV"</button>
            <button class="export-json secondary" on:click=move |_| download("json")>"JSON"</button>
            <a class="button secondary print-link" href=print_href target="_blank" rel="external">{move || t.get().print}</a>
        </div>
    }
    .into_any()
}

/// Fetches `/api/boards/{id}/export.{ext}` with the token from the page's fragment and hands
/// the file to the browser as a download.
#[cfg(feature = "hydrate")]
async fn fetch_download(board_id: &BoardId, ext: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let token = window.location().hash()?.trim_start_matches('#').to_owned();
    let headers = web_sys::Headers::new()?;
    headers.set("Authorization", &format!("Bearer {token}"))?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let url = format!("/api/boards/{board_id}/export.{ext}");
    let request = web_sys::Request::new_with_str_and_init(&url, &init)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
    if !response.ok() {
        return Err(format!("export failed: {}", response.status()).into());
    }
    let blob: web_sys::Blob = JsFuture::from(response.blob()?).await?.dyn_into()?;
    let href = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = window.document().ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&href);
    a.set_download(&format!("idetavle-{board_id}.{ext}"));
    a.click();
    web_sys::Url::revoke_object_url(&href)?;
    Ok(())
}
