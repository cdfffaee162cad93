# Sourced by the other scripts: makes sure the build tools are installed, at pinned versions.
# Safe to run again: each step is skipped when already done.

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
BINARYEN_VERSION=123.0.0       # wasm-opt; Debian's binaryen 108 produces broken output
ESBUILD_VERSION=0.25.12        # minifies the release JS glue and CSS
AXE_CORE_VERSION=4.14.1        # the accessibility checker the browser tests inject into every page
GECKODRIVER_VERSION=0.37.1     # drives Firefox ESR in the browser tests (crates.io; not a Debian package)
TOOLS_DIR="$(pwd)/.tools"

need_cmd() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif need_cmd sudo; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

ensure_rust() {
  need_cmd cargo || { echo "cargo not found: install rustup first (https://rustup.rs)" >&2; exit 1; }
  # rust-toolchain.toml names the toolchain and the wasm32 target; this installs both if missing.
  rustup show active-toolchain >/dev/null
  rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

ensure_c_toolchain() {
  # SQLite is compiled from source (rusqlite's bundled feature) and needs a C compiler.
  need_cmd cc && need_cmd pkg-config && return 0
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential pkg-config >/dev/null
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    echo "==> installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: its lock file pins a webpki-roots version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet
  fi
}

# Installs an npm package into .tools/npm unless its tool already reports the pinned version.
ensure_npm_tool() { # <package@version> <installed version> <pinned version>
  if [ "$2" != "$3" ]; then
    need_cmd npm || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
    echo "==> installing $1 from npm"
    npm install --silent --prefix "$TOOLS_DIR/npm" "$1" >/dev/null
  fi
}

ensure_wasm_opt() {
  export PATH="$TOOLS_DIR/npm/node_modules/.bin:$PATH"
  ensure_npm_tool "binaryen@$BINARYEN_VERSION" "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" "${BINARYEN_VERSION%%.*}"
}

# esbuild, to minify the release bundle's JS glue and CSS (a few KB off every phone's download).
ensure_minifier() {
  export PATH="$TOOLS_DIR/npm/node_modules/.bin:$PATH"
  ensure_npm_tool "esbuild@$ESBUILD_VERSION" "$(esbuild --version 2>/dev/null)" "$ESBUILD_VERSION"
}

# brotli and gzip, to pre-compress the release bundle once at its best level.
ensure_compressors() {
  need_cmd brotli && need_cmd gzip && return 0
  echo "==> installing brotli"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli gzip >/dev/null
}

ensure_chromium() {
  need_cmd chromium && need_cmd chromedriver && return 0
  echo "==> installing chromium and chromium-driver (for browser tests)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
}

# WebKit (WebKitGTK's MiniBrowser through WebKitWebDriver, on an Xvfb display) and Firefox ESR
# (through geckodriver), for the phone flows in every engine (tests/tests/browser_engines.rs).
ensure_other_engines() {
  if ! { need_cmd WebKitWebDriver && need_cmd Xvfb && need_cmd firefox-esr; }; then
    echo "==> installing WebKitGTK's WebDriver, Xvfb and Firefox ESR (for browser tests)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq webkit2gtk-driver xvfb xauth firefox-esr >/dev/null
  fi
  if [ "$(geckodriver --version 2>/dev/null | head -1 | awk '{print $2}')" != "$GECKODRIVER_VERSION" ]; then
    echo "==> installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --quiet
  fi
}

# nginx (with TLS, in front of the server where a test needs a deployment's HTTPS) and openssl
# (its test certificate).
ensure_nginx() {
  [ -x /usr/sbin/nginx ] && need_cmd openssl && return 0
  echo "==> installing nginx and openssl (for browser tests over TLS)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl >/dev/null
}

# PostgreSQL (the store for several instances, issue 17); the tests start clusters of their own.
ensure_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && need_cmd psql && return 0
  echo "==> installing PostgreSQL (for the PostgreSQL store's tests)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >/dev/null
}

# axe-core, injected by the browser tests into every page (tests/tests/browser_accessibility.rs).
ensure_axe() {
  local dir="$TOOLS_DIR/npm/node_modules/axe-core"
  local installed
  installed="$(node -p "require('$dir/package.json').version" 2>/dev/null || true)"
  ensure_npm_tool "axe-core@$AXE_CORE_VERSION" "$installed" "$AXE_CORE_VERSION"
  export AXE_CORE_JS="$dir/axe.min.js"
}
