#!/bin/sh
# bench/ndjson_stream.sh: memory while slow clients read a whole NDJSON list
# (issue 17, items 3 and 4), waypost beside nginx serving the same bytes.
#
# What it does (all on 127.0.0.1):
#   1. uses the seeded database DB (or makes one in a temp folder with
#      `waypost migrate` and `waypost seed`: the bundled directory, about
#      32,000 listings; 1 to 3 minutes);
#   2. for each binary (WAYPOST_BEFORE when set, then WAYPOST) starts
#      `waypost serve` on a copy-free read of DB and a free port, asks
#      /healthz once, then runs bench/ndjson_stream.py: READERS clients
#      reading PATH_Q (default service_at_locations?format=ndjson&full=true,
#      about 86 MB) KB kilobytes every PAUSE seconds for DURATION seconds,
#      sampling the server's VmRSS and RssAnon every 0.25 s and timing
#      /healthz every 0.5 s;
#   3. saves the whole answer once with curl and serves it with nginx as a
#      static file (sendfile, one worker) to the same readers: the peer;
#   4. prints one line per server and rewrites the section
#      "## Streamed NDJSON (issue 17)" of DOC (default docs/benchmarks.md;
#      DOC= writes nothing).
#
#     sh bench/ndjson_stream.sh
#     WAYPOST_BEFORE=/tmp/waypost-old DB=/tmp/seeded.db sh bench/ndjson_stream.sh
#
# VmRSS counts the database pages the server's memory map has touched
# (file-backed, shared, dropped under pressure); RssAnon is the heap and is
# what a per-connection buffer would grow.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WAYPOST=${WAYPOST:-$ROOT/build/waypost}
WAYPOST_BEFORE=${WAYPOST_BEFORE:-}
READERS=${READERS:-24}
KB=${KB:-16}
PAUSE=${PAUSE:-0.2}
DURATION=${DURATION:-30}
PATH_Q=${PATH_Q:-/api/v1/service_at_locations?format=ndjson&full=true}
DOC=${DOC-$ROOT/docs/benchmarks.md}
TMP=$(mktemp -d /tmp/waypost-ndjson.XXXXXX)
PIDS_TO_KILL=""

cleanup() {
    for p in $PIDS_TO_KILL; do kill "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

say() { printf '%s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    i=0
    while ! python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.5)" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 200 ] || { say "nothing listens on $1"; exit 1; }; sleep 0.1
    done
}

if [ -z "${DB:-}" ]; then
    DB=$TMP/seeded.db
    say "seeding $DB (1 to 3 minutes)"
    "$WAYPOST" migrate --db "$DB" >/dev/null && "$WAYPOST" seed --db "$DB" >/dev/null
fi

RESULTS=$TMP/results.txt
: >"$RESULTS"

run_waypost() { # label binary
    port=$(free_port)
    "$2" serve --listen "127.0.0.1:$port" --db "$DB" --metrics-listen "" >"$TMP/$1.log" 2>&1 &
    pid=$!
    PIDS_TO_KILL="$PIDS_TO_KILL $pid"
    wait_port "$port"
    curl -s "http://127.0.0.1:$port/healthz" >/dev/null
    sleep 1
    say "$1: $READERS slow readers of $PATH_Q for ${DURATION}s"
    out=$(PORT=$port PATH_Q=$PATH_Q READERS=$READERS KB=$KB PAUSE=$PAUSE DURATION=$DURATION PIDS=$pid \
        HEALTH=/healthz python3 "$ROOT/bench/ndjson_stream.py")
    if [ "$1" = "after" ]; then curl -s "http://127.0.0.1:$port$PATH_Q" -o "$TMP/answer.ndjson"; fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$1 $out" >>"$RESULTS"
}

[ -n "$WAYPOST_BEFORE" ] && run_waypost before "$WAYPOST_BEFORE"
run_waypost after "$WAYPOST"

# the peer: nginx sending the same answer as a file
mkdir -p "$TMP/www" "$TMP/nginx"
chmod 755 "$TMP" "$TMP/www"
mv "$TMP/answer.ndjson" "$TMP/www/answer.ndjson"
chmod 644 "$TMP/www/answer.ndjson"
NPORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $TMP/nginx/error.log;
pid $TMP/nginx/nginx.pid;
events { worker_connections 256; }
http {
    access_log off;
    sendfile on;
    client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx; fastcgi_temp_path $TMP/nginx;
    uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;
    server { listen 127.0.0.1:$NPORT; root $TMP/www; location / { } }
}
CONF
nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" &
NGINX=$!
PIDS_TO_KILL="$PIDS_TO_KILL $NGINX"
wait_port "$NPORT"
sleep 0.5
NPIDS=$(echo $NGINX $(pgrep -P "$NGINX") | tr ' ' ',')
say "nginx: the same readers of the saved answer ($(du -m "$TMP/www/answer.ndjson" | cut -f1) MB)"
out=$(PORT=$NPORT PATH_Q=/answer.ndjson READERS=$READERS KB=$KB PAUSE=$PAUSE DURATION=$DURATION PIDS=$NPIDS \
    HEALTH= python3 "$ROOT/bench/ndjson_stream.py")
echo "nginx $out" >>"$RESULTS"
kill "$NGINX" 2>/dev/null || true
wait "$NGINX" 2>/dev/null || true

SIZE=$(du -m "$TMP/www/answer.ndjson" | cut -f1)
python3 - "$RESULTS" "$DOC" "$READERS" "$KB" "$PAUSE" "$DURATION" "$PATH_Q" "$SIZE" <<'PY'
import json, platform, os, subprocess, sys
results, doc, readers, kb, pause, duration, path, size = sys.argv[1:]
rows = []
for line in open(results):
    label, js = line.split(" ", 1)
    r = json.loads(js)
    name = {"before": "waypost before (built in memory)", "after": "waypost (streamed)", "nginx": "nginx, same bytes as a file"}[label]
    health = "%.0f / %.0f ms%s" % (r["health_p50_ms"], r["health_max_ms"],
                                   ", %d failed" % r["health_failed"] if r["health_failed"] else "") if label != "nginx" else "-"
    rows.append("| %s | %.0f | %.0f | %.0f | %.0f | %s | %.1f | %d | %.1f |" % (
        name, r["base_rss"] / 1024, r["peak_rss"] / 1024, r["base_anon"] / 1024, r["peak_anon"] / 1024,
        health, r["bytes"] / 1048576, r["early"], r["load"]))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
section = """## Streamed NDJSON (issue 17)

%d slow clients each read `%s` (%s MB whole) %s KB every %s s for %s s,
while the server's memory is sampled every 0.25 s and `/healthz` is timed
every 0.5 s. RSS counts the database pages the memory map touched (shared,
file-backed); RssAnon is the heap, which is what buffered answers grew.
"Answers ended early" counts readers whose connection was closed or that
got no byte for 60 s (the reader's socket timeout).

| server | RSS before (MB) | RSS peak (MB) | RssAnon before (MB) | RssAnon peak (MB) | /healthz median / slowest | MB read by clients | answers ended early | load average |
|---|---|---|---|---|---|---|---|---|
%s

- Machine: %s, %d cores (shared with other work), Linux %s.
- Command: `sh bench/ndjson_stream.sh` (`WAYPOST_BEFORE=` the binary before the change, `DB=` a database made by `waypost seed`).
""" % (int(readers), path, size, kb, pause, duration, "\n".join(rows), cpu, os.cpu_count(), platform.release())
print(section)
if doc:
    text = open(doc).read()
    head = "## Streamed NDJSON (issue 17)"
    if head in text:
        a = text.index(head)
        b = text.find("\n## ", a + 1)
        text = text[:a] + section + (text[b + 1:] if b >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(doc, "w").write(text)
PY
