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
status=0
cargo test --workspace --no-fail-fast -- --test-threads=2 || status=$?

# The same integration suite once more, browser tests included, with every server on
# PostgreSQL (one switch, IDETAVLE_TEST_STORE=postgres): a cluster for the run, a database per
# server. Tests that start PostgreSQL themselves, and those no server's store can change, are
# not repeated.
echo "==> the integration suite again, on PostgreSQL"
suite=()
for file in tests/tests/*.rs; do
    name=$(basename "$file" .rs)
    case "$name" in
        # The promises run on the hub in-process, over the in-memory store, both ways already;
        # the load generator has its own --postgres; the page's weight and the module graph are
        # the same whatever the store.
        page_weight|module_graph|store_contract|postgres_*|instances|failover|migrate|loadgen_smoke) ;;
        *) suite+=(--test "$name") ;;
    esac
done
cargo build -q -p tests --bin postgres-for-tests
coproc CLUSTER { target/debug/postgres-for-tests; }
read -r cluster_url <&"${CLUSTER[0]}"
IDETAVLE_TEST_STORE=postgres IDETAVLE_TEST_POSTGRES="$cluster_url" \
    cargo test -p tests --no-fail-fast "${suite[@]}" -- --test-threads=2 || status=$?
eval "exec ${CLUSTER[1]}>&-" # its standard input closes: the cluster stops
wait "$CLUSTER_PID" || true
echo "==> build and tests took $(( $(date +%s) - start )) s"
exit "$status"
