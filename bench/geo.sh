#!/bin/sh
# bench/geo.sh: the locator's nearest-services query, waypost over HTTP
# beside the same query in PostGIS, measured side by side in one run.
#
# What it measures: queries per second (and p50/p99) of
#   waypost  GET /api/v1/service_at_locations?lat=..&lon=..&proximity=25000
#            &taxonomy_term_id=<TERM's id>&per_page=10   (driven by wrk, with a
#            Lua script that picks a centre from a pre-generated list), and
#   PostGIS  the same query, k = 10 nearest within 25 km with the same one
#            taxonomy filter, as a prepared statement driven by pgbench
#            (-M prepared, same clients/threads/duration as wrk), KNN `<->`
#            over a GiST index on geography(Point), in a PRIVATE PostgreSQL 15
#            cluster (temp dir, unix socket only: loopback only).
# Data: POINTS (default 1,000,000) synthetic locations spread like the real
# ones: jittered copies (up to 5 km) of the bundled records in
# data/directory/*.ndjson.gz, each with the Waypost taxonomy codes of its
# original. Loaded into a temp waypost database (`waypost import hsds`) and
# into PostGIS (COPY; table locs(id uuid, geog geography(Point), codes text[])
# with GiST on geog and GIN on codes, ANALYZE). Centres: NCENTRES random real
# locations jittered up to 5 km. It also reports load and index build times,
# and checks on CHECK (default 20) centres that both return the same ids in
# the same order (ties compared by distance rounded to 1 m).
#
# Run from the repo root, after `make build/waypost`:
#     sh bench/geo.sh
#     THREADS=2 CONNECTIONS=16 DURATION=10s POINTS=1000000 sh bench/geo.sh
# Settings (environment): THREADS (default: cores; waypost --server-threads,
# wrk -t, pgbench -j), CONNECTIONS (default 16; wrk -c and pgbench -c),
# DURATION (default 10s), WARMUP (default 2s), POINTS, NCENTRES (default
# 10000), CHECK (default 20), GEO_TERM (default buprenorphine; TERM is the terminal's), SEED (default 1),
# STARTUP_WAIT (default 1200 s for waypost to answer after start), DOC
# (default docs/benchmarks.md; DOC= skips writing it), KEEP (set: keep the
# temp folder with the waypost database and the generated data, for
# profiling).
# Needs postgresql-15, postgresql-15-postgis-3, wrk, curl and python3;
# missing packages are installed with apt-get (as root or with sudo -n). The
# system PostgreSQL service is never used. Everything the script starts is
# stopped on exit, and the temp dir is removed. When run as root, PostgreSQL
# runs as the `postgres` user (initdb refuses root).
# shellcheck disable=SC2086,SC2046,SC2015,SC2154
set -eu

cd "$(dirname "$0")/.."

CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
THREADS=${THREADS:-$CORES}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
POINTS=${POINTS:-1000000}
NCENTRES=${NCENTRES:-10000}
CHECK=${CHECK:-20}
TERM_CODE=${GEO_TERM:-buprenorphine}
SEED=${SEED:-1}
DOC=${DOC-docs/benchmarks.md}
WAYPOST=${WAYPOST:-build/waypost}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
STARTUP_WAIT=${STARTUP_WAIT:-1200}

say() { printf 'geo: %s\n' "$*" >&2; }
die() { printf 'geo: error: %s\n' "$*" >&2; exit 1; }
secs() { case $1 in *s) echo "${1%s}" ;; *m) echo $((${1%m} * 60)) ;; *) echo "$1" ;; esac; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

for v in THREADS CONNECTIONS POINTS NCENTRES CHECK; do
    eval "x=\$$v"
    case $x in '' | *[!0-9]* | 0) die "$v must be a positive number (got '$x')" ;; esac
done
[ "$CONNECTIONS" -ge "$THREADS" ] || die "CONNECTIONS must be at least THREADS"

# ---- cleanup --------------------------------------------------------------
TMP=""
WP_PID=""
PG_STARTED=""
AS=""
stop_pid() {
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
    stop_pid "$WP_PID"
    [ -z "$PG_STARTED" ] || $AS "$PGBIN/pg_ctl" -D "$TMP/pg" -m fast -w stop >/dev/null 2>&1 || true
    if [ -n "$TMP" ] && [ $rc -ne 0 ] && [ -d "$TMP" ]; then
        { tail -n 30 "$TMP/waypost.log"; tail -n 30 "$TMP/pg.log"; } >"$TMP.failed.log" 2>/dev/null &&
            say "logs of the failed run: $TMP.failed.log"
    fi
    if [ -n "${KEEP:-}" ] && [ -n "$TMP" ]; then
        say "kept $TMP (KEEP is set): waypost.db, data.centres, data.*.ndjson"
        rm -rf "$TMP/pg"
    else
        [ -z "$TMP" ] || rm -rf "$TMP"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- dependencies ---------------------------------------------------------
missing=""
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pgbench" ] || missing="$missing postgresql-15 postgresql-contrib"
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing="$missing postgresql-15-postgis-3"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
SUDO=""
if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        die "missing Debian packages:$missing; install them as root with: apt-get install -y$missing"
    fi
    say "installing Debian packages:$missing (the system PostgreSQL service is not used)"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2 ||
        { $SUDO apt-get update >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2; } ||
        die "apt-get install$missing failed"
fi
if [ ! -x "$WAYPOST" ]; then
    say "$WAYPOST is missing; running make build/waypost"
    make --no-print-directory build/waypost >&2 || die "make build/waypost failed"
fi

TMP=$(mktemp -d /tmp/waypost-geo.XXXXXX)
chmod 755 "$TMP"
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user to run PostgreSQL (initdb refuses root)"
    AS="runuser -u postgres --"
    mkdir -p "$TMP/pg" && chown postgres "$TMP/pg"
fi

# ---- data -----------------------------------------------------------------
TERM_ID=$(python3 -c "import json,sys; t=json.load(open('data/taxonomy/waypost.json'))
print(next(x['id'] for x in t['terms'] + t.get('attributes', []) if x.get('code') == sys.argv[1]))" "$TERM_CODE") ||
    die "no term with code '$TERM_CODE' in data/taxonomy/waypost.json"
cat >"$TMP/gen.py" <<'EOF'
# Synthetic locations: jittered copies of the bundled records, with their codes.
import gzip, json, glob, math, random, sys, uuid
out, n, ncent, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
T = '1ffc8755-6460-51ac-9673-4e3eee8feaae'
tax = json.load(open('data/taxonomy/waypost.json'))
byc = {}
for t in tax.get('terms', []) + tax.get('attributes', []):
    if isinstance(t, dict) and t.get('code'):
        byc.setdefault(t['code'], {k: t[k] for k in ('id', 'code', 'name', 'description', 'taxonomy', 'taxonomy_id') if k in t})
base = []
for f in sorted(glob.glob('data/directory/*.ndjson.gz')):
    for line in gzip.open(f, 'rt'):
        s = json.loads(line)
        codes = sorted({a['taxonomy_term']['code'] for a in s.get('attributes', [])
                        if (a.get('taxonomy_term') or {}).get('taxonomy_id') == T and a['taxonomy_term'].get('code') in byc})
        for sal in s.get('service_at_locations', []):
            l = sal.get('location') or {}
            if l.get('latitude') is not None and l.get('longitude') is not None:
                base.append((float(l['latitude']), float(l['longitude']), codes))
rnd = random.Random(seed)
rnd.shuffle(base)  # so that a small POINTS still samples every source
def jitter(lat, lon, km):  # uniform over a disc of radius km
    d = km * math.sqrt(rnd.random()); a = rnd.random() * 2 * math.pi
    dlat = d * math.cos(a) / 111.195
    dlon = d * math.sin(a) / (111.195 * max(math.cos(math.radians(lat)), 0.01))
    return round(max(-89.9, min(89.9, lat + dlat)), 6), round((lon + dlon + 180) % 360 - 180, 6)
def uid(): return str(uuid.UUID(int=rnd.getrandbits(128), version=4))
CHUNK = 50000  # a file is one import transaction: 50,000 services keep its WAL small
nd = None
with open(out + '.csv', 'w') as cv:
    for i in range(n):
        if i % CHUNK == 0:
            if nd: nd.close()
            nd = open('%s.%03d.ndjson' % (out, i // CHUNK), 'w')
        blat, blon, codes = base[i % len(base)]
        lat, lon = jitter(blat, blon, 5.0)
        sid, oid, salid, lid = uid(), uid(), uid(), uid()
        svc = {'id': sid, 'name': 'Synthetic service %d' % i, 'status': 'active', 'organization_id': oid,
               'organization': {'id': oid, 'name': 'Synthetic org %d' % i, 'description': 'Benchmark data.'},
               'service_at_locations': [{'id': salid, 'location': {'id': lid, 'location_type': 'physical',
                                                                    'latitude': lat, 'longitude': lon}}],
               'attributes': [{'id': uid(), 'link_type': 'service_type', 'taxonomy_term': byc[c]} for c in codes]}
        nd.write(json.dumps(svc, separators=(',', ':')) + '\n')
        cv.write('%s,%s,%s,"{%s}"\n' % (salid, lon, lat, ','.join(codes)))
    if nd: nd.close()
with open(out + '.centres', 'w') as ce:
    for i in range(ncent):
        blat, blon, _ = base[rnd.randrange(len(base))]
        lat, lon = jitter(blat, blon, 5.0)
        ce.write('%d,%s,%s\n' % (i + 1, lat, lon))
print(len(base))
EOF
say "generating $POINTS synthetic locations and $NCENTRES centres"
t0=$(now)
NBASE=$(python3 "$TMP/gen.py" "$TMP/data" "$POINTS" "$NCENTRES" "$SEED") || die "generating the data failed"
T_GEN=$(elapsed "$t0")
NTERM=$(grep -c -E "[{,]${TERM_CODE}[,}]" "$TMP/data.csv" || true)
say "  $POINTS locations from $NBASE real ones in ${T_GEN}s; $NTERM have $TERM_CODE"
chmod 644 "$TMP/data.csv" "$TMP/data.centres"

say "importing into waypost (temp database)"
t0=$(now)
"$WAYPOST" import hsds data/taxonomy/waypost.json --db "$TMP/waypost.db" >&2 || die "taxonomy import failed"
# The files of 50,000 services in one command, one transaction each.
"$WAYPOST" import hsds "$TMP"/data.*.ndjson --db "$TMP/waypost.db" >&2 || die "waypost import failed"
T_WP_IMPORT=$(elapsed "$t0")
WP_DB_BYTES=$(du -cb "$TMP"/waypost.db* | tail -n 1 | cut -f1)
rm -f "$TMP"/data.*.ndjson

# ---- PostGIS --------------------------------------------------------------
PGDATA="$TMP/pg"
say "starting a private PostgreSQL cluster in $PGDATA (unix socket only)"
$AS "$PGBIN/initdb" -D "$PGDATA" -U bench -A trust --no-sync >"$TMP/initdb.log" 2>&1 || { cat "$TMP/initdb.log" >&2; die "initdb failed"; }
$AS "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
    -o "-k $PGDATA -c listen_addresses='' -c shared_buffers=512MB -c max_connections=$((CONNECTIONS + 10)) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c maintenance_work_mem=512MB -c jit=off" \
    start >/dev/null || { cat "$PGDATA/log" >&2; die "pg_ctl start failed"; }
PG_STARTED=1
PSQL="$AS $PGBIN/psql -X -q -v ON_ERROR_STOP=1 -h $PGDATA -U bench -d postgres"
$PSQL -c "CREATE EXTENSION postgis" || die "CREATE EXTENSION postgis failed"
$PSQL -c "CREATE UNLOGGED TABLE raw (id uuid, lon float8, lat float8, codes text[]);
          CREATE TABLE centres (i int PRIMARY KEY, lat float8, lon float8, geog geography(Point, 4326));"
t0=$(now)
$PSQL -c "\\copy raw FROM STDIN WITH (FORMAT csv)" <"$TMP/data.csv" || die "COPY failed"
$PSQL -c "CREATE TABLE locs AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog, codes FROM raw;
          DROP TABLE raw; ALTER TABLE locs ADD PRIMARY KEY (id);"
T_PG_LOAD=$(elapsed "$t0")
t0=$(now)
$PSQL -c "CREATE INDEX locs_geog ON locs USING gist (geog)"
T_PG_GIST=$(elapsed "$t0")
t0=$(now)
$PSQL -c "CREATE INDEX locs_codes ON locs USING gin (codes)"
T_PG_GIN=$(elapsed "$t0")
$PSQL -c "\\copy centres (i, lat, lon) FROM STDIN WITH (FORMAT csv)" <"$TMP/data.centres"
$PSQL -c "UPDATE centres SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography"
$PSQL -c "VACUUM ANALYZE locs"
$PSQL -c "VACUUM ANALYZE centres"
PG_BYTES=$($AS "$PGBIN/psql" -X -At -h "$PGDATA" -U bench -d postgres -c "SELECT pg_total_relation_size('locs')")
GIST_BYTES=$($AS "$PGBIN/psql" -X -At -h "$PGDATA" -U bench -d postgres -c "SELECT pg_relation_size('locs_geog')")
say "  PostGIS: load ${T_PG_LOAD}s, GiST ${T_PG_GIST}s, GIN ${T_PG_GIN}s"

# The query: k = 10 nearest within 25 km having TERM, around centre :i.
Q="SELECT l.id FROM centres c, LATERAL (SELECT id FROM locs WHERE codes @> ARRAY['$TERM_CODE'] AND ST_DWithin(geog, c.geog, 25000) ORDER BY geog <-> c.geog LIMIT 10) l WHERE c.i = :i"
printf '\\set i random(1, %s)\n%s;\n' "$NCENTRES" "$Q" >"$TMP/pgbench.sql"
chmod 644 "$TMP/pgbench.sql"
PLAN=$($AS "$PGBIN/psql" -X -At -h "$PGDATA" -U bench -d postgres -c "EXPLAIN (COSTS OFF) $(echo "$Q" | sed 's/:i/1/')")
say "PostGIS plan:"
echo "$PLAN" | sed 's/^/    /' >&2
# The planner may prefer a bitmap AND of the GiST and GIN indexes and a sort
# to the KNN scan; the run is repeated with enable_bitmapscan=off, which
# leaves the KNN `<->` GiST index scan, and the faster of the two counts.
KNN_OPTS="-c enable_bitmapscan=off"
PLAN_KNN=$($AS env PGOPTIONS="$KNN_OPTS" "$PGBIN/psql" -X -At -h "$PGDATA" -U bench -d postgres -c "EXPLAIN (COSTS OFF) $(echo "$Q" | sed 's/:i/1/')")
say "PostGIS plan with $KNN_OPTS:"
echo "$PLAN_KNN" | sed 's/^/    /' >&2

# ---- waypost --------------------------------------------------------------
port_in_use() { ss -Htln 2>/dev/null | awk -v p=":$1" '{ if (substr($4, length($4) - length(p) + 1) == p) f = 1 } END { exit !f }'; }
free_port() {
    n=0
    while [ $n -lt 100 ]; do
        p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000))
        port_in_use "$p" || { echo "$p"; return 0; }
        n=$((n + 1))
    done
    die "no free port found"
}
tries=0
t0=$(now)
while :; do
    WP_PORT=$(free_port)
    "$WAYPOST" serve --listen "127.0.0.1:$WP_PORT" --db "$TMP/waypost.db" --server-threads "$THREADS" >"$TMP/waypost.log" 2>&1 &
    WP_PID=$!
    i=0
    while [ $i -lt $((STARTUP_WAIT * 10)) ]; do
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$WP_PORT/healthz" && break
        kill -0 "$WP_PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$WP_PORT/healthz" && break
    stop_pid "$WP_PID"
    WP_PID=""
    tries=$((tries + 1))
    [ $tries -lt 3 ] && grep -q 'already in use' "$TMP/waypost.log" || { tail -n 20 "$TMP/waypost.log" >&2; die "waypost did not start"; }
done
T_WP_START=$(elapsed "$t0")
WP="http://127.0.0.1:$WP_PORT"
say "waypost pid $WP_PID on $WP ($THREADS threads), up in ${T_WP_START}s (includes building its index)"

# ---- check: same ids in the same order on CHECK centres ---------------------
say "checking $CHECK centres"
MISMATCH=0
NRES=0
CHECK_NOTES=""
i=1
while [ $i -le "$CHECK" ]; do
    c=$(( (i * 7919) % NCENTRES + 1 ))
    set -- $(awk -F, -v c="$c" '$1 == c { print $2, $3 }' "$TMP/data.centres")
    lat=$1 lon=$2
    curl -sSf "$WP/api/v1/service_at_locations?lat=$lat&lon=$lon&proximity=25000&taxonomy_term_id=$TERM_ID&per_page=10" >"$TMP/wp.json" ||
        die "GET service_at_locations failed"
    python3 -c "import json,sys
d=json.load(open(sys.argv[1])); d=d.get('data', d.get('contents', d)) if isinstance(d, dict) else d
for o in d: print(o['id'], o.get('distance', ''))" "$TMP/wp.json" >"$TMP/wp.txt" || die "could not read waypost's reply"
    $AS "$PGBIN/psql" -X -At -F ' ' -h "$PGDATA" -U bench -d postgres -c \
        "SELECT l.id, round(ST_Distance(l.geog, c.geog, false))::int FROM centres c, LATERAL (SELECT id, geog FROM locs WHERE codes @> ARRAY['$TERM_CODE'] AND ST_DWithin(geog, c.geog, 25000) ORDER BY geog <-> c.geog LIMIT 10) l WHERE c.i = $c" >"$TMP/pg.txt"
    NRES=$((NRES + $(wc -l <"$TMP/wp.txt")))
    if ! cmp -s "$TMP/wp.txt" "$TMP/pg.txt"; then
        # Same ids in the same order, distances within 1 m? Or only ties reordered?
        verdict=$(python3 -c "import sys
a=[l.split() for l in open(sys.argv[1])]; b=[l.split() for l in open(sys.argv[2])]
if [x[0] for x in a] == [x[0] for x in b]:
    print('same' if all(abs(int(x[1])-int(y[1])) <= 1 for x, y in zip(a, b)) else 'dist')
elif len(a) == len(b) and all(abs(int(x[1])-int(y[1])) <= 1 for x, y in zip(a, b)) and \
     {x[0] for x in a if int(x[1]) < int(a[-1][1]) - 1} == {x[0] for x in b if int(x[1]) < int(b[-1][1]) - 1}:
    print('ties')
else:
    print('DIFF')" "$TMP/wp.txt" "$TMP/pg.txt")
        case $verdict in
        same) ;;
        ties) CHECK_NOTES="$CHECK_NOTES centre $c: ids differ only within 1 m ties;" ;;
        *)
            MISMATCH=$((MISMATCH + 1))
            CHECK_NOTES="$CHECK_NOTES centre $c ($lat,$lon): $verdict;"
            say "  mismatch at centre $c ($lat, $lon): waypost | PostGIS"
            paste "$TMP/wp.txt" "$TMP/pg.txt" | sed 's/^/    /' >&2
            ;;
        esac
    fi
    i=$((i + 1))
done
say "  $MISMATCH of $CHECK centres differ ($NRES results compared)${CHECK_NOTES:+:$CHECK_NOTES}"

# ---- load runs ------------------------------------------------------------
awk -F, -v tid="$TERM_ID" 'BEGIN { print "local paths = {" }
    { printf "\"/api/v1/service_at_locations?lat=%s&lon=%s&proximity=25000&taxonomy_term_id=%s&per_page=10\",\n", $2, $3, tid }
    END { print "}"
          print "local n = #paths"
          print "math.randomseed(os.time())"
          print "request = function() return wrk.format(\"GET\", paths[math.random(n)]) end" }' \
    "$TMP/data.centres" >"$TMP/centres.lua"

say "waypost: warm-up $WARMUP, then wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$TMP/centres.lua" "$WP" >/dev/null 2>&1 || die "wrk warm-up failed"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$TMP/centres.lua" "$WP" >"$TMP/wrk.out" 2>&1 || { cat "$TMP/wrk.out" >&2; die "wrk failed"; }
kill -0 "$WP_PID" 2>/dev/null || die "waypost exited during the run"
WP_QPS=$(awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk.out")
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v } else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 } else print "?" }'; }
WP_P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$TMP/wrk.out")")
WP_P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$TMP/wrk.out")")
WP_REQS=$(awk '/ requests in / { print $1 }' "$TMP/wrk.out")
WP_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$TMP/wrk.out")
WP_SOCKERR=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$TMP/wrk.out")
say "  waypost: $WP_QPS req/s, p50 $WP_P50 ms, p99 $WP_P99 ms, non-2xx ${WP_NON2XX:-0}"
stop_pid "$WP_PID"
WP_PID=""

D=$(secs "$DURATION")
W=$(secs "$WARMUP")
PGB="$PGBIN/pgbench -n -M prepared -h $PGDATA -U bench -f $TMP/pgbench.sql -c $CONNECTIONS -j $THREADS"
pct() { awk -v q="$1" '{ a[NR] = $1 } END { k = int(NR * q + 0.5); if (k < 1) k = 1; if (NR) printf "%.2f", a[k] / 1000; else print "?" }' "$TMP/lat.txt"; }
pg_run() { # pg_run PGOPTIONS: sets QPS P50 P99 TX FAILED
    say "PostGIS${1:+ ($1)}: warm-up ${W}s, then pgbench -M prepared -c$CONNECTIONS -j$THREADS -T$D"
    $AS env PGOPTIONS="$1" $PGB -T "$W" postgres >/dev/null 2>&1 || die "pgbench warm-up failed"
    rm -f "$PGDATA"/pgb*
    # Latencies: per-transaction log (-l) into PGDATA, for p50/p99.
    (cd "$PGDATA" && $AS env PGOPTIONS="$1" $PGB -T "$D" -l --log-prefix="$PGDATA/pgb" postgres) >"$TMP/pgbench.out" 2>&1 ||
        { cat "$TMP/pgbench.out" >&2; die "pgbench failed"; }
    QPS=$(awk '/^tps = / { printf "%.0f", $3 }' "$TMP/pgbench.out")
    cat "$PGDATA"/pgb* | awk '{ print $3 }' | sort -n >"$TMP/lat.txt"
    P50=$(pct 0.50)
    P99=$(pct 0.99)
    TX=$(awk '/number of transactions actually processed/ { print $NF }' "$TMP/pgbench.out")
    FAILED=$(awk '/number of failed transactions/ { print $5 }' "$TMP/pgbench.out")
    say "  PostGIS: $QPS tps, p50 $P50 ms, p99 $P99 ms"
}
pg_run ""
PG_QPS=$QPS PG_P50=$P50 PG_P99=$P99 PG_TX=$TX PG_FAILED=$FAILED
pg_run "$KNN_OPTS"
PK_QPS=$QPS PK_P50=$P50 PK_P99=$P99 PK_TX=$TX PK_FAILED=$FAILED
BEST_QPS=$(awk -v a="$PG_QPS" -v b="$PK_QPS" 'BEGIN { print (a > b ? a : b) }')

RATIO=$(awk -v a="$WP_QPS" -v b="$BEST_QPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')
if awk -v r="$RATIO" 'BEGIN { exit !(r + 0 >= 10) }'; then VERDICT="met"; else VERDICT="NOT met"; fi

# ---- report ---------------------------------------------------------------
fmt() { awk -v x="$1" 'BEGIN { printf "%.0f", x }'; }
TABLE=$(
    echo "| Query (k = 10 within 25 km, $TERM_CODE) | Queries/s | p50 (ms) | p99 (ms) | Queries | Errors |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| waypost HTTP GET /api/v1/service_at_locations (wrk) | $(fmt "$WP_QPS") | $WP_P50 | $WP_P99 | $WP_REQS | ${WP_NON2XX:-0} non-2xx${WP_SOCKERR:+, socket: $WP_SOCKERR} |"
    echo "| PostGIS prepared statement (pgbench), planner's choice | $(fmt "$PG_QPS") | $PG_P50 | $PG_P99 | $PG_TX | ${PG_FAILED:-0} failed |"
    echo "| PostGIS prepared statement (pgbench), $KNN_OPTS (KNN GiST scan) | $(fmt "$PK_QPS") | $PK_P50 | $PK_P99 | $PK_TX | ${PK_FAILED:-0} failed |"
)
LOADS=$(
    echo "| Step | Time |"
    echo "|---|---:|"
    echo "| generate $POINTS locations (python3) | ${T_GEN} s |"
    echo "| waypost import hsds (taxonomy + NDJSON in files of 50,000 services, one command, one transaction each; SQLite: the documents, index tables and listing cache) | ${T_WP_IMPORT} s |"
    echo "| waypost serve start-up to first answer (loads the directory, builds the in-memory geo index) | ${T_WP_START} s |"
    echo "| PostGIS COPY + geography conversion + primary key | ${T_PG_LOAD} s |"
    echo "| PostGIS GiST index on geog | ${T_PG_GIST} s |"
    echo "| PostGIS GIN index on codes | ${T_PG_GIN} s |"
)
echo
echo "Locator: waypost HTTP vs PostGIS ($POINTS locations, $TERM_CODE on $NTERM of them)"
echo
echo "$TABLE"
echo
echo "$LOADS"
echo
echo "Sizes: waypost SQLite $(awk -v b="$WP_DB_BYTES" 'BEGIN { printf "%.0f MB", b / 1048576 }'); PostGIS table+indexes $(awk -v b="$PG_BYTES" 'BEGIN { printf "%.0f MB", b / 1048576 }') (GiST $(awk -v b="$GIST_BYTES" 'BEGIN { printf "%.0f MB", b / 1048576 }'))."
echo "Check: $MISMATCH of $CHECK centres differ ($NRES results compared)${CHECK_NOTES:+ (notes:$CHECK_NOTES)}."
echo "waypost/PostGIS = ${RATIO}x (aim at least 10x): aim $VERDICT."

[ -n "$DOC" ] || exit 0

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
debian=$(cat /etc/debian_version 2>/dev/null || echo unknown)
pg_ver=$("$PGBIN/postgres" --version 2>/dev/null | sed 's/^postgres (PostgreSQL) /PostgreSQL /')
postgis_ver=$($AS "$PGBIN/psql" -X -At -h "$PGDATA" -U bench -d postgres -c "SELECT 'PostGIS ' || extversion FROM pg_extension WHERE extname = 'postgis'")
wrk_ver=$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }' || true)
wp_ver=$("$WAYPOST" version 2>&1 | head -n 1)
cmd="THREADS=$THREADS CONNECTIONS=$CONNECTIONS DURATION=$DURATION WARMUP=$WARMUP POINTS=$POINTS NCENTRES=$NCENTRES GEO_TERM=$TERM_CODE sh bench/geo.sh"
SECTION="$TMP/section.md"
cat >"$SECTION" <<EOF
## Locator: waypost HTTP vs PostGIS

Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/geo.sh\`.

- Machine: $cpu, $CORES cores, $mem memory, Linux $(uname -r), Debian $debian
- Versions: $wp_ver; $pg_ver; $postgis_ver; $wrk_ver; pgbench 15
- Command: \`$cmd\` (from the repo root)
- Data: $POINTS synthetic locations, jittered copies (up to 5 km) of the $NBASE bundled
  records in data/directory, each with its original's Waypost codes; $NTERM have
  \`$TERM_CODE\` (the filter, term id $TERM_ID). Centres: $NCENTRES real locations jittered up to 5 km.
- Query: the 10 nearest with \`$TERM_CODE\` within 25 km of a random centre.
  waypost: \`GET /api/v1/service_at_locations?lat=..&lon=..&proximity=25000&taxonomy_term_id=$TERM_ID&per_page=10\`
  (whole HTTP request, JSON reply), \`serve --server-threads $THREADS\`, wrk \`-t$THREADS -c$CONNECTIONS -d$DURATION\`
  with a Lua script picking a centre per request, after a $WARMUP warm-up.
  PostGIS: private cluster (unix socket only; shared_buffers 512MB, fsync off, jit off), table
  \`locs(id uuid, geog geography(Point), codes text[])\` with GiST on geog and GIN on codes, ANALYZE;
  pgbench \`-M prepared -c$CONNECTIONS -j$THREADS -T$D\` after a ${W}s warm-up, script
  \`$Q\` with \`\\set i random(1, $NCENTRES)\` (the centre comes from the indexed \`centres\` table
  in the same statement). Run twice: with the planner's choice (a bitmap AND of GiST and GIN and a
  sort, see the plans below) and with \`enable_bitmapscan=off\` (the KNN \`<->\` GiST index scan);
  the ratio uses the faster.
- The load generator shares the machine: wrk or pgbench and the server under test compete for
  the same $CORES cores.

$TABLE

waypost/PostGIS (the faster PostGIS run) = **${RATIO}x** (aim at least 10x): aim **$VERDICT**.

Loading and index builds:

$LOADS

Sizes: waypost SQLite database $(awk -v b="$WP_DB_BYTES" 'BEGIN { printf "%.0f MB", b / 1048576 }') (the geo index itself is in memory, see
"Geographic index" above); PostGIS table with indexes $(awk -v b="$PG_BYTES" 'BEGIN { printf "%.0f MB", b / 1048576 }') (GiST $(awk -v b="$GIST_BYTES" 'BEGIN { printf "%.0f MB", b / 1048576 }')).

Check: on $CHECK centres ($NRES results in all), $MISMATCH differ between waypost and PostGIS (same ids in the same order, distances
within 1 m; ties may be ordered differently)${CHECK_NOTES:+; notes:$CHECK_NOTES}.

PostGIS plan:

\`\`\`
$PLAN
\`\`\`

PostGIS plan with \`$KNN_OPTS\`:

\`\`\`
$PLAN_KNN
\`\`\`
EOF
mkdir -p "$(dirname "$DOC")"
[ -f "$DOC" ] || printf '# Benchmarks\n' >"$DOC"
NEW="$TMP/doc.md"
awk -v sect="$SECTION" '
    function emit(  line) { while ((getline line < sect) > 0) print line; close(sect); done = 1 }
    /^## / {
        if (skip) { skip = 0 }
        if ($0 ~ /^## Locator: waypost HTTP vs PostGIS[ \t]*$/) { if (!done) { if (NR > 1 && prev != "") print ""; emit(); print "" } skip = 1; next }
    }
    skip { next }
    { print; prev = $0 }
    END { if (!done) { if (prev != "") print ""; emit() } }
' "$DOC" >"$NEW"
awk '{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] == "") n--; for (i = 1; i <= n; i++) print l[i] }' "$NEW" >"$NEW.2"
cat "$NEW.2" >"$DOC"
say "wrote the section \"## Locator: waypost HTTP vs PostGIS\" in $DOC"
