#!/bin/sh
# Static checks: the banned-function and SQL-formatting check (curl's
# checksrc habit), then cppcheck over src/. Ends with "N passed, M failed".
#
# Banned: sprintf, vsprintf, strcpy, strcat, atoi, atol, gets (use snprintf,
# buf_printf, str_copy, parse_long, fgets); and SQL text built with a
# printf-style call (SQL lives in store files as prepared statements); and
# that the code tools/gen_hsds_tables.py generates is current, the hsds_
# tables need no new migration and no recorded migration was edited (with
# the tool's own tests, tests/unit/hsds/test_gen_hsds_tables.py); and the
# structure of src/ (scripts/check_structure.py: which folder may include
# which, at most 800 lines a file and 80 a function); and the translation
# checks (scripts/check_i18n.py: text outside the catalog, a stale
# po/waypost.pot, msgfmt --check; with its own tests on fixtures,
# tests/unit/i18n/test_i18n_tools.py).
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

files=$(find src tools tests/unit tests/fuzz -name '*.c' -o -name '*.h' | sort)

banned=$(grep -nE '(^|[^_a-zA-Z0-9])(sprintf|vsprintf|strcpy|strcat|atoi|atol|atoll|gets)[[:space:]]*\(' $files || true)
if [ -z "$banned" ]; then pass "no banned functions"; else fail "banned functions:"; echo "$banned"; fi

sqlfmt=$(grep -rnE '(printf|buf_puts|snprintf)[^;]*"[^"]*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP) ' src || true)
sqlfmt=$(echo "$sqlfmt" | grep -v 'PRAGMA' | grep -v '^$' || true)
if [ -z "$sqlfmt" ]; then pass "no SQL built with printf-style calls"; else fail "SQL built with printf-style calls:"; echo "$sqlfmt"; fi

sqlplace=$(grep -lE '"(SELECT|INSERT INTO|UPDATE|DELETE FROM) ' src --include='*.c' -r | grep -vE '(_store\.c|/db/db\.c|system\.c)$' || true)
if [ -z "$sqlplace" ]; then pass "SQL only in store files"; else fail "SQL outside store files: $sqlplace"; fi

# A new service reaches the search index through hsds_store_put_service
# (migration 0033 dropped the insert trigger): no other code inserts one.
svcins=$(grep -rlE 'INSERT (OR [A-Z]+ )?INTO dir_service[ (]' src --include='*.c' | grep -v '^src/hsds/hsds_store\.c$' || true)
if [ -z "$svcins" ]; then pass "services inserted only by hsds_store.c"; else fail "dir_service rows inserted outside hsds_store.c: $svcins"; fi

gen=$(python3 tools/gen_hsds_tables.py --check 2>&1)
if [ $? -eq 0 ]; then pass "generated HSDS table code and migrations are current"; else fail "generated HSDS table code:"; echo "$gen"; fi
gen=$(python3 tests/unit/hsds/test_gen_hsds_tables.py 2>&1)
if [ $? -eq 0 ]; then pass "gen_hsds_tables.py tests"; else fail "gen_hsds_tables.py tests:"; echo "$gen"; fi

out=$(python3 scripts/check_structure.py 2>&1)
if [ $? -eq 0 ]; then pass "structure: dependency rule, file and function lengths"; echo "$out" | grep -E '^(longest|exception)'; else fail "structure:"; echo "$out"; fi

out=$(python3 scripts/check_css.py 2>&1)
if [ $? -eq 0 ]; then pass "stylesheets: every block closed"; else fail "stylesheets:"; echo "$out"; fi

if command -v cppcheck >/dev/null 2>&1; then
    out=$(cppcheck --quiet --std=c11 --enable=warning,performance,portability --inline-suppr \
        --suppress=missingIncludeSystem --suppress=unknownMacro --error-exitcode=1 -I src -D_GNU_SOURCE src 2>&1)
    if [ $? -eq 0 ]; then pass "cppcheck"; else fail "cppcheck:"; echo "$out"; fi
else
    fail "cppcheck is not installed (scripts/deps.sh check installs it)"
fi

out=$(python3 scripts/check_i18n.py 2>&1)
if [ $? -eq 0 ]; then pass "translations: markers, C keywords, po/waypost.pot current, msgfmt --check"; echo "$out" | grep -E '^     ' ; else fail "translations (scripts/check_i18n.py):"; echo "$out" | grep -v '^ok'; fi
out=$(python3 tests/unit/i18n/test_i18n_tools.py 2>&1)
if [ $? -eq 0 ]; then pass "check_i18n.py and i18n_extract.py tests (fixtures)"; else fail "i18n tool tests:"; echo "$out" | grep -v '^ok'; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
