#!/usr/bin/env bash
# `make test`: installs what the tests need, starts a throwaway PostgreSQL cluster, runs every test
# against it, and removes the cluster afterwards, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test

cluster=.hotdesk/test-cluster
scripts/postgres-cluster.sh stop "$cluster"
rm -rf "$cluster"
cleanup() {
    scripts/postgres-cluster.sh stop "$cluster"
    rm -rf "$cluster"
}
trap cleanup EXIT

port=$(scripts/free-port.py)
scripts/postgres-cluster.sh start "$cluster" --throwaway --tcp-port "$port"
export HOTDESK_TEST_PGHOST; HOTDESK_TEST_PGHOST=$(scripts/postgres-cluster.sh socket "$cluster")
export HOTDESK_TEST_PGPORT=$port

scripts/check-compose.py docker-compose.yml

swift build --build-tests
swift test --skip-build "$@"

# libFuzzer over the pure parsers (forms, request targets, CIDR ranges, PINs, names), FUZZ_SECONDS each.
# A filtered run (`scripts/test.sh --filter X`) skips them.
if [[ $# -eq 0 ]]; then
    scripts/fuzz.sh
fi
