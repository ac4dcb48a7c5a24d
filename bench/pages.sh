#!/bin/sh
# bench/pages.sh: how fast waypost serves pages compared with nginx serving
# the same bytes as plain files, measured side by side in one run.
#
# It starts waypost (temp database, free loopback port, THREADS workers) and
# a private nginx (config written to a temp dir, THREADS worker processes,
# loopback only, access_log off, sendfile on, gzip off, keepalive), copies
# waypost's home page HTML and its hashed stylesheet byte for byte into
# nginx's root, then runs wrk against four targets:
#   1. waypost /                     (rendered for every request)
#   2. nginx   /index.html           (the same HTML bytes, a static file)
#   3. waypost /static/css/site.<hash>.css   (served from memory)
#   4. nginx   the same path         (the same CSS bytes, a static file)
# Each target gets a 2 s warm-up (which also counts non-2xx replies exactly,
# with a small wrk Lua script) and then a measured run. It prints requests/s,
# p50 and p99, the server's CPU time per request, the ratios waypost/nginx
# with their aims (dynamic page at least 0.5x the nginx file, static asset at
# least 1.0x nginx), both servers' RSS, and writes the section
# "## Pages: waypost vs nginx" of docs/benchmarks.md (other sections kept).
#
# Run from the repo root, after `make build/waypost`:
#     make bench                 or    sh bench/pages.sh
#     THREADS=2 DURATION=30s CONNECTIONS=128 ROUNDS=3 sh bench/pages.sh
# Settings (environment): THREADS (default: number of cores; waypost
# --server-threads, nginx worker_processes and wrk -t), DURATION (default
# 10s), CONNECTIONS (default 64), WARMUP (default 2s), ROUNDS (default 1;
# more rounds run the four targets again in turn and report each target's
# median round, useful on a noisy machine), QUIET_WAIT (default 0: before
# each target, wait up to this many seconds for the machine to be less than
# NOISE_PCT, default 10, percent busy), DOC (default docs/benchmarks.md;
# DOC= skips writing it).
# Needs nginx, wrk and curl; missing ones are installed with apt-get (as root
# or with sudo -n) without starting nginx as a system service. Everything the
# script starts is stopped when it exits, and the temp dir is removed.
# Word splitting of pid and package lists is intended:
# shellcheck disable=SC2086,SC2046,SC2015,SC1091
set -eu

cd "$(dirname "$0")/.."

CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
THREADS=${THREADS:-$CORES}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-1}
NOISE_PCT=${NOISE_PCT:-10}
QUIET_WAIT=${QUIET_WAIT:-0}
DOC=${DOC-docs/benchmarks.md}
WAYPOST=${WAYPOST:-build/waypost}

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

case $THREADS in '' | *[!0-9]* | 0) die "THREADS must be a positive number (got '$THREADS')" ;; esac
case $CONNECTIONS in '' | *[!0-9]* | 0) die "CONNECTIONS must be a positive number (got '$CONNECTIONS')" ;; esac
case $ROUNDS in '' | *[!0-9]* | 0) die "ROUNDS must be a positive number (got '$ROUNDS')" ;; esac
case $QUIET_WAIT in '' | *[!0-9]*) die "QUIET_WAIT must be a number of seconds (got '$QUIET_WAIT')" ;; esac
case $NOISE_PCT in '' | *[!0-9]*) die "NOISE_PCT must be a number (got '$NOISE_PCT')" ;; esac
[ "$CONNECTIONS" -ge "$THREADS" ] || die "CONNECTIONS ($CONNECTIONS) must be at least THREADS ($THREADS) for wrk"

# ---- cleanup: stop what we started, remove the temp dir ------------------

TMP=""
WP_PID=""
NGX_PID=""
WRK_PID=""
POLICY_CREATED=""
SUDO=""

stop_pid() { # stop_pid PID: TERM, wait up to 5 s, then KILL
    [ -n "$1" ] || return 0
    kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null || true
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

cleanup() {
    rc=$?
    trap - EXIT INT TERM
    stop_pid "$WRK_PID"
    stop_pid "$WP_PID"
    stop_pid "$NGX_PID"
    [ -z "$POLICY_CREATED" ] || $SUDO rm -f /usr/sbin/policy-rc.d
    if [ -n "$TMP" ] && [ $rc -ne 0 ] && [ $rc -ne 130 ] && [ $rc -ne 143 ] && [ -d "$TMP" ]; then
        # Keep the servers' logs of a failed run for a look afterwards.
        {
            echo "== waypost log without access lines (last 50)"
            grep -v ' info access ' "$TMP/waypost.log" 2>/dev/null | tail -n 50
            echo "== waypost log (last 20 lines)"
            tail -n 20 "$TMP/waypost.log" 2>/dev/null
            echo "== nginx error log (last 50 lines)"
            tail -n 50 "$TMP/nginx/logs/error.log" 2>/dev/null
        } >"$TMP.failed.log" 2>/dev/null && say "logs of the failed run: $TMP.failed.log"
    fi
    [ -z "$TMP" ] || rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- dependencies ---------------------------------------------------------

missing=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        die "missing Debian packages:$missing; install them as root with: apt-get install -y$missing"
    fi
    say "installing Debian packages:$missing"
    # The nginx package starts a system service on install; a policy-rc.d
    # that exits 101 stops that. Only one we created is removed again.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# temporary, from waypost bench/pages.sh\nexit 101\n' |
            $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod 755 /usr/sbin/policy-rc.d
        POLICY_CREATED=1
    fi
    sys_nginx_before=""
    [ ! -s /run/nginx.pid ] || sys_nginx_before=1
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2 ||
        { $SUDO apt-get update >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2; } ||
        die "apt-get install$missing failed"
    if [ -n "$POLICY_CREATED" ]; then
        $SUDO rm -f /usr/sbin/policy-rc.d
        POLICY_CREATED=""
    fi
    # The package also enables nginx at boot; this script only wants the
    # binary, so switch the service off again (systemd and sysv links).
    case $missing in
    *nginx*)
        say "disabling the nginx system service the package enabled (nginx runs only privately here)"
        $SUDO update-rc.d nginx disable >/dev/null 2>&1 || true
        ;;
    esac
    # If the install started the system nginx anyway, stop it again.
    if [ -z "$sys_nginx_before" ] && [ -s /run/nginx.pid ]; then
        say "stopping the system nginx service the package started"
        $SUDO nginx -s quit 2>/dev/null || $SUDO kill "$(cat /run/nginx.pid)" 2>/dev/null || true
    fi
fi
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

if [ ! -x "$WAYPOST" ]; then
    say "$WAYPOST is missing; running make build/waypost"
    make --no-print-directory build/waypost >&2 || die "make build/waypost failed"
fi

# ---- helpers --------------------------------------------------------------

TMP=$(mktemp -d /tmp/waypost-bench.XXXXXX)
chmod 755 "$TMP" # nginx workers run as an unprivileged user and read www/

port_in_use() {
    ss -Htln 2>/dev/null | awk -v p=":$1" '{ if (substr($4, length($4) - length(p) + 1) == p) f = 1 } END { exit !f }'
}

free_port() { # prints a loopback TCP port nothing listens on
    n=0
    while [ $n -lt 100 ]; do
        p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 ))
        if ! port_in_use "$p" && [ "$p" != "${WP_PORT:-}" ]; then
            echo "$p"
            return 0
        fi
        n=$((n + 1))
    done
    die "no free port found"
}

wait_http() { # wait_http URL PID NAME: until URL answers, or PID dies
    i=0
    while [ $i -lt 100 ]; do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

to_ms() { # wrk duration (e.g. 812.00us, 1.23ms, 2.01s, 1.00m) -> milliseconds
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000; }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v; }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000; }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000; }
        else printf "?";
    }'
}

rss_kb() { # rss_kb PID... : sum of VmRSS in kB
    t=0
    for p in "$@"; do
        r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
        t=$((t + ${r:-0}))
    done
    echo $t
}

children() { # children PID: direct child pids
    for d in /proc/[0-9]*; do
        pp=$(awk '/^PPid:/ { print $2 }' "$d/status" 2>/dev/null || true)
        [ "$pp" != "$1" ] || echo "${d#/proc/}"
    done
}

nginx_pids() { echo "$NGX_PID" $(children "$NGX_PID"); }

CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

proc_ticks() { # proc_ticks PID...: utime + stime (all threads), in clock ticks
    t=0
    for p in "$@"; do
        v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true)
        t=$((t + ${v:-0}))
    done
    echo $t
}

machine_ticks() { # prints "BUSY TOTAL" clock ticks of all CPUs since boot
    awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' /proc/stat
}

child_ticks() { # sets CHILD_TICKS: CPU time of this shell's finished children (wrk)
    # `times` must run in this shell, not in a $(...) subshell.
    times >"$TMP/times"
    CHILD_TICKS=$(awk -v hz="$CLK_TCK" 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); t += a[1] * 60 + a[2] } printf "%d", t * hz + 0.5 }' "$TMP/times")
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

# ---- start waypost --------------------------------------------------------

WP_PORT=""
tries=0
while :; do
    WP_PORT=$(free_port)
    "$WAYPOST" serve --listen "127.0.0.1:$WP_PORT" --db "$TMP/waypost.db" --server-threads "$THREADS" \
        >"$TMP/waypost.log" 2>&1 &
    WP_PID=$!
    if wait_http "http://127.0.0.1:$WP_PORT/healthz" "$WP_PID"; then break; fi
    stop_pid "$WP_PID"
    WP_PID=""
    tries=$((tries + 1))
    if [ $tries -ge 3 ] || ! grep -q 'already in use' "$TMP/waypost.log"; then
        tail -n 20 "$TMP/waypost.log" >&2
        die "waypost did not start"
    fi
done
WP="http://127.0.0.1:$WP_PORT"
say "waypost pid $WP_PID on $WP with $THREADS worker threads"

# ---- copy the exact bytes into nginx's root -------------------------------

WWW="$TMP/www"
mkdir -p "$WWW"
# curl sends no Accept-Encoding unless told (--compressed), so these are the
# identity bytes.
curl -sSf -o "$WWW/index.html" "$WP/" || die "GET $WP/ failed"
CSS_PATH=$(grep -o 'href="/static/css/site\.[0-9a-zA-Z_-]*\.css"' "$WWW/index.html" | head -n 1 | sed 's/^href="//; s/"$//')
[ -n "$CSS_PATH" ] || die "no /static/css/site.<hash>.css link in waypost's home page"
mkdir -p "$WWW$(dirname "$CSS_PATH")"
curl -sSf -o "$WWW$CSS_PATH" "$WP$CSS_PATH" || die "GET $WP$CSS_PATH failed"
chmod -R a+rX "$WWW"
HTML_BYTES=$(wc -c <"$WWW/index.html" | tr -d ' ')
CSS_BYTES=$(wc -c <"$WWW$CSS_PATH" | tr -d ' ')
say "home page $HTML_BYTES bytes, $CSS_PATH $CSS_BYTES bytes"

# ---- start a private nginx ------------------------------------------------

mkdir -p "$TMP/nginx/logs" "$TMP/nginx/tmp"
NGX_CONF="$TMP/nginx/nginx.conf"
write_nginx_conf() { # write_nginx_conf PORT
    cat >"$NGX_CONF" <<EOF
# private nginx for waypost bench/pages.sh (not a system service)
daemon off;
master_process on;
worker_processes $THREADS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events {
    worker_connections 4096;
}
http {
    types {
        text/html html;
        text/css css;
    }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    gzip off;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx/tmp/body;
    proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
    uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$1;
        server_name localhost;
        root $WWW;
        location / { }
    }
}
EOF
}

tries=0
while :; do
    NGX_PORT=$(free_port)
    write_nginx_conf "$NGX_PORT"
    "$NGINX" -t -q -c "$NGX_CONF" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" || die "nginx rejected $NGX_CONF"
    "$NGINX" -c "$NGX_CONF" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" >"$TMP/nginx/logs/stdout.log" 2>&1 &
    NGX_PID=$!
    if wait_http "http://127.0.0.1:$NGX_PORT/index.html" "$NGX_PID"; then break; fi
    stop_pid "$NGX_PID"
    NGX_PID=""
    tries=$((tries + 1))
    if [ $tries -ge 3 ] || ! grep -q 'Address already in use' "$TMP/nginx/logs/error.log"; then
        tail -n 20 "$TMP/nginx/logs/error.log" >&2
        die "nginx did not start"
    fi
done
NG="http://127.0.0.1:$NGX_PORT"
say "nginx pid $NGX_PID on $NG with $THREADS worker processes"

# Both serve the same bytes?
for pair in "$WP/ $NG/index.html" "$WP$CSS_PATH $NG$CSS_PATH"; do
    set -- $pair
    curl -sSf -o "$TMP/a" "$1" && curl -sSf -o "$TMP/b" "$2" || die "fetching $1 or $2 failed"
    cmp -s "$TMP/a" "$TMP/b" || say "warning: $1 and $2 differ (waypost's page changed between fetches?)"
done

# Header block sizes (status line and headers) of each side's replies.
hdr_bytes() { curl -sS -D "$TMP/h" -o /dev/null "$1" && wc -c <"$TMP/h" | tr -d ' '; }
WP_HDR_HTML=$(hdr_bytes "$WP/")
NG_HDR_HTML=$(hdr_bytes "$NG/index.html")
WP_HDR_CSS=$(hdr_bytes "$WP$CSS_PATH")
NG_HDR_CSS=$(hdr_bytes "$NG$CSS_PATH")

WP_RSS_IDLE=$(rss_kb "$WP_PID")
NGX_RSS_IDLE=$(rss_kb $(nginx_pids))

# ---- wrk runs ------------------------------------------------------------

# Warm-up script: counts every reply whose status is not 2xx. wrk's own
# counter ("Non-2xx or 3xx responses") only counts statuses >= 400, and a Lua
# response() hook slows wrk down, so it is used for the warm-up only.
cat >"$TMP/status.lua" <<'EOF'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
    if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
    local n = 0
    for _, t in ipairs(threads) do n = n + (t:get("non2xx") or 0) end
    io.write(string.format("WARMUP_NON2XX %d\n", n))
end
EOF

PROBLEMS=""
RAW="$TMP/raw" # target|round|name|url|rps|p50ms|p99ms|requests|non2xx|socketerr|warmup_non2xx|us/req|srv%|wrk%|others%
: >"$RAW"

run() { # run NAME URL PID...: PIDs are the server's processes
    name=$1
    url=$2
    shift 2
    pids=$*
    label=$name
    [ "$ROUNDS" -eq 1 ] || label="$name, round $ROUND"
    out="$TMP/wrk-$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_').txt"
    wait_quiet "$label"
    say "warm-up $WARMUP: $name ($url)"
    # wrk runs in the background so that a signal stops the script (and wrk) at once.
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$TMP/status.lua" "$url" >"$out.warm" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { cat "$out.warm" >&2; die "wrk failed (warm-up of $name)"; }
    WRK_PID=""
    wnon=$(awk '/^WARMUP_NON2XX/ { print $2 }' "$out.warm")
    say "run $DURATION: $name"
    # CPU accounting around the measured run: the server's own CPU, wrk's,
    # and what the rest of the machine used (other processes, interrupts).
    set -- $(machine_ticks)
    m0_busy=$1 m0_total=$2
    s0=$(proc_ticks $pids)
    child_ticks
    w0=$CHILD_TICKS
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { cat "$out" >&2; die "wrk failed ($name)"; }
    WRK_PID=""
    child_ticks
    w1=$CHILD_TICKS
    main_pid=${pids%% *} # waypost, or nginx's master (it replaces dead workers)
    if ! kill -0 "$main_pid" 2>/dev/null; then
        if [ "$main_pid" = "$WP_PID" ]; then
            grep -v ' info access ' "$TMP/waypost.log" | tail -n 20 >&2
            wait "$WP_PID" 2>/dev/null && st=0 || st=$?
            WP_PID=""
            die "waypost exited (status $st) during the run of $label; its last log lines are above"
        fi
        tail -n 20 "$TMP/nginx/logs/error.log" >&2
        die "nginx exited during the run of $label; its last error log lines are above"
    fi
    s1=$(proc_ticks $pids)
    set -- $(machine_ticks)
    m_busy=$(($1 - m0_busy)) m_total=$(($2 - m0_total))
    srv=$((s1 - s0)) wrkt=$((w1 - w0))
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(awk '$1 == "50%" { print $2 }' "$out")
    p99=$(awk '$1 == "99%" { print $2 }' "$out")
    reqs=$(awk '/ requests in / { print $1 }' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    sockerr=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")
    [ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || { cat "$out" >&2; die "could not parse wrk output ($name)"; }
    [ -z "$non2xx" ] || PROBLEMS="$PROBLEMS
- $label: $non2xx responses with status 4xx/5xx in the measured run"
    [ -z "$sockerr" ] || PROBLEMS="$PROBLEMS
- $label: socket errors: $sockerr"
    [ "${wnon:-0}" = 0 ] || PROBLEMS="$PROBLEMS
- $label: $wnon non-2xx responses in the warm-up"
    [ -n "$wnon" ] || PROBLEMS="$PROBLEMS
- $label: the warm-up status count is missing"
    # µs of server CPU per request; % of the whole machine used by others.
    us_req=$(awk -v t="$srv" -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "?" }')
    other=$(awk -v b="$m_busy" -v s="$srv" -v w="$wrkt" -v t="$m_total" 'BEGIN { o = b - s - w; if (o < 0) o = 0; if (t > 0) printf "%.0f", o * 100 / t; else print "?" }')
    srv_pct=$(awk -v s="$srv" -v t="$m_total" -v c="$CORES" 'BEGIN { if (t > 0) printf "%.0f", s * 100 * c / t; else print "?" }')
    wrk_pct=$(awk -v s="$wrkt" -v t="$m_total" -v c="$CORES" 'BEGIN { if (t > 0) printf "%.0f", s * 100 * c / t; else print "?" }')
    [ "$other" = "?" ] || [ "$other" -lt "$NOISE_PCT" ] || NOISE="$NOISE
- $label: $other% of the machine's CPU went to other processes or interrupts during the run"
    echo "$TARGET|$ROUND|$name|$url|$rps|$(to_ms "$p50")|$(to_ms "$p99")|$reqs|${non2xx:-0}|${sockerr:-none}|${wnon:-?}|$us_req|$srv_pct|$wrk_pct|$other" >>"$RAW"
    say "  $rps req/s, p50 $p50, p99 $p99; server CPU $us_req us/request ($srv_pct% of a core), wrk $wrk_pct% of a core, others $other% of the machine"
}

busy_pct() { # % of the machine's CPU in use over the next second
    set -- $(machine_ticks)
    b0=$1 t0=$2
    sleep 1
    set -- $(machine_ticks)
    awk -v b=$(($1 - b0)) -v t=$(($2 - t0)) 'BEGIN { if (t > 0) printf "%.0f", b * 100 / t; else print 0 }'
}

wait_quiet() { # wait_quiet LABEL: with QUIET_WAIT > 0, wait that long at most for an idle machine
    [ "$QUIET_WAIT" -gt 0 ] || return 0
    waited=0
    while :; do
        b=$(busy_pct)
        [ "$b" -ge "$NOISE_PCT" ] || return 0
        [ $waited -lt "$QUIET_WAIT" ] || { say "  still $b% busy after ${QUIET_WAIT}s; running anyway"; return 0; }
        [ $waited -gt 0 ] || say "machine $b% busy before $1; waiting up to ${QUIET_WAIT}s for it to go quiet"
        waited=$((waited + 1))
    done
}

# How busy is the machine before we start? (1 s sample)
NOISE=""
IDLE_BUSY=$(busy_pct)
[ "$IDLE_BUSY" -lt "$NOISE_PCT" ] || NOISE="$NOISE
- before the runs, with both servers idle, the machine was $IDLE_BUSY% busy"
[ "$IDLE_BUSY" -lt "$NOISE_PCT" ] || say "warning: the machine is $IDLE_BUSY% busy before the runs; results will be noisy"

ROUND=1
while [ "$ROUND" -le "$ROUNDS" ]; do
    [ "$ROUNDS" -eq 1 ] || say "round $ROUND of $ROUNDS"
    TARGET=1 && run "waypost / (dynamic)" "$WP/" "$WP_PID"
    TARGET=2 && run "nginx index.html (file)" "$NG/index.html" $(nginx_pids)
    TARGET=3 && run "waypost $CSS_PATH (static)" "$WP$CSS_PATH" "$WP_PID"
    TARGET=4 && run "nginx $CSS_PATH (file)" "$NG$CSS_PATH" $(nginx_pids)
    ROUND=$((ROUND + 1))
done

# Per target, the round with the median requests/s (the only round when
# ROUNDS=1), without the target and round fields; then min and max req/s.
RESULTS="$TMP/results"
for t in 1 2 3 4; do
    awk -F'|' -v t="$t" '$1 == t' "$RAW" | sort -t'|' -k5,5g >"$TMP/rows"
    n=$(wc -l <"$TMP/rows" | tr -d ' ')
    lo=$(awk -F'|' 'NR == 1 { print $5 }' "$TMP/rows")
    hi=$(awk -F'|' -v n="$n" 'NR == n { print $5 }' "$TMP/rows")
    awk -F'|' -v m=$(((n + 1) / 2)) -v lo="$lo" -v hi="$hi" 'NR == m { sub(/^[^|]*[|][^|]*[|]/, ""); print $0 "|" lo "|" hi }' "$TMP/rows" >>"$RESULTS"
done

WP_RSS=$(rss_kb "$WP_PID")
NGX_PIDS=$(nginx_pids)
NGX_RSS=$(rss_kb $NGX_PIDS)
NGX_NPROC=$(echo $NGX_PIDS | wc -w | tr -d ' ')
WP_LOG_BYTES=$(wc -c <"$TMP/waypost.log" | tr -d ' ')
WP_LOG_ERRORS=$(grep -c -E ' (warn|error) ' "$TMP/waypost.log" || true)

# ---- report ---------------------------------------------------------------

field() { awk -F'|' -v r="$1" -v f="$2" 'NR == r { print $f }' "$RESULTS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'; }
meets() { awk -v r="$1" -v a="$2" 'BEGIN { exit !(r + 0 >= a + 0) }'; }

R_DYN=$(ratio "$(field 1 3)" "$(field 2 3)")
R_STA=$(ratio "$(field 3 3)" "$(field 4 3)")
if meets "$R_DYN" 0.5; then V_DYN="met"; else V_DYN="NOT met"; fi
if meets "$R_STA" 1.0; then V_STA="met"; else V_STA="NOT met"; fi

TABLE=$(
    echo "| Target | Requests/s | p50 (ms) | p99 (ms) | Requests | Non-2xx | Socket errors | Server CPU per request | Server CPU (% of 1 core) | wrk CPU (% of 1 core) | Others (% of machine) |"
    echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
    awk -F'|' -v rounds="$ROUNDS" '{
        range = rounds > 1 ? sprintf(" (%.0f-%.0f)", $14, $15) : ""
        printf "| %s | %.0f%s | %.2f | %.2f | %s | %s | %s | %s us | %s%% | %s%% | %s%% |\n", $1, $3, range, $4, $5, $6, $7 + $9, $8, $10, $11, $12, $13
    }' "$RESULTS"
)
RATIOS=$(
    echo "| Comparison | waypost/nginx | Aim | Result |"
    echo "|---|---:|---:|---|"
    echo "| Dynamic home page vs nginx serving its bytes as a file | ${R_DYN}x | >= 0.5x | $V_DYN |"
    echo "| Static asset ($CSS_PATH) vs nginx | ${R_STA}x | >= 1.0x | $V_STA |"
)
MEMORY=$(
    echo "| Server | RSS idle (before the runs) | RSS after the runs |"
    echo "|---|---:|---:|"
    echo "| waypost (1 process, $THREADS worker threads) | $(mb "$WP_RSS_IDLE") | $(mb "$WP_RSS") |"
    echo "| nginx (master + workers, $NGX_NPROC processes) | $(mb "$NGX_RSS_IDLE") | $(mb "$NGX_RSS") |"
)
[ "${WP_LOG_ERRORS:-0}" = 0 ] || PROBLEMS="$PROBLEMS
- waypost logged $WP_LOG_ERRORS warn/error lines during the run"
if [ -z "$PROBLEMS" ]; then
    CHECKS="Every run: no non-2xx responses (warm-ups counted every status with a Lua hook; measured runs use wrk's 4xx/5xx counter) and no socket errors."
else
    CHECKS="Problems:$PROBLEMS"
fi

echo
echo "Pages: waypost vs nginx ($THREADS threads each, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, warm-up $WARMUP, $ROUNDS round(s))"
echo
echo "$TABLE"
echo
echo "$RATIOS"
echo
echo "$MEMORY"
echo
echo "$CHECKS"
if [ -n "$NOISE" ]; then
    echo "Noise: other work shared the machine, so treat these numbers with care:$NOISE"
fi
echo "Dynamic page: waypost/nginx = ${R_DYN}x (aim at least 0.5x): aim $V_DYN."
echo "Static asset: waypost/nginx = ${R_STA}x (aim at least 1.0x): aim $V_STA."

# ---- docs/benchmarks.md ---------------------------------------------------

[ -n "$DOC" ] || exit 0

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
debian=$(cat /etc/debian_version 2>/dev/null || echo unknown)
pretty=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}" || true)
ngx_ver=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //; s|^nginx/|nginx |')
wrk_ver=$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }' || true)
wp_ver=$("$WAYPOST" version 2>&1 | head -n 1)
cmd="THREADS=$THREADS DURATION=$DURATION CONNECTIONS=$CONNECTIONS WARMUP=$WARMUP ROUNDS=$ROUNDS QUIET_WAIT=$QUIET_WAIT sh bench/pages.sh"

if [ "$ROUNDS" -gt 1 ]; then
    ROUNDS_NOTE="- $ROUNDS rounds of the four runs, in turn; each row is the target's median round by requests/s,
  with the lowest and highest requests/s of all rounds in brackets."
else
    ROUNDS_NOTE="- One measured run per target (ROUNDS=1); on a busy machine ROUNDS=3 reports medians."
fi
NOISE_NOTE=""
[ -z "$NOISE" ] || NOISE_NOTE="
**Noise:** other work shared the machine during this run, so treat the numbers with care:$NOISE
"

SECTION="$TMP/section.md"
cat >"$SECTION" <<EOF
## Pages: waypost vs nginx

Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/pages.sh\`.

- Machine: $cpu, $CORES cores, $mem memory, Linux $(uname -r), Debian $debian${pretty:+ ($pretty)}
- Versions: $wp_ver; $ngx_ver; $wrk_ver
- Command: \`$cmd\` (from the repo root; \`make bench\` runs it with the defaults)
- Settings: waypost \`serve --server-threads $THREADS\` on a fresh temp database;
  nginx \`worker_processes $THREADS\`, loopback only, \`access_log off\`, \`sendfile on\`,
  \`tcp_nopush on\`, \`gzip off\`, keepalive (\`keepalive_requests 1000000\`), no
  \`open_file_cache\`; wrk \`-t$THREADS -c$CONNECTIONS -d$DURATION --latency\` after a
  $WARMUP warm-up per target, keepalive connections, no Accept-Encoding (so no gzip on either side).
- nginx serves the bytes waypost produced: its home page HTML ($HTML_BYTES bytes) saved as
  \`index.html\`, and \`$CSS_PATH\` ($CSS_BYTES bytes) under the same path.
- The load generator shares the machine: wrk ($THREADS threads) and the server under test
  compete for the same $CORES cores, so absolute numbers are lower than on a separate
  client machine; the ratios compare both servers under the same handicap.
- waypost writes one access-log line per request (here to a file in the temp dir,
  $(mb $((WP_LOG_BYTES / 1024))) for the whole run); nginx has \`access_log off\`. waypost also sends
  security headers (CSP and others): its header block is $WP_HDR_HTML bytes for the page and
  $WP_HDR_CSS for the stylesheet, nginx's $NG_HDR_HTML and $NG_HDR_CSS.
$ROUNDS_NOTE

$TABLE

Server CPU is the server's user+system time during the measured run (waypost's
one process; nginx's master and workers) from /proc/PID/stat, divided by the
requests served; wrk's comes from the shell's \`times\`; "Others" is the rest of
the machine's busy time in /proc/stat (other processes, and interrupt work not
charged to a process).
$NOISE_NOTE
$RATIOS

Memory (VmRSS from /proc/PID/status; nginx is master plus workers):

$MEMORY

$CHECKS
EOF

mkdir -p "$(dirname "$DOC")"
if [ ! -f "$DOC" ]; then
    cat >"$DOC" <<'EOF'
# Benchmarks

Each benchmark runs waypost and a named peer side by side in one run, on the
same machine with the same settings, and reports the ratio waypost/peer. The
absolute numbers depend on the machine named in each section; the ratios are
the point. The scripts live in bench/ and `make bench` runs them.
EOF
fi
NEW="$TMP/doc.md"
awk -v sect="$SECTION" '
    function emit(  line) { while ((getline line < sect) > 0) print line; close(sect); done = 1 }
    /^## / {
        if (skip) { skip = 0 }
        if ($0 ~ /^## Pages: waypost vs nginx[ \t]*$/) { if (!done) { if (NR > 1 && prev != "") print ""; emit(); print "" } skip = 1; next }
    }
    skip { next }
    { print; prev = $0 }
    END { if (!done) { if (prev != "") print ""; emit() } }
' "$DOC" >"$NEW"
# Trim trailing blank lines, then replace the doc.
awk '{ lines[NR] = $0 } END { n = NR; while (n > 0 && lines[n] == "") n--; for (i = 1; i <= n; i++) print lines[i] }' "$NEW" >"$NEW.2"
cat "$NEW.2" >"$DOC"
say "wrote the section \"## Pages: waypost vs nginx\" in $DOC"
