//! Shared helpers for Idétavle's end-to-end tests (the tests themselves live in `tests/`).
//!
//! - [`support::server`]: a real server on a loopback port, in-process or as a process to kill.
//! - [`support::client`]: a websocket client speaking the real protocol, tracking its board
//!   with the same `SyncState` the browser uses.
//! - [`support::http`]: a small HTTP client for the JSON API.
//! - [`support::browser`]: headless Chromium sessions through chromedriver.
//! - [`loadgen`]: the load generator behind `--bin loadgen` (issue 6; see BENCHMARKS.md).

pub mod loadgen;
pub mod support;
