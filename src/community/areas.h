/* areas: the named areas a site serves (data/vocab/areas.json), shared by
 * the community feature's parts: where a community drug report happened,
 * the series the spike detector counts, and what a subscriber asks to be
 * told about. An area is named either by a US ZIP code (five digits, any
 * ZIP) or by the slug of one of the site's named areas, each of which
 * lists the ZIP codes it covers:
 *
 *     {"areas": [{"slug": "downtown", "name": "Downtown",
 *                 "zips": ["97204", "97205"]}]}
 *
 * The list may be empty (then only ZIP codes are accepted). It is read
 * once at start; the pointers handed out stay valid until areas_unload. */
#ifndef WP_AREAS_H
#define WP_AREAS_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>

#define AREAS_MAX 200
#define AREA_ZIPS_MAX 400
#define AREA_KEY_MAX 64 /* a slug (< 48 bytes) or a ZIP, with its NUL */

typedef struct area {
    const char *slug, *name;
    const char *const *zips; /* nzips five-digit ZIP codes */
    size_t nzips;
} area;

/* Reads data_dir/vocab/areas.json and checks it: slugs unique and safe,
 * names present, each ZIP five digits. False with err naming the file and
 * the entry; the areas loaded before (if any) are then kept. */
bool areas_load(const config *cfg, char *err, size_t errlen);
/* The same from a data folder (tests, commands). */
bool areas_load_dir(const char *data_dir, char *err, size_t errlen);
void areas_unload(void);

size_t areas_count(void);
const area *areas_at(size_t i);
/* The named area with this slug, or NULL. */
const area *areas_find(const char *slug);

/* True when s is five ASCII digits. */
bool areas_is_zip(const char *s);
/* Checks what a person typed as an area: spaces around it are dropped, a
 * ZIP+4 keeps its first five digits, a slug is matched case-insensitively.
 * Writes the area's key (the ZIP or the slug) into out; false when s is
 * neither a ZIP nor a named area. */
bool areas_check(const char *s, char *out, size_t outlen);
/* True when the area named by key covers zip: key is that ZIP, or a named
 * area that lists it. */
bool areas_covers(const char *key, const char *zip);
/* The name to show for key: the named area's name, or the ZIP itself. */
const char *areas_label(const char *key);

#endif
