#!/usr/bin/env bash
# A private PostgreSQL cluster for development and tests.
#
#   scripts/postgres-cluster.sh start DIR [--throwaway] [--tcp-port N] [--standby-of PRIMARY_DIR]
#                                                         create (first time) and start; prints nothing else
#   scripts/postgres-cluster.sh stop DIR                  stop it (fast shutdown)
#   scripts/postgres-cluster.sh promote DIR               make a standby the primary (pg_ctl promote), and wait
#   scripts/postgres-cluster.sh url DIR ROLE [DATABASE]   a libpq URL for ROLE over the cluster's socket
#   scripts/postgres-cluster.sh socket DIR                the Unix socket folder
#   scripts/postgres-cluster.sh remove DIR                stop it and delete it: DIR, its home and its socket folder
#
# The cluster listens on a Unix socket only (listen_addresses=''), in a 0700 folder, with trust
# authentication on that socket: nobody else on the machine can reach it. It has three roles:
#   hotdesk_owner   LOGIN, owns the database and runs migrations
#   hotdesk_portal  NOLOGIN group role the migrations grant data access to
#   hotdesk_app     LOGIN, member of hotdesk_portal: what `hotdesk serve` connects as
#   hotdesk_registrar NOLOGIN group role that may SELECT the registrar views (hotdesk registrar-role)
# initdb and postgres refuse to run as root, so as root the cluster runs as the `postgres` user.
# That user must be able to enter every parent of the cluster's folder. When it cannot (as root in a clone
# under /root, mode 700), the cluster's home (data, logs, socket) is
# /var/lib/postgresql/hotdesk-clusters/<first 16 hex digits of the SHA-256 of DIR's real path> instead, owned by
# postgres with mode 700, and DIR keeps only a pointer to it (DIR/home) and the port and socket-dir files: the
# same DIR finds the same home again, and `remove` deletes both. A home whose pointer is gone (DIR was deleted
# with rm -rf) is stale and is replaced by a new cluster, as deleting DIR deleted the cluster before. Otherwise
# (a normal user, or a reachable DIR) the cluster's home is DIR itself.
# --throwaway turns off fsync (for tests: faster, and the data is deleted afterwards anyway) and loads
# pg_stat_statements (tests and make bench count statements).
# --tcp-port N also listens on 127.0.0.1:N with password (scram-sha-256) authentication, for clients
# that cannot use a Unix socket (Kamailio) and for the client's own TCP tests.
# --standby-of PRIMARY_DIR makes the new cluster a streaming hot standby of that running cluster: a base backup
# over the primary's socket (pg_basebackup -R -X stream, as its superuser), with the primary's roles, data and
# settings, and a socket (and --tcp-port) of its own. `promote` turns it into a primary.
set -euo pipefail

die() { echo "postgres-cluster: $*" >&2; exit 1; }

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
    die "PostgreSQL server binaries not found; install them with: apt-get install postgresql-15"
}

# As root, from / : the postgres user may not be able to enter the current folder (pg_ctl would say so).
as_cluster_user() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Where the `postgres` user's clusters live when it cannot reach DIR (see the top).
clusters_root=/var/lib/postgresql/hotdesk-clusters

# True unless we are root and the postgres user cannot enter the folder DIR is in (or, if that does not exist
# yet, the nearest folder above it that does). DIR itself does not count: `start` hands it to that user.
reachable() {
    [ "$(id -u)" = 0 ] || return 0
    local parent; parent=$(dirname "$1")
    while [ ! -d "$parent" ]; do parent=$(dirname "$parent"); done
    runuser -u postgres -- test -x "$parent"
}

# The folder the cluster's data, logs and (usually) socket live in: DIR itself, or the per-checkout home under
# $clusters_root that DIR/home points to (or will, once started).
cluster_home() {
    local dir=$1
    if [ -f "$dir/home" ]; then cat "$dir/home"; return; fi
    if [ -f "$dir/data/PG_VERSION" ] || reachable "$dir"; then echo "$dir"; return; fi
    echo "$clusters_root/$(printf '%s' "$dir" | sha256sum | cut -c1-16)"
}

# The socket path must fit in sun_path (107 bytes); a deep checkout gets a short folder in /tmp instead.
socket_dir() {
    local dir=$1
    if [ -f "$dir/socket-dir" ]; then cat "$dir/socket-dir"; return; fi
    local candidate; candidate="$(cluster_home "$dir")/run"
    if [ ${#candidate} -gt 90 ]; then
        candidate="/tmp/hotdesk-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
    fi
    echo "$candidate"
}

psql_super() {
    local dir=$1; shift
    "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$(socket_dir "$dir")" -p "$(cat "$dir/port")" -U postgres -d postgres "$@"
}

start() {
    local dir throwaway=0 tcp_port="" primary=""
    dir=$(realpath -m "$1"); shift
    while [ $# -gt 0 ]; do
        case "$1" in
            --throwaway) throwaway=1 ;;
            --tcp-port) tcp_port=$2; shift ;;
            --standby-of) primary=$(realpath -m "$2"); shift ;;
            *) die "unknown option $1" ;;
        esac
        shift
    done
    local bin; bin=$(pg_bin)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "the postgres system user is missing (apt-get install postgresql-15 creates it)"
    fi
    local home; home=$(cluster_home "$dir")
    if [ "$home" != "$dir" ]; then
        # A cluster in a folder the postgres user cannot reach: its home is under $clusters_root. A new one there
        # without a pointer in DIR was left by an earlier DIR of the same path, deleted without `remove`: it is
        # stale, and replaced.
        if [ ! -f "$dir/home" ]; then
            if [ -f "$home/data/PG_VERSION" ]; then
                runuser -u postgres -- "$bin/pg_ctl" -D "$home/data" -m immediate -w stop >/dev/null 2>&1 || true
            fi
            rm -rf "$home"
            rm -f "$dir/socket-dir" "$dir/port"
            echo "$home" > "$dir/home"
        fi
        install -d -o postgres -g postgres -m 700 "$clusters_root" "$home"
        echo "$dir" > "$home/checkout"
    fi
    local sock; sock=$(socket_dir "$dir")
    echo "$sock" > "$dir/socket-dir"
    [ -f "$dir/port" ] || echo "${tcp_port:-5432}" > "$dir/port"
    mkdir -p "$sock"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$home" "$sock"
        runuser -u postgres -- test -w "$home" ||
            die "the postgres user cannot reach $home (a parent folder is not enterable by others)"
    fi
    chmod 700 "$dir" "$home" "$sock"

    if [ ! -f "$home/data/PG_VERSION" ] && [ -n "$primary" ]; then
        [ -f "$primary/port" ] || die "$primary is not a cluster of this script"
        as_cluster_user "$bin/pg_basebackup" -D "$home/data" -h "$(socket_dir "$primary")" -p "$(cat "$primary/port")" \
            -U postgres -R -X stream --checkpoint=fast >"$home/basebackup.log" 2>&1 ||
            die "pg_basebackup from $primary failed; see $home/basebackup.log"
        {
            echo "# This standby's own addresses (the lines above are the primary's)."
            if [ -n "$tcp_port" ]; then
                echo "listen_addresses = '127.0.0.1'"
                echo "port = $tcp_port"
            else
                echo "listen_addresses = ''"
                echo "port = 5432"
            fi
            echo "unix_socket_directories = '$sock'"
        } | as_cluster_user tee -a "$home/data/postgresql.conf" >/dev/null
        echo "${tcp_port:-5432}" > "$dir/port"
    fi
    if [ ! -f "$home/data/PG_VERSION" ]; then
        local locale=C.UTF-8
        locale -a 2>/dev/null | grep -qix 'c.utf-\?8' || locale=C
        as_cluster_user "$bin/initdb" -D "$home/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale="$locale" >"$home/initdb.log" 2>&1 ||
            die "initdb failed; see $home/initdb.log"
        {
            if [ -n "$tcp_port" ]; then
                echo "listen_addresses = '127.0.0.1'"
                echo "port = $tcp_port"
            else
                echo "listen_addresses = ''"
            fi
            echo "unix_socket_directories = '$sock'"
            echo "unix_socket_permissions = 0700"
            echo "max_connections = 200"
            echo "shared_buffers = 128MB"
            echo "log_min_messages = warning"
            if [ $throwaway = 1 ]; then
                # Tests and `make bench` count the statements a request issues.
                echo "shared_preload_libraries = 'pg_stat_statements'"
                echo "fsync = off"
                echo "synchronous_commit = off"
                echo "full_page_writes = off"
            fi
        } | as_cluster_user tee -a "$home/data/postgresql.conf" >/dev/null
    fi

    if ! as_cluster_user "$bin/pg_ctl" -D "$home/data" status >/dev/null 2>&1; then
        as_cluster_user "$bin/pg_ctl" -D "$home/data" -l "$home/postgres.log" -w -t 60 start >/dev/null ||
            die "PostgreSQL did not start; see $home/postgres.log"
    fi

    # A standby has the primary's roles and database, and accepts no writes.
    [ "$(psql_super "$dir" -At -c 'SELECT pg_is_in_recovery()')" = t ] && return
    psql_super "$dir" <<'SQL'
SELECT 'CREATE ROLE hotdesk_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotdesk_owner')
\gexec
SELECT 'CREATE ROLE hotdesk_portal NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotdesk_portal')
\gexec
SELECT 'CREATE ROLE hotdesk_app LOGIN IN ROLE hotdesk_portal' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotdesk_app')
\gexec
SELECT 'CREATE ROLE hotdesk_registrar NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotdesk_registrar')
\gexec
SELECT 'CREATE DATABASE hotdesk OWNER hotdesk_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hotdesk')
\gexec
SQL
}

promote() {
    local dir; dir=$(realpath -m "$1")
    as_cluster_user "$(pg_bin)/pg_ctl" -D "$(cluster_home "$dir")/data" -w -t 60 promote >/dev/null ||
        die "the standby in $dir could not be promoted"
}

stop() {
    local dir; dir=$(realpath -m "$1")
    local home; home=$(cluster_home "$dir")
    [ -f "$home/data/PG_VERSION" ] || return 0
    as_cluster_user "$(pg_bin)/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Stops the cluster and deletes DIR, the cluster's home when it is elsewhere, and a socket folder in /tmp.
remove() {
    local dir; dir=$(realpath -m "$1")
    stop "$dir"
    local home sock; home=$(cluster_home "$dir"); sock=$(socket_dir "$dir")
    case "$home" in "$clusters_root"/*) rm -rf "$home"; rmdir "$clusters_root" 2>/dev/null || true ;; esac
    case "$sock" in /tmp/hotdesk-pg-*) rm -rf "$sock" ;; esac
    rm -rf "$dir"
}

url() {
    local dir; dir=$(realpath -m "$1")
    echo "postgresql:///${3:-hotdesk}?host=$(socket_dir "$dir")&port=$(cat "$dir/port")&user=$2"
}

case "${1:-}" in
    start) [ $# -ge 2 ] || die "usage: $0 start DIR [--throwaway] [--tcp-port N]"; shift; start "$@" ;;
    stop) [ $# -ge 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
    promote) [ $# -ge 2 ] || die "usage: $0 promote DIR"; promote "$2" ;;
    url) [ $# -ge 3 ] || die "usage: $0 url DIR ROLE [DATABASE]"; url "$2" "$3" "${4:-}" ;;
    socket) [ $# -ge 2 ] || die "usage: $0 socket DIR"; socket_dir "$(realpath -m "$2")" ;;
    remove) [ $# -ge 2 ] || die "usage: $0 remove DIR"; remove "$2" ;;
    *) sed -n '2,32p' "$0"; exit 2 ;;
esac
