/* listings_store: the SQL of the staff listings pages and API: the
 * directory searched and filtered for /staff/listings (by name, source,
 * Waypost code, "not verified in N days"), newest changes first, the
 * sources there are, and one stored service document by id. Writes go
 * through the importer (hsds/hsds_import.h) and hsds_store_delete_service,
 * so they are the same as an import's. Strings are copied into the arena. */
#ifndef WP_LISTINGS_STORE_H
#define WP_LISTINGS_STORE_H

#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>

typedef struct listings_query {
    const char *q;      /* part of the name (any case), or the id; "" for any */
    const char *source; /* the source exactly, or NULL for any */
    const char *code;   /* a Waypost code the service links, or "" for any */
    long stale_days;    /* only services not verified in this many days (assured_date older or none); -1 any */
    int offset, limit;
} listings_query;

typedef struct listings_row {
    const char *id, *name, *organization, *source, *status, *modified_at, *verified_on, *verified_by;
} listings_row;

/* Fills up to max rows, newest change first; returns how many, -1 on a
 * database error; *total is how many match. */
int listings_store_search(sqlite3 *db, arena *a, const listings_query *q, listings_row *rows, int max, long *total);
/* The distinct sources of the stored services, by name; how many, or -1. */
int listings_store_sources(sqlite3 *db, arena *a, const char **out, int max);
/* The stored document of service id in *raw: 1, 0 when there is none,
 * -1 on a database error. */
int listings_store_doc(sqlite3 *db, arena *a, const char *id, const char **raw);

#endif
