#!/usr/bin/env bash
# `make bench`: the portal's benchmark (not a test). Builds the release binary, seeds a large
# organization in a throwaway PostgreSQL cluster, serves it, and measures with wrk on loopback:
#   1. a constant response with no database work (GET /livez): the server's own ceiling here;
#   2. the Users tab of the 10,000-user install, page 1 and a deep page, as an administrator (answered from
#      the read cache), and page 1 again from a second portal with the read cache off;
#   3. a name search on that Users tab;
#   4. the Trusted IPs tab of the 100-range install;
#   5. PIN reset POSTs (session + CSRF token), one user per request over all 100,000 users;
#   6. sign-in POSTs (argon2id) while the Users tab is loaded at the same time;
#   7. Telephony Settings (the list of all 1,000 installs with their counts), page 1 and a name search, and
#      page 1 for a second organization of 100 installs of 10,000 users each (1,000,000 users);
#   8. a 10,000-user CSV import (preview, apply), its export, and the export imported back (all unchanged), one
#      request each;
#   9. the API with a key: a page of 50 of the 10,000 users, and PIN PUTs rotating over the users like run 5.
# Each run is a warm-up followed by a measured run. It prints requests/s, p50, p99, errors, each rate as
# a ratio of (1) from the same run, the SQL statements one request of each page issues (from
# pg_stat_statements), the portal's peak resident memory and the machine.
#
# Settings (environment):
#   BENCH_SECONDS=10        measured seconds per run (BENCH_SECONDS=1 for a quick smoke run)
#   BENCH_WARMUP=3          warm-up seconds before each measured run
#   BENCH_CONNECTIONS=32    wrk connections for the page runs
#   BENCH_WRK_THREADS=2     wrk threads
#   BENCH_SIGNIN_CONNECTIONS=8   connections posting sign-ins in run 6
#   BENCH_LOG_LEVEL=info    the portal's log level (info writes one access-log line per request)
#   BENCH_KEEP=1            leave the cluster and the portal's log in .hotdesk/bench afterwards
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-3}
connections=${BENCH_CONNECTIONS:-32}
wrk_threads=${BENCH_WRK_THREADS:-2}
signin_connections=${BENCH_SIGNIN_CONNECTIONS:-8}
log_level=${BENCH_LOG_LEVEL:-info}

bench_dir=.hotdesk/bench
cluster=$bench_dir/cluster
work=$bench_dir/work
portal_pid=""
uncached_pid=""
# Every portal started, so that cleanup stops them all even when a later start failed and overwrote portal_pid.
started_portals=()
pg_bin=/usr/lib/postgresql/15/bin

# Stops a portal process and waits for it.
stop_portal() {
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}

# Stops the portals and the cluster and removes both, however the script ends.
cleanup() {
    for pid in "${started_portals[@]}"; do stop_portal "$pid"; done
    if [ "${BENCH_KEEP:-0}" != 1 ]; then
        scripts/postgres-cluster.sh remove "$cluster"
        rm -rf "$bench_dir"
    else
        scripts/postgres-cluster.sh stop "$cluster"
    fi
}

log() { printf '==> %s\n' "$*" >&2; }

build() {
    scripts/install-deps.sh bench
    log "Building the release binary"
    swift build -c release --product hotdesk >&2
    hotdesk="$(swift build -c release --show-bin-path)/hotdesk"
}

# A fresh throwaway cluster (Unix socket only; throwaway clusters load pg_stat_statements), migrated.
start_cluster() {
    log "Starting a throwaway PostgreSQL cluster in $cluster"
    scripts/postgres-cluster.sh remove "$cluster"
    rm -rf "$bench_dir"
    mkdir -p "$work"
    scripts/postgres-cluster.sh start "$cluster" --throwaway
    superuser_url=$(scripts/postgres-cluster.sh url "$cluster" postgres)
    app_url=$(scripts/postgres-cluster.sh url "$cluster" hotdesk_app)
    "$hotdesk" migrate --database-url "$(scripts/postgres-cluster.sh url "$cluster" hotdesk_owner)" >/dev/null 2>&1
    sql -c "CREATE EXTENSION pg_stat_statements"
}

sql() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -At "$superuser_url" "$@"; }

# The organization: the first administrator through `hotdesk create-admin` (a real argon2id hash), the
# rest through scripts/bench/seed.sql.
seed() {
    log "Seeding 1,000 installs, 100,000 users, 10,000 trusted ranges, 20 accounts"
    password=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(15))')
    admin_email=admin1@bench.example
    printf '%s\n' "$password" | "$hotdesk" create-admin --database-url "$superuser_url" \
        --organization "Bench Company" --email "$admin_email" --name "Administrator 1" >/dev/null 2>&1
    local started=$SECONDS
    sql -v admin_email="$admin_email" -f scripts/bench/seed.sql
    log "Seeded in $((SECONDS - started)) s: $(sql -c "SELECT (SELECT count(*) FROM hotdesk.installs) || ' installs, '
        || (SELECT count(*) FROM hotdesk.users) || ' users, ' || (SELECT count(*) FROM hotdesk.trusted_networks)
        || ' ranges, ' || (SELECT count(*) FROM hotdesk.accounts) || ' accounts'")"
    head_office=$(sql -c "SELECT id FROM hotdesk.installs WHERE name = 'Head Office'")
    sql -c "SELECT email FROM hotdesk.accounts WHERE email LIKE '%@bench.example' ORDER BY id" >"$work/accounts.txt"
    log "Seeding a second organization: 100 installs of 10,000 users (1,000,000 users)"
    started=$SECONDS
    sql -v admin_email="$admin_email" -f scripts/bench/seed-scale.sql
    log "Seeded in $((SECONDS - started)) s"
}

# start_portal LOG [OPTION...]: serves on a free port, setting origin and portal_pid.
start_portal() {
    local log_file="$work/$1"; shift
    port=$(scripts/free-port.py)
    origin="http://127.0.0.1:$port"
    log "Starting the portal on $origin (log level $log_level) $*"
    "$hotdesk" serve --database-url "$app_url" --listen "127.0.0.1:$port" --metrics-listen 127.0.0.1:0 --log-level "$log_level" "$@" \
        2>"$log_file" &
    portal_pid=$!
    started_portals+=("$portal_pid")
    for _ in $(seq 100); do
        curl -fsS -o /dev/null "$origin/livez" 2>/dev/null && return
        kill -0 "$portal_pid" 2>/dev/null || { cat "$log_file" >&2; exit 1; }
        sleep 0.1
    done
    echo "The portal did not answer within 10 s; see $log_file" >&2
    exit 1
}

# Run 2c: the Users tab from a second portal with the read cache off, so that every request reads the
# database: what a page costs when it is not in the cache. Run 10 there too: Hot Desk Status of an install with
# 10,000 operators logged in, and its statements beside those of an install with 100.
measure_uncached() {
    local main_pid=$portal_pid main_origin=$origin
    start_portal portal-uncached.log --read-cache-entries 0
    uncached_pid=$portal_pid
    measure users_uncached "$connections" get.lua "$users_path" Cookie "$admin_cookie"
    queries[users_uncached]=$(statements GET "$users_path" "$admin_cookie")
    local centre1 centre2
    centre1=$(sql -c "SELECT id FROM hotdesk.installs WHERE name = 'Centre 001'")
    centre2=$(sql -c "SELECT id FROM hotdesk.installs WHERE name = 'Centre 002'")
    # The whole page first: grep -q stops reading at the match, and curl, its output cut, would fail the pipeline.
    local status_page
    status_page=$(curl -fsS -H "Cookie: $scale_cookie" "$origin/installs/$centre1/status")
    grep -q '10,000 logged in' <<<"$status_page" ||
        { echo "Hot Desk Status does not show 10,000 logged in: $(grep -o '[0-9,]* logged in[^<]*' <<<"$status_page")" >&2; exit 1; }
    measure status_scale "$connections" get.lua "/installs/$centre1/status" Cookie "$scale_cookie"
    queries[status_scale]="$(statements GET "/installs/$centre1/status" "$scale_cookie") ($(statements GET \
        "/installs/$centre2/status" "$scale_cookie") at 100)"
    stop_portal "$uncached_pid"
    uncached_pid=""
    portal_pid=$main_pid
    origin=$main_origin
}

# Signs in through the real form (GET for the anti-forgery token, then POST) and prints
# "COOKIE CSRF": the session cookie header value and the session's token from the page's sign-out form.
sign_in() {
    local email=$1 jar="$work/jar-$1" token cookie csrf
    token=$(curl -fsS -c "$jar" "$origin/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -fsS -o /dev/null -b "$jar" -c "$jar" -H "Origin: $origin" \
        --data-urlencode "email=$email" --data-urlencode "password=$password" --data-urlencode "_csrf=$token" \
        "$origin/login"
    cookie="hotdesk_session=$(awk '$6 == "hotdesk_session" { print $7 }' "$jar")"
    csrf=$(curl -fsS -H "Cookie: $cookie" "$origin/telephony" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    [ -n "$cookie" ] && [ -n "$csrf" ] || { echo "Signing in as $email failed" >&2; exit 1; }
    echo "$cookie $csrf"
}

# The users a PIN reset run rotates over (25,000 of the benchmark's organization each, so a run never comes round to
# a user twice at the rates this machine reaches), with their current versions and a PIN that is not weak for their
# extension: one residue of the id for the warm-up, another for the measured run, so that a warm-up request still
# in flight cannot change a user the measured run expects at a known version.
write_pin_users() {
    # Run 5 (form) rotates over the users whose id is 0 mod 4 (1 for its warm-up), run 9b (API) over 2 (3): users
    # of the same kind (90% with access and a PIN) that no earlier run touched, so the two rows compare.
    local measured=${1:-0} warmup=$(( ${1:-0} + 1 ))
    local select="SELECT u.install_id, u.id, u.version,
                         CASE WHEN u.extension IN ('4829', '9284') THEN '3917' ELSE '4829' END
                  FROM hotdesk.users u JOIN hotdesk.installs i ON i.id = u.install_id
                  WHERE i.organization_id = (SELECT organization_id FROM hotdesk.accounts WHERE email = '$admin_email')"
    sql -F ' ' -c "$select AND u.id % 4 = $warmup ORDER BY u.id" >"$work/pin-users-warmup.txt"
    sql -F ' ' -c "$select AND u.id % 4 = $measured ORDER BY u.id" >"$work/pin-users.txt"
}

# wrk for DURATION seconds with the scripts named; prints the BENCH line of scripts/bench/report.lua.
wrk_run() {
    local duration=$1 count=$2 script=$3 path=$4; shift 4
    cat "scripts/bench/$script" scripts/bench/report.lua >"$work/$script"
    wrk -t"$wrk_threads" -c"$count" -d"${duration}s" --latency -s "$work/$script" "$origin$path" -- "$@" |
        grep '^BENCH ' || { echo "wrk failed for $path" >&2; exit 1; }
}

# The CPU time the portal process has used so far, in clock ticks (user + system).
portal_cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$portal_pid/stat"
}

# The CPU time the cluster's processes (the postmaster and its children: the portal's backends among
# them, which live as long as the portal's pool keeps them) have used so far, in clock ticks.
postgres_cpu_ticks() {
    local postmaster pid total=0
    postmaster=$(head -1 "$cluster/data/postmaster.pid")
    for pid in "$postmaster" $(pgrep -P "$postmaster"); do
        total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

# Milliseconds per request from a tick count.
per_request() {
    awk -v ticks="$1" -v hz="$(getconf CLK_TCK)" -v requests="$2" 'BEGIN { printf "%.2f", ticks * 1000 / hz / requests }'
}

# Runs wrk for the measured run, storing its BENCH line as result[NAME] and the CPU time per request of the
# portal as cpu[NAME] and of PostgreSQL as pg_cpu[NAME]: unlike requests/s, these figures hardly depend on
# what else the machine is doing.
measured_run() {
    local name=$1 portal_before postgres_before; shift
    portal_before=$(portal_cpu_ticks)
    postgres_before=$(postgres_cpu_ticks)
    result[$name]=$(wrk_run "$seconds" "$@")
    cpu[$name]=$(per_request "$(( $(portal_cpu_ticks) - portal_before ))" "$(field "$name" requests)")
    pg_cpu[$name]=$(per_request "$(( $(postgres_cpu_ticks) - postgres_before ))" "$(field "$name" requests)")
}

# A warm-up, then the measured run.
measure() {
    local name=$1; shift
    log "Run: $name"
    if [ "$warmup" -gt 0 ]; then wrk_run "$warmup" "$@" >/dev/null; fi
    measured_run "$name" "$@"
}

# Run 5: the warm-up and the measured run each rotate over their own users.
measure_pin_reset() {
    log "Run: pin_reset"
    write_pin_users
    local args=("$wrk_threads" form "$admin_cookie" "$admin_csrf" "$origin")
    if [ "$warmup" -gt 0 ]; then
        wrk_run "$warmup" "$connections" pin-reset.lua "$users_path" "$work/pin-users-warmup.txt" "${args[@]}" >/dev/null
    fi
    measured_run pin_reset "$connections" pin-reset.lua "$users_path" "$work/pin-users.txt" "${args[@]}"
}

# Run 9: the API with an administrator key: a page of 50 of the 10,000 users, then PIN PUTs rotating over users
# of the same organization as run 5, users neither run 5 nor its warm-up touched.
measure_api() {
    api_key=$("$hotdesk" create-api-key --database-url "$app_url" --email "$admin_email" --name bench 2>/dev/null)
    api_users_path="/api/v1/installs/$head_office/users?limit=50"
    measure api_users_page "$connections" get.lua "$api_users_path" Authorization "Bearer $api_key"
    peak_after_api_page=$(peak_memory)
    queries[api_users_page]=$(page_statements "$api_users_path" "" -H "Authorization: Bearer $api_key")
    log "Run: api_pin_put"
    write_pin_users 2
    local args=("$wrk_threads" api "$api_key")
    if [ "$warmup" -gt 0 ]; then
        wrk_run "$warmup" "$connections" pin-reset.lua "$users_path" "$work/pin-users-warmup.txt" "${args[@]}" >/dev/null
    fi
    measured_run api_pin_put "$connections" pin-reset.lua "$users_path" "$work/pin-users.txt" "${args[@]}"
    write_pin_users 2
    local install user version pin
    queries[api_pin_put]=$(tail -3 "$work/pin-users.txt" | while read -r install user version pin; do
        statements_once PUT "/api/v1/installs/$install/users/$user/pin" "" -H "Authorization: Bearer $api_key" \
            -H "If-Match: \"$version\"" -H "Content-Type: application/json" --data "{\"pin\":\"$pin\"}"
    done | sort -n | head -1)
}

# The import runs: a 10,000-row file previewed and applied into an empty install, the same file again (every
# row unchanged), and the export of those 10,000 users; each a single request, timed by curl.
# Previews FILE at the import route PATH, then applies it with the preview's binding, timing both (ROUND_…).
import_once() {
    local round=$1 file=$2 path=$3 page="$work/import-preview.html"
    import_seconds[preview_$round]=$(curl -sS -o "$page" -w '%{time_total}' -H "Cookie: $admin_cookie" \
        -H "Origin: $origin" -F "_csrf=$admin_csrf" -F mode=update -F "file=@$file;type=text/csv" "$origin$path")
    # Without the line break sed ends with: a form field holds exactly the value.
    sed -n 's/.*type="hidden" name="binding" value="\([^"]*\)".*/\1/p' "$page" | head -1 | tr -d '\n' >"$work/binding"
    sed -n 's/.*type="hidden" name="file" value="\([^"]*\)".*/\1/p' "$page" | head -1 | tr -d '\n' >"$work/file.b64"
    import_seconds[apply_$round]=$(curl -sS -o "$work/import-applied.html" -w '%{time_total}' \
        -H "Cookie: $admin_cookie" -H "Origin: $origin" -F "_csrf=$admin_csrf" -F mode=update \
        -F "binding=<$work/binding" -F "file=<$work/file.b64" "$origin$path/apply")
    grep -q "Users imported" "$work/import-applied.html" || { echo "the import did not apply" >&2; exit 1; }
}

# The portal's peak resident memory so far (VmHWM).
peak_memory() { awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$portal_pid/status"; }

measure_import() {
    log "Run: import and export of 10,000 users"
    local install path file="$work/import.csv"
    install=$(sql -c "INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
        SELECT organization_id, 'Import Target', 'import.bench.example' FROM hotdesk.accounts
        WHERE email = '$admin_email' RETURNING id" | head -1)
    path="/installs/$install/users/import"
    /usr/bin/python3 -c '
import sys
rows = ["extension,name,hot_desk_access,pin"]
rows += ["%04d,Operator %d,%s,%s" % (n, n, "yes" if n % 10 else "no", "generate" if n % 2 else "") for n in range(10000)]
open(sys.argv[1], "w").write("\r\n".join(rows) + "\r\n")' "$file"
    import_once first "$file" "$path"
    import_seconds[export]=$(curl -sS -o "$work/export.csv" -w '%{time_total}' -H "Cookie: $admin_cookie" \
        "$origin/installs/$install/users/export")
    grep -q '^0000,Operator 0,no,no,' "$work/export.csv" || { echo "the export is not the imported users" >&2; exit 1; }
    # The export → edit → re-import loop with nothing edited: every line unchanged.
    import_once again "$work/export.csv" "$path"
    grep -q "0 to add, 0 to update, 10000 unchanged" "$work/import-preview.html" ||
        { echo "the export did not re-import unchanged" >&2; exit 1; }
    import_rows=$(($(wc -l <"$work/export.csv") - 1))
}

# Run 6: sign-ins and Users tab loads at the same time, each with its own wrk.
measure_sign_in_under_load() {
    log "Run: sign-ins with the Users tab loading at the same time"
    local args=("$work/accounts.txt" "$password" "benchsignintoken0123456789abcdefghijkl" "$origin")
    if [ "$warmup" -gt 0 ]; then wrk_run "$warmup" "$signin_connections" sign-in.lua /login "${args[@]}" >/dev/null; fi
    wrk_run "$seconds" "$signin_connections" sign-in.lua /login "${args[@]}" >"$work/sign-in.out" &
    local signin_wrk=$!
    result[users_during_sign_in]=$(wrk_run "$seconds" "$connections" get.lua "$users_path" Cookie "$admin_cookie")
    wait "$signin_wrk"
    result[sign_in]=$(cat "$work/sign-in.out")
    cpu[sign_in]="-"
    cpu[users_during_sign_in]="-"
    pg_cpu[sign_in]="-"
    pg_cpu[users_during_sign_in]="-"
}

# Waits until no statement of the portal's role is running (requests that wrk left queued have finished).
wait_until_idle() {
    for _ in $(seq 100); do
        [ "$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'hotdesk_app' AND state <> 'idle'")" = 0 ] &&
            return
        sleep 0.1
    done
}

# The SQL statements (BEGIN and COMMIT included) that one request to PATH issues, from pg_stat_statements,
# with the portal's read cache just emptied: a NOTIFY on its channel, as any change elsewhere sends.
statements_once() {
    local method=$1 path=$2 cookie=$3; shift 3
    wait_until_idle
    sql -c "NOTIFY hotdesk_changes, 'bench'"
    sleep 0.2
    sql -c "SELECT pg_stat_statements_reset()" >/dev/null
    curl -sS -o /dev/null -X "$method" -H "Cookie: $cookie" -H "Origin: $origin" "$@" "$origin$path"
    statement_count
}

statement_count() {
    sql -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
            WHERE r.rolname = 'hotdesk_app'"
}

# The fewest of three tries, so that nothing else the portal did meanwhile is counted.
statements() {
    local counts
    counts=$(for _ in 1 2 3; do statements_once "$@"; done)
    sort -n <<<"$counts" | head -1
}

# "COLD/CACHED" for a page (as the administrator, or as the account of the cookie given): its statements with
# the read cache emptied, then for the same request once more, answered from the cache.
page_statements() {
    local path=$1 cookie=${2-$admin_cookie} cold cached; shift; shift || true
    cold=$(statements GET "$path" "$cookie" "$@")
    sql -c "SELECT pg_stat_statements_reset()" >/dev/null
    curl -sS -o /dev/null -H "Cookie: $cookie" "$@" "$origin$path"
    cached=$(statement_count)
    echo "$cold/$cached"
}

# Each try resets a different user, with the version the user has.
pin_reset_statements() {
    write_pin_users
    local install user version pin
    tail -3 "$work/pin-users.txt" | while read -r install user version pin; do
        statements_once POST "/installs/$install/users/$user/pin" "$admin_cookie" \
            --data "_csrf=$admin_csrf&version=$version&pin=$pin&pin_confirmation=$pin"
    done | sort -n | head -1
}

count_statements() {
    log "Counting SQL statements per request"
    queries[constant]=$(statements GET /livez "$admin_cookie")
    queries[users_page_1]=$(page_statements "$users_path")
    queries[users_deep_page]=$(page_statements "$deep_path")
    queries[users_search]=$(page_statements "$search_path")
    queries[trusted_ips]=$(page_statements "$ranges_path")
    queries[pin_reset]=$(pin_reset_statements)
    queries[sign_in]=$(statements POST /login "hotdesk_signin=benchsignintoken0123456789abcdefghijkl" \
        --data-urlencode "email=$(head -1 "$work/accounts.txt")" --data-urlencode "password=$password" \
        --data "_csrf=benchsignintoken0123456789abcdefghijkl")
    queries[users_during_sign_in]=${queries[users_page_1]}
    queries[installs_page_1]=$(page_statements /telephony)
    queries[installs_search]=$(page_statements "$installs_search_path")
    queries[installs_scale]=$(page_statements /telephony "$scale_cookie")
}

field() { # field NAME KEY: one value of a stored BENCH line
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"${result[$1]}"
}

report() {
    local ceiling; ceiling=$(field constant rps)
    echo
    echo "HotDesk portal benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), release build, commit $(git rev-parse --short HEAD)"
    echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
        "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
    echo "wrk: ${warmup} s warm-up + ${seconds} s measured per run, $wrk_threads threads, $connections connections" \
        "(sign-ins: $signin_connections); data: 1,000 installs, 100,000 users, 10,000 ranges, 20 accounts; run 7c: 100 installs, 1,000,000 users; run 10: 10,000 registrations"
    echo
    printf '| %-44s | %9s | %7s | %7s | %9s | %6s | %7s | %11s | %10s | %10s |\n' \
        "run" "req/s" "p50 ms" "p99 ms" "non-2/3xx" "socket" "vs (1)" "SQL/request" "portal CPU" "PG CPU"
    printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "-----------" "---------" "---------" \
        "-----------" "--------" "---------" "-------------" "------------" "------------"
    local name
    for name in constant users_page_1 users_deep_page users_uncached users_search trusted_ips pin_reset sign_in \
        users_during_sign_in installs_page_1 installs_search installs_scale api_users_page api_pin_put status_scale; do
        printf '| %-44s | %9s | %7s | %7s | %9s | %6s | %6.1f%% | %11s | %10s | %10s |\n' "${label[$name]}" \
            "$(printf '%.0f' "$(field "$name" rps)")" "$(field "$name" p50_ms)" "$(field "$name" p99_ms)" \
            "$(field "$name" status_errors)" "$(field "$name" socket_errors)" \
            "$(awk -v rate="$(field "$name" rps)" -v ceiling="$ceiling" 'BEGIN { print 100 * rate / ceiling }')" \
            "${queries[$name]}" "${cpu[$name]}" "${pg_cpu[$name]}"
    done
    echo
    echo "Portal peak resident memory (VmHWM): $(peak_memory) ($peak_before_import before run 8," \
        "$peak_after_import after it, $peak_after_api_page after run 9a)"
    echo "portal CPU, PG CPU: milliseconds of CPU time (user + system) per request in the measured run, of the" \
        "portal process and of the cluster's processes. Run 6 shares both between two loads, so it has none."
    echo "SQL/request: statements of one request with the read cache emptied (BEGIN and COMMIT included), and for"\
        "pages, after the slash, of the same request answered from the cache."
    echo "Targets: Users tab >= 5,000 req/s with p99 < 20 ms at 32 connections; peak memory < 100 MB."
    echo
    echo "Import and export of 10,000 users (one request each; targets: preview and apply < 5 s, again < 2 s, export < 1 s):"
    printf '| %-52s | %9s |\n' "step" "seconds"
    printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" "-----------"
    printf '| %-52s | %9s |\n' "8a. Preview, 10,000 new users (half with generated PINs)" "${import_seconds[preview_first]}"
    printf '| %-52s | %9s |\n' "8b. Apply them into an empty install" "${import_seconds[apply_first]}"
    printf '| %-52s | %9s |\n' "8c. Export the $import_rows users" "${import_seconds[export]}"
    printf '| %-52s | %9s |\n' "8d. Preview the export (all unchanged)" "${import_seconds[preview_again]}"
    printf '| %-52s | %9s |\n' "8e. Apply the export (nothing changes)" "${import_seconds[apply_again]}"
}

main() {
    trap cleanup EXIT
    declare -gA import_seconds
    declare -gA result queries cpu pg_cpu label=(
        [constant]="1. GET /livez (no database work)"
        [users_page_1]="2a. Users tab, page 1 (10,000 users)"
        [users_deep_page]="2b. Users tab, deep page (from=9000)"
        [users_uncached]="2c. Users tab, page 1, read cache off"
        [users_search]="3. Users tab, name search (q=mar)"
        [trusted_ips]="4. Trusted IPs tab (100 ranges)"
        [pin_reset]="5. PIN reset POST (rotating over users)"
        [sign_in]="6a. Sign-in POST (argon2id)"
        [users_during_sign_in]="6b. Users tab page 1 during the sign-ins"
        [installs_page_1]="7a. Installs list, page 1 (1,000 installs)"
        [installs_search]="7b. Installs list, search (q=site 09)"
        [installs_scale]="7c. Installs list (100 installs, 1M users)"
        [api_users_page]="9a. API: GET users, a page of 50 (10,000 users)"
        [api_pin_put]="9b. API: PIN PUT (rotating over users)"
        [status_scale]="10. Hot Desk Status, 10,000 in, cache off"
    )
    build
    start_cluster
    seed
    start_portal portal.log --api-rate-limit 100000000
    local admin
    admin=$(sign_in "$admin_email")
    admin_cookie=${admin% *}
    admin_csrf=${admin#* }
    users_path="/installs/$head_office/users"
    deep_path="$users_path?from=9000"
    search_path="$users_path?q=mar"
    ranges_path="/installs/$head_office/trusted-ips"
    installs_search_path="/telephony?q=site+09"

    measure constant "$connections" get.lua /livez Cookie "$admin_cookie"
    measure users_page_1 "$connections" get.lua "$users_path" Cookie "$admin_cookie"
    measure users_deep_page "$connections" get.lua "$deep_path" Cookie "$admin_cookie"
    measure users_search "$connections" get.lua "$search_path" Cookie "$admin_cookie"
    measure trusted_ips "$connections" get.lua "$ranges_path" Cookie "$admin_cookie"
    measure installs_page_1 "$connections" get.lua /telephony Cookie "$admin_cookie"
    measure installs_search "$connections" get.lua "$installs_search_path" Cookie "$admin_cookie"
    local scale
    scale=$(sign_in admin@scale.example)
    scale_cookie=${scale% *}
    measure installs_scale "$connections" get.lua /telephony Cookie "$scale_cookie"
    measure_uncached
    measure_pin_reset
    peak_before_import=$(peak_memory)
    measure_import
    peak_after_import=$(peak_memory)
    measure_api
    # Counted before run 6: sign-ins queued behind the password hasher would still be running after it.
    count_statements
    measure_sign_in_under_load
    report
}

main "$@"
