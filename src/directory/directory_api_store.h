/* directory_api_store: the SQL behind the HSDS 3.0 API (/api/v1/): counted,
 * paged reads of services, organizations, taxonomies and terms, and the
 * filters of /api/v1/service_at_locations that the geographic index cannot
 * answer (postcode, name search, terms outside the Waypost taxonomy).
 * Every statement is a fixed string prepared through db_stmt; variable
 * lists (term ids) are bound as one JSON array and read with json_each. */
#ifndef WP_DIRECTORY_API_STORE_H
#define WP_DIRECTORY_API_STORE_H

#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* Called with each stored raw JSON text, in order; return false to stop. */
typedef bool (*dapi_raw_fn)(void *ctx, const char *raw);
/* Called with each matching service-at-location rowid, in rowid order. */
typedef bool (*dapi_rowid_fn)(void *ctx, uint32_t rowid);

/* Counts return -1 on a database error; the _each functions false. A limit
 * of -1 means no limit. since is "" or a "YYYY-MM-DD[THH:MM:SSZ]" UTC
 * time: services modified on or after it. */
long dapi_services_count(sqlite3 *db, const char *since);
bool dapi_services_each(sqlite3 *db, const char *since, long offset, long limit, dapi_raw_fn fn, void *ctx);
/* The stored raw JSON of one service, or NULL (also on error). */
const char *dapi_service(sqlite3 *db, arena *a, const char *id);

long dapi_organizations_count(sqlite3 *db);
bool dapi_organizations_each(sqlite3 *db, long offset, long limit, dapi_raw_fn fn, void *ctx);
const char *dapi_organization(sqlite3 *db, arena *a, const char *id);
/* The raw JSON of each service the organization provides, by id. */
bool dapi_organization_services(sqlite3 *db, const char *org_id, dapi_raw_fn fn, void *ctx);

long dapi_taxonomies_count(sqlite3 *db);
bool dapi_taxonomies_each(sqlite3 *db, long offset, long limit, dapi_raw_fn fn, void *ctx);
/* taxonomy_id "" means every taxonomy. */
long dapi_terms_count(sqlite3 *db, const char *taxonomy_id);
bool dapi_terms_each(sqlite3 *db, const char *taxonomy_id, long offset, long limit, dapi_raw_fn fn, void *ctx);
/* A term's code and taxonomy id (arena copies); false when unknown. */
bool dapi_term(sqlite3 *db, arena *a, const char *id, const char **code, const char **taxonomy_id);

/* The rowid of a service-at-location by its HSDS id; 0 when unknown. */
uint32_t dapi_sal_rowid(sqlite3 *db, const char *id);
/* Every service-at-location whose location has this postcode ("" any),
 * whose service name contains search ("" any; ASCII case-insensitive) and
 * whose service links every term id in terms_json (a JSON array of
 * strings, "[]" for none). */
bool dapi_sal_filter(sqlite3 *db, const char *postcode, const char *search, const char *terms_json,
                     dapi_rowid_fn fn, void *ctx);
/* The same test for one rowid: 1 matches, 0 not, -1 on error. */
int dapi_sal_match(sqlite3 *db, uint32_t rowid, const char *postcode, const char *search, const char *terms_json);
/* 1 when the service or location JSON mentions schedules at all (a cheap
 * test before working out "open now"; no schedules means hours unknown,
 * never open), 0 when not, -1 on error. */
int dapi_sal_may_have_hours(sqlite3 *db, uint32_t rowid);

#endif
