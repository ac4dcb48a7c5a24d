#!/bin/sh
# bench/find_cpu.sh: CPU time per request of the server (user+sys from
# /proc/PID/stat across a wrk run) for issue 18's finder pages and the API
# search they are compared with, for two builds side by side in turns
# (the machine is shared: CPU per request, not wall time, is compared).
#     BASE=/tmp/find-base/build/waypost SEED_DB=/tmp/seeded.db ROUNDS=3 sh bench/find_cpu.sh
# Prints one line per round, build and URL: requests, CPU seconds, µs per
# request; then the median per build and URL. NEW defaults to
# build/waypost, DURATION to 5s. Needs wrk and curl.
set -eu
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CLK=$(getconf CLK_TCK)

. bench/lib_start.sh
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
start_both

URLS='/find?what=buprenorphine&where=80202&radius=25
/es/find?what=buprenorphine&where=80202&radius=25
/find/treatment?where=97214
/find?what=buprenorphine&where=80202&radius=25&open=1
/find?where=80202&radius=25&lang=es
/api/v1/service_at_locations?lat=39.7392&lon=-104.9903&proximity=25000&per_page=10
/api/v1/services?per_page=10&page=7
/api/v1/services/31c34574-5e40-5e4e-aec0-7835d1d77bfa'

: >"$TMP/results"
r=1
while [ $r -le "$ROUNDS" ]; do
    echo "$URLS" | while read -r url; do
        for b in base new; do
            port=$P; [ $b = new ] && port=$((P + 1))
            pid=$(eval echo "\$PID_$b")
            wrk -t2 -c8 -d1s "http://127.0.0.1:$port$url" >/dev/null 2>&1 # warm the caches
            t0=$(ticks "$pid")
            n=$(wrk -t2 -c8 -d"$DURATION" "http://127.0.0.1:$port$url" | awk '/requests in/ {print $1}')
            t1=$(ticks "$pid")
            us=$(awk -v a="$t0" -v b="$t1" -v n="$n" -v c="$CLK" 'BEGIN {printf "%.0f", (b - a) / c * 1e6 / n}')
            echo "round $r $b $n requests, $(( t1 - t0 )) ticks, $us us/req $url"
            echo "$b $us $url" >>"$TMP/results"
        done
    done
    r=$((r + 1))
done
echo "medians (us of CPU per request):"
echo "$URLS" | while read -r url; do
    b=$(awk -v u="$url" '$1 == "base" && $3 == u {print $2}' "$TMP/results" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    n=$(awk -v u="$url" '$1 == "new" && $3 == u {print $2}' "$TMP/results" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    echo "base $b new $n $url"
done
