#!/usr/bin/env bash
# `make run`: installs what is missing, builds, and serves the portal on http://127.0.0.1:8080.
# Without DATABASE_URL it creates (first run) and starts a private PostgreSQL cluster in
# .hotdesk/postgres (Unix socket only), migrates as the schema owner and serves as the runtime role.
# With DATABASE_URL it migrates with HOTDESK_MIGRATION_DATABASE_URL (or DATABASE_URL) and serves with
# DATABASE_URL. Extra arguments go to `hotdesk serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh run
swift build --product hotdesk
hotdesk="$(swift build --show-bin-path)/hotdesk"

if [ -z "${DATABASE_URL:-}" ]; then
    cluster=.hotdesk/postgres
    scripts/postgres-cluster.sh start "$cluster"
    migration_url=$(scripts/postgres-cluster.sh url "$cluster" hotdesk_owner)
    DATABASE_URL=$(scripts/postgres-cluster.sh url "$cluster" hotdesk_app)
    export DATABASE_URL
    echo "Private PostgreSQL in $cluster (stop it with: make stop-db)"
else
    migration_url=${HOTDESK_MIGRATION_DATABASE_URL:-$DATABASE_URL}
fi

"$hotdesk" migrate --database-url "$migration_url"

# The private cluster gets a demo organization with an administrator and a manager, created once;
# their generated passwords are kept (readable only by you) and printed on every run.
if [ -n "${cluster:-}" ]; then
    credentials=.hotdesk/demo-credentials.txt
    if [ ! -s "$credentials" ]; then
        admin_password=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(15))')
        manager_password=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(15))')
        printf '%s\n' "$admin_password" | "$hotdesk" create-admin --organization "Demo Company" \
            --email admin@demo.example --name "Demo Administrator" >/dev/null
        printf '%s\n' "$manager_password" | "$hotdesk" create-admin --organization "Demo Company" \
            --email manager@demo.example --name "Demo Manager" --role manager >/dev/null
        umask 077
        {
            echo "Demo sign-in (http://127.0.0.1:8080/login):"
            echo "  administrator  admin@demo.example    $admin_password"
            echo "  manager        manager@demo.example  $manager_password"
        } > "$credentials"
    fi
    cat "$credentials"
fi

exec "$hotdesk" serve "$@"
