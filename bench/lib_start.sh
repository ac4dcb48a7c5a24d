# bench/lib_start.sh: sourced by the finder's benchmarks (find_bytes.sh,
# find_cpu.sh, find_cards_rss.sh), which compare two builds on copies of
# one seeded database. Sourcing it reads BASE, NEW (default build/waypost)
# and SEED_DB, makes TMP and stops every server started and removes TMP
# on exit. SEED_DB_NEW (optional) is NEW's own database when the two builds
# need different ones (a database NEW wrote that BASE cannot read, or to
# compare each on what it stores itself); else both copy SEED_DB.
# `start BIN NAME PORT` serves a copy of SEED_DB in TMP with two
# server threads and no metrics listener, adds its pid to PIDS (and
# PID_<NAME>), and waits up to 30 s for /healthz. `start_both` starts BASE
# as base on port P and NEW as new on P + 1.
BASE=${BASE:?set BASE to the other build\'s waypost}
NEW=${NEW:-build/waypost}
SEED_DB=${SEED_DB:?set SEED_DB to a database waypost seed filled}
TMP=$(mktemp -d)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

start() {
    src=$SEED_DB
    [ "$2" = new ] && [ -n "${SEED_DB_NEW:-}" ] && src=$SEED_DB_NEW
    cp "$src" "$TMP/$2.db"
    "$1" serve --server-db_path "$TMP/$2.db" --server-listen "127.0.0.1:$3" --server-threads 2 \
        --metrics-listen "" >"$TMP/$2.log" 2>&1 &
    PIDS="$PIDS $!"
    eval "PID_$2=$!"
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$3/healthz"; do
        i=$((i + 1))
        [ $i -lt 300 ] || { echo "$2 did not start" >&2; exit 2; }
        sleep 0.1
    done
}

start_both() {
    P=$(($$ % 20000 + 30000))
    start "$BASE" base "$P"
    start "$NEW" new "$((P + 1))"
}
