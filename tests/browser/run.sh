#!/bin/sh
# Browser tests: installs playwright-core, axe-core and lighthouse from the npm registry
# (pinned in package-lock.json) when missing, then runs run.mjs (the public
# pages and every suite_*.mjs it loads) and each standalone test file
# (staff_listings.mjs) against the real build/waypost in Debian's headless
# Chromium, and ends with one "N passed, M failed" line for them all.
set -u
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/lighthouse ]; then
    npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
pass=0
fail=0
out=$(mktemp)
for f in run.mjs staff_listings.mjs; do
    node "$f" "$@" | tee "$out"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    if [ -z "$line" ]; then
        fail=$((fail + 1))
        continue
    fi
    pass=$((pass + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
    fail=$((fail + $(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')))
done
rm -f "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
