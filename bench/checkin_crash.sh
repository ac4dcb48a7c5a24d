#!/bin/sh
# bench/checkin_crash.sh: the long crash test of the check-in timer (issue
# 13; the short one, 100 timers and 5 kills, is in the HTTP tests). TIMERS
# check-ins (default 1,000) come due over WINDOW seconds (default 60) while
# the server is killed with SIGKILL KILLS times (default 25, at random
# moments) and restarted on the same database; about a fifth of the people
# check in shortly before their end. Passes when no due timer lost its
# message, no checked-in timer sent anything and PRAGMA integrity_check is
# ok; duplicate deliveries (same Idempotency-Key) are reported.
#
#   sh bench/checkin_crash.sh
#   TIMERS=1000 KILLS=40 WINDOW=90 sh bench/checkin_crash.sh
set -eu
cd "$(dirname "$0")/.."
[ -x build/waypost ] || make build/waypost
exec env WAYPOST_BIN="${WAYPOST_BIN:-build/waypost}" python3 tests/http/checkin_crash.py \
    --timers "${TIMERS:-1000}" --kills "${KILLS:-25}" --window "${WINDOW:-60}"
