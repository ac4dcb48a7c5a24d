# bench/lib_start.sh: sourced by the finder's benchmarks (find_bytes.sh,
# find_cpu.sh, find_cards_rss.sh). `start BIN NAME PORT` serves a copy of
# SEED_DB in TMP with two server threads and no metrics listener, adds its
# pid to PIDS (and PID_<NAME>), and waits up to 30 s for /healthz.
start() {
    cp "$SEED_DB" "$TMP/$2.db"
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
