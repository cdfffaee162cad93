#!/usr/bin/env bash
# Builds the site (WASM + JS + CSS + public files) into target/site, then the server.
# Usage: scripts/build.sh [--release] [--site-only]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

release=false
site_only=false
for arg in "$@"; do
  case "$arg" in
    --release) release=true ;;
    --site-only) site_only=true ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

ensure_rust
ensure_c_toolchain
ensure_wasm_bindgen
$release && ensure_wasm_opt

if $release; then wasm_profile=wasm-release; else wasm_profile=dev; fi
wasm_dir=target/wasm32-unknown-unknown/$([ "$wasm_profile" = dev ] && echo debug || echo "$wasm_profile")
site=target/site

echo "==> building the browser bundle ($wasm_profile)"
cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --profile "$wasm_profile"
rm -rf "$site" && mkdir -p "$site/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name idetavle "$wasm_dir/app.wasm"
# LEPTOS_OUTPUT_NAME is set (.cargo/config.toml), so the page asks for idetavle.wasm.
mv "$site/pkg/idetavle_bg.wasm" "$site/pkg/idetavle.wasm"
if $release; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    -o "$site/pkg/idetavle.wasm" "$site/pkg/idetavle.wasm"
fi
cp style/main.css "$site/pkg/idetavle.css"
cp -r public/. "$site/"

if $site_only; then ls -l "$site/pkg"; exit 0; fi

echo "==> building the server"
if $release; then cargo build -p server --release; else cargo build -p server; fi
ls -l "$site/pkg"
