/* fuzz_import: libFuzzer harness for the HSDS importer
 * (src/hsds/hsds_import.c with hsds_tables.c and
 * listing_cache.c): the input is an HSDS JSON or NDJSON file. Checks: a
 * refusal always has a message and leaves the database as it was (the
 * service count does not move); an accepted file leaves no listing on the
 * cache's dirty list and the search index caught up (every service in it,
 * nothing pending). One in-memory database serves every input, so later
 * inputs meet what earlier ones stored (re-imports, shared ids). */
#include "db/db.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_db.h"

static long scalar(const char *sql)
{
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long before = hsds_store_count_services(db);
    char err[512] = "";
    hsds_import_counts c;
    bool ok = hsds_import_text(db, "fuzz.json", (const char *)data, size, &c, err, sizeof(err));
    if (!ok) {
        if (!err[0] || hsds_store_count_services(db) != before)
            abort();
        return 0;
    }
    uint32_t *missing = NULL;
    long n = hsds_store_cache_dirty(db, &missing);
    free(missing);
    if (n != 0) /* an accepted import leaves no listing with a stale cache */
        abort();
    /* ... and the services' search index caught up: the index agrees
     * with the services' text (FTS5's integrity-check with rank 1 compares
     * the two; since migration 0025 the index keeps no copy of its own), the deferral
     * over (migration 0019) */
    if (scalar("SELECT count(*) FROM dir_fts_pending") != 0 || scalar("SELECT deferring FROM dir_fts_defer") != 0 ||
        sqlite3_exec(db, "INSERT INTO dir_service_fts(dir_service_fts, rank) VALUES ('integrity-check', 1)", NULL, NULL,
                     NULL) != SQLITE_OK)
        abort();
    return 0;
}
