#!/usr/bin/env bash
# The portal's CPU cost per request counted in instructions (valgrind's callgrind), which, unlike requests/s,
# is the same from one run to the next whatever else the machine does: for comparing two builds when
# `make bench`'s figures move by more than the change being measured.
#
#   scripts/bench-instructions.sh [HOTDESK_BINARY ...]     default: this checkout's release build
#   BENCH_REQUESTS=300                                      requests counted per page (after 30 unmeasured)
#   BENCH_PROFILES=DIR                                      keep each page's callgrind profile in DIR, for
#                                                           callgrind_annotate (N-label-page.callgrind)
#
# For each binary: a throwaway cluster seeded by scripts/bench/seed.sql (the schema from that binary's
# checkout: given as CHECKOUT/.build/release/hotdesk), the portal serving under callgrind, an
# administrator signed in through the form; then per page: counters zeroed, the requests sent one at a time with
# curl, counters dumped. Prints instructions per request (thousands) of the whole portal process.
set -euo pipefail
cd "$(dirname "$0")/.."

requests=${BENCH_REQUESTS:-300}
work=.hotdesk/bench-instructions
pg_bin=/usr/lib/postgresql/15/bin
command -v valgrind >/dev/null || scripts/install-deps.sh bench
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }

binaries=("$@")
if [ ${#binaries[@]} -eq 0 ]; then
    swift build -c release --product hotdesk >&2
    binaries=("$(swift build -c release --show-bin-path)/hotdesk")
fi

portal_pid=""
cleanup() {
    [ -n "$portal_pid" ] && kill -TERM "$portal_pid" 2>/dev/null && wait "$portal_pid" 2>/dev/null || true
    scripts/postgres-cluster.sh remove "$work/cluster"
    rm -rf "$work"
}
trap cleanup EXIT

# measure NAME PATH [CURL ARGUMENTS...]: prints "NAME instructions-per-request".
measure() {
    local name=$1 path=$2; shift 2
    for _ in $(seq 30); do curl -sS -o /dev/null -H "Cookie: $cookie" "$@" "$origin$path"; done
    callgrind_control -z "$portal_pid" >/dev/null
    for _ in $(seq "$requests"); do curl -sS -o /dev/null -H "Cookie: $cookie" "$@" "$origin$path"; done
    rm -f "$work"/callgrind.out.*
    callgrind_control -d "$portal_pid" >/dev/null
    sleep 1
    local total
    total=$(cat "$work"/callgrind.out.* | awk '/^summary:|^totals:/ { sum += $2 } END { print sum }')
    if [ -n "${BENCH_PROFILES:-}" ]; then
        mkdir -p "$BENCH_PROFILES"
        cat "$work"/callgrind.out.* >"$BENCH_PROFILES/$run-$(tr -c 'A-Za-z0-9\n' '-' <<<"$name").callgrind"
    fi
    printf '%-40s %10.0f\n' "$name" "$(awk -v t="$total" -v n="$requests" 'BEGIN { print t / n / 1000 }')"
}

run=0
for binary in "${binaries[@]}"; do
    checkout=$(cd "$(dirname "$binary")/../.." && pwd)
    scripts/postgres-cluster.sh remove "$work/cluster"
    rm -rf "$work"
    mkdir -p "$work"
    scripts/postgres-cluster.sh start "$work/cluster" --throwaway
    superuser=$(scripts/postgres-cluster.sh url "$work/cluster" postgres)
    "$binary" migrate --migrations "$checkout/migrations" \
        --database-url "$(scripts/postgres-cluster.sh url "$work/cluster" hotdesk_owner)" >/dev/null
    password=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(15))')
    printf '%s\n' "$password" | "$binary" create-admin --database-url "$superuser" --resources "$checkout/Resources" \
        --organization "Bench Company" --email admin1@bench.example --name "Administrator 1" >/dev/null
    "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -v admin_email=admin1@bench.example "$superuser" \
        -f scripts/bench/seed.sql >/dev/null
    install=$("$pg_bin/psql" -X -At "$superuser" -c "SELECT id FROM hotdesk.installs WHERE name = 'Head Office'")
    app_url=$(scripts/postgres-cluster.sh url "$work/cluster" hotdesk_app)
    # valgrind 3.19 gives up on the debug information of builds with swift-prometheus ("Possibly corrupted
    # debuginfo file"): it measures a copy without it (symbols stay, so profiles still name functions). Builds that
    # have a metrics listener get an ephemeral port for it, so two portals never collide on the default one.
    measured="$PWD/$work/hotdesk-$((run / 2))"
    cp "$binary" "$measured"
    strip -g "$measured"
    metrics=""
    if "$binary" serve --help 2>/dev/null | grep -q -- --metrics-listen; then metrics="--metrics-listen 127.0.0.1:0"; fi
    for options in "" "--read-cache-entries 0"; do
        run=$((run + 1))
        port=$(scripts/free-port.py)
        origin="http://127.0.0.1:$port"
        # shellcheck disable=SC2086
        (cd "$work" && exec valgrind --tool=callgrind --callgrind-out-file="$PWD/callgrind.out.%p" "$measured" serve \
            --database-url "$app_url" --listen "127.0.0.1:$port" --resources "$checkout/Resources" \
            --migrations "$checkout/migrations" --threads 2 --log-level warning $metrics $options \
            2>"$PWD/portal.log") &
        portal_pid=$!
        for _ in $(seq 600); do curl -fsS -o /dev/null "$origin/livez" 2>/dev/null && break; sleep 0.2; done
        jar="$work/jar"
        token=$(curl -fsS -c "$jar" "$origin/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
        curl -fsS -o /dev/null -b "$jar" -c "$jar" -H "Origin: $origin" --data-urlencode "email=admin1@bench.example" \
            --data-urlencode "password=$password" --data-urlencode "_csrf=$token" "$origin/login"
        cookie="hotdesk_session=$(awk '$6 == "hotdesk_session" { print $7 }' "$jar")"
        echo "== $binary ${options:-(read cache on)}: thousands of instructions per request, $requests requests each"
        if [ -z "$options" ]; then measure "GET /livez" /livez; fi
        measure "Users tab, page 1" "/installs/$install/users"
        measure "Users tab, name search" "/installs/$install/users?q=mar"
        measure "Trusted IPs tab" "/installs/$install/trusted-ips"
        measure "Installs list, page 1" /telephony
        kill -TERM "$portal_pid" 2>/dev/null
        wait "$portal_pid" 2>/dev/null || true
        portal_pid=""
    done
done
