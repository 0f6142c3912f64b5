#!/usr/bin/env bash
# `make test`: installs what the tests need, starts a throwaway PostgreSQL cluster, runs every test
# against it, and removes the cluster afterwards, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test

# The checked-in .swift-format is the house style: a violation fails the run (`make format` fixes most).
echo "Checking formatting: swift format lint --strict"
swift format lint --strict --parallel --recursive Sources Tests Fuzz Package.swift

cluster=.hotdesk/test-cluster
# `remove` also deletes a cluster's home outside the checkout (as root in a folder the postgres user cannot enter).
scripts/postgres-cluster.sh remove "$cluster"
cleanup() {
    scripts/postgres-cluster.sh remove "$cluster"
    # The load, fault and production tests remove their own clusters; these are left only if the test process died.
    for private in .hotdesk/resilience-* .hotdesk/production-*; do
        [ -d "$private" ] || continue
        scripts/postgres-cluster.sh remove "$private"
    done
}
trap cleanup EXIT

port=$(scripts/free-port.py)
scripts/postgres-cluster.sh start "$cluster" --throwaway --tcp-port "$port"
export HOTDESK_TEST_PGHOST; HOTDESK_TEST_PGHOST=$(scripts/postgres-cluster.sh socket "$cluster")
export HOTDESK_TEST_PGPORT=$port

scripts/check-compose.py docker-compose.yml

swift build --build-tests
if [ $# -gt 0 ]; then
    swift test --skip-build "$@"
    exit 0
fi
# The load and fault tests (ResilienceTests, about two minutes) run on their own, last: they load both
# cores, which would skew the timing of the other suites, and those would skew theirs.
swift test --skip-build --skip ResilienceTests

# libFuzzer over the pure parsers (forms, request targets, CIDR ranges, PINs, names), FUZZ_SECONDS each.
# A filtered run (`scripts/test.sh --filter X`) skips them.
scripts/fuzz.sh

# The API against its OpenAPI document with schemathesis: every operation, then stateful sequences.
scripts/api-fuzz.sh

# The systemd unit as `make install` installs it: systemd-analyze verify and its exposure score.
scripts/check-systemd.sh "$(swift build --show-bin-path)/hotdesk"

# As root: `make run` and `make clean-db` from a clone in a mode-700 folder (the postgres user cannot enter it).
scripts/check-any-folder.sh

swift test --skip-build --filter ResilienceTests
