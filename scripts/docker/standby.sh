#!/usr/bin/env bash
# The entrypoint of docker-compose.yml's `postgres-standby` (scaling profile): on its first start, a base backup
# of `postgres` as `replicator` with standby.signal and primary_conninfo written (pg_basebackup -R), so that it
# streams from then on; then PostgreSQL as the postgres:15 image runs it (it finds the data and skips initdb).
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready -h postgres -p 5432 -q; do sleep 1; done
    mkdir -p "$PGDATA"
    chown postgres: "$PGDATA"
    chmod 700 "$PGDATA"
    gosu postgres env PGPASSWORD="$HOTDESK_REPLICATION_PASSWORD" \
        pg_basebackup -h postgres -p 5432 -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast
fi
exec docker-entrypoint.sh postgres
