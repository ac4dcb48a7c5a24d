/* audit_pages: the staff audit log in the browser, for admins.
 *
 * GET /staff/audit: the rows newest first, 50 a page, filtered by who
 * (part of the actor), action (a select of the actions present), target
 * (part of the text) and a day range (from, to: YYYY-MM-DD, both days
 * included); each row's before/after shown as "field: old -> new".
 * GET /staff/audit.csv: the same filters as a CSV download, every
 * column of the rows (hashes included), with cells that a spreadsheet
 * would run as a formula (= + - @ first) prefixed with a quote.
 * Both routes are ROLE_ADMIN in routes.c; the guard runs first. */
#ifndef WP_AUDIT_PAGES_H
#define WP_AUDIT_PAGES_H

#include "http/http.h"

void audit_page(request *rq, response *rs);
void audit_csv(request *rq, response *rs);

#endif
