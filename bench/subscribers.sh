#!/bin/sh
# bench/subscribers.sh: how long publishing one drug alert takes to reach
# SUBS (default 10,000) SMS subscribers (issue 14). Starts build/waypost with
# the local fake SMS gateway (tests/http/checkin_fakes.py), subscribes SUBS
# numbers through /subscribe and confirms each by an SMS reply to the
# inbound webhook, waits for the confirmation texts to drain, then publishes
# one alert through the API whose ZIP code nine in ten of them chose, and
# reports: the publish request's time (the alert and every subscriber's
# message are queued in that one transaction), the time until the last
# message reached the gateway, messages per second, and that the tenth who
# chose another ZIP got nothing and nobody got two. All on 127.0.0.1;
# Python 3 standard library.
#
#   sh bench/subscribers.sh
#   SUBS=2000 sh bench/subscribers.sh
set -eu
cd "$(dirname "$0")/.."
[ -x build/waypost ] || make build/waypost
exec env WAYPOST_BIN="${WAYPOST_BIN:-build/waypost}" python3 bench/subscribers_load.py --subs "${SUBS:-10000}"
