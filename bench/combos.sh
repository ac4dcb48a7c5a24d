#!/bin/sh
# bench/combos.sh: /combos and /es/combos (issue 18) beside nginx serving
# the very bytes waypost answered as a static file, in one run; with BASE
# set to another build of waypost (the commit before a change), the same
# pages from it too, in the same run, so a before/after compares the
# waypost/nginx ratios of one run on a shared machine.
#
#     sh bench/combos.sh
#     BASE=/tmp/before/build/waypost BASE_TREE=/tmp/before ROUNDS=3 sh bench/combos.sh
#
# BASE_TREE is the before commit's tree (git worktree add, or git archive
# COMMIT | tar -x -C DIR): the server reads its templates, content, data
# and catalogs from its working directory, so the before build runs there.
#
# Settings: THREADS (default: cores; waypost threads, nginx workers, wrk
# -t), CONNECTIONS (32), DURATION (4s), ROUNDS (1: each round measures
# every server once per page, interleaved), WAYPOST (build/waypost), BASE
# (unset). The checker needs no directory: each server gets a fresh
# temp database. Needs wrk, nginx and curl (see bench/issue_pages.sh).
# Before measuring, the bytes of both builds are compared for every page
# measured (a speed-up must not change the page). Everything started is
# stopped on exit and the temp dir removed.
set -eu
cd "$(dirname "$0")/.."

THREADS=${THREADS:-$(nproc 2>/dev/null || echo 2)}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-4s}
ROUNDS=${ROUNDS:-1}
WAYPOST=${WAYPOST:-build/waypost}
BASE=${BASE:-}
BASE_TREE=${BASE_TREE:-.}

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
for c in wrk curl; do command -v $c >/dev/null 2>&1 || die "$c is missing (see bench/issue_pages.sh)"; done
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || die "nginx is missing (see bench/issue_pages.sh)"
[ -x "$WAYPOST" ] || die "$WAYPOST is missing: make build/waypost"

TMP=$(mktemp -d /tmp/waypost-combos-bench.XXXXXX)
chmod 755 "$TMP"
PIDS=""
cleanup() {
    for f in "$TMP"/*.pid; do [ -f "$f" ] && PIDS="$PIDS $(cat "$f")"; done
    for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
    sleep 1
    for p in $PIDS; do kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port() { echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 )); }
start() { # start NAME BINARY TREE: prints the port (runs in $(...): the pid goes to a file)
    p=$(port)
    bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
    (cd "$3" && exec "$bin" serve --server-db_path "$TMP/$1.db" --server-listen "127.0.0.1:$p" \
        --server-threads "$THREADS" --metrics-listen "" >"$TMP/$1.log" 2>&1) &
    echo $! >"$TMP/$1.pid"
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$p/healthz"; do
        i=$((i + 1)); [ $i -lt 300 ] || die "$2 did not start"; sleep 0.1
    done
    echo "$p"
}
NEW_PORT=$(start new "$WAYPOST" .)
BASE_PORT=""
[ -z "$BASE" ] || BASE_PORT=$(start base "$BASE" "$BASE_TREE")

mkdir -p "$TMP/www" "$TMP/nginx/logs" "$TMP/nginx/tmp"
NGX_PORT=$(port)
cat >"$TMP/nginx/nginx.conf" <<CONF
daemon off;
worker_processes $THREADS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    types { text/html html; }
    access_log off; sendfile on; tcp_nodelay on; gzip off;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx/tmp/body; proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi; uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    server { listen 127.0.0.1:$NGX_PORT; root $TMP/www; location / { } }
}
CONF
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" >/dev/null 2>&1 &
PIDS="$PIDS $!"
sleep 0.5

cpu_ticks() { # user + system clock ticks the process has used
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
rate() { # rate URL [PID]: "requests/s" or, with PID, "requests/s CPU-microseconds-per-request"
    t0=""
    [ -z "${2:-}" ] || t0=$(cpu_ticks "$2")
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1")
    case $out in *Non-2xx*) die "non-2xx answers from $1" ;; esac
    rps=$(echo "$out" | awk '/^Requests\/sec:/ { printf "%.0f", $2 }')
    if [ -n "$t0" ]; then
        n=$(echo "$out" | awk '/ requests in / { print $1 }')
        echo "$rps $(awk -v a="$t0" -v b="$(cpu_ticks "$2")" -v n="$n" -v hz="$(getconf CLK_TCK)" \
            'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / n }')"
    else
        echo "$rps"
    fi
}

PAGES="/combos?s=xanax&s=alcohol&s=fentanyl /es/combos?s=xanax&s=alcohol&s=fentanyl"
n=0
for path in $PAGES; do
    n=$((n + 1))
    curl -sSf -o "$TMP/www/p$n.html" "http://127.0.0.1:$NEW_PORT$path" || die "GET $path failed"
    chmod a+r "$TMP/www/p$n.html"
    if [ -n "$BASE_PORT" ]; then
        curl -sSf -o "$TMP/base$n.html" "http://127.0.0.1:$BASE_PORT$path" || die "GET $path (BASE) failed"
        cmp -s "$TMP/base$n.html" "$TMP/www/p$n.html" || { diff "$TMP/base$n.html" "$TMP/www/p$n.html" >&2; die "$path: BASE and $WAYPOST answer different bytes"; }
    fi
done

NEW_PID=$(cat "$TMP/new.pid")
BASE_PID=""
[ -z "$BASE_PORT" ] || BASE_PID=$(cat "$TMP/base.pid")
# The server's CPU time per request (user + system, from /proc) moves much
# less than requests/s when other work shares the cores.
if [ -n "$BASE_PORT" ]; then
    printf '| round | page | before req/s (/nginx) | after req/s (/nginx) | nginx req/s | after/before of the ratios | CPU us/request before → after |\n'
    printf '|---:|---|---:|---:|---:|---:|---:|\n'
else
    printf '| round | page | waypost req/s | nginx req/s | waypost/nginx | CPU us/request |\n|---:|---|---:|---:|---:|---:|\n'
fi
r=0
while [ $r -lt "$ROUNDS" ]; do
    r=$((r + 1))
    n=0
    for path in $PAGES; do
        n=$((n + 1))
        b="0 0"
        [ -z "$BASE_PORT" ] || b=$(rate "http://127.0.0.1:$BASE_PORT$path" "$BASE_PID")
        x=$(rate "http://127.0.0.1:$NGX_PORT/p$n.html")
        w=$(rate "http://127.0.0.1:$NEW_PORT$path" "$NEW_PID")
        if [ -n "$BASE_PORT" ]; then
            echo "$n $b $w $x" >>"$TMP/rows"
            echo "$b $w" | awk -v r="$r" -v p="$path" -v x="$x" '{
                printf "| %d | `%s` | %d (%.2f) | %d (%.2f) | %d | %.2fx | %d → %d |\n", r, p, $1, $1 / x, $3, $3 / x, x, $3 / $1, $2, $4 }'
        else
            echo "$n $b $w $x" >>"$TMP/rows"
            echo "$w" | awk -v r="$r" -v p="$path" -v x="$x" '{
                printf "| %d | `%s` | %d | %d | %.2f | %d |\n", r, p, $1, x, $1 / x, $2 }'
        fi
    done
done

# Medians over the rounds: the ratios to nginx and the CPU per request.
med() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\nMedians over %s rounds:\n\n' "$ROUNDS"
if [ -n "$BASE_PORT" ]; then
    printf '| page | before/nginx | after/nginx | after/before | CPU us/request before → after |\n|---|---:|---:|---:|---:|\n'
else
    printf '| page | waypost/nginx | CPU us/request |\n|---|---:|---:|\n'
fi
n=0
for path in $PAGES; do
    n=$((n + 1))
    rb=$(awk -v n=$n '$1 == n { print $2 / $6 }' "$TMP/rows" | med)
    ra=$(awk -v n=$n '$1 == n { print $4 / $6 }' "$TMP/rows" | med)
    cb=$(awk -v n=$n '$1 == n { print $3 }' "$TMP/rows" | med)
    ca=$(awk -v n=$n '$1 == n { print $5 }' "$TMP/rows" | med)
    if [ -n "$BASE_PORT" ]; then
        awk -v p="$path" -v rb="$rb" -v ra="$ra" -v cb="$cb" -v ca="$ca" \
            'BEGIN { printf "| `%s` | %.2f | %.2f | %.2fx | %d → %d |\n", p, rb, ra, ra / rb, cb, ca }'
    else
        awk -v p="$path" -v ra="$ra" -v ca="$ca" 'BEGIN { printf "| `%s` | %.2f | %d |\n", p, ra, ca }'
    fi
done
