#!/bin/sh
# bench/spikes.sh: how well the spike detector finds outbreaks (issue 14).
#
# Compiles bench/spikes_sim.c against src/community/ears.c, then runs
# bench/spikes_bench.py: synthetic daily series with Poisson baselines of
# 0.5 to 50 a day and injected outbreaks of 2x to 5x lasting 1 to 3 days,
# AREAS series per baseline over YEARS simulated years; it prints, per
# method (EARS C1, C2, C3, EWMA, Poisson, any) and baseline band, the
# share of outbreaks flagged, the days to detect and the false alarms per
# area-year, checks every C1/C2/C3 result against the plain Python
# reimplementation (bench/spikes_ref.py) and a few days end to end through
# `waypost import events` and `waypost spikes --json` (the script fails
# when they disagree).
#
#     sh bench/spikes.sh
#     YEARS=20 AREAS=20 SEED=7 sh bench/spikes.sh
# Settings (environment): YEARS (10), AREAS (10), SEED (14), CC (cc),
# WAYPOST (build/waypost, built when missing). It does not write
# docs/benchmarks.md.
set -eu

cd "$(dirname "$0")/.."
CC=${CC:-cc}
WAYPOST=${WAYPOST:-build/waypost}
[ -x "$WAYPOST" ] || make -j2 "$WAYPOST" >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
$CC -std=c17 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc -o "$tmp/spikes_sim" bench/spikes_sim.c \
    src/community/ears.c -lm
cd bench
python3 spikes_bench.py "$tmp/spikes_sim" "../$WAYPOST"
