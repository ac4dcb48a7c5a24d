#!/bin/sh
# bench/issue_pages.sh: the pages of issue 18's table (the finder, its
# shortcut and filters, site search, /combos, and the API search the finder
# is compared with), each measured with wrk against waypost and, in the
# same run, against a private nginx serving the very bytes waypost answered
# as a static file. Prints requests/s of both and the ratio waypost/nginx,
# and for the finder pages the ratio to the API's rate for the same search;
# the Spanish twins of the finder, search and /combos (issue 16) are
# compared with the English page in the row above.
#
# Run from the repo root after `make build/waypost` (make bench runs it
# after bench/pages.sh):
#     sh bench/issue_pages.sh
#     SEED_DB=/tmp/seeded.db DURATION=10s sh bench/issue_pages.sh
# Settings: THREADS (default: cores; waypost threads, nginx workers, wrk -t),
# CONNECTIONS (default 32), DURATION (default 5s), SEED_DB (a database
# `waypost seed` already filled, copied first; without it the bundled
# directory is seeded into a temp database, about a minute).
# Needs wrk, nginx and curl (installed with apt-get as root or sudo -n
# when missing, nginx not started as a service). Everything started is
# stopped on exit and the temp dir removed.
# shellcheck disable=SC2086
set -eu
cd "$(dirname "$0")/.."

THREADS=${THREADS:-$(nproc 2>/dev/null || echo 2)}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-5s}
WAYPOST=${WAYPOST:-build/waypost}
SEED_DB=${SEED_DB:-}

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

TMP=""
WP_PID=""
NGX_PID=""
stop_pid() {
    [ -n "$1" ] || return 0
    kill -TERM "$1" 2>/dev/null || return 0
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
    stop_pid "$WP_PID"
    stop_pid "$NGX_PID"
    [ -z "$TMP" ] || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

missing=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || { sudo -n true 2>/dev/null && SUDO="sudo -n"; } ||
        die "missing Debian packages:$missing; install them with: apt-get install -y$missing"
    say "installing:$missing"
    $SUDO env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y --no-install-recommends $missing >&2 ||
        die "apt-get install$missing failed"
    $SUDO update-rc.d nginx disable >/dev/null 2>&1 || true
fi
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -x "$WAYPOST" ] || make --no-print-directory build/waypost >&2 || die "make build/waypost failed"

TMP=$(mktemp -d /tmp/waypost-issue-bench.XXXXXX)
chmod 755 "$TMP"
if [ -n "$SEED_DB" ]; then
    cp "$SEED_DB" "$TMP/w.db"
else
    say "seeding the bundled directory into $TMP/w.db"
    "$WAYPOST" seed --server-db_path "$TMP/w.db" >/dev/null 2>&1 || die "waypost seed failed"
fi

port() { echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 )); }
WP_PORT=$(port)
"$WAYPOST" serve --server-db_path "$TMP/w.db" --server-listen "127.0.0.1:$WP_PORT" --server-threads "$THREADS" \
    --metrics-listen "" >"$TMP/waypost.log" 2>&1 &
WP_PID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$WP_PORT/healthz"; do
    i=$((i + 1)); [ $i -lt 300 ] || die "waypost did not start"; sleep 0.1
done

mkdir -p "$TMP/www" "$TMP/nginx/logs" "$TMP/nginx/tmp"
NGX_PORT=$(port)
cat >"$TMP/nginx/nginx.conf" <<CONF
daemon off;
worker_processes $THREADS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    types { text/html html; application/json json; }
    access_log off; sendfile on; tcp_nodelay on; gzip off;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx/tmp/body; proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi; uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    server { listen 127.0.0.1:$NGX_PORT; root $TMP/www; location / { } }
}
CONF
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" >/dev/null 2>&1 &
NGX_PID=$!
sleep 0.5

rate() { # rate URL: requests/s (non-2xx answers are an error)
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1")
    case $out in *Non-2xx*) die "non-2xx answers from $1" ;; esac
    echo "$out" | awk '/^Requests\/sec:/ { printf "%.0f", $2 }'
}

# the API line of the issue's table: the nearest listings to downtown Denver
API="/api/v1/service_at_locations?lat=39.7392&lon=-104.9903&proximity=25000&per_page=10"
printf '| page | waypost req/s | nginx (same bytes) req/s | waypost/nginx | note |\n|---|---:|---:|---:|---|\n'
n=0
api_rate=""
prev=""
for path in "$API" "/find?what=buprenorphine&where=80202&radius=25" \
    "/es/find?what=buprenorphine&where=80202&radius=25" "/find/treatment?where=97214" \
    "/find?what=buprenorphine&where=80202&radius=25&open=1" "/find?where=80202&radius=25&lang=es" \
    "/search?q=naloxone" "/es/search?q=naloxona" "/combos?s=xanax&s=alcohol&s=fentanyl" \
    "/es/combos?s=xanax&s=alcohol&s=fentanyl" "/api/v1/services?search=methadone&per_page=10"; do
    n=$((n + 1))
    curl -sSf -o "$TMP/www/p$n.html" "http://127.0.0.1:$WP_PORT$path" || die "GET $path failed"
    chmod a+r "$TMP/www/p$n.html"
    w=$(rate "http://127.0.0.1:$WP_PORT$path")
    x=$(rate "http://127.0.0.1:$NGX_PORT/p$n.html")
    [ -n "$api_rate" ] || api_rate=$w
    note=""
    case $path in /find*) note=$(awk -v a="$w" -v b="$api_rate" 'BEGIN { printf "%.2fx the API (aim 0.5x)", a / b }') ;; esac
    # a Spanish page (issue 16) against the English page in the row above it
    case $path in /es/*) note=$(awk -v a="$w" -v b="$prev" 'BEGIN { printf "%.2fx the English page", a / b }') ;; esac
    prev=$w
    printf '| `%s` | %s | %s | %s | %s |\n' "$path" "$w" "$x" \
        "$(awk -v a="$w" -v b="$x" 'BEGIN { printf "%.2f", a / b }')" "$note"
done
printf '\nwaypost RSS after the run: %s kB\n' "$(awk '/^VmRSS:/ { print $2 }' /proc/$WP_PID/status)"
