#!/usr/bin/env bash
# docker-entrypoint-initdb.d hook: creates HotDesk's roles with passwords from the environment.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner_password="$HOTDESK_OWNER_PASSWORD" -v app_password="$HOTDESK_APP_PASSWORD" -v registrar_password="$HOTDESK_REGISTRAR_PASSWORD" \
    -f /docker-entrypoint-initdb.d/init-roles.sql.in
# The scaling profile's standby (scripts/docker/standby.sh) copies and streams the database as `replicator`.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v replication_password="$HOTDESK_REPLICATION_PASSWORD" \
    -c "CREATE ROLE replicator REPLICATION LOGIN PASSWORD :'replication_password'"
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
