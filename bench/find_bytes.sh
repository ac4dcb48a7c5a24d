#!/bin/sh
# bench/find_bytes.sh: the finder's pages byte for byte from two builds
# (issue 18: the cards rendered once and filled in per request must give
# the very bytes the per-request rendering gave). Starts BASE and NEW on
# copies of one seeded database, fetches each URL below from both, twice
# (the second fetch answered from the card cache), and prints same/DIFF per
# URL; exits 1 when any differs.
#     BASE=/tmp/find-base/build/waypost SEED_DB=/tmp/seeded.db sh bench/find_bytes.sh
# NEW defaults to build/waypost. Needs curl.
set -eu
cd "$(dirname "$0")/.."

. bench/lib_start.sh
start_both

fails=0
while read -r url; do
    [ -n "$url" ] || continue
    for round in 1 2; do
        curl -s -D "$TMP/h1" -o "$TMP/b1" "http://127.0.0.1:$P$url"
        curl -s -D "$TMP/h2" -o "$TMP/b2" "http://127.0.0.1:$((P + 1))$url"
        s1=$(head -1 "$TMP/h1" | tr -d '\r'); s2=$(head -1 "$TMP/h2" | tr -d '\r')
        if [ "$s1" = "$s2" ] && cmp -s "$TMP/b1" "$TMP/b2"; then
            echo "same ($s1, $(wc -c <"$TMP/b1") bytes, fetch $round) $url"
        else
            echo "DIFF ($s1 / $s2, fetch $round) $url"
            diff "$TMP/b1" "$TMP/b2" | head -10
            fails=$((fails + 1))
        fi
    done
done <<'URLS'
/find?what=buprenorphine&where=80202&radius=25
/es/find?what=buprenorphine&where=80202&radius=25
/find/treatment?where=97214
/es/find/treatment?where=97214
/find/naloxone?where=80202
/find/syringes?where=Denver%2C+CO
/find/drug-checking?where=Portland%2C+OR
/find/testing?where=97214
/find?what=buprenorphine&where=80202&radius=25&open=1
/find?where=80202&radius=25&lang=es
/es/find?where=80202&radius=25&lang=es
/find?what=buprenorphine&where=80202&radius=25&attr=medicaid
/find?what=methadone&where=80202&radius=50&attr=medicaid&attr=telehealth
/find?where=80202&radius=100
/find?what=buprenorphine&where=80202&radius=25&page=2
/es/find?what=buprenorphine&where=80202&radius=25&page=2
/find?what=buprenorphine&where=80202&radius=7
/find?what=buprenorphine&where=Multnomah+County%2C+OR&radius=25
/find?what=buprenorphine&where=Denverr%2C+CO&radius=25
/find?what=buprenorphine&where=99999&radius=25
/find?what=naloxone&where=59001&radius=5
/find?what=&where=&radius=25
/find
/es/find
/find?where=39.7392%2C-104.9903&radius=10
/find?what=bogus&where=80202
URLS
echo "bench: $fails differences"
[ "$fails" -eq 0 ]
