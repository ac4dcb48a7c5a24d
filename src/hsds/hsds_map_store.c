/* hsds_map_store: the map index's packed copy (migration 0020), read and
 * written for locator/geo_build.c. See hsds_store.h. */
#include "hsds/hsds_store.h"
#include "core/util.h"
#include "db/db.h"

#include <stdint.h>
#include <stdlib.h>

static const char SQL_MAP_COPY_READ[] =
    "SELECT points FROM dir_map_snapshot WHERE id = 1 AND generation = ?1 AND taxonomy = ?2";
static const char SQL_MAP_COPY_WRITE[] =
    "INSERT INTO dir_map_snapshot(id, generation, taxonomy, points) VALUES (1, ?1, ?2, ?3) "
    "ON CONFLICT(id) DO UPDATE SET generation = excluded.generation, taxonomy = excluded.taxonomy, "
    "points = excluded.points";
static const char SQL_MAP_COPY_LABEL[] = "SELECT generation, taxonomy FROM dir_map_snapshot WHERE id = 1";

/* In one read transaction, so the label checked and the bytes read are
 * the same row's. */
bool hsds_store_map_copy_read(sqlite3 *db, long generation, const char *taxonomy,
                              void (*begin)(void *ctx, size_t len),
                              void (*piece)(void *ctx, const unsigned char *p, size_t n), void *ctx)
{
    enum { PIECE = 256 * 1024 };
    sqlite3_stmt *st = db_stmt(db, SQL_MAP_COPY_READ);
    if (!st || !db_read_begin(db))
        return false;
    sqlite3_bind_int64(st, 1, generation);
    sqlite3_bind_text(st, 2, taxonomy, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    sqlite3_blob *b = NULL;
    bool ok = found && sqlite3_blob_open(db, "main", "dir_map_snapshot", "points", 1, 0, &b) == SQLITE_OK;
    if (ok) {
        int len = sqlite3_blob_bytes(b);
        unsigned char *chunk = xmalloc(PIECE);
        begin(ctx, (size_t)len);
        for (int at = 0; ok && at < len; at += PIECE) {
            int n = len - at < PIECE ? len - at : PIECE;
            ok = sqlite3_blob_read(b, chunk, n, at) == SQLITE_OK;
            if (ok)
                piece(ctx, chunk, (size_t)n);
        }
        free(chunk);
    }
    sqlite3_blob_close(b);
    db_read_end(db);
    return ok;
}

bool hsds_store_map_copy_write(sqlite3 *db, long generation, const char *taxonomy, const unsigned char *blob,
                               size_t len)
{
    sqlite3_stmt *st = db_stmt(db, SQL_MAP_COPY_WRITE);
    if (!st || len > (size_t)INT32_MAX)
        return false;
    sqlite3_bind_int64(st, 1, generation);
    sqlite3_bind_text(st, 2, taxonomy, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, blob, (int)len, SQLITE_STATIC);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

bool hsds_store_map_copy_label(sqlite3 *db, long *generation, char *taxonomy, size_t taxlen)
{
    *generation = -1;
    taxonomy[0] = '\0';
    sqlite3_stmt *st = db_stmt(db, SQL_MAP_COPY_LABEL);
    if (!st)
        return false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *generation = (long)sqlite3_column_int64(st, 0);
        const unsigned char *t = sqlite3_column_text(st, 1);
        str_copy(taxonomy, taxlen, t ? (const char *)t : "");
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}
