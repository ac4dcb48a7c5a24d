#!/bin/sh
# bench/geo_index.sh: micro-benchmark of the in-memory geographic index
# (src/locator/geo*.c), in process, no HTTP.
#
# Compiles bench/geo_index.c with -O2 against src/locator/geo.c, geo_build.c
# and geo_query.c and src/core/util.c into a temp dir, runs it and prints a
# small table: index build time and bytes per location for POINTS synthetic
# locations spread like the real ones (jittered copies of the ZIP centroids
# in data/geo/zcta2020_centroids.csv, up to 5 km away, with 8 random bits of
# different densities); mean, p50 and p99 time per query for k = 10 within
# 25 km with one bit filter over QUERIES queries centred near random real
# centroids (timed one by one with clock_gettime), for a random bit per
# query, the commonest bit, a 10% bit, a 0.5% bit and no filter; and the
# same query by brute force over BRUTE queries, whose answers are checked
# against the index's (the script fails if any differ).
#
# Run from anywhere:
#     sh bench/geo_index.sh
#     POINTS=1000000 QUERIES=100000 BRUTE=1000 sh bench/geo_index.sh
# Settings (environment): POINTS (default 1000000), QUERIES (default
# 100000), BRUTE (default 1000), CSV (default
# data/geo/zcta2020_centroids.csv), CC (default cc). It does not write
# docs/benchmarks.md.
set -eu

cd "$(dirname "$0")/.."

POINTS=${POINTS:-1000000}
QUERIES=${QUERIES:-100000}
BRUTE=${BRUTE:-1000}
CSV=${CSV:-data/geo/zcta2020_centroids.csv}
CC=${CC:-cc}

if [ ! -r "$CSV" ]; then
    echo "geo_index.sh: cannot read $CSV" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$CC" -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla -D_GNU_SOURCE -O2 \
    -Isrc -o "$tmp/geo_index" bench/geo_index.c src/locator/geo.c src/locator/geo_build.c \
    src/locator/geo_query.c src/core/util.c -lm -lpthread

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || uname -m)"
echo "compiler: $("$CC" --version | head -n 1), -O2"
echo "command: POINTS=$POINTS QUERIES=$QUERIES BRUTE=$BRUTE sh bench/geo_index.sh"
echo
"$tmp/geo_index" "$CSV" "$POINTS" "$QUERIES" "$BRUTE"
