//! nginx from Debian in front of servers, as a deployment serves Idétavle: TLS with a
//! certificate made for the test (self-signed, for 127.0.0.1), HTTP/2, websockets upgraded
//! through it; or plain HTTP in front of several instances, round robin without sticky
//! sessions (docs/DEPLOY.md shows the same configuration). Runs in the foreground as one
//! process, so it needs no user switch; stopped on drop.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Nginx {
    pub addr: SocketAddr,
    scheme: &'static str,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// The address nginx will listen on, to give the server as its public URL before either
    /// starts.
    pub fn free_addr() -> SocketAddr {
        super::server::free_addr()
    }

    /// Starts nginx on `addr` with TLS, forwarding everything to `upstream`.
    pub fn tls(addr: SocketAddr, upstream: SocketAddr) -> Nginx {
        let dir = tempfile::Builder::new().prefix("idetavle-nginx-").tempdir().expect("nginx dir");
        make_certificate(dir.path());
        let d = dir.path().display();
        let listen = format!(
            "listen {addr} ssl http2;\n        ssl_certificate {d}/cert.pem;\n        ssl_certificate_key {d}/key.pem;"
        );
        Self::run(dir, addr, &listen, &[upstream], "https")
    }

    /// Starts nginx on `addr` (plain HTTP) in front of several instances: each request and
    /// each websocket goes to the next instance in turn; one that refuses connections is
    /// skipped (and left alone for a second).
    pub fn round_robin(addr: SocketAddr, instances: &[SocketAddr]) -> Nginx {
        let dir = tempfile::Builder::new().prefix("idetavle-nginx-").tempdir().expect("nginx dir");
        Self::run(dir, addr, &format!("listen {addr};"), instances, "http")
    }

    fn run(
        dir: tempfile::TempDir,
        addr: SocketAddr,
        listen: &str,
        upstreams: &[SocketAddr],
        scheme: &'static str,
    ) -> Nginx {
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, config(dir.path(), listen, upstreams)).expect("write nginx.conf");
        let child = Command::new(std::env::var("NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into()))
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx (apt-get install nginx; scripts/test.sh does it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(addr).is_err() {
            let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
            assert!(Instant::now() < deadline, "nginx did not listen on {addr} within 10 s:\n{log}");
            std::thread::sleep(Duration::from_millis(25));
        }
        Nginx { addr, scheme, child, _dir: dir }
    }

    /// `https://…` or `http://…`.
    pub fn base(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// `ws://…` (plain HTTP only).
    pub fn ws_base(&self) -> String {
        format!("ws://{}", self.addr)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn make_certificate(dir: &Path) {
    let status = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "openssl could not make a certificate");
}

fn config(dir: &Path, listen: &str, upstreams: &[SocketAddr]) -> String {
    let dir = dir.display();
    // `max_fails=0`: nginx marks a server down only until a request to it *ends* well, and a
    // websocket lasts the whole workshop, so a restarted instance would get one connection per
    // `fail_timeout`. Instead every connection tries the next server in turn and moves on at
    // once when one refuses (a crashed instance's port refuses at once).
    let servers: String = upstreams.iter().map(|a| format!("server {a} max_fails=0;\n        ")).collect();
    format!(
        r#"
daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream idetavle {{
        {servers}
    }}
    server {{
        {listen}
        location / {{
            proxy_pass http://idetavle;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_connect_timeout 1s;
            proxy_read_timeout 1h;
        }}
    }}
}}
"#
    )
}
