//! Headless Chromium through chromedriver, each session in a fresh profile.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A chromedriver process on a free loopback port; killed on drop.
pub struct Driver {
    child: Child,
    port: u16,
    _profiles: Vec<tempfile::TempDir>,
}

impl Driver {
    pub fn start() -> Driver {
        let port = super::server::free_addr().port();
        let child = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver (apt-get install chromium-driver; scripts/test.sh does it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port, _profiles: Vec::new() }
    }

    /// A phone-sized touch screen (mobile emulation), like a participant's.
    pub async fn phone(&mut self, width: u32, height: u32) -> Client {
        self.session(width, height, true).await
    }

    /// A desktop screen, like a projector's.
    pub async fn desktop(&mut self, width: u32, height: u32) -> Client {
        self.session(width, height, false).await
    }

    /// A new headless Chromium whose viewport is exactly `width`×`height`, with its own
    /// empty profile.
    pub async fn session(&mut self, width: u32, height: u32, mobile: bool) -> Client {
        let profile = tempfile::Builder::new().prefix("idetavle-chromium-").tempdir().expect("profile dir");
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={width},{height}"),
        ];
        self._profiles.push(profile);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "args": args,
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                // Device metrics set the viewport itself (a window size would include chrome).
                "mobileEmulation": { "deviceMetrics": {
                    "width": width, "height": height, "pixelRatio": 1.0, "mobile": mobile, "touch": mobile
                } },
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("open a Chromium session");
        client
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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

/// A Chrome DevTools Protocol command sent through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct CdpCommand {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// Runs a DevTools command (e.g. `Profiler.start`) in the session's page and returns its result.
pub async fn cdp(client: &Client, cmd: &str, params: serde_json::Value) -> serde_json::Value {
    client
        .issue_cmd(CdpCommand { cmd: cmd.to_owned(), params })
        .await
        .unwrap_or_else(|e| panic!("DevTools command {cmd}: {e}"))
}
