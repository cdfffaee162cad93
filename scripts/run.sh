#!/usr/bin/env bash
# Sets up everything Idétavle needs on a fresh Debian machine (with rustup), builds it in
# release mode and serves it on http://127.0.0.1:3000 with an SQLite file in ./data.
# Extra arguments go to the server, e.g. --addr 0.0.0.0:3000 --public-url http://192.168.1.20:3000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh --release
exec target/release/idetavle "$@"
