#!/usr/bin/env bash
# Sets up what the tests need (Chromium, WebKitGTK and Firefox ESR with their WebDrivers, nginx,
# the wasm toolchain) and runs every test: unit, server integration over real websockets, and
# browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
ensure_chromium
ensure_other_engines
ensure_nginx
ensure_postgres
ensure_axe
start=$(date +%s)
# A clean run gains nothing from incremental state, and it cost CI ~11 GB of disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# The tests build the server themselves (with the test feature set), so only the site is built
# here: building the server separately would compile most crates twice.
scripts/build.sh --site-only
echo "==> running all tests"
cargo test --workspace --no-fail-fast -- --test-threads=2
echo "==> build and tests took $(( $(date +%s) - start )) s"
