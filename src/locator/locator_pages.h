/* locator_pages: the locator's pages. /find (what + where + distance +
 * filters, results nearest first, 20 a page, all without JavaScript), the
 * shortcuts /find/naloxone, /find/syringes, /find/drug-checking,
 * /find/treatment and /find/testing, a listing's own page /services/<id>,
 * and "report a problem with this listing" (a form post, no personal data,
 * rate-limited per listing, stored for staff). */
#ifndef WP_LOCATOR_PAGES_H
#define WP_LOCATOR_PAGES_H

#include "http/http.h"

void locator_find_page(request *rq, response *rs);
void locator_service_page(request *rq, response *rs);
void locator_service_report(request *rq, response *rs);
/* Makes and frees the in-memory per-client report limit (at start/stop). */
void locator_pages_start(void);
void locator_pages_stop(void);

#endif
