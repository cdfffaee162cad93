//! Real browsers driven through WebDriver: [`Driver`] starts an engine (headless Chromium by
//! default; WebKit and Firefox for the phone flows), each session in a fresh profile; the
//! helpers here wait for what a user would see.

mod cdp;
mod driver;

pub use cdp::cdp;
pub use driver::{Driver, Engine};

use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

/// Polls `check` until it returns `Some`, or fails the test after `within`.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out after {within:?} waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Texts of all elements matching a CSS selector.
pub async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(elements) = client.find_all(Locator::Css(css)).await {
        for e in elements {
            if let Ok(t) = e.text().await {
                out.push(t);
            }
        }
    }
    out
}

/// Waits until the page has hydrated (the app marks `<body data-hydrated>`).
/// Opens `projector_url` and `phone_url` and waits until both pages are hydrated and online.
pub async fn open_and_wait_online(projector: &Client, projector_url: &str, phone: &Client, phone_url: &str) {
    projector.goto(projector_url).await.expect("open the projector");
    phone.goto(phone_url).await.expect("open the phone page");
    for (client, who) in [(projector, "projector"), (phone, "phone")] {
        wait_hydrated(client).await;
        wait_online(client, who).await;
    }
}

/// Waits until the page's connection badge says online (after a reconnect, too).
pub async fn wait_online(client: &Client, who: &str) {
    eventually(Duration::from_secs(30), &format!("{who} online"), || async {
        client.find(Locator::Css(".badge.online")).await.ok().map(|_| ())
    })
    .await;
}

pub async fn wait_hydrated(client: &Client) {
    eventually(Duration::from_secs(20), "page hydrated", || async {
        client.find(Locator::Css("body[data-hydrated]")).await.ok().map(|_| ())
    })
    .await;
}
