#!/usr/bin/env bash
# Checks that `make run` and `make clean-db` work as root from a folder the `postgres` user cannot enter:
# clones the committed HEAD of a repository into a fresh mode-700 folder (under /root when it exists, else
# /tmp), serves the portal there with scripts/run.sh (what `make run` runs) on a free port, waits until
# GET /login answers 200, stops it, runs `make clean-db`, checks that the cluster's home under
# /var/lib/postgresql/hotdesk-clusters/ is gone, and deletes the clone.
#
#   scripts/check-any-folder.sh [SOURCE_REPOSITORY]   default: the repository this script is in
#   CHECK_TIMEOUT=360                                  seconds to wait for the page (the clone builds from scratch)
#
# Only the committed HEAD is cloned: uncommitted changes are not checked (commit them in a scratch clone and
# pass its path to check them). As a normal user there is nothing to check: it says so and exits 0.
set -euo pipefail

source_repo=$(realpath "${1:-$(dirname "$0")/..}")
timeout=${CHECK_TIMEOUT:-360}

log() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'check-any-folder: FAILED: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
    log "Not root: the postgres user's reach does not matter to a normal user's cluster; nothing to check"
    exit 0
fi
git -C "$source_repo" rev-parse --verify -q HEAD >/dev/null || fail "$source_repo is not a git repository with a commit"

base=/tmp
[ -d /root ] && base=/root
outer=$(mktemp -d "$base/hotdesk-any-folder.XXXXXX")
chmod 700 "$outer"
clone=$outer/hotdesk
server_pid=""
home=""

cleanup() {
    local status=$?
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM -- "-$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ -d "$clone" ]; then
        (cd "$clone" && scripts/postgres-cluster.sh remove .hotdesk/postgres) >/dev/null 2>&1 || true
    fi
    [ -n "$home" ] && rm -rf "$home"
    rm -rf "$outer"
    exit "$status"
}
trap cleanup EXIT

log "Cloning $(git -C "$source_repo" rev-parse --short HEAD) of $source_repo into $clone (its folder has mode 700)"
git clone -q "$source_repo" "$clone"
if runuser -u postgres -- test -x "$clone" 2>/dev/null; then
    fail "the postgres user can enter $clone: the check would prove nothing"
fi

port=$("$clone/scripts/free-port.py")
cluster=$clone/.hotdesk/postgres
expected_home=/var/lib/postgresql/hotdesk-clusters/$(printf '%s' "$(realpath -m "$cluster")" | sha256sum | cut -c1-16)
log "Running scripts/run.sh --listen 127.0.0.1:$port in the clone (builds from scratch; up to ${timeout}s)"
# A process group of its own, so that stopping it also stops a build still running.
(cd "$clone" && exec setsid scripts/run.sh --listen "127.0.0.1:$port" --metrics-listen 127.0.0.1:0) >"$outer/run.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + timeout))
status=""
while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        tail -n 30 "$outer/run.log" >&2
        fail "scripts/run.sh ended before serving a page (its output is above)"
    fi
    status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login" 2>/dev/null) || true
    [ "$status" = 200 ] && break
    sleep 2
done
if [ "$status" != 200 ]; then
    tail -n 30 "$outer/run.log" >&2
    fail "GET http://127.0.0.1:$port/login did not answer 200 within ${timeout}s (last status: ${status:-none})"
fi
curl -fsS "http://127.0.0.1:$port/login" | grep -qi '<form' || fail "GET /login answered 200 without a sign-in form"
log "Served the sign-in page from the clone: GET http://127.0.0.1:$port/login answered 200"

[ -f "$cluster/home" ] || fail "$cluster/home is missing: the cluster was not placed outside the clone"
home=$(cat "$cluster/home")
[ "$home" = "$expected_home" ] || fail "the cluster's home is $home, expected $expected_home"
[ -f "$home/data/PG_VERSION" ] || fail "no cluster data in $home"
log "The private cluster lives in $home"

log "Stopping the server"
kill -TERM -- "-$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

log "make clean-db in the clone"
make -C "$clone" -s clean-db
[ ! -e "$home" ] || fail "make clean-db left $home behind"
[ ! -e "$cluster" ] || fail "make clean-db left $cluster behind"
if pgrep -u postgres -f -- "-D $home/data" >/dev/null; then fail "a postgres server of $home/data still runs"; fi
home=""
log "make clean-db removed $cluster and its home; deleting the clone"
echo "check-any-folder: OK: make run served /login as root from a mode-700 folder; make clean-db removed the cluster"
