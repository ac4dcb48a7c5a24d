/* directory_api_store: the SQL behind the HSDS 3.0 API (/api/v1/): counted,
 * paged reads of services, organizations, taxonomies and terms, and the
 * filters of /api/v1/service_at_locations that the geographic index cannot
 * answer (postcode, name search, terms outside the Waypost taxonomy).
 * Every statement is a fixed string prepared through db_stmt; variable
 * lists (term ids) are bound as one JSON array and read with json_each;
 * an empty string parameter means "no narrowing". Search is a plain
 * case-insensitive substring match (ASCII case folding). */
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

/* What a list of services or service-at-locations is narrowed to; ""
 * (or "[]" for terms_json) means no narrowing. */
typedef struct dapi_filter {
    const char *since;           /* "YYYY-MM-DD[THH:MM:SSZ]" UTC: modified on or after */
    const char *search;          /* in the service's name, alternate name or description */
    const char *organization_id; /* provided by this organization */
    const char *taxonomy_id;     /* links some term of this taxonomy */
    const char *terms_json;      /* links every term id of this JSON array */
    const char *postcode;        /* at a location with this ZIP (service_at_locations) */
} dapi_filter;

/* Counts return -1 on a database error; the _each functions false. A limit
 * of -1 means no limit. */
long dapi_services_count(sqlite3 *db, const dapi_filter *f);
/* Each service's raw JSON; with minimal, {"id", "last_modified"} only. */
bool dapi_services_each(sqlite3 *db, const dapi_filter *f, bool minimal, long offset, long limit, dapi_raw_fn fn,
                        void *ctx);
/* The stored raw JSON of one service, or NULL (also on error). */
const char *dapi_service(sqlite3 *db, arena *a, const char *id);

/* search: in the organization's name, alternate name or description. */
long dapi_organizations_count(sqlite3 *db, const char *search);
bool dapi_organizations_each(sqlite3 *db, const char *search, long offset, long limit, dapi_raw_fn fn, void *ctx);
const char *dapi_organization(sqlite3 *db, arena *a, const char *id);
/* The raw JSON of each service the organization provides, by id. */
bool dapi_organization_services(sqlite3 *db, const char *org_id, dapi_raw_fn fn, void *ctx);

/* search: in the taxonomy's name or description. */
long dapi_taxonomies_count(sqlite3 *db, const char *search);
bool dapi_taxonomies_each(sqlite3 *db, const char *search, long offset, long limit, dapi_raw_fn fn, void *ctx);
const char *dapi_taxonomy(sqlite3 *db, arena *a, const char *id);

/* Which taxonomy terms a list gives; "" means any. */
typedef struct dapi_term_filter {
    const char *taxonomy_id;
    const char *search; /* in the term's name, code or description */
    const char *parent_id;
    bool top_only; /* only terms without a parent */
} dapi_term_filter;
long dapi_terms_count(sqlite3 *db, const dapi_term_filter *f);
bool dapi_terms_each(sqlite3 *db, const dapi_term_filter *f, long offset, long limit, dapi_raw_fn fn, void *ctx);
const char *dapi_term_raw(sqlite3 *db, arena *a, const char *id);
/* A term's code and taxonomy id (arena copies); false when unknown. */
bool dapi_term(sqlite3 *db, arena *a, const char *id, const char **code, const char **taxonomy_id);
/* Whether a taxonomy (by id) is known: 1, 0, -1 on error. */
int dapi_taxonomy_known(sqlite3 *db, const char *id);

/* The rowid of a service-at-location by its HSDS id; 0 when unknown. */
uint32_t dapi_sal_rowid(sqlite3 *db, const char *id);
/* Every service-at-location whose service and location pass the filter,
 * in rowid order. */
bool dapi_sal_filter(sqlite3 *db, const dapi_filter *f, dapi_rowid_fn fn, void *ctx);
/* The same test for one rowid: 1 matches, 0 not, -1 on error. */
int dapi_sal_match(sqlite3 *db, uint32_t rowid, const dapi_filter *f);
/* 1 when the service or location JSON mentions schedules at all (a cheap
 * test before working out "open now"; no schedules means hours unknown,
 * never open), 0 when not, -1 on error. */
int dapi_sal_may_have_hours(sqlite3 *db, uint32_t rowid);

#endif
