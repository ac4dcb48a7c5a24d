#!/bin/sh
# Browser tests: installs playwright-core and axe-core from the npm registry
# (pinned in package-lock.json) when missing, then runs run.mjs against the
# real build/waypost in Debian's headless Chromium.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
exec node run.mjs "$@"
