/* assets: the static files (CSS, JavaScript, images, fonts), loaded into
 * memory once at start, gzip-compressed when that helps, and served under
 * content-hashed names (css/site.css -> /static/css/site.1a2b3c4d.css) with
 * a year-long immutable cache, and under their plain names with an hour's
 * cache (for links in content). Files in theme_dir/static override shipped
 * ones of the same name. A generated theme.css carries the configured
 * colours, since the CSP forbids inline style. When map.tiles is set,
 * Leaflet's files are read from map.leaflet_dir (Debian's libjs-leaflet:
 * leaflet.min.js, leaflet.css, images/) as vendor/leaflet/...; otherwise
 * they are not loaded at all.
 *
 * Lookup is by exact name in the loaded table, never by opening a path the
 * client sent, so no request can climb out of the static folder. */
#ifndef WP_ASSETS_H
#define WP_ASSETS_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct asset {
    char *name;        /* logical, e.g. "css/site.css" */
    char *hashed_url;  /* "/static/css/site.1a2b3c4d.css" */
    char *plain_url;   /* "/static/css/site.css" */
    const char *type;  /* Content-Type */
    unsigned char *data;
    size_t len;
    unsigned char *gz; /* NULL when not worth compressing */
    size_t gzlen;
    char etag[40];
    char gz_etag[40];
    /* The server's ready-made responses for this file (plain/gzip x
     * immutable/short cache), made on first use; see server.c. */
    void *responses[4];
} asset;

bool assets_load(const config *cfg, char *err, size_t errlen);
void assets_free(void);
/* Finds by request path (/static/...); sets *immutable when it is a hashed
 * name. NULL when no such asset. */
const asset *assets_find(const char *path, bool *immutable);
/* The hashed URL of a logical name, or NULL when there is none. */
const char *assets_url(const char *name);
size_t assets_count(void);
/* Calls fn on every response the server stored in the assets and clears
 * them (at shutdown, before the assets are freed). */
void assets_each_response(void (*fn)(void *));

/* The Content-Type for a file name by its extension. */
const char *mime_type(const char *name);

#endif
