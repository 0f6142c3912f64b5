#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a bounded time; `make test` runs it after the
# test suites. A crash stops the script with the failing input saved under Fuzz/.build/crashes/.
#
#   scripts/fuzz.sh                          every target, FUZZ_SECONDS (default 15) seconds each
#   FUZZ_SECONDS=600 scripts/fuzz.sh ipv4-network   one target for ten minutes
#   scripts/fuzz.sh --build                  build only
#
# The parsers are pure Swift, so each is compiled straight from its source files with swiftc (no C
# modules, no SwiftPM): the pure files of WebServer and of HotDesk's Values and Handsets become two
# instrumented static libraries, and each Fuzz/<Name>Fuzz.swift links against one of them
# (`@testable import`).
# New inputs the fuzzer finds go to Fuzz/.build/corpus/<target>; the committed seeds in
# Fuzz/Seeds/<target> are only read.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-15}
out=Fuzz/.build
flags=(-parse-as-library -O -sanitize=fuzzer,address)
# The Swift runtime's backtracer would wait on a crashing fuzzer; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE=enable=no

# target name, Swift file, library module, and any test-support files the target shares with the tests
targets=(
    "form-data FormDataFuzz.swift WebServer"
    "request-target RequestTargetFuzz.swift WebServer"
    "forwarded ForwardedFuzz.swift WebServer"
    "ipv4-network IPv4NetworkFuzz.swift HotDesk"
    "four-digits FourDigitsFuzz.swift HotDesk Tests/HotDeskTests/Values/SplitMix64.swift"
    "text TextFuzz.swift HotDesk"
    "handset HandsetFuzz.swift HotDesk"
    "csv CSVFuzz.swift HotDesk"
)

build_library() {
    local module=$1
    shift
    mkdir -p "$out/lib"
    rm -f "$out/lib/lib$module.a"  # the archiver would keep objects of files since removed
    swiftc "${flags[@]}" -wmo -enable-testing -module-name "$module" -emit-module \
        -emit-module-path "$out/lib/$module.swiftmodule" -emit-library -static -o "$out/lib/lib$module.a" "$@" \
        2> >(grep -v "Cannot export local symbol" >&2)
}

# Builds the two libraries side by side, then the targets side by side (each step waits for all its jobs,
# and a failed job stops the script).
build() {
    echo "fuzz: building the instrumented libraries"
    local jobs=()
    build_library WebServer Sources/WebServer/Error/HTTPError.swift Sources/WebServer/HTTP/*.swift \
        Sources/WebServer/Request/*.swift Sources/WebServer/Support/*.swift Sources/WebServer/Proxy/*.swift &
    jobs+=($!)
    # Values and Handsets, without the one file that talks to PostgreSQL, the import's CSV reader, and the live
    # side's handset identity and login policy values.
    build_library HotDesk Sources/HotDesk/Values/*.swift \
        $(ls Sources/HotDesk/Handsets/*.swift | grep -v '/HandsetStore.swift$') \
        Sources/HotDesk/Import/CSVTable.swift Sources/HotDesk/Import/SpreadsheetCell.swift \
        Sources/HotDesk/Registrations/HandsetIdentity.swift Sources/HotDesk/Registrations/LoginPolicy.swift &
    jobs+=($!)
    for job in "${jobs[@]}"; do wait "$job"; done
    echo "fuzz: building ${#targets[@]} targets"
    jobs=()
    for entry in "${targets[@]}"; do
        read -r name file module shared <<<"$entry"
        # shellcheck disable=SC2086 # `shared` is a list of paths without spaces, or empty
        swiftc "${flags[@]}" -I "$out/lib" -L "$out/lib" -l"$module" "Fuzz/$file" $shared -o "$out/$name" \
            2> >(grep -v "Cannot export local symbol" >&2) &
        jobs+=($!)
    done
    for job in "${jobs[@]}"; do wait "$job"; done
}

run() {
    local name=$1
    mkdir -p "$out/corpus/$name" "$out/crashes"
    echo "fuzz: running $name for $seconds s"
    "$out/$name" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096 -timeout=10 \
        -artifact_prefix="$out/crashes/$name-" "$out/corpus/$name" "Fuzz/Seeds/$name" 2>"$out/$name.log" || {
        tail -n 40 "$out/$name.log" >&2
        echo "fuzz: $name failed; the input is in $out/crashes/ — fix the bug, add the input to Fuzz/Seeds/$name" \
            "and to a regression test" >&2
        return 1
    }
    local runs rate
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$name.log")
    echo "fuzz: $name: $runs runs, $rate execs/s, no failure"
}

build
[[ ${1:-} == --build ]] && exit 0
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
    for entry in "${targets[@]}"; do names+=("${entry%% *}"); done
fi
for name in "${names[@]}"; do run "$name"; done
