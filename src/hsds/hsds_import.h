/* hsds_import: HSDS 3.0 JSON into the directory.
 *
 * `waypost import hsds PATH` takes NDJSON (one HSDS service a line; .gz is
 * read too), a JSON array of services, an HSDS API page ({"contents": [...]}),
 * a single service object, or a Waypost taxonomy file ({"taxonomy", "terms",
 * "attributes"}). Every import runs in one transaction: the first invalid
 * record stops it, nothing changes, and the error names the file, the line
 * (or record), the field and what was wrong. Importing the same data again
 * updates in place and reports it unchanged: ids are the records' own. */
#ifndef WP_HSDS_IMPORT_H
#define WP_HSDS_IMPORT_H

#include "hsds/hsds_store.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

enum { HSDS_STEP_RECORDS, HSDS_STEP_SEARCH, HSDS_STEP_CACHE, HSDS_STEP_COMMIT, HSDS_IMPORT_STEPS };

typedef struct hsds_import_counts {
    long added, updated, unchanged, rejected, terms;
    long unmapped; /* locations whose coordinates are missing or impossible: not on the map */
    /* where the time went, wall and CPU seconds: the records (parse,
     * check, write), the listing cache, the commit */
    double wall[HSDS_IMPORT_STEPS], cpu[HSDS_IMPORT_STEPS];
    double writer_cpu; /* of the records step, the writing thread's own */
} hsds_import_counts;

bool hsds_import_path(sqlite3 *db, const char *path, hsds_import_counts *counts, char *err, size_t errlen);
/* Imports from memory; name is used in messages. Exposed for tests. */
bool hsds_import_text(sqlite3 *db, const char *name, const char *text, size_t len, hsds_import_counts *counts,
                     char *err, size_t errlen);
/* The same import in a transaction that is always rolled back: counts
 * say what hsds_import_text would add, update and leave unchanged, err
 * names the first invalid record, and the database is as it was (the
 * staff portal's preview of an upload). */
/* hsds_import_text with hook run inside its transaction once every record
 * is in, just before the commit: false from it rolls the whole import
 * back (the staff portal writes its audit row there, so an import and its
 * record stand or fall together). */
typedef bool (*hsds_import_hook)(sqlite3 *db, const hsds_import_counts *counts, void *ctx);
bool hsds_import_text_then(sqlite3 *db, const char *name, const char *text, size_t len, hsds_import_counts *counts,
                          char *err, size_t errlen, hsds_import_hook hook, void *ctx);
bool hsds_import_text_dry(sqlite3 *db, const char *name, const char *text, size_t len, hsds_import_counts *counts,
                         char *err, size_t errlen);

/* One service document into the directory inside the caller's
 * transaction (the staff portal and API write their audit row in the same
 * one): the checks and writes of an import (dir_* index tables, hsds_*
 * tables), then the listing cache. *result says whether it was added,
 * updated or unchanged. False when the document is refused or the database
 * fails: field gets the path of the first problem ("name",
 * "service_at_locations[0].location.id") and what a sentence; the caller
 * must then roll back. */
bool hsds_import_service(sqlite3 *db, json_t *svc, enum hsds_upsert *result, char *field, size_t fieldlen,
                         char *what, size_t whatlen);

#endif
