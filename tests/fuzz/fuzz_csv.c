/* fuzz_csv: libFuzzer harness for the CSV reader (src/core/csv.c) and the
 * statistics import on top of it (src/stats/stats_import.c), into an
 * in-memory database. Checks: the reader ends with 0 or -1 (and a message
 * on -1), every field is NUL-terminated inside the reader's store, row
 * numbers only grow; a refused import leaves the tables as they were. */
#include "core/csv.h"
#include "db/db.h"
#include "stats/stats_import.h"
#include "stats/stats_store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_db.h"

static void read_all(const char *text, size_t size)
{
    csv_reader r;
    csv_init(&r, text, size);
    long last = 0;
    int rc;
    while ((rc = csv_next_row(&r)) == 1) {
        if (r.row <= last || r.nfields < 1 || r.nfields > CSV_MAX_FIELDS)
            abort();
        last = r.row;
        for (int i = 0; i < r.nfields; i++)
            if (r.fields[i] < r.store.data || r.fields[i] >= r.store.data + r.store.len)
                abort();
    }
    if (rc != 0 && (rc != -1 || !r.error[0]))
        abort();
    csv_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_all((const char *)data, size);
    long before[3] = {stats_store_count(db, "national"), stats_store_count(db, "state"),
                      stats_store_count(db, "longview")};
    stats_summary sum;
    char err[512];
    if (!stats_import_text(db, "fuzz.csv", (const char *)data, size, &sum, err, sizeof(err))) {
        if (!err[0] || before[0] != stats_store_count(db, "national") || before[1] != stats_store_count(db, "state") ||
            before[2] != stats_store_count(db, "longview"))
            abort();
    }
    return 0;
}
