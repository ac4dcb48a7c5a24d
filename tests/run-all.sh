#!/bin/sh
# Runs the test suites and ends with one line "N passed, N failed".
# Usage: tests/run-all.sh [unit|content|http|browser ...]  (default: all)
# Each suite prints its own lines; every suite ends with a line containing
# "N passed, M failed", which this script adds up. A suite that dies
# without that line counts as one failure.
set -u
cd "$(dirname "$0")/.."
suites="${*:-lint unit content http browser}"
total_pass=0
total_fail=0
log_dir=build/test-output
mkdir -p "$log_dir"

add_counts() { # add_counts FILE SUITE
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then
        echo "  $2: no result line (crashed?) - counted as 1 failure"
        total_fail=$((total_fail + 1))
        return
    fi
    p=$(echo "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed, ([0-9]+) failed.*/\2/')
    f=$(echo "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed, ([0-9]+) failed.*/\3/')
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

run_unit() {
    for t in $(find build/unit -type f -name 'test_*' 2>/dev/null | sort); do
        out="$log_dir/$(echo "$t" | tr '/' '_').log"
        echo "== unit: $t"
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            "$t" >"$out" 2>&1
        rc=$?
        p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | sed -E 's/.* ([0-9]+) test.*/\1/' | awk '{s+=$1} END {print s+0}')
        f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | sed -E 's/.* ([0-9]+) test.*/\1/' | awk '{s+=$1} END {print s+0}')
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1
        fi
        if [ "$f" -ne 0 ]; then
            grep -E 'FAILED|ERROR|error|Sanitizer' "$out" | head -n 40
        fi
        echo "   $p passed, $f failed"
        total_pass=$((total_pass + p))
        total_fail=$((total_fail + f))
    done
}

run_cmd() { # run_cmd SUITE COMMAND...
    name=$1
    shift
    out="$log_dir/$name.log"
    echo "== $name"
    "$@" 2>&1 | tee "$out"
    add_counts "$out" "$name"
}

for s in $suites; do
    case "$s" in
    lint) run_cmd lint scripts/lint.sh ;;
    unit) run_unit ;;
    content) run_cmd content python3 tests/content/run.py ;;
    http) # the HTTP tests drive the AddressSanitizer + UBSan build of the server
        WAYPOST_BIN="${WAYPOST_BIN:-build/waypost-san}" ASAN_OPTIONS=detect_leaks=1 \
            run_cmd http python3 tests/http/run.py ;;
    browser) run_cmd browser tests/browser/run.sh ;;
    *) echo "unknown suite $s"; exit 2 ;;
    esac
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
