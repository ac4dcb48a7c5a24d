/* hsds_cache: fills in the locator's per-listing cache. See
 * hsds_cache.h. */
#include "hsds/hsds_cache.h"
#include "core/arena.h"
#include "hsds/hsds_store.h"
#include "hsds/hsds_sal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void show(bool progress, long i, long n, bool end)
{
    if (progress && (end || i % 5000 == 0))
        fprintf(stderr, "\r  listing cache: %ld of %ld%s", i, n, end ? "\n" : "");
}

/* One listing: its brief and point (none when its documents cannot be
 * read; the API then builds it the slow way). */
static bool refresh_one(sqlite3 *db, arena *a, uint32_t rowid)
{
    hsds_listing l;
    char *brief = hsds_store_listing(db, a, rowid, &l) ? hsds_sal_brief_text(&l) : NULL;
    bool ok = hsds_store_cache_put(db, rowid, brief, WAYPOST_TAXONOMY_ID);
    free(brief);
    return ok;
}

bool hsds_cache_refresh(sqlite3 *db, bool progress, long *done)
{
    uint32_t *rowids;
    long n = hsds_store_cache_dirty(db, &rowids);
    *done = 0;
    if (n < 0)
        return false;
    progress = progress && n > 0 && isatty(STDERR_FILENO);
    arena a;
    arena_init(&a);
    bool ok = true;
    for (long i = 0; ok && i < n; i++) {
        ok = refresh_one(db, &a, rowids[i]);
        arena_free(&a);
        show(progress, i + 1, n, false);
    }
    show(progress, n, n, true);
    free(rowids);
    /* the points written above, once (hsds_store_generation_bump) */
    if (ok && n > 0)
        ok = hsds_store_generation_bump(db);
    *done = ok ? n : 0;
    return ok;
}
