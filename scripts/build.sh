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
$release && ensure_minifier
$release && ensure_compressors

if $release; then wasm_profile=wasm-release; else wasm_profile=dev; fi
wasm_dir=target/wasm32-unknown-unknown/$([ "$wasm_profile" = dev ] && echo debug || echo "$wasm_profile")
site=target/site

rm -rf "$site" && mkdir -p "$site/pkg"
# Two bundles from the app crate: the participant's (only the phone page; most people in the room
# load only this one) and the whole app (projector, catalogue, home).
bundle() { # <features> <output name>
  echo "==> building the browser bundle $2 ($wasm_profile)"
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features "$1" --profile "$wasm_profile"
  wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name "$2" "$wasm_dir/app.wasm"
  # LEPTOS_OUTPUT_NAME is set (.cargo/config.toml), so the page asks for <name>.wasm, not <name>_bg.wasm.
  mv "$site/pkg/${2}_bg.wasm" "$site/pkg/$2.wasm"
  if $release; then
    # --converge: repeat until nothing shrinks (about 1 KB more off the compressed bundle). -Os
    # leaves more code than -Oz but of a kind brotli packs better: about 1 KB smaller compressed.
    wasm-opt -Os --converge --enable-bulk-memory --enable-nontrapping-float-to-int -o "$site/pkg/$2.wasm" "$site/pkg/$2.wasm"
    esbuild --minify --log-level=warning --allow-overwrite "$site/pkg/$2.js" --outfile="$site/pkg/$2.js"
  fi
}
bundle hydrate,participant-bundle idetavle-participant
bundle hydrate idetavle
# The participant's page needs only board.css; the whole app loads both, in this order.
cat style/board.css > "$site/pkg/idetavle-participant.css"
cat style/board.css style/app.css > "$site/pkg/idetavle.css"
if $release; then
  for css in "$site"/pkg/*.css; do
    esbuild --minify --log-level=warning --allow-overwrite "$css" --outfile="$css"
  done
fi
cp -r public/. "$site/"
# The service worker is fetched by every phone (and kept up to date): without its comments.
$release && esbuild --minify --log-level=warning --allow-overwrite "$site/sw.js" --outfile="$site/sw.js"
if $release; then
  # Served as they are to browsers that accept them (the server falls back to compressing on
  # the fly); a few seconds here instead of a weaker compression on every request.
  for f in "$site"/pkg/*.wasm "$site"/pkg/*.js "$site"/pkg/*.css; do
    brotli -f -q 11 -k "$f"
    gzip -f -9 -k "$f"
  done
fi

if $site_only; then ls -l "$site/pkg"; exit 0; fi

echo "==> building the server"
if $release; then cargo build -p server --release; else cargo build -p server; fi
ls -l "$site/pkg"
