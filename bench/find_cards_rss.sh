#!/bin/sh
# bench/find_cards_rss.sh: what the finder's cards cost in memory. Starts
# BASE and NEW on copies of one seeded database, asks both the same finder
# searches on a grid over the lower 48 (1 degree steps, radius 100 miles,
# pages 1 to 3, in LANGS), then prints each server's VmRSS and RssAnon: the
# difference is what NEW keeps beside the card cache's data (issue 18: the
# cards' HTML per language, the latest results maps).
#     BASE=/tmp/find-base/build/waypost SEED_DB=/tmp/seeded.db sh bench/find_cards_rss.sh
# NEW defaults to build/waypost, LANGS to "en es", LAT_MAX to 49. Needs curl.
set -eu
cd "$(dirname "$0")/.."
LANGS=${LANGS:-en es}
LAT_MAX=${LAT_MAX:-49} # the grid's last latitude (fewer listings: fewer than the cache holds)

. bench/lib_start.sh
start_both

for lang in $LANGS; do
    prefix=""; [ "$lang" = en ] || prefix="/$lang"
    lat=25
    while [ $lat -le "$LAT_MAX" ]; do
        lon=-124
        while [ $lon -le -67 ]; do
            for page in 1 2 3; do
                echo "$prefix/find?where=$lat%2C$lon&radius=100&page=$page"
            done
            lon=$((lon + 1))
        done
        lat=$((lat + 1))
    done
done >"$TMP/urls"
echo "bench: $(wc -l <"$TMP/urls") searches per server"
for b in base new; do
    port=$P; [ $b = new ] && port=$((P + 1))
    sed "s|^\(.*\)$|url = \"http://127.0.0.1:$port\1\"|" "$TMP/urls" >"$TMP/curl.$b"
    # the cards shown: the listings' links, counted once per language
    curl -s -K "$TMP/curl.$b" | grep -o '<h3>[^>]*>[^<]*</span> <a href="/services/[^"]*"' |
        sed 's|.*/services/||' | sort -u | wc -l >"$TMP/cards.$b"
done
echo "bench: $(cat "$TMP/cards.new") listings shown in each language"
for b in base new; do
    pid=$(eval echo "\$PID_$b")
    echo "$b: $(grep -E '^(VmRSS|RssAnon)' "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
done
