#!/bin/sh
# Start-up and memory at scale (issue 18): how long `waypost serve` takes
# from exec to its first /healthz and its first API answer, the CPU it
# spent getting there, and its RSS idle and after a wrk load of the API's
# proximity search. BASE_BIN (optional) is a second binary run in turns
# with BIN on the same database, so both see the same machine load.
#
#   DB=/path/to/waypost.db [BIN=build/waypost] [BASE_BIN=...] [RUNS=5] \
#   [LOAD=8s] sh bench/startup.sh
#
# Each run starts the server on a copy-free open of DB (read only use:
# nothing is written unless the listing cache has dirty rows), waits for
# /healthz every 10 ms, asks one API question, reads /proc, and stops it
# with SIGTERM. Medians of RUNS are printed as a Markdown table.
set -eu
DB=${DB:?set DB to a database made by waypost seed or waypost import}
BIN=${BIN:-build/waypost}
RUNS=${RUNS:-5}
LOAD=${LOAD:-8s}
PORT=${PORT:-18997}
API="/api/v1/service_at_locations?lat=39.7392&lon=-104.9903&proximity=25000&per_page=10"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }
sub() { echo "$1 - $2" | bc; }

# one run of binary $1: prints "healthz api cpu rss_idle"
one() {
    t0=$(now)
    "$1" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$TMP/log" 2>&1 &
    pid=$!
    i=0
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
        i=$((i + 1))
        [ $i -lt 60000 ] || { cat "$TMP/log" >&2; kill $pid; exit 1; }
        kill -0 $pid 2>/dev/null || { cat "$TMP/log" >&2; exit 1; }
        sleep 0.01
    done
    t1=$(now)
    curl -sf -o /dev/null "http://127.0.0.1:$PORT$API"
    t2=$(now)
    cpu=$(awk '{print ($14 + $15) / 100}' /proc/$pid/stat)
    rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    kill $pid
    wait $pid 2>/dev/null || true
    echo "$(sub "$t1" "$t0") $(sub "$t2" "$t0") $cpu $rss"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# RSS of binary $1 after LOAD of wrk on the API (random-free: one URL)
loaded() {
    "$1" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$TMP/log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.01; done
    rate=$(wrk -t2 -c16 -d"$LOAD" "http://127.0.0.1:$PORT$API" | awk '/Requests\/sec/{print $2}')
    rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    kill $pid
    wait $pid 2>/dev/null || true
    echo "$rate $rss"
}

bins="$BIN"
[ -z "${BASE_BIN:-}" ] || bins="$BASE_BIN $BIN"
for r in $(seq "$RUNS"); do
    for b in $bins; do
        one "$b" >>"$TMP/$(echo "$b" | tr / _)"
    done
done
n=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM dir_service" 2>/dev/null || echo "?")
echo "database: $DB ($n services, $(du -cb "$DB"* | tail -1 | cut -f1) bytes); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| binary | to /healthz | to first API answer | CPU by then | RSS idle | RSS after $LOAD of wrk -t2 -c16 (req/s) |"
echo "|---|---:|---:|---:|---:|---:|"
for b in $bins; do
    f="$TMP/$(echo "$b" | tr / _)"
    h=$(cut -d' ' -f1 "$f" | median)
    a=$(cut -d' ' -f2 "$f" | median)
    c=$(cut -d' ' -f3 "$f" | median)
    m=$(cut -d' ' -f4 "$f" | median)
    set -- $(loaded "$b")
    echo "| $b | ${h} s | ${a} s | ${c} s | $((m / 1024)) MB | $(($2 / 1024)) MB ($1) |"
done
