/* pathways: the recovery pathways comparison at /recovery. Each pathway is
 * a content page in section "recovery" whose front matter carries the
 * table's columns (type, format, evidence, evidence_note, cost, where,
 * duration, suits, locator). The table is filtered and sorted on the
 * server from query parameters, so it works without JavaScript. */
#ifndef WP_PATHWAYS_H
#define WP_PATHWAYS_H

#include "content/content.h"
#include "core/buf.h"
#include "http/http.h"

#include <jansson.h>

void pathways_index(request *rq, response *rs);

/* Reads the table's filters from data_dir/vocab/pathway-filters.json, in
 * the order the form shows them: each names a column (type, format,
 * evidence, cost, where or suits; each at most once), a label, 1 to 32
 * values (no commas, none twice) and, optionally, "ranked": true when the
 * values are in order, best first, so that sorting by the column follows
 * that order. False with err naming the file and the filter; the filters
 * loaded before (if any) are then kept. Call before serving. */
bool pathways_load(const config *cfg, char *err, size_t errlen);
void pathways_unload(void);

/* The filter vocabulary of one column, NULL-terminated; NULL for columns
 * that cannot be filtered. Exposed for tests. */
const char *const *pathways_vocabulary(const char *column);

/* Appends list ("in person, online") to out with each item translated in
 * lang ("en persona, en línea"): split at commas, spaces around an item
 * trimmed, empty items dropped, items joined with ", ". The front matter's
 * list columns (type, format, evidence, cost, where, suits) are shown
 * this way; tools/i18n_extract.py splits them the same way. */
void pathways_tr_list(buf *out, int lang, const char *list);

/* True when the comma-separated list contains value (case-insensitive). */
bool pathways_list_has(const char *list, const char *value);

/* Adds "locator" and "pathway" data for a pathway's own page, the facts
 * translated into lang. */
void pathways_add_page_data(json_t *d, const page *p, int lang);
/* Registers the pathway-page hook (pages/hooks.h); call once at start. */
bool pathways_register(void);

#endif
