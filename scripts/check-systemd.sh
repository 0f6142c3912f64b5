#!/usr/bin/env bash
# Checks the systemd unit offline (systemd need not be running): `make install` of an already built binary into
# a temporary root, then `systemd-analyze verify` of the installed hotdesk.service in that root (any message it
# prints fails the check: systemd only warns about an unknown key or a bad value, and then ignores it), then
# `systemd-analyze security` of it, which prints the exposure score; a score above the threshold fails.
#
#   scripts/check-systemd.sh HOTDESK_BINARY        e.g. .build/release/hotdesk (nothing is built)
#   SYSTEMD_EXPOSURE_THRESHOLD=2.0                 the highest exposure score accepted (0.0 best, 10.0 worst)
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -eq 1 ] || { echo "usage: $0 HOTDESK_BINARY" >&2; exit 2; }
binary=$(realpath "$1")
threshold=${SYSTEMD_EXPOSURE_THRESHOLD:-2.0}
[ -x "$binary" ] || { echo "check-systemd: $1 is not an executable" >&2; exit 1; }
command -v systemd-analyze >/dev/null ||
    { echo "check-systemd: systemd-analyze is missing (apt-get install systemd)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
log() { printf '==> %s\n' "$*" >&2; }

log "make install DESTDIR=$root HOTDESK_BINARY=$binary"
make -s install DESTDIR="$root" HOTDESK_BINARY="$binary" >/dev/null
unit=$(find "$root" -name hotdesk.service -path '*/systemd/system/*')
[ -n "$unit" ] || { echo "check-systemd: make install installed no hotdesk.service" >&2; exit 1; }
# The unit's default dependencies (sysinit.target, basic.target, ...) and its targets must exist in the root too.
mkdir -p "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"

log "systemd-analyze verify --man=no --generators=no --root=$root hotdesk.service"
status=0
messages=$(systemd-analyze verify --man=no --generators=no --root="$root" hotdesk.service 2>&1) || status=$?
if [ $status -ne 0 ] || [ -n "$messages" ]; then
    printf '%s\n' "$messages" >&2
    echo "check-systemd: FAILED: systemd-analyze verify (exit status $status) objects to ${unit#"$root"}" >&2
    exit 1
fi

log "systemd-analyze security --offline=true --root=$root hotdesk.service"
status=0
report=$(systemd-analyze security --offline=true --root="$root" hotdesk.service 2>&1) ||
    status=$?
score=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for hotdesk.service: \([0-9.]*\).*/\1/p')
printf '%s\n' "$report" | grep '✗' || true
[ -n "$score" ] || { printf '%s\n' "$report" >&2; echo "check-systemd: FAILED: no exposure score" >&2; exit 1; }
if [ $status -ne 0 ] || awk -v s="$score" -v t="$threshold" 'BEGIN { exit !(s > t) }'; then
    echo "check-systemd: FAILED: exposure score $score is above $threshold" >&2
    exit 1
fi
echo "check-systemd: OK: hotdesk.service verifies cleanly; exposure score $score (threshold $threshold)"
