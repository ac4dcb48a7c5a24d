/* map_cache: the finder's results maps (map_svg's SVG), kept for the
 * searches asked most recently. Drawing the map (placing the pins apart,
 * describing each in words) was a third of a /find page's time once the
 * cards were rendered ahead (card_html.h); a map depends only on the
 * searched place, the page's language and its pins, which are listings of
 * one generation of the directory (card_cache.h) in order, so a search
 * asked again gets the same bytes from here. At most MAP_CACHE_SLOTS maps,
 * the least recently used replaced. Thread-safe. */
#ifndef WP_MAP_CACHE_H
#define WP_MAP_CACHE_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAP_CACHE_SLOTS 64
#define MAP_CACHE_PINS 20 /* a page's pins */

typedef struct map_key {
    long generation; /* card_cache_begin's; a key with -1 is never kept */
    int lang;
    double lat, lon; /* the searched place */
    int npins;
    uint32_t ids[MAP_CACHE_PINS]; /* the pins' listings, in the page's order */
} map_key;

/* When the map of k is kept: appends its SVG to out (nothing when the
 * map showed nothing), sets *drawn to map_svg's answer and returns true. */
bool map_cache_get(const map_key *k, buf *out, int *drawn);

/* Keeps the map of k (len bytes of SVG, and map_svg's answer). */
void map_cache_put(const map_key *k, const char *svg, size_t len, int drawn);

/* Empties the cache (shutdown, tests). */
void map_cache_clear(void);

#endif
