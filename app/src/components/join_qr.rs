//! The join link as a QR code, drawn as one SVG path (crisp on any projector).

use crate::i18n::ReactiveText;
use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// SVG path data with one unit square per dark module, plus the side length in modules
/// (including the 4-module quiet zone the QR standard asks for).
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    // Medium error correction survives a projector's glare and a phone's angle.
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let quiet = 4;
    let mut d = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + quiet, y + quiet));
            }
        }
    }
    Some((d, qr.size() + 2 * quiet))
}

#[component]
pub fn JoinQr(url: String, label: &'static str) -> impl IntoView {
    qr_path(&url).map(|(path, side)| {
        view! {
            <svg
                class="join-qr"
                role="img"
                aria-label=label
                viewBox=format!("0 0 {side} {side}")
                shape-rendering="crispEdges"
            >
                <rect width="100%" height="100%" fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    })
}

/// The way in, as the room sees it: the QR code, the link and the join code.
#[component]
pub fn JoinPanel(url: String, code: String) -> impl IntoView {
    let t = crate::i18n::use_texts();
    view! {
        <aside class="join-panel">
            <JoinQr url=url.clone() label="QR" />
            <div>
                <p class="join-label">{t.text(|t| t.control().join_at)}</p>
                <p class="join-url">{url}</p>
                <p class="join-code" aria-label="join code">{code}</p>
            </div>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::qr_path;

    #[test]
    fn a_join_link_becomes_a_square_qr_code() {
        let (path, side) = qr_path("http://127.0.0.1:3000/j/K7PX2M").unwrap();
        assert!(side >= 21 + 8, "version 1 is 21 modules plus the quiet zone");
        assert!(path.starts_with('M') && path.ends_with('z'));
    }
}
