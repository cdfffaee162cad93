//! The peer: y-websocket's server (npm `y-websocket`, the `y-websocket-server` bin), the most
//! used open-source sync server, run with the machine's Node.js. Installed by the harness into
//! `<repo>/.tools/peer` (git-ignored) on first use; its clients are in [`super::peer_client`].
//!
//! The server keeps one Y.Doc per room (the URL path) in memory and rebroadcasts every update
//! it applies to every connection of the room, the sender's included.

use crate::support::workspace_root;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Exact versions: `y-websocket@2.1.0` as the issue asks, with the `yjs@13` that resolved to
/// when this was written (`@y/websocket-server` 0.1.5, the newer server, does not install here).
pub const PACKAGES: [(&str, &str); 2] = [("y-websocket", "2.1.0"), ("yjs", "13.6.33")];

/// Where the harness installs the peer.
pub fn install_dir() -> PathBuf {
    let root = workspace_root();
    root.canonicalize().unwrap_or(root).join(".tools").join("peer")
}

/// The server script behind the `y-websocket-server` bin, installing the pinned packages first
/// if they are absent or at other versions. Install scripts are skipped: the only one is
/// leveldown's, for y-websocket's optional persistence (`YPERSISTENCE`), which the peer runs without.
pub fn ensure_installed() -> anyhow::Result<PathBuf> {
    let dir = install_dir();
    let script = dir.join("node_modules/y-websocket/bin/server.cjs");
    if script.is_file()
        && PACKAGES.iter().all(|(name, version)| installed_version(&dir, name).as_deref() == Some(*version))
    {
        return Ok(script);
    }
    let specs: Vec<String> = PACKAGES.iter().map(|(name, version)| format!("{name}@{version}")).collect();
    eprintln!("loadgen: installing the peer: npm install --prefix {} {}", dir.display(), specs.join(" "));
    std::fs::create_dir_all(&dir)?;
    let began = Instant::now();
    let status = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(&dir)
        .args(["--save-exact", "--no-audit", "--no-fund", "--ignore-scripts"])
        .args(&specs)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| anyhow::anyhow!("running npm (Node.js and npm are needed for the peer): {e}"))?;
    anyhow::ensure!(status.success(), "npm install of the peer failed: {status}");
    anyhow::ensure!(script.is_file(), "npm installed y-websocket without {}", script.display());
    eprintln!("loadgen: peer installed in {:.1} s", began.elapsed().as_secs_f64());
    Ok(script)
}

fn installed_version(dir: &Path, package: &str) -> Option<String> {
    let manifest = std::fs::read_to_string(dir.join("node_modules").join(package).join("package.json")).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest).ok()?;
    manifest.get("version")?.as_str().map(str::to_owned)
}

/// `HOST=127.0.0.1 PORT=<port> node …/y-websocket/bin/server.cjs`: the same process as the
/// `y-websocket-server` bin (which is a symlink to that script), run by `node` directly so that
/// the child's pid, and so its memory in /proc, is the server's.
pub fn command(addr: SocketAddr) -> anyhow::Result<Command> {
    let script = ensure_installed()?;
    let mut cmd = Command::new("node");
    cmd.arg(script).env("HOST", addr.ip().to_string()).env("PORT", addr.port().to_string());
    Ok(cmd)
}
