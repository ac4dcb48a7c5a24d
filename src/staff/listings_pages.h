/* listings_pages: the directory in the staff portal.
 *
 *   GET  /staff/listings              search and filter (q, source, code,
 *                                     stale = not verified in N days, page),
 *                                     newest changes first (moderator+)
 *   GET  /staff/listings/new          an empty form (editor+)
 *   POST /staff/listings/new          creates a service with a new UUID
 *   GET  /staff/listings/:id          the form for a stored service
 *                                     (moderator+: read-only below editor)
 *   POST /staff/listings/:id          saves it (editor+)
 *   POST /staff/listings/:id/delete   removes it, with a confirm box (editor+)
 *
 * A save writes what an import writes, with its audit row, in one
 * transaction (staff/listings.h), then answers 303 to the form with
 * "Saved"; bad input gets the form back with 422 and each problem named at
 * its field. The forms carry the hidden csrf field the guard checks. */
#ifndef WP_LISTINGS_PAGES_H
#define WP_LISTINGS_PAGES_H

#include "http/http.h"

void listings_index(request *rq, response *rs);
void listings_new(request *rq, response *rs);
void listings_edit(request *rq, response *rs);
void listings_remove(request *rq, response *rs);

#endif
