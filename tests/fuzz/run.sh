#!/bin/sh
# Runs libFuzzer harnesses for a while each and reports.
#
# Usage: tests/fuzz/run.sh SECONDS BIN...
#   e.g. tests/fuzz/run.sh 60 build/fuzz/fuzz_params build/fuzz/fuzz_router
#
# For each BIN (build/fuzz/fuzz_NAME) this
#  - replays the saved crash inputs in tests/fuzz/regression/NAME/, if any
#    (a crash that still crashes is a failure),
#  - fuzzes for SECONDS on a temporary copy of tests/fuzz/corpus/NAME/ (the
#    seed corpus in the repository is not changed),
#  - prints one line: the number of executions and the result,
#  - copies any crash, leak, timeout or out-of-memory input into
#    tests/fuzz/regression/NAME/ so it can be replayed and fixed.
# Ends with "N passed, M failed"; exits non-zero when any fuzzer failed.
# Full logs are in build/fuzz/logs/NAME.log.
set -u
cd "$(dirname "$0")/../.."

if [ $# -lt 2 ]; then
    echo "usage: $0 SECONDS BIN..." >&2
    exit 2
fi
seconds=$1
shift
case "$seconds" in
'' | *[!0-9]*)
    echo "$0: SECONDS must be a whole number, not \"$seconds\"" >&2
    exit 2
    ;;
esac

passed=0
failed=0
log_dir=build/fuzz/logs
mkdir -p "$log_dir"
tmp_root=$(mktemp -d /tmp/wp-fuzz.XXXXXX)
trap 'rm -rf "$tmp_root"' EXIT INT TERM

for bin in "$@"; do
    base=$(basename "$bin")
    name=${base#fuzz_}
    log="$log_dir/$name.log"
    : >"$log"
    if [ ! -x "$bin" ]; then
        echo "$base: not built ($bin is missing) - FAILED"
        failed=$((failed + 1))
        continue
    fi

    regress="tests/fuzz/regression/$name"
    replay_note=""
    saved=$(find "$regress" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | sort)
    if [ -n "$saved" ]; then
        n_saved=$(echo "$saved" | wc -l | tr -d ' ')
        if "$bin" $saved >>"$log" 2>&1; then
            replay_note=", $n_saved saved crash input(s) replayed without a crash"
        else
            echo "$base: a saved input in $regress still fails (see $log) - FAILED"
            failed=$((failed + 1))
            continue
        fi
    fi

    work="$tmp_root/$name"
    mkdir -p "$work/corpus" "$work/artifacts"
    if [ -d "tests/fuzz/corpus/$name" ]; then
        cp -R "tests/fuzz/corpus/$name/." "$work/corpus/"
    else
        echo "  (no seed corpus tests/fuzz/corpus/$name; starting empty)"
    fi

    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" "$work/corpus" >>"$log" 2>&1
    rc=$?
    execs=$(grep -E '^stat::number_of_executed_units:' "$log" | tail -n 1 | awk '{print $2}')
    [ -n "$execs" ] || execs=$(grep -oE '#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    [ -n "$execs" ] || execs=0
    # a "slow unit" (over 10 s, which a loaded machine also makes) is a note,
    # not a failure: real hangs end as timeout-* inputs (-timeout=10)
    slow=$(find "$work/artifacts" -type f -name 'slow-unit-*' | wc -l | tr -d ' ')
    find "$work/artifacts" -type f -name 'slow-unit-*' -delete
    [ "$slow" -eq 0 ] || replay_note="$replay_note, $slow slow unit(s) over 10 s (not kept)"
    found=$(find "$work/artifacts" -type f | wc -l | tr -d ' ')

    if [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]; then
        echo "$base: $execs executions in ${seconds}s, no crash$replay_note - ok"
        passed=$((passed + 1))
    else
        mkdir -p "$regress"
        for f in "$work/artifacts"/*; do
            [ -f "$f" ] && cp "$f" "$regress/"
        done
        kind=$(grep -m 1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [a-zA-Z-]+( signal)?' "$log" ||
            grep -m 1 -oE 'runtime error: .*' "$log" || echo "exit status $rc")
        echo "$base: $execs executions, CRASH ($kind); $found input(s) kept in $regress/ (log: $log) - FAILED"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
