/* combos_pages: the /combos page: a form that works without JavaScript
 * (a datalist gives type-ahead), the result for two to six substances, and
 * the definition of every level. */
#ifndef WP_COMBOS_PAGES_H
#define WP_COMBOS_PAGES_H

#include "content/content.h"
#include "http/http.h"

#include <jansson.h>

void combos_page(request *rq, response *rs);

/* For a substance fact sheet: "combos" (every pair with this substance,
 * worst first) and "combo_name" added to d when slug is in the matrix,
 * with names, levels and summaries in lang. */
void combos_add_sheet_data(json_t *d, int lang, const char *slug);
/* Registers the fact-sheet hook (pages/hooks.h); call once at start. */
bool combos_pages_register(void);

#endif
