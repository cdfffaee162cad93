//! Chrome DevTools Protocol commands through chromedriver (Chromium only).

use fantoccini::Client;

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
