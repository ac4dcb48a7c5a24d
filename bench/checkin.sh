#!/bin/sh
# bench/checkin.sh: the check-in timer under load (issue 13). Starts
# build/waypost with a local fake SMS gateway and webhook sink, creates
# TIMERS concurrent check-ins (default 10,000) whose ends are spread over
# WINDOW seconds (default 600: ten minutes), and reports delivered / lost,
# duplicates and the delivery lateness p50 / p99 / max (target: every
# message delivered, p99 <= 1 s). OUTAGE=600 makes the gateway answer 503
# for the first OUTAGE seconds of the window instead (everything must still
# arrive, in order of due time). All on 127.0.0.1; Python 3 standard library.
#
#   sh bench/checkin.sh                      # the full run (about 12 minutes)
#   TIMERS=2000 WINDOW=120 sh bench/checkin.sh
#   TIMERS=2000 WINDOW=120 OUTAGE=60 sh bench/checkin.sh
set -eu
cd "$(dirname "$0")/.."
[ -x build/waypost ] || make build/waypost
exec env WAYPOST_BIN="${WAYPOST_BIN:-build/waypost}" python3 bench/checkin_load.py \
    --timers "${TIMERS:-10000}" --window "${WINDOW:-600}" --outage "${OUTAGE:-0}"
