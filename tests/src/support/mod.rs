pub mod browser;
pub mod catalogue;
pub mod client;
pub mod http;
pub mod instances;
pub mod nginx;
pub mod postgres;
pub mod profile;
pub mod proxy;
pub mod server;

use std::path::PathBuf;
use std::sync::Once;

/// The repository root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where test artefacts (screenshots) go: `target/test-output`, not committed.
pub fn output_dir() -> PathBuf {
    let dir = workspace_root().join("target").join("test-output");
    std::fs::create_dir_all(&dir).expect("create target/test-output");
    dir
}

/// Logs from the server under test, shown for failing tests (`RUST_LOG` to change the level).
pub fn init_tracing() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    });
}

/// A fresh temporary directory for one test's SQLite file.
pub fn temp_data_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("idetavle-test-").tempdir().expect("create temp dir")
}

/// A random participant secret, as a browser would make one.
pub fn new_secret() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
