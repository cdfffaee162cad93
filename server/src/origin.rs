//! Which web pages may open a board's websocket (cross-site websocket hijacking guard).
//!
//! Browsers always send `Origin` on a websocket upgrade; a page of another site must not open a
//! board with the visitor's browser. Clients that are not browsers send no `Origin` and are
//! allowed: they carry no one else's credentials.
//!
//! - With `--public-url`: exactly that origin (scheme, host and port), plus any
//!   `--allowed-origin`.
//! - Without it (a laptop on a workshop network): the default public URL, `http://<addr>`, plus
//!   any `--allowed-origin`, plus the page's own origin when the `Host` it was fetched from is
//!   an IP address or `localhost`. A DNS name in `Host` is not trusted on its own: a page on
//!   `evil.example` that makes its name resolve to this server (DNS rebinding) sends
//!   `Host: evil.example` and `Origin: http://evil.example`, which match. An IP address cannot
//!   be rebound, so a page served from one really came from this server.

use axum::http::{header, HeaderMap, Uri};
use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct Origins {
    /// Normalised origins (`scheme://host[:port]`, lower case, default ports left out).
    allowed: Vec<String>,
    /// Whether a page's own origin counts when it was fetched by IP address or `localhost`.
    same_host_by_address: bool,
}

impl Origins {
    /// `public_url`: the configured `--public-url`, if any; `default_base`: `http://<addr>`.
    pub fn new(public_url: Option<&str>, default_base: &str, extra: &[String]) -> Origins {
        let configured = public_url.unwrap_or(default_base);
        let allowed =
            std::iter::once(configured).chain(extra.iter().map(String::as_str)).filter_map(normalise).collect();
        Origins { allowed, same_host_by_address: public_url.is_none() }
    }

    pub fn allow(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN) else { return true };
        let Some(origin) = origin.to_str().ok().and_then(normalise) else { return false };
        if self.allowed.contains(&origin) {
            return true;
        }
        if !self.same_host_by_address {
            return false;
        }
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
        let by_address = host_name(&host).is_some_and(|name| name == "localhost" || name.parse::<IpAddr>().is_ok());
        by_address
            && ["http://", "https://"]
                .iter()
                .any(|scheme| normalise(&format!("{scheme}{host}")) == Some(origin.clone()))
    }
}

/// `scheme://host[:port]` of a URL, lower case, without a default port; `None` if it is not an
/// http(s) URL.
fn normalise(url: &str) -> Option<String> {
    let uri: Uri = url.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let authority = uri.authority()?;
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let host = authority.host().to_ascii_lowercase();
    Some(match authority.port_u16() {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// The host name of a `Host` header, without port or IPv6 brackets.
fn host_name(host: &str) -> Option<&str> {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split_once(']').map(|(name, _)| name);
    }
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::Origins;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert("origin", HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn with_a_public_url_only_that_origin_and_the_listed_ones_may_connect() {
        let extra = vec!["https://intra.kommune.dk".to_owned()];
        let o = Origins::new(Some("https://tavle.kommune.dk/"), "http://127.0.0.1:3000", &extra);
        assert!(o.allow(&headers(Some("https://tavle.kommune.dk"), "tavle.kommune.dk")));
        assert!(o.allow(&headers(Some("https://TAVLE.kommune.dk:443"), "x")), "case and default port");
        assert!(o.allow(&headers(Some("https://intra.kommune.dk"), "tavle.kommune.dk")));
        assert!(!o.allow(&headers(Some("http://tavle.kommune.dk"), "tavle.kommune.dk")), "another scheme");
        assert!(!o.allow(&headers(Some("https://tavle.kommune.dk:8443"), "tavle.kommune.dk")), "another port");
        assert!(!o.allow(&headers(Some("http://evil.example"), "evil.example")), "a rebound name");
        assert!(!o.allow(&headers(Some("http://127.0.0.1:3000"), "127.0.0.1:3000")), "only the public URL");
        assert!(o.allow(&headers(None, "x")), "not a browser");
    }

    #[test]
    fn without_one_a_page_from_this_address_may_connect_but_a_rebound_name_may_not() {
        let o = Origins::new(None, "http://0.0.0.0:3000", &[]);
        assert!(o.allow(&headers(Some("http://192.168.1.20:3000"), "192.168.1.20:3000")));
        assert!(o.allow(&headers(Some("http://localhost:3000"), "localhost:3000")));
        assert!(o.allow(&headers(Some("http://[::1]:3000"), "[::1]:3000")));
        assert!(!o.allow(&headers(Some("http://evil.example"), "evil.example")), "DNS rebinding");
        assert!(!o.allow(&headers(Some("http://evil.example:3000"), "evil.example:3000")));
        assert!(!o.allow(&headers(Some("https://evil.example"), "192.168.1.20:3000")));
        assert!(!o.allow(&headers(Some("http://192.168.1.20:3000.evil.example"), "192.168.1.20:3000")));
        assert!(!o.allow(&headers(Some("http://192.168.1.20:3001"), "192.168.1.20:3000")), "another port");
        assert!(!o.allow(&headers(Some("null"), "192.168.1.20:3000")), "an opaque origin");
    }
}
