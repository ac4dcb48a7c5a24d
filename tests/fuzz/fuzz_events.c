/* fuzz_events: libFuzzer harness for the daily counts CSV (src/community/
 * events.c) into an in-memory database. Checks: a parse that fails says
 * where ("row N") and returns no rows; a parse that succeeds gives rows
 * whose date, kind and count pass the same checks again; a refused import
 * leaves the table as it was, an accepted one stores exactly its rows. */
#include "community/areas.h"
#include "community/events.h"
#include "db/db.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_db.h"

static long stored(void)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM community_event");
    long n = st && sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    if (st)
        sqlite3_reset(st);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char err[512] = "";
    event_row *rows = NULL;
    size_t n = 0;
    if (!events_parse(text, size, &rows, &n, err, sizeof(err))) {
        if (!strstr(err, "row ") || rows)
            abort();
    } else {
        for (size_t i = 0; i < n; i++)
            if (!events_day_ok(rows[i].day, NULL) || !events_kind_ok(rows[i].kind) || rows[i].count < 0 ||
                rows[i].count > EVENTS_MAX_COUNT || !areas_check(rows[i].area, (char[64]){0}, 64))
                abort();
        free(rows);
    }
    long before = stored();
    events_summary sum;
    bool ok = events_import_text(db, text, size, &sum, NULL, err, sizeof(err));
    long after = stored();
    if (!ok && after != before)
        abort();
    if (ok && after != before + sum.added)
        abort();
    return 0;
}
