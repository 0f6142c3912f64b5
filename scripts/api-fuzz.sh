#!/usr/bin/env bash
# The API against its OpenAPI document, with schemathesis (PyPI, pinned below) and a real `hotdesk serve` on a
# throwaway PostgreSQL cluster: every operation with schemathesis's checks (no server error; status codes,
# content types, headers and response bodies as documented; invalid input refused; valid input accepted), then
# stateful sequences along the document's links (create an install, add a user, set its PIN, grant access, read it,
# delete it). Prints the number of generated requests; any failure fails the run. `make test` runs it.
#   API_FUZZ_EXAMPLES=100  test cases per operation and phase
#   API_FUZZ_SEED=20261203 the seed (fixed, so that a run is repeatable)
set -euo pipefail
cd "$(dirname "$0")/.."

schemathesis_version=4.32.5
examples=${API_FUZZ_EXAMPLES:-100}
dir=.hotdesk/api-fuzz
cluster=$dir/cluster
venv=.hotdesk/venv
portal_pid=""

log() { printf '==> %s\n' "$*" >&2; }
cleanup() {
    if [ -n "$portal_pid" ]; then kill -TERM "$portal_pid" 2>/dev/null || true; wait "$portal_pid" 2>/dev/null || true; fi
    scripts/postgres-cluster.sh remove "$cluster"
}
trap cleanup EXIT

# schemathesis in a virtual environment of this checkout, installed once.
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $schemathesis_version" ]; then
    log "Installing schemathesis $schemathesis_version into $venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

hotdesk=$(swift build --show-bin-path)/hotdesk
[ -x "$hotdesk" ] || swift build --product hotdesk
scripts/postgres-cluster.sh remove "$cluster"
rm -rf "$dir"
mkdir -p "$dir"
scripts/postgres-cluster.sh start "$cluster" --throwaway
"$hotdesk" migrate --database-url "$(scripts/postgres-cluster.sh url "$cluster" hotdesk_owner)" >/dev/null
app_url=$(scripts/postgres-cluster.sh url "$cluster" hotdesk_app)
"$hotdesk" create-admin --database-url "$app_url" --organization "API Fuzz" --email fuzz@api.example \
    --generate-password >/dev/null
# Install 1, which the document's examples name, with a user, so that reads by example find something.
psql -q "$(scripts/postgres-cluster.sh url "$cluster" postgres)" -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
SELECT id, 'Fuzz Head Office', 'fuzz.example' FROM hotdesk.organizations;
INSERT INTO hotdesk.users (install_id, extension, display_name) VALUES (1, '1001', 'Ann Fuzz');
SQL
key=$("$hotdesk" create-api-key --database-url "$app_url" --email fuzz@api.example --name "schemathesis" 2>/dev/null)

port=$(scripts/free-port.py)
base="http://127.0.0.1:$port"
"$hotdesk" serve --database-url "$app_url" --listen "127.0.0.1:$port" --metrics-listen 127.0.0.1:0 --api-rate-limit 1000000 \
    --log-level warning 2>"$dir/portal.log" &
portal_pid=$!
for _ in $(seq 100); do
    curl -fsS -o /dev/null "$base/livez" 2>/dev/null && break
    sleep 0.1
done

log "schemathesis $schemathesis_version: every operation, $examples cases per phase, then stateful sequences"
status=0
"$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "$base/api/v1/openapi.json" --url "$base" \
    -H "Authorization: Bearer $key" --checks all --max-examples "$examples" --seed "${API_FUZZ_SEED:-20261203}" \
    --phases examples,coverage,fuzzing,stateful --workers 1 --no-color \
    --report ndjson --report-ndjson-path "$dir/events.ndjson" --generation-database none >"$dir/schemathesis.log" 2>&1 \
    || status=$?
tail -n 40 "$dir/schemathesis.log"
log "schemathesis exit status $status; generated requests: $(grep -o '"request"' "$dir/events.ndjson" | wc -l)"
if [ "$status" != 0 ]; then
    echo "schemathesis found failures; the full log is $dir/schemathesis.log" >&2
    exit "$status"
fi
