/* assets: static files in memory under hashed names. See assets.h. */
#include "http/assets.h"
#include "core/buf.h"
#include "core/gz.h"
#include "core/log.h"
#include "core/util.h"
#include "core/walk.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ASSET_MAX_FILE (8u * 1024u * 1024u)
#define ASSETS_MAX 1024

static asset table[ASSETS_MAX];
static size_t ntable;

const char *mime_type(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        {".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"}, {".png", "image/png"}, {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"}, {".webp", "image/webp"}, {".ico", "image/x-icon"},
        {".woff2", "font/woff2"}, {".json", "application/json"}, {".txt", "text/plain; charset=utf-8"},
        {".csv", "text/csv; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (!strcmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

static bool compressible(const char *type)
{
    return str_has_prefix(type, "text/") || str_has_prefix(type, "image/svg") ||
           str_has_prefix(type, "application/json") || str_has_prefix(type, "application/manifest");
}

static asset *find_by_name(const char *name)
{
    for (size_t i = 0; i < ntable; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

static void asset_clear(asset *a)
{
    free(a->name);
    free(a->hashed_url);
    free(a->plain_url);
    free(a->data);
    free(a->gz);
    memset(a, 0, sizeof(*a));
}

/* Fills the URLs, ETags and gzip copy of an asset whose name and data are set. */
static void asset_finish(asset *a)
{
    unsigned char h[4];
    if (crypto_generichash(h, sizeof(h), a->data, a->len, NULL, 0) != 0)
        memset(h, 0, sizeof(h)); /* cannot fail for these sizes; the name stays deterministic */
    char hex[9];
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    const char *dot = strrchr(a->name, '.');
    const char *slash = strrchr(a->name, '/');
    size_t stem = (dot && (!slash || dot > slash)) ? (size_t)(dot - a->name) : strlen(a->name);
    buf b = BUF_INIT;
    buf_printf(&b, "/static/%.*s.%s%s", (int)stem, a->name, hex, a->name + stem);
    a->hashed_url = buf_detach(&b, NULL);
    buf_printf(&b, "/static/%s", a->name);
    a->plain_url = buf_detach(&b, NULL);
    a->type = mime_type(a->name);
    etag_of(a->data, a->len, NULL, a->etag, sizeof(a->etag));
    if (compressible(a->type) && a->len > 256) {
        buf z = BUF_INIT;
        if (gz_compress(a->data, a->len, 9, &z) && z.len < a->len) {
            a->gz = (unsigned char *)buf_detach(&z, &a->gzlen);
            etag_of(a->data, a->len, "-gz", a->gz_etag, sizeof(a->gz_etag));
        }
        buf_free(&z);
    }
}

/* Adds or replaces the asset called name with data (taking ownership). */
static bool asset_put(const char *name, unsigned char *data, size_t len, char *err, size_t errlen)
{
    asset *a = find_by_name(name);
    if (a) {
        asset_clear(a);
    } else {
        if (ntable >= ASSETS_MAX) {
            free(data);
            snprintf(err, errlen, "too many static files (at most %d)", ASSETS_MAX);
            return false;
        }
        a = &table[ntable++];
    }
    a->name = xstrdup(name);
    a->data = data;
    a->len = len;
    asset_finish(a);
    return true;
}

struct dir_load {
    const char *prefix;
    char *err;
    size_t errlen;
};

static bool load_one(void *ctx, const char *full, const char *rel, const struct stat *st)
{
    struct dir_load *l = ctx;
    if (!S_ISREG(st->st_mode))
        return true;
    size_t len;
    char *data = file_read(full, ASSET_MAX_FILE, &len);
    if (!data) {
        snprintf(l->err, l->errlen, "cannot read static file %s: %s", full, strerror(errno));
        return false;
    }
    char name[1100];
    snprintf(name, sizeof(name), "%s%s", l->prefix, rel);
    return asset_put(name, (unsigned char *)data, len, l->err, l->errlen);
}

/* Loads every file under root as prefix + its path under root (a missing
 * root is no error: a theme need not have static files). */
static bool load_dir(const char *root, const char *prefix, char *err, size_t errlen)
{
    struct dir_load l = {prefix, err, errlen};
    enum walk_result r = walk_files(root, "static folder", load_one, &l, err, errlen);
    return r == WALK_OK || r == WALK_NO_ROOT;
}

/* Leaflet, when the map has tiles: a fixed list of files from the system's
 * copy (Debian's libjs-leaflet), named vendor/leaflet/... like any asset. */
static bool load_leaflet(const config *cfg, char *err, size_t errlen)
{
    static const char *const files[] = {"leaflet.min.js", "leaflet.css"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char full[600], name[64];
        snprintf(full, sizeof(full), "%s/%s", cfg->leaflet_dir, files[i]);
        snprintf(name, sizeof(name), "vendor/leaflet/%s", files[i]);
        size_t len;
        char *data = file_read(full, ASSET_MAX_FILE, &len);
        if (!data) {
            snprintf(err, errlen,
                     "map.tiles is set but Leaflet's %s cannot be read (%s): install Debian's libjs-leaflet, "
                     "or set map.leaflet_dir to the folder holding leaflet.min.js and leaflet.css",
                     full, strerror(errno));
            return false;
        }
        if (!asset_put(name, (unsigned char *)data, len, err, errlen))
            return false;
    }
    /* The stylesheet's own pictures (layer switcher, default marker). */
    char images[600];
    snprintf(images, sizeof(images), "%s/images", cfg->leaflet_dir);
    return load_dir(images, "vendor/leaflet/images/", err, errlen);
}

/* theme.css: the configured colours as CSS custom properties. */
static bool make_theme_css(const config *cfg, char *err, size_t errlen)
{
    buf b = BUF_INIT;
    buf_printf(&b,
               "/* Generated from the site configuration: colours. */\n"
               ":root{--brand:%s;--accent:%s}\n",
               cfg->color_primary, cfg->color_accent);
    size_t len;
    char *data = buf_detach(&b, &len);
    return asset_put("theme.css", (unsigned char *)data, len, err, errlen);
}

bool assets_load(const config *cfg, char *err, size_t errlen)
{
    assets_free();
    if (cfg->tiles[0] && !load_leaflet(cfg, err, errlen))
        return false;
    if (!load_dir(cfg->static_dir, "", err, errlen))
        return false;
    if (cfg->theme_dir[0]) {
        char dir[600];
        snprintf(dir, sizeof(dir), "%s/static", cfg->theme_dir);
        if (!load_dir(dir, "", err, errlen))
            return false;
    }
    return make_theme_css(cfg, err, errlen);
}

void assets_free(void)
{
    for (size_t i = 0; i < ntable; i++)
        asset_clear(&table[i]);
    ntable = 0;
}

const asset *assets_find(const char *path, bool *immutable)
{
    for (size_t i = 0; i < ntable; i++) {
        if (!strcmp(table[i].hashed_url, path)) {
            *immutable = true;
            return &table[i];
        }
        if (!strcmp(table[i].plain_url, path)) {
            *immutable = false;
            return &table[i];
        }
    }
    return NULL;
}

const char *assets_url(const char *name)
{
    const asset *a = find_by_name(name);
    return a ? a->hashed_url : NULL;
}

void assets_each_response(void (*fn)(void *))
{
    for (size_t i = 0; i < ntable; i++)
        for (int k = 0; k < 4; k++)
            if (table[i].responses[k]) {
                fn(table[i].responses[k]);
                table[i].responses[k] = NULL;
            }
}

size_t assets_count(void)
{
    return ntable;
}
