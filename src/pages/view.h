/* view: puts a page together. view_data() starts the data every page has
 * (site name and settings, stylesheet URLs, navigation with the current
 * item marked, the search query); a handler adds its own keys and calls
 * view_page(), which renders the named template (itself built on the
 * layout through Mustache inheritance) into the response.
 *
 * All data goes in as JSON values and comes out through {{x}}, which escapes
 * HTML; only HTML we rendered ourselves (Markdown) is put in with {{{x}}}. */
#ifndef WP_VIEW_H
#define WP_VIEW_H

#include "http/http.h"

#include <jansson.h>

json_t *view_data(const request *rq, const char *title);

/* Reads the menu from data_dir/vocab/navigation.json: 1 to 12 items, each
 * an href (a path on this site: "/", or "/a-z0-9-" segments) and a label,
 * no href or label twice. False with err naming the file and the item; the
 * menu loaded before (if any) is then kept. Call before serving. An item
 * is "current" on its own path and the paths under it. */
bool view_nav_load(const config *cfg, char *err, size_t errlen);
void view_nav_free(void);
/* The language the page offers to this browser (its Accept-Language
 * prefers one the site has that is not the page's), or -1. Pages kept in
 * a cache use it in their key. */
int view_offer(const request *rq);
/* Renders tmpl with data (the reference is stolen) into rs as HTML. */
void view_page(request *rq, response *rs, const char *tmpl, json_t *data);
/* The error renderer the server uses for HTML error pages. */
void view_error(request *rq, response *rs, int status, const char *message);

/* Convenience: data[key] = string (copied; NULL becomes ""). */
void jset_str(json_t *obj, const char *key, const char *value);

#endif
