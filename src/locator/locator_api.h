/* locator_api: the HSDS 3.0 API under /api/v1/ (Open Referral's
 * "Human Services Data API"): services, organizations,
 * service_at_locations (with postcode, proximity, lat/lon, taxonomy term,
 * open-now and name filters, nearest first), taxonomies, taxonomy terms,
 * and the API's own OpenAPI description (data_dir/openapi.json). Lists are
 * HSDS pages ({"total_items", "total_pages", "page_number", "size",
 * "first_page", "last_page", "empty", "contents"}) or, with format=ndjson,
 * one object a line. Errors are JSON (api_error); a bad parameter is a 400
 * naming it in "parameter". */
#ifndef WP_LOCATOR_API_H
#define WP_LOCATOR_API_H

#include "http/http.h"

#include <stdbool.h>
#include <stddef.h>

void api_root(request *rq, response *rs);
void api_openapi(request *rq, response *rs);
void api_services(request *rq, response *rs);
void api_service(request *rq, response *rs);
void api_organizations(request *rq, response *rs);
void api_organization(request *rq, response *rs);
void api_service_at_locations(request *rq, response *rs);
void api_service_at_location(request *rq, response *rs);
void api_taxonomies(request *rq, response *rs);
void api_taxonomy(request *rq, response *rs);
void api_taxonomy_terms(request *rq, response *rs);
void api_taxonomy_term(request *rq, response *rs);

/* Reads data_dir/openapi.json for api_openapi (optional: the handler loads
 * it from rq->cfg->data_dir at its first request otherwise).
 * Thread-safe; false with a reason in err when it cannot be read. */
bool locator_api_load_openapi(const char *data_dir, char *err, size_t errlen);
/* Frees the loaded document (at shutdown). */
void locator_api_free(void);

#endif
