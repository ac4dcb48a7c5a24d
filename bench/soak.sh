#!/bin/sh
# bench/soak.sh: a soak test of the real server. It runs waypost for a long
# time (an hour by default) under a realistic mix of traffic and watches its
# memory, latency and errors, to catch leaks and slow failures that short
# benchmarks miss.
#
# What it does (all on 127.0.0.1, nothing else is contacted):
#   1. runs `make build/waypost` if the binary is missing (nothing else is built);
#   2. creates a temp database: `waypost migrate --db X && waypost seed --db X`
#      (the bundled directory, about 32,000 services; seeding takes 15 to 45 s);
#   3. starts `waypost serve --db X --listen 127.0.0.1:PORT` on a free port;
#   4. runs bench/soak_load.py (Python 3, standard library, threads) for
#      DURATION seconds: WORKERS keep-alive clients sending a weighted mix of
#      pages (/, /overdose, /substances/xylazine, /combos, /find, /find/treatment,
#      /search, /recovery, /data, /self-check/audit-c) and API calls
#      (service_at_locations, services pages, organizations, combos); a
#      POST /services/ID/report every REPORT_EVERY seconds; `waypost import
#      hsds data/directory/examples-harm-reduction.ndjson --db X` every
#      IMPORT_EVERY seconds while the server runs (default 600 s, or half the
#      run when that is shorter: at least one import in any run); SLOW_READERS
#      clients reading /api/v1/services?format=ndjson (18 MB) at SLOW_BYTES a
#      second for SLOW_MAX seconds a connection (then the rest at full speed,
#      to see whether the server gave up on them); SLOWLORIS clients sending one header line every 5 s and never
#      finishing the request;
#   5. samples the server's /proc/PID/status (VmRSS, RssAnon, RssFile,
#      threads) and open fds every 10 s;
#   6. prints RSS over time, p50/p99/max latency per route, errors by kind
#      (HTTP status, timeouts, connection errors), requests/s, what happened
#      to the slow readers, slowloris clients and imports, the server's
#      warning and error log lines, and "RSS check: PASS" when VmRSS at the
#      end is within 10% of VmRSS after the first minute (else FAIL);
#   7. writes that as the "## Soak" section of docs/benchmarks.md (other
#      sections are kept; DOC= writes nothing).
# Exit status: 0 on PASS with the server still answering; 1 on a FAIL, a
# crashed server or a setup error.
#
# Run from anywhere (it works in the repo root), after `make build/waypost`:
#     sh bench/soak.sh                       # one hour
#     DURATION=180 sh bench/soak.sh          # a quick run
#     DURATION=600 WORKERS=2 RATE=200 DOC= sh bench/soak.sh
# Settings (environment): DURATION (seconds, default 3600, at least 60),
# WORKERS (request-mix clients, default 4), RATE (requests/s in all for the
# mix, default 0: as fast as the clients go), TIMEOUT (seconds before a
# request counts as a timeout, default 10), REPORT_EVERY (default 5),
# IMPORT_EVERY (default 0: automatic, see above), SLOW_READERS (default 3),
# SLOW_BYTES (default 16384), SLOW_MAX (default 120), SLOWLORIS (default 4), SERVER_THREADS (waypost
# --server-threads; default: the server's own, one per core), DOC (default
# docs/benchmarks.md), WAYPOST (default build/waypost), KEEP=1 keeps the temp
# dir (database and server log) for a look afterwards.
#
# The load generator is one Python process (one core at most, because of the
# interpreter lock) beside the server on the same machine. Everything the
# script starts is stopped when it exits (also on Ctrl-C), and the temp dir is
# removed unless KEEP=1.
set -eu

cd "$(dirname "$0")/.."

DURATION=${DURATION:-3600}
WORKERS=${WORKERS:-4}
RATE=${RATE:-0}
TIMEOUT=${TIMEOUT:-10}
REPORT_EVERY=${REPORT_EVERY:-5}
IMPORT_EVERY=${IMPORT_EVERY:-0}
SLOW_READERS=${SLOW_READERS:-3}
SLOW_BYTES=${SLOW_BYTES:-16384}
SLOW_MAX=${SLOW_MAX:-120}
SLOWLORIS=${SLOWLORIS:-4}
SERVER_THREADS=${SERVER_THREADS:-}
DOC=${DOC-docs/benchmarks.md}
WAYPOST=${WAYPOST:-build/waypost}
KEEP=${KEEP:-}
IMPORT_FILE=data/directory/examples-harm-reduction.ndjson

say() { printf 'soak: %s\n' "$*" >&2; }
die() { printf 'soak: error: %s\n' "$*" >&2; exit 1; }

is_count() { case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }
is_number() { case $1 in '' | *[!0-9.]* | *.*.*) return 1 ;; *) return 0 ;; esac; }
need_count() { # need_count NAME VALUE MIN MAX: a whole number in [MIN, MAX], or stop
    if ! is_count "$2" || [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
        die "$1 must be a whole number from $3 to $4 (got '$2')"
    fi
}
need_count DURATION "$DURATION" 60 864000
need_count WORKERS "$WORKERS" 1 64
need_count SLOW_READERS "$SLOW_READERS" 0 16
need_count SLOWLORIS "$SLOWLORIS" 0 64
need_count SLOW_BYTES "$SLOW_BYTES" 1 67108864
need_count SLOW_MAX "$SLOW_MAX" 1 864000
is_number "$RATE" || die "RATE must be a number (got '$RATE')"
is_number "$TIMEOUT" || die "TIMEOUT must be a number (got '$TIMEOUT')"
is_number "$REPORT_EVERY" || die "REPORT_EVERY must be a number (got '$REPORT_EVERY')"
is_number "$IMPORT_EVERY" || die "IMPORT_EVERY must be a number (got '$IMPORT_EVERY')"
[ -z "$SERVER_THREADS" ] || is_count "$SERVER_THREADS" || die "SERVER_THREADS must be a number (got '$SERVER_THREADS')"
command -v python3 >/dev/null 2>&1 || die "python3 is needed for the load generator (apt-get install -y python3)"
[ -f "$IMPORT_FILE" ] || die "$IMPORT_FILE is missing"

# ---- cleanup: stop what we started, remove the temp dir ------------------

TMP=""
WP_PID=""
LOAD_PID=""

stop_pid() { # stop_pid PID: TERM, wait up to 10 s, then KILL
    [ -n "$1" ] || return 0
    kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null || true
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    rc=$?
    trap - EXIT INT TERM
    stop_pid "$LOAD_PID"
    stop_pid "$WP_PID"
    if [ -n "$TMP" ] && [ -d "$TMP" ]; then
        if [ -n "$KEEP" ]; then
            say "kept $TMP (database, server log, report)"
        else
            if [ "$rc" -ne 0 ] && [ -f "$TMP/waypost.log" ]; then
                grep -v ' info access ' "$TMP/waypost.log" | tail -n 100 >"$TMP.failed.log" 2>/dev/null &&
                    say "the server's last warnings and errors: $TMP.failed.log"
            fi
            rm -rf "$TMP"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build, database -------------------------------------------------------

if [ ! -x "$WAYPOST" ]; then
    say "$WAYPOST is missing; running make build/waypost"
    make --no-print-directory build/waypost >&2 || die "make build/waypost failed"
fi

TMP=$(mktemp -d /tmp/waypost-soak.XXXXXX)
DB="$TMP/soak.db"
say "creating and seeding $DB (takes 15 to 45 s)"
t_seed=$(date +%s)
"$WAYPOST" migrate --db "$DB" >"$TMP/seed.log" 2>&1 || { tail -n 20 "$TMP/seed.log" >&2; die "migrate failed"; }
"$WAYPOST" seed --db "$DB" >>"$TMP/seed.log" 2>&1 || { tail -n 20 "$TMP/seed.log" >&2; die "seed failed"; }
SEED_SECS=$(($(date +%s) - t_seed))
say "seeded in ${SEED_SECS}s ($(du -m "$DB" | cut -f1) MB)"

# ---- start waypost ----------------------------------------------------------

port_in_use() {
    ss -Htln 2>/dev/null | awk -v p=":$1" '{ if (substr($4, length($4) - length(p) + 1) == p) f = 1 } END { exit !f }'
}

free_port() { # prints a loopback TCP port nothing listens on
    n=0
    while [ $n -lt 100 ]; do
        p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000))
        if ! port_in_use "$p"; then
            echo "$p"
            return 0
        fi
        n=$((n + 1))
    done
    die "no free port found"
}

wait_http() { # wait_http PORT PID: until /healthz answers, or PID dies (60 s at most)
    i=0
    while [ $i -lt 600 ]; do
        python3 -c 'import sys, urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/healthz" % sys.argv[1], timeout=1)' \
            "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

THREAD_ARGS=""
[ -z "$SERVER_THREADS" ] || THREAD_ARGS="--server-threads $SERVER_THREADS"
tries=0
while :; do
    PORT=$(free_port)
    # shellcheck disable=SC2086 # THREAD_ARGS is two words or none
    "$WAYPOST" serve --db "$DB" --listen "127.0.0.1:$PORT" $THREAD_ARGS >"$TMP/waypost.log" 2>&1 &
    WP_PID=$!
    if wait_http "$PORT" "$WP_PID"; then break; fi
    stop_pid "$WP_PID"
    WP_PID=""
    tries=$((tries + 1))
    if [ $tries -ge 3 ] || ! grep -q 'already in use' "$TMP/waypost.log"; then
        tail -n 20 "$TMP/waypost.log" >&2
        die "waypost did not start"
    fi
done
say "waypost pid $WP_PID on 127.0.0.1:$PORT${SERVER_THREADS:+ with $SERVER_THREADS threads}; load for ${DURATION}s"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the load ---------------------------------------------------------------

set +e
python3 bench/soak_load.py --port "$PORT" --pid "$WP_PID" --db "$DB" --waypost "$WAYPOST" \
    --import-file "$IMPORT_FILE" --duration "$DURATION" --workers "$WORKERS" --rate "$RATE" \
    --timeout "$TIMEOUT" --report-every "$REPORT_EVERY" --import-every "$IMPORT_EVERY" \
    --slow-readers "$SLOW_READERS" --slow-bytes "$SLOW_BYTES" --slow-max "$SLOW_MAX" --slowloris "$SLOWLORIS" \
    --out "$TMP/report.md" >"$TMP/report.out" &
LOAD_PID=$!
wait "$LOAD_PID"
LOAD_RC=$?
LOAD_PID=""
set -e
[ -s "$TMP/report.md" ] || die "the load generator wrote no report (exit $LOAD_RC)"

# The server's own complaints: every log line that is not an access line.
{
    echo
    echo "### Server log"
    echo
    access=$(grep -c ' info access ' "$TMP/waypost.log" || true)
    grep -v ' info access ' "$TMP/waypost.log" | sed -E 's/^[0-9TZ:-]+ //' >"$TMP/other.log" || true
    if grep -qE '^(warn|error) ' "$TMP/other.log"; then
        echo "$access access lines; warnings and errors (count, message; up to 10 kinds):"
        echo
        echo '```'
        grep -E '^(warn|error) ' "$TMP/other.log" | sort | uniq -c | sort -rn | head -n 10 | cut -c1-200
        echo '```'
    else
        echo "$access access lines; no warning or error lines."
    fi
} >>"$TMP/report.md"

if kill -0 "$WP_PID" 2>/dev/null; then :; else
    wait "$WP_PID" 2>/dev/null
    WP_RC=$?
    WP_PID=""
    {
        echo
        echo "Server: FAIL: it exited with status $WP_RC during the run; its last log lines:"
        echo
        echo '~~~'
        tail -n 15 "$TMP/waypost.log"
        echo '~~~'
    } >>"$TMP/report.md"
    LOAD_RC=1
fi

echo
cat "$TMP/report.md"

# ---- docs/benchmarks.md -----------------------------------------------------

if [ -n "$DOC" ]; then
    cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(free -h | awk '/^Mem:/ { print "total " $2 ", used " $3 ", free " $4 ", available " $7 }')
    threads=$(sed -n 's/.* with \([0-9]*\) worker threads.*/\1/p' "$TMP/waypost.log" | head -n 1)
    wp_ver=$("$WAYPOST" version 2>&1 | head -n 1)
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    cmd="DURATION=$DURATION"
    [ "$WORKERS" = 4 ] || cmd="$cmd WORKERS=$WORKERS"
    [ "$RATE" = 0 ] || cmd="$cmd RATE=$RATE"
    [ "$SLOW_READERS" = 3 ] || cmd="$cmd SLOW_READERS=$SLOW_READERS"
    [ "$SLOW_BYTES" = 16384 ] || cmd="$cmd SLOW_BYTES=$SLOW_BYTES"
    [ "$SLOW_MAX" = 120 ] || cmd="$cmd SLOW_MAX=$SLOW_MAX"
    [ "$SLOWLORIS" = 4 ] || cmd="$cmd SLOWLORIS=$SLOWLORIS"
    [ -z "$SERVER_THREADS" ] || cmd="$cmd SERVER_THREADS=$SERVER_THREADS"
    SECTION="$TMP/section.md"
    {
        echo "## Soak"
        echo
        echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/soak.sh\`."
        echo
        echo "- Machine: $cpu; \`nproc\`: $(nproc); \`free -h\`: $mem; \`uname -r\`: $(uname -r)"
        echo "- Load average (1, 5, 15 min) when the load started: $LOAD_START; at the end: $load (other work shared the machine when above 2)"
        echo "- Version: $wp_ver"
        echo "- Command: \`$cmd sh bench/soak.sh\` (from the repo root; the default is \`DURATION=3600\`)"
        echo "- Server: \`waypost serve\` on a fresh database seeded with the bundled directory (${SEED_SECS} s to seed),"
        echo "  ${threads:-?} worker threads; the load generator (bench/soak_load.py, one Python"
        echo "  process) shares the machine with it, so requests/s measure this setup, not the server alone."
        echo
        cat "$TMP/report.md"
    } >"$SECTION"
    mkdir -p "$(dirname "$DOC")"
    [ -f "$DOC" ] || printf '# Benchmarks\n' >"$DOC"
    # Replace the "## Soak" section (up to the next "## "), or append it.
    awk -v sect="$SECTION" '
        function emit(  line) { while ((getline line < sect) > 0) print line; close(sect); done = 1 }
        /^## / {
            if (skip) { skip = 0 }
            if ($0 ~ /^## Soak[ \t]*$/) { if (!done) { emit(); print "" } skip = 1; next }
        }
        skip { next }
        { print; prev = $0 }
        END { if (!done) { if (prev != "") print ""; emit() } }
    ' "$DOC" >"$TMP/doc.md"
    awk '{ lines[NR] = $0 } END { n = NR; while (n > 0 && lines[n] == "") n--; for (i = 1; i <= n; i++) print lines[i] }' \
        "$TMP/doc.md" >"$TMP/doc2.md"
    cat "$TMP/doc2.md" >"$DOC"
    say "wrote the section \"## Soak\" in $DOC"
fi

exit "$LOAD_RC"
