/* site: what the server has loaded from disk: the compiled templates and the
 * content pages, held together in one reference-counted snapshot.
 *
 * Handlers take the snapshot with site_acquire() and give it back with
 * site_release() before returning; they never keep pointers into it. With
 * --dev the snapshot is rebuilt when a template or page changes (checked at
 * most once a second) and swapped in; the old one is freed when the last
 * request holding it lets go. */
#ifndef WP_SITE_H
#define WP_SITE_H

#include "content/content.h"
#include "core/config.h"
#include "core/i18n.h"
#include "tmpl/mustache.h"

#include <stdbool.h>

typedef struct page_cache page_cache;

typedef struct site {
    mus_set *templates;   /* English (the source language): tsets[0] */
    content_set *content; /* English pages: csets[0] */
    mus_set *tsets[I18N_MAX_LANGS];     /* one compiled set per language */
    content_set *csets[I18N_MAX_LANGS]; /* content/ and content/<code>/ */
    int nlangs;
    page_cache *cache; /* rendered pages that depend only on this snapshot */
    int refs;          /* guarded by the site lock */
} site;

/* Loads templates (templates_dir, then theme_dir/templates over them) and
 * content; indexes content for search when index_db is true. */
bool site_load(const config *cfg, bool index_db, char *err, size_t errlen);
void site_unload(void);
site *site_acquire(void);
void site_release(site *s);

/* The rendered page cache: pages whose HTML depends only on the snapshot
 * (content pages and the home page without a query) are rendered once per
 * snapshot. site_cache_get copies a hit into out and returns true. */
bool site_cache_get(site *s, const char *path, buf *out);
void site_cache_put(site *s, const char *path, const char *body, size_t len);

/* Loads only templates into a new set (for `waypost check-templates` and
 * tests): English, or the language lang (each {{#_}}...{{/_}} marker
 * replaced by its translation before compiling). */
mus_set *site_load_templates(const config *cfg, char *err, size_t errlen);
mus_set *site_load_templates_lang(const config *cfg, int lang, char *err, size_t errlen);

/* The templates and pages of a language (English for an unknown one). */
const mus_set *site_templates(const site *s, int lang);
const content_set *site_content(const site *s, int lang);
/* The page at path in lang; when lang has none, the English page with
 * *fallback set (NULL when neither exists). fallback may be NULL. */
const page *site_page(const site *s, int lang, const char *path, bool *fallback);

#endif
