#!/usr/bin/env bash
# Registrar benchmark (not a test): prints how the registrar views perform against Kamailio's own
# tables filled with the same data, at 1,000 installs, 100,000 users and 10,000 trusted ranges.
#   1. view lookups per second and p99 through pgbench (subscriber by username+domain), view vs table;
#   2. REGISTER+digest exchanges per second through Kamailio + sipp: logins, then refreshes of the same
#      registrations, with the shipped configuration (registrations and history in the database) against the
#      memory-only configuration live hot desking replaced (-A REGISTRATIONS_IN_MEMORY), on the views, and on
#      Kamailio's own tables in memory for reference.
# The REGISTER passes are noisy on two shared cores (±10% from one run to the next), so each configuration runs
# in several rounds, interleaved, and the median of each is printed, with the machine's busy CPU time per exchange
# (all processes on both cores), which moves less: its ratio is memory's CPU over the database's.
# With registrations in the database it also prints the statements the registrar sends and the WAL it writes per
# exchange, and with STANDBY=1 it streams to a hot standby (commits waiting for their WAL to be written, as in
# production), sends the registrar's verdicts there (READCON), and prints the replication lag during those passes
# and the primary's own CPU per exchange, which is then writes only (docs/scaling.md reads these figures; the
# standby shares the two cores, so the rates of that run are not the 80% comparison's).
# Usage: [STANDBY=1] scripts/bench-registrar.sh [seconds per pgbench run, default 10] [REGISTERs per pass,
#        default 15000] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
calls=${2:-15000}
rounds=${3:-3}

scripts/install-deps.sh test >/dev/null
swift build --product hotdesk >/dev/null
hotdesk="$(swift build --show-bin-path)/hotdesk"
bin=/usr/lib/postgresql/15/bin

cluster=.hotdesk/bench-registrar
standby=.hotdesk/bench-registrar-standby
scripts/postgres-cluster.sh remove "$cluster"
scripts/postgres-cluster.sh remove "$standby"
work=$(mktemp -d)
cleanup() {
    [ -f "$work/kamailio.pid" ] && kill -9 -- "-$(cat "$work/kamailio.pid")" 2>/dev/null || true
    [ -f "$work/lag.pid" ] && kill "$(cat "$work/lag.pid")" 2>/dev/null || true
    scripts/postgres-cluster.sh remove "$standby"; scripts/postgres-cluster.sh remove "$cluster"; rm -rf "$work"
}
trap cleanup EXIT
port=$(scripts/free-port.py)
scripts/postgres-cluster.sh start "$cluster" --throwaway --tcp-port "$port"
super=$(scripts/postgres-cluster.sh url "$cluster" postgres)
"$hotdesk" migrate --database-url "$(scripts/postgres-cluster.sh url "$cluster" hotdesk_owner)" >/dev/null 2>&1

echo "Seeding 1,000 installs, 100,000 users (90% with access and PIN), 10,000 ranges..."
"$bin/psql" -X -q -v ON_ERROR_STOP=1 "$super" <<'SQL'
INSERT INTO hotdesk.organizations (name) VALUES ('Bench');
INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
    SELECT 1, 'Site ' || n, 'site' || n || '.bench.example' FROM generate_series(1, 1000) n;
INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
    SELECT i.id, lpad(e::text, 4, '0'), 'User ' || e, e % 10 <> 0, '4829'
    FROM hotdesk.installs i CROSS JOIN generate_series(1, 100) e;
INSERT INTO hotdesk.trusted_networks (install_id, network, description)
    SELECT i.id, ('10.' || (i.id % 250) || '.' || r || '.0/24')::cidr, 'Range ' || r
    FROM hotdesk.installs i CROSS JOIN generate_series(1, 9) r;
INSERT INTO hotdesk.trusted_networks (install_id, network, description)
    SELECT id, '127.0.0.0/8', 'Loopback' FROM hotdesk.installs;
-- Kamailio's own tables (from /usr/share/kamailio/postgres), filled with the same data, in schema plain.
CREATE SCHEMA plain;
SET search_path = plain;
\i /usr/share/kamailio/postgres/standard-create.sql
\i /usr/share/kamailio/postgres/auth_db-create.sql
INSERT INTO plain.subscriber (username, domain, ha1, ha1b) SELECT username, domain, ha1, ha1b FROM registrar.subscriber;
CREATE TABLE plain.trusted_networks AS SELECT * FROM registrar.trusted_networks;
CREATE INDEX ON plain.trusted_networks USING gist (network inet_ops);
CREATE INDEX ON plain.trusted_networks (domain);
ANALYZE;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public;
SQL
if [ "${STANDBY:-0}" = 1 ]; then
    echo "Starting a streaming hot standby..."
    standby_port=$(scripts/free-port.py)
    scripts/postgres-cluster.sh start "$standby" --throwaway --tcp-port "$standby_port" --standby-of "$cluster"
    "$bin/psql" -X -q "$super" -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
fi
printf 'benchpassword1\n' | "$hotdesk" registrar-role --name bench_views --database-url "$super" >/dev/null
"$bin/psql" -X -q -v ON_ERROR_STOP=1 "$super" <<'SQL'
CREATE ROLE bench_plain LOGIN PASSWORD 'benchpassword2';
GRANT CONNECT ON DATABASE hotdesk TO bench_plain;
GRANT USAGE ON SCHEMA plain TO bench_plain;
GRANT SELECT ON ALL TABLES IN SCHEMA plain TO bench_plain;
ALTER ROLE bench_plain SET search_path = plain;
SQL

lookup() { # $1 role, $2 password
    cat > "$work/lookup.sql" <<'PGB'
\set n random(0, 99999)
SELECT ha1 FROM subscriber WHERE username = lpad(((:n % 100) + 1)::text, 4, '0') AND domain = 'site' || (:n / 100 + 1) || '.bench.example';
PGB
    rm -f "$work"/pgb*
    local tps p99
    tps=$( (cd "$work" && PGPASSWORD=$2 "$bin/pgbench" -n -h 127.0.0.1 -p "$port" -U "$1" -c 4 -j 2 -T "$seconds" \
        --log --log-prefix=pgb -f "$work/lookup.sql" hotdesk 2>/dev/null) | awk '/^tps/ {printf "%.0f", $3}')
    p99=$(cat "$work"/pgb* | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END {printf "%.3f", v[int(NR*0.99)]/1000}')
    echo "$tps $p99"
}

# Kamailio with the shipped configuration, registrations in the database (mode database) or, as before live
# hot desking, in memory only (mode memory: -A REGISTRATIONS_IN_MEMORY).
start_kamailio() { # $1 role, $2 password, $3 mode
    local url="postgres://$1:$2@127.0.0.1:$port/hotdesk" memory=()
    [ "$3" = memory ] && memory=(-A REGISTRATIONS_IN_MEMORY)
    [ "$3" = database ] && [ "${STANDBY:-0}" = 1 ] &&
        memory=(-A "READCON=\"reader=>postgres://$1:$2@127.0.0.1:$standby_port/hotdesk\"")
    sip_port=$(scripts/free-port.py)
    setsid kamailio -x tlsf -f Resources/kamailio/kamailio.cfg -DD -E -Y "$work" -l "udp:127.0.0.1:$sip_port" \
        -A "DBURL=\"$url\"" -A "SQLCON=\"registrar=>$url\"" -A AUTH_FAILURE_LIMIT=1000000 -A PIKE_DENSITY=1000000 \
        -A "CTL_SOCKET=\"unix:$work/kamailio.ctl\"" "${memory[@]}" >"$work/kamailio.log" 2>&1 &
    echo $! > "$work/kamailio.pid"
    sleep 2
}

stop_kamailio() { # its own process group (setsid): the main process and every child
    kill -9 -- "-$(cat "$work/kamailio.pid")" 2>/dev/null || true
    rm -f "$work/kamailio.pid"
}

# One pass of $calls REGISTER+digest exchanges, each a different operator (1,000 sites x up to 9 extensions with
# access), Call-IDs bench-1, bench-2, ...: with CSeq 1 they are logins, a second pass with CSeq 3 refreshes them.
# The machine's busy CPU time so far (all processes, both cores), in clock ticks of 10 ms.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

register_pass() { # $1 first CSeq -> exchanges per second, failed calls, sipp status, CPU ms per exchange
    { echo SEQUENTIAL; for n in $(seq 0 $((calls - 1))); do
        k=$(( (n / 1000) % 81 )); e=$(( k + 1 + k / 9 ))
        printf '%04d;site%d.bench.example;[authentication username=%04d password=4829];500;%d;%d;sipp bench\n' \
            "$e" $(( (n % 1000) + 1 )) "$e" "$1" $(( $1 + 1 ))
    done; } > "$work/users.csv"
    local start end status failed busy
    rm -f "$work/stat.csv"
    busy=$(busy_ticks)
    start=$(date +%s.%N)
    set +e
    sipp "127.0.0.1:$sip_port" -sf Resources/kamailio/sipp/register-accepted.xml -inf "$work/users.csv" \
        -m "$calls" -r 5000 -l 200 -i 127.0.0.1 -p "$sipp_port" -cid_str 'bench-%u' -recv_timeout 5000 -timeout 120 \
        -trace_stat -stf "$work/stat.csv" >/dev/null 2>&1
    status=$?
    set -e
    end=$(date +%s.%N)
    busy=$(( $(busy_ticks) - busy ))
    failed=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "FailedCall(C)") column = i } END { print $column }' "$work/stat.csv")
    echo "$(echo "$calls / ($end - $start)" | bc -l | xargs printf '%.0f') ${failed:-?} $status" \
        "$(echo "$busy * 10 / $calls" | bc -l | xargs printf '%.3f')"
}

# What the registrar's role has sent (pg_stat_statements, top-level statements) and the WAL written so far.
sent_statements() { "$bin/psql" -X -At "$super" -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE userid = 'bench_views'::regrole"; }
wal_position() { "$bin/psql" -X -At "$super" -c "SELECT pg_current_wal_lsn()"; }
wal_since() { "$bin/psql" -X -At "$super" -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$1')"; }
per_exchange() { echo "$1 / $calls" | bc -l | xargs printf '%.1f'; }

# With a standby: its replay lag in ms, sampled every 100 ms into $work/lag while the database passes run.
sample_lag() {
    [ "${STANDBY:-0}" = 1 ] || return 0
    while sleep 0.1; do
        "$bin/psql" -X -At "$super" -c "SELECT coalesce(extract(epoch FROM replay_lag) * 1000, 0) FROM pg_stat_replication" 2>/dev/null
    done >> "$work/lag" &
    echo $! > "$work/lag.pid"
}
# The CPU time (clock ticks) of a cluster's server processes so far (the primary's by default): its postmaster's
# children.
server_ticks() {
    local home pids dir=${1:-$cluster}
    [ -d "$dir" ] || { echo 0; return; }
    home=$(cat "$dir/home" 2>/dev/null || echo "$dir")
    pids=$(ps -o pid= --ppid "$(head -1 "$home/data/postmaster.pid")")
    # shellcheck disable=SC2086
    (cd /proc && cat $(printf '%s/stat ' $pids) 2>/dev/null) | awk '{ t += $14 + $15 } END { print t + 0 }'
}
primary_ticks() { server_ticks "$cluster"; }
standby_ticks() { [ "${STANDBY:-0}" = 1 ] && server_ticks "$standby" || echo 0; }
per_exchange_ms() { echo "$1 * 10 / $calls" | bc -l | xargs printf '%.3f'; }

stop_sampling() { [ -f "$work/lag.pid" ] && kill "$(cat "$work/lag.pid")" 2>/dev/null; rm -f "$work/lag.pid"; }

register() { # $1 role, $2 password, $3 mode -> logins/s, failed, status, CPU ms, refreshes/s, failed, status, CPU ms,
             # and in mode database statements and WAL bytes per login and per refresh
    sipp_port=$(scripts/free-port.py)
    start_kamailio "$1" "$2" "$3"
    local login refresh statements wal ticks standby_cpu written=""
    [ "$3" = database ] && sample_lag
    statements=$(sent_statements); wal=$(wal_position); ticks=$(primary_ticks); standby_cpu=$(standby_ticks)
    login=$(register_pass 1)
    [ "$3" = database ] && written="$(per_exchange "$(( $(sent_statements) - statements ))") $(per_exchange "$(wal_since "$wal")") $(per_exchange_ms "$(( $(primary_ticks) - ticks ))") $(per_exchange_ms "$(( $(standby_ticks) - standby_cpu ))")"
    statements=$(sent_statements); wal=$(wal_position); ticks=$(primary_ticks); standby_cpu=$(standby_ticks)
    refresh=$(register_pass 3)
    [ "$3" = database ] && written="$written $(per_exchange "$(( $(sent_statements) - statements ))") $(per_exchange "$(wal_since "$wal")") $(per_exchange_ms "$(( $(primary_ticks) - ticks ))") $(per_exchange_ms "$(( $(standby_ticks) - standby_cpu ))")"
    stop_sampling
    stop_kamailio
    echo "$login $refresh $written"
}

read -r view_tps view_avg <<<"$(lookup bench_views benchpassword1)"
read -r plain_tps plain_avg <<<"$(lookup bench_plain benchpassword2)"
median() { tr ' ' '\n' | awk 'NF' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
sum() { tr ' ' '\n' | awk '{t+=$1} END {print t+0}'; }
declare -A rates failures statuses cpu
written_rounds=""
for round in $(seq "$rounds"); do
    for configuration in plain memory database; do
        case $configuration in
            plain) result=$(register bench_plain benchpassword2 memory) ;;
            memory) result=$(register bench_views benchpassword1 memory) ;;
            database)
                # Every round logs in the same Call-IDs afresh.
                "$bin/psql" -X -q "$super" -c "TRUNCATE registrar_state.location, registrar_state.login_events,
                    registrar_state.logged_in_counts, registrar_state.pending_logouts, registrar_state.unannounced_changes,
                    registrar_state.unrecorded_logins"
                result=$(register bench_views benchpassword1 database) ;;
        esac
        read -r login login_failed login_status login_cpu refresh refresh_failed refresh_status refresh_cpu written <<<"$result"
        [ "$configuration" = database ] && written_rounds="$written"
        rates[$configuration-login]+="$login "; rates[$configuration-refresh]+="$refresh "
        cpu[$configuration-login]+="$login_cpu "; cpu[$configuration-refresh]+="$refresh_cpu "
        failures[$configuration-login]+="$login_failed "; failures[$configuration-refresh]+="$refresh_failed "
        statuses[$configuration-login]+="$login_status "; statuses[$configuration-refresh]+="$refresh_status "
    done
done
for configuration in plain memory database; do
    for pass in login refresh; do
        key=$configuration-$pass
        printf -v "${configuration}_${pass}" '%s' "$(median <<<"${rates[$key]}")"
        printf -v "${configuration}_${pass}_failed" '%s' "$(sum <<<"${failures[$key]}")"
        printf -v "${configuration}_${pass}_status" '%s' "$(tr ' ' '\n' <<<"${statuses[$key]}" | sort -nr | head -1)"
        printf -v "${configuration}_${pass}_all" '%s' "${rates[$key]% }"
        printf -v "${configuration}_${pass}_cpu" '%s' "$(median <<<"${cpu[$key]}")"
    done
done
db_login=$database_login; db_refresh=$database_refresh
db_login_failed=$database_login_failed; db_refresh_failed=$database_refresh_failed
db_login_status=$database_login_status; db_refresh_status=$database_refresh_status
registrations=$("$bin/psql" -X -At "$super" -c "SELECT count(*) FROM registrar_state.location")
events=$("$bin/psql" -X -At "$super" -c "SELECT count(*) FROM registrar_state.login_events")

percent() { echo "100 * $1 / $2" | bc -l | xargs printf '%.1f%%'; }
echo
echo "Registrar benchmark on $(nproc) cores, $(date -u +%Y-%m-%d), ${seconds}s pgbench runs, $calls REGISTERs per pass," \
    "median of $rounds rounds"
printf '%-46s %12s %12s %8s\n' "subscriber lookups (pgbench, 4 clients)" "views" "plain table" "ratio"
printf '%-46s %12s %12s %8s\n' "lookups/s" "$view_tps" "$plain_tps" "$(percent "$view_tps" "$plain_tps")"
printf '%-46s %12s %12s\n' "p99 lookup latency (ms)" "$view_avg" "$plain_avg"
echo
printf '%-46s %12s %12s %12s %8s\n' "REGISTER+digest exchanges/s (Kamailio+sipp)" "plain, mem" "views, mem" "views, db" "db/mem"
printf '%-46s %12s %12s %12s %8s\n' "logins (new Call-IDs)" "$plain_login" "$memory_login" "$db_login" "$(percent "$db_login" "$memory_login")"
printf '%-46s %12s %12s %12s %8s\n' "refreshes (same Call-IDs, rising CSeq)" "$plain_refresh" "$memory_refresh" "$db_refresh" "$(percent "$db_refresh" "$memory_refresh")"
printf '%-46s %12s %12s %12s %8s\n' "CPU ms per login (both cores, all processes)" "$plain_login_cpu" "$memory_login_cpu" "$database_login_cpu" "$(percent "$memory_login_cpu" "$database_login_cpu")"
printf '%-46s %12s %12s %12s %8s\n' "CPU ms per refresh" "$plain_refresh_cpu" "$memory_refresh_cpu" "$database_refresh_cpu" "$(percent "$memory_refresh_cpu" "$database_refresh_cpu")"
printf '%-46s %12s %12s %12s\n' "failed logins (sipp exit status)" "$plain_login_failed ($plain_login_status)" "$memory_login_failed ($memory_login_status)" "$db_login_failed ($db_login_status)"
printf '%-46s %12s %12s %12s\n' "failed refreshes (sipp exit status)" "$plain_refresh_failed ($plain_refresh_status)" "$memory_refresh_failed ($memory_refresh_status)" "$db_refresh_failed ($db_refresh_status)"
echo "registrations in the database afterwards: $registrations; login history rows: $events"
read -r login_statements login_wal login_primary login_standby refresh_statements refresh_wal refresh_primary \
    refresh_standby <<<"$written_rounds"
echo "views, db, last round: statements per login $login_statements, WAL per login $login_wal bytes, primary CPU" \
    "per login $login_primary ms; statements per refresh $refresh_statements, WAL per refresh $refresh_wal bytes," \
    "primary CPU per refresh $refresh_primary ms (the timers' statements included)"
[ "${STANDBY:-0}" = 1 ] && echo "standby CPU (the verdicts and replaying the WAL): per login $login_standby ms," \
    "per refresh $refresh_standby ms"
if [ "${STANDBY:-0}" = 1 ]; then
    echo "replication lag during the database passes (replay_lag every 100 ms, ms):" \
        "$(sort -n "$work/lag" | awk '{v[NR]=$1} END {printf "p50 %.2f, p99 %.2f, max %.2f over %d samples", v[int(NR*0.5)+1], v[int(NR*0.99)+1], v[NR], NR}')"
fi
echo "every round, logins: plain $plain_login_all; views, mem $memory_login_all; views, db $database_login_all"
echo "every round, refreshes: plain $plain_refresh_all; views, mem $memory_refresh_all; views, db $database_refresh_all"
