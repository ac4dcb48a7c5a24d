/* staff_api: the staff API for automation, with `Authorization: Bearer
 * TOKEN` (an editor's or admin's token, `waypost token add`; the guard
 * checks it before these run):
 *
 *   POST /api/v1/services        body: one HSDS 3.0 service document
 *                                (application/json). 201 created, 200
 *                                replaced (or unchanged), 400 when the
 *                                body is not JSON, 422 naming the field
 *                                ({"error": {..., "field": F}}) when HSDS
 *                                validation fails.
 *   DELETE /api/v1/services/{id} 204 removed, 404 unknown id.
 *
 * Every use writes an audit row (actor "token:NAME"): the change with its
 * before/after, or a refusal with the reason. The public GET API is not
 * touched: these rows only take the methods GET does not. */
#ifndef WP_STAFF_API_H
#define WP_STAFF_API_H

#include "http/http.h"

void staff_api_post_service(request *rq, response *rs);
/* Routed for every method but GET/HEAD/POST; answers 405 unless DELETE. */
void staff_api_delete_service(request *rq, response *rs);

#endif
