/* combos_view: what the /combos page shows of the matrix, made once per
 * language when the matrix loads (the catalogs and assets are loaded
 * before it), so a request neither translates (no msgid hashed), nor
 * normalises, nor builds JSON for the level list, the suggestions list or
 * a pair: it shares these read-only values (jansson's reference counts
 * are atomic) and builds only what depends on what was asked.
 * The values are exactly those the page made per request before (a test
 * compares them with combos_check_lang's texts). */
#ifndef WP_COMBOS_VIEW_H
#define WP_COMBOS_VIEW_H

#include "substances/matrix.h"

#include <jansson.h>

typedef struct combos_view {
    json_t *levels;   /* [{"id","name","definition","icon_url"}] worst first */
    json_t *datalist; /* every name (in the language) and alias, the inputs' suggestions */
    json_t *datalist_html; /* their <option> elements, escaped: 500 options rendered once, not per request */
    json_t **names;   /* per substance: its name in the language (a JSON string) */
    /* per a * nsubs + b, a <= b: {"a","b","same","level","summary","advice",
       "sources","level_name","a_name","b_name","icon_url","has_sources"} */
    json_t **pairs;
    int nsubs;
} combos_view;

typedef struct combos_views {
    combos_view *langs; /* one per language of the site when built */
    int nlangs;
} combos_views;

/* Builds the views of m for the languages i18n_count() says the site has. */
combos_views *combos_views_build(const matrix *m);
void combos_views_free(combos_views *v);
/* The view of lang, or NULL when v has none for it. */
const combos_view *combos_views_get(const combos_views *v, int lang);
/* The page pair of a and b (either order). */
json_t *combos_view_pair(const combos_view *v, int a, int b);

/* Appends the suggestions list as the page writes them: one
 * <option value="..."></option> each, escaped, for {{{datalist_html}}} in
 * templates/combos.mustache. */
void combos_datalist_html(const json_t *list, buf *out);

/* Sets o["icon_url"] to the level's icon under its hashed, year-cached
 * name (the plain name if the file is missing). */
void combos_set_icon_url(json_t *o, const char *level_id);

#endif
