/* locator_api_store: the SQL behind the HSDS 3.0 API (/api/v1/): counted,
 * paged reads of services, organizations, taxonomies and terms, and the
 * filters of /api/v1/service_at_locations that the geographic index cannot
 * answer (postcode, name search, terms outside the Waypost taxonomy).
 * Every statement is a fixed string prepared through db_stmt; variable
 * lists (term ids) are bound as one JSON array and read with json_each;
 * an empty string parameter means "no narrowing". Search is a plain
 * case-insensitive substring match (ASCII case folding). */
#ifndef WP_LOCATOR_API_STORE_H
#define WP_LOCATOR_API_STORE_H

#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* Called with each stored raw JSON text, in order; return false to stop. */
typedef bool (*api_store_raw_fn)(void *ctx, const char *raw);
/* Called with each matching service-at-location rowid, in rowid order. */
typedef bool (*api_store_rowid_fn)(void *ctx, uint32_t rowid);

/* What a list of services or service-at-locations is narrowed to; ""
 * (or "[]" for terms_json) means no narrowing. */
typedef struct api_store_filter {
    const char *since;           /* "YYYY-MM-DD[THH:MM:SSZ]" UTC: modified on or after */
    const char *search;          /* in the service's name, alternate name or description */
    const char *organization_id; /* provided by this organization */
    const char *taxonomy_id;     /* links some term of this taxonomy */
    const char *terms_json;      /* links every term id of this JSON array */
    const char *postcode;        /* at a location with this ZIP (service_at_locations) */
} api_store_filter;

/* A list read one row at a time (a streamed answer, http/stream.h): the
 * _rows functions prepare and bind the statement of the matching _each
 * (offset 0, no limit) on db and return false when it cannot be prepared.
 * The filter's strings are bound without copies: they must outlive the
 * cursor. A cursor holds db's cached statement until api_store_rows_close,
 * so db must not run the same list meanwhile (a stream's own connection). */
typedef struct api_store_rows {
    sqlite3 *db;
    sqlite3_stmt *st;
} api_store_rows;
/* 1 with the row's column 0 in *raw (text, valid until the next call) or
 * *rowid (api_store_sal_rows), 0 after the last row, -1 on a database
 * error. */
int api_store_rows_next(api_store_rows *r, const char **raw, uint32_t *rowid);
/* Resets the statement (any time; twice is harmless). */
void api_store_rows_close(api_store_rows *r);

/* Counts return -1 on a database error; the _each functions false. A limit
 * of -1 means no limit. */
long api_store_services_count(sqlite3 *db, const api_store_filter *f);
/* Each service's raw JSON; with minimal, {"id", "last_modified"} only. */
bool api_store_services_each(sqlite3 *db, const api_store_filter *f, bool minimal, long offset, long limit, api_store_raw_fn fn,
                        void *ctx);
bool api_store_services_rows(sqlite3 *db, const api_store_filter *f, bool minimal, api_store_rows *r);
/* True when f is a search and nothing else (what the search cache keeps). */
bool api_store_only_search(const api_store_filter *f);
/* The rowids of every service matching search (a search alone), in id
 * order, the first max of them into out: their number (more than max when
 * there are more), or -1 on a database error. */
long api_store_search_rowids(sqlite3 *db, const char *search, uint32_t *out, long max);
/* The raw JSON (with minimal, {"id", "last_modified"}) of the services with
 * these rowids, in this order; a rowid no longer there is skipped. */
bool api_store_services_rowids(sqlite3 *db, const uint32_t *ids, size_t n, bool minimal, api_store_raw_fn fn, void *ctx);
/* PRAGMA data_version of db: it moves when another connection commits. */
bool api_store_data_version(sqlite3 *db, int64_t *version);
/* The stored raw JSON of one service, or NULL (also on error). */
const char *api_store_service(sqlite3 *db, arena *a, const char *id, bool *failed);

/* search: in the organization's name, alternate name or description. */
long api_store_organizations_count(sqlite3 *db, const char *search);
bool api_store_organizations_each(sqlite3 *db, const char *search, long offset, long limit, api_store_raw_fn fn, void *ctx);
bool api_store_organizations_rows(sqlite3 *db, const char *search, api_store_rows *r);
const char *api_store_organization(sqlite3 *db, arena *a, const char *id, bool *failed);
/* The raw JSON of each service the organization provides, by id. */
bool api_store_organization_services(sqlite3 *db, const char *org_id, api_store_raw_fn fn, void *ctx);

/* search: in the taxonomy's name or description. */
long api_store_taxonomies_count(sqlite3 *db, const char *search);
bool api_store_taxonomies_each(sqlite3 *db, const char *search, long offset, long limit, api_store_raw_fn fn, void *ctx);
bool api_store_taxonomies_rows(sqlite3 *db, const char *search, api_store_rows *r);
const char *api_store_taxonomy(sqlite3 *db, arena *a, const char *id, bool *failed);

/* Which taxonomy terms a list gives; "" means any. */
typedef struct api_store_term_filter {
    const char *taxonomy_id;
    const char *search; /* in the term's name, code or description */
    const char *parent_id;
    bool top_only; /* only terms without a parent */
} api_store_term_filter;
long api_store_terms_count(sqlite3 *db, const api_store_term_filter *f);
bool api_store_terms_each(sqlite3 *db, const api_store_term_filter *f, long offset, long limit, api_store_raw_fn fn, void *ctx);
bool api_store_terms_rows(sqlite3 *db, const api_store_term_filter *f, api_store_rows *r);
const char *api_store_term_raw(sqlite3 *db, arena *a, const char *id, bool *failed);
/* A term's code and taxonomy id (arena copies); false when unknown, and
 * then *failed says whether the database could not be read. */
bool api_store_term(sqlite3 *db, arena *a, const char *id, const char **code, const char **taxonomy_id,
                    bool *failed);
/* Whether a taxonomy (by id) is known: 1, 0, -1 on error. */
int api_store_taxonomy_known(sqlite3 *db, const char *id);

/* The rowid of a service-at-location by its HSDS id; 0 when unknown. */
uint32_t api_store_sal_rowid(sqlite3 *db, const char *id, bool *failed);
/* Every service-at-location whose service and location pass the filter,
 * in rowid order. */
bool api_store_sal_filter(sqlite3 *db, const api_store_filter *f, api_store_rowid_fn fn, void *ctx);
/* The same list as api_store_sal_filter, row by row (rowids). */
bool api_store_sal_rows(sqlite3 *db, const api_store_filter *f, api_store_rows *r);
/* The same test for one rowid: 1 matches, 0 not, -1 on error. */
int api_store_sal_match(sqlite3 *db, uint32_t rowid, const api_store_filter *f);
/* 1 when the service or location JSON mentions schedules at all (a cheap
 * test before working out "open now"; no schedules means hours unknown,
 * never open), 0 when not, -1 on error. */
int api_store_sal_may_have_hours(sqlite3 *db, uint32_t rowid);

#endif
