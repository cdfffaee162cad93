//! A WebDriver server for one engine, on a free loopback port, killed on drop:
//! - Chromium: `chromedriver`, headless, with mobile emulation for phones;
//! - WebKit: `WebKitWebDriver` driving MiniBrowser (WebKitGTK) on its own Xvfb display;
//! - Firefox ESR: `geckodriver`, headless.
//!
//! Each session starts from an empty profile. Only Chromium can emulate a touch phone; the
//! other two get a window of the phone's size (WebKitGTK's is at least ~450 px wide).

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A browser engine the tests can drive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    WebKit,
    Firefox,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::WebKit, Engine::Firefox];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "Chromium",
            Engine::WebKit => "WebKit",
            Engine::Firefox => "Firefox",
        }
    }
}

const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
/// WebKitGTK windows do not get narrower than this.
const WEBKIT_MIN_WIDTH: u32 = 450;

pub struct Driver {
    engine: Engine,
    /// chromedriver's port; WebKitWebDriver and geckodriver take one session each, so those
    /// are started per session.
    shared_port: Option<u16>,
    /// For WebKit, the X display it draws on.
    display: Option<u32>,
    /// The WebDriver servers, then the X server (killed in this order).
    children: Vec<Child>,
    _xvfb_out: Option<std::process::ChildStdout>,
    _profiles: Vec<tempfile::TempDir>,
}

impl Driver {
    /// Headless Chromium, as most browser tests use.
    pub fn start() -> Driver {
        Self::start_engine(Engine::Chromium)
    }

    pub fn start_engine(engine: Engine) -> Driver {
        let mut driver = Driver {
            engine,
            shared_port: None,
            display: None,
            children: Vec::new(),
            _xvfb_out: None,
            _profiles: Vec::new(),
        };
        match engine {
            Engine::Chromium => driver.shared_port = Some(driver.start_webdriver()),
            Engine::WebKit => {
                let (xvfb, display, out) = start_xvfb();
                driver.children.push(xvfb);
                driver.display = Some(display);
                driver._xvfb_out = Some(out);
            }
            Engine::Firefox => {}
        }
        driver
    }

    /// Starts the engine's WebDriver server on a free port and waits until it listens.
    fn start_webdriver(&mut self) -> u16 {
        let port = crate::support::server::free_addr().port();
        let child = match self.engine {
            Engine::Chromium => {
                let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
                spawn(Command::new(bin).arg(format!("--port={port}")), "chromedriver (apt-get install chromium-driver)")
            }
            Engine::WebKit => {
                let mut cmd = Command::new("WebKitWebDriver");
                cmd.arg(format!("--port={port}")).env("DISPLAY", format!(":{}", self.display.unwrap_or_default()));
                spawn(&mut cmd, "WebKitWebDriver (apt-get install webkit2gtk-driver xvfb)")
            }
            Engine::Firefox => {
                let bin = std::env::var("GECKODRIVER").unwrap_or_else(|_| "geckodriver".into());
                // Marionette listens on a port the system picks, so drivers can run side by side.
                let mut cmd = Command::new(bin);
                cmd.args(["--host", "127.0.0.1", "--port", &port.to_string()]);
                spawn(&mut cmd, "geckodriver (cargo install geckodriver; scripts/test.sh does it)")
            }
        };
        self.children.insert(0, child);
        wait_listening(port, self.engine.name());
        port
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A phone-sized screen (in Chromium a touch screen, by mobile emulation), like a participant's.
    pub async fn phone(&mut self, width: u32, height: u32) -> Client {
        self.session(width, height, true).await
    }

    /// A desktop screen, like a projector's.
    pub async fn desktop(&mut self, width: u32, height: u32) -> Client {
        self.session(width, height, false).await
    }

    /// A new browser whose viewport is `width`×`height` (in Chromium exactly; elsewhere its
    /// window), with its own empty profile.
    pub async fn session(&mut self, width: u32, height: u32, mobile: bool) -> Client {
        let caps = match self.engine {
            Engine::Chromium => self.chromium_caps(width, height, mobile),
            Engine::WebKit => json_caps(serde_json::json!({
                "browserName": "MiniBrowser",
                "webkitgtk:browserOptions": { "binary": MINIBROWSER, "args": ["--automation"] },
            })),
            Engine::Firefox => json_caps(serde_json::json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into()),
                    "args": ["-headless", "-width", width.to_string(), "-height", height.to_string()],
                    "prefs": { "devtools.console.stdout.content": true },
                },
            })),
        };
        // The tests' own TLS (nginx in front, `support::nginx`) has a self-signed certificate.
        let mut caps = caps;
        caps.insert("acceptInsecureCerts".into(), true.into());
        let port = match self.shared_port {
            Some(port) => port,
            None => self.start_webdriver(),
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("open a {} session: {e}", self.engine.name()));
        if self.engine != Engine::Chromium {
            let width = match self.engine {
                Engine::WebKit => width.max(WEBKIT_MIN_WIDTH),
                _ => width,
            };
            client.set_window_size(width, height).await.expect("size the window");
        }
        client
    }

    fn chromium_caps(&mut self, width: u32, height: u32, mobile: bool) -> fantoccini::wd::Capabilities {
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
        json_caps(serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "args": args,
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                // Device metrics set the viewport itself (a window size would include chrome).
                "mobileEmulation": { "deviceMetrics": {
                    "width": width, "height": height, "pixelRatio": 1.0, "mobile": mobile, "touch": mobile
                } },
            },
        }))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        for child in &mut self.children {
            stop(child);
        }
    }
}

fn json_caps(value: serde_json::Value) -> fantoccini::wd::Capabilities {
    match value {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("capabilities are a JSON object"),
    }
}

fn spawn(cmd: &mut Command, what: &str) -> Child {
    cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap_or_else(|e| panic!("start {what}: {e}"))
}

fn wait_listening(port: u16, engine: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the {engine} WebDriver server did not listen within 20 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An X server of its own for WebKitGTK (it has no headless mode). Xvfb picks a free display
/// itself (passing over stale locks) and writes its number to stdout once it accepts clients.
/// Its stdout is kept open: a write to a closed pipe would end it.
fn start_xvfb() -> (Child, u32, std::process::ChildStdout) {
    use std::io::{BufRead, BufReader};
    let mut xvfb = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start Xvfb (apt-get install xvfb): {e}"));
    let mut line = String::new();
    let mut out = BufReader::new(xvfb.stdout.take().expect("Xvfb's stdout"));
    let _ = out.read_line(&mut line);
    match line.trim().parse() {
        Ok(display) => (xvfb, display, out.into_inner()),
        Err(_) => panic!("Xvfb did not say which display it took: {line:?}"),
    }
}

/// Asks a process to stop (SIGTERM), so Xvfb removes its lock file; kills it after 2 s.
fn stop(child: &mut Child) {
    let asked = Command::new("kill").arg(child.id().to_string()).status().is_ok_and(|s| s.success());
    let deadline = Instant::now() + Duration::from_secs(2);
    while asked && Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
