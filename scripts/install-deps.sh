#!/usr/bin/env bash
# Installs the Debian packages HotDesk needs, only those that are missing (with sudo when not root).
#   scripts/install-deps.sh run    building and running the portal
#   scripts/install-deps.sh test   the above plus what the test suites drive, and axe-core (.hotdesk/axe-core)
#   scripts/install-deps.sh bench  the run packages plus what `make bench` drives (wrk, curl)
set -euo pipefail

run_packages=(pkg-config libpq-dev libmicrohttpd-dev libsodium-dev postgresql-15 postgresql-client-15)
bench_packages=(wrk curl python3)
test_packages=(python3-yaml python3-venv curl nginx haproxy pgbouncer prometheus openssl git kamailio kamailio-postgres-modules kamailio-extra-modules sip-tester chromium chromium-driver)

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

# axe-core, which the browser suite injects to check every page for WCAG 2.x A/AA violations. npm is not
# reachable from CI, so axe.min.js comes out of the PyPI wheel axe-playwright-python (pinned, with its hash),
# downloaded with pip into a virtual environment of this checkout, once: a rerun finds the file and is offline.
axe_wheel_version=0.1.8
axe_wheel_sha256=fdd263c998388f1a8e67cad02677e612d946248bd44d163be5e8650ea31f95f8
install_axe_core() {
    local root folder venv download
    root=$(cd "$(dirname "$0")/.." && pwd)
    folder=$root/.hotdesk/axe-core
    venv=$root/.hotdesk/venv
    if [ -s "$folder/axe.min.js" ] && [ "$(cat "$folder/wheel-version" 2>/dev/null)" = "$axe_wheel_version" ]; then
        return
    fi
    echo "Fetching axe-core from the PyPI wheel axe-playwright-python $axe_wheel_version into $folder"
    [ -x "$venv/bin/pip" ] || /usr/bin/python3 -m venv "$venv"
    download=$(mktemp -d)
    printf 'axe-playwright-python==%s --hash=sha256:%s\n' "$axe_wheel_version" "$axe_wheel_sha256" \
        >"$download/requirements.txt"
    "$venv/bin/pip" download -q --disable-pip-version-check --no-deps --require-hashes \
        -r "$download/requirements.txt" -d "$download"
    "$venv/bin/python" -m zipfile -e "$download/axe_playwright_python-$axe_wheel_version-py3-none-any.whl" \
        "$download/wheel"
    if [ ! -s "$download/wheel/axe_playwright_python/axe.min.js" ]; then
        echo "axe-playwright-python $axe_wheel_version has no axe_playwright_python/axe.min.js:" \
            "the browser suite cannot check accessibility (files: $(cd "$download/wheel" && find . -type f | tr '\n' ' '))" >&2
        rm -rf "$download"
        exit 1
    fi
    mkdir -p "$folder"
    cp "$download/wheel/axe_playwright_python/axe.min.js" "$folder/axe.min.js"
    echo "$axe_wheel_version" >"$folder/wheel-version"
    rm -rf "$download"
}
[ "${1:-run}" != test ] || install_axe_core

command -v swift >/dev/null || {
    echo "Swift 6 is not installed or not on PATH: install it from swift.org (Debian 12 toolchain)." >&2
    exit 1
}
