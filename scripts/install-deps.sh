#!/usr/bin/env bash
# Installs the Debian packages HotDesk needs, only those that are missing (with sudo when not root).
#   scripts/install-deps.sh run    building and running the portal
#   scripts/install-deps.sh test   the above plus what the test suites drive
#   scripts/install-deps.sh bench  the run packages plus what `make bench` drives (wrk, curl)
set -euo pipefail

run_packages=(pkg-config libpq-dev libmicrohttpd-dev libsodium-dev postgresql-15 postgresql-client-15)
bench_packages=(wrk curl python3)
test_packages=(python3-yaml python3-venv curl nginx prometheus openssl git kamailio kamailio-postgres-modules kamailio-extra-modules sip-tester chromium chromium-driver)

case "${1:-run}" in
    run) wanted=("${run_packages[@]}") ;;
    test) wanted=("${run_packages[@]}" "${test_packages[@]}") ;;
    bench) wanted=("${run_packages[@]}" "${bench_packages[@]}") ;;
    *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing missing system packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
    $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || {
    echo "Swift 6 is not installed or not on PATH: install it from swift.org (Debian 12 toolchain)." >&2
    exit 1
}
