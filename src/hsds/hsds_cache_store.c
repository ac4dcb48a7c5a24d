/* hsds_cache_store: SQL for the listing cache (dir_sal_brief,
 * dir_sal_point, the dirty list and the generation; migrations 0006,
 * 0018, 0032, 0033). Its functions are declared in hsds_store.h. */
#include "core/util.h"
#include "db/brief_zip.h"
#include "db/db.h"
#include "hsds/hsds_store.h"
#include "hsds/hsds_store_run.h"

#include <stdlib.h>

static const char SQL_POINTS[] = "SELECT sal_rowid, latitude, longitude, codes FROM dir_sal_point";
static const char SQL_POINTS_BOUND[] = "SELECT coalesce(max(sal_rowid), 0) FROM dir_sal_point";
static const char SQL_CACHE_DIRTY[] = "SELECT sal_rowid FROM dir_sal_dirty ORDER BY sal_rowid";
static const char SQL_CLEAR_POINT[] = "DELETE FROM dir_sal_point WHERE sal_rowid = ?1";
static const char SQL_CLEAR_DIRTY[] = "DELETE FROM dir_sal_dirty WHERE sal_rowid = ?1";
static const char SQL_PUT_BRIEF[] = "INSERT OR REPLACE INTO dir_sal_brief(sal_rowid, brief) VALUES (?1, ?2)";
/* The codes in code order, found from the service's own links (CROSS JOIN
 * keeps that order of search: by the taxonomy's terms first, it was one
 * index search per term of the taxonomy for every listing). */
static const char SQL_POINT_OF[] =
    "SELECT l.latitude, l.longitude, coalesce((SELECT group_concat(code) FROM (SELECT t.code "
    " FROM dir_service_term st CROSS JOIN dir_taxonomy_term t ON t.rowid = st.term_rowid "
    " WHERE st.service_rowid = sal.service_rowid AND t.taxonomy_id = ?2 ORDER BY t.code)), '') "
    "FROM dir_service_at_location sal JOIN dir_location l ON l.rowid = sal.location_rowid "
    "JOIN dir_service s ON s.rowid = sal.service_rowid "
    "WHERE sal.rowid = ?1 AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL AND s.status = 'active'";
/* found first, then written: an insert from a SELECT runs with a
 * statement journal (migration 0033) */
static const char SQL_PUT_POINT[] =
    "INSERT OR REPLACE INTO dir_sal_point(sal_rowid, latitude, longitude, codes) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_BRIEF[] = "SELECT brief FROM dir_sal_brief WHERE sal_rowid = ?1";
static const char SQL_GENERATION_BUMP[] = "UPDATE dir_generation SET n = n + 1 WHERE id = 1";

bool hsds_store_each_point(sqlite3 *db, hsds_point_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, SQL_POINTS);
    if (!st)
        return false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *codes = sqlite3_column_text(st, 3);
        fn(ctx, (uint32_t)sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1), sqlite3_column_double(st, 2),
           codes ? (const char *)codes : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "directory points");
        return false;
    }
    return true;
}

long long hsds_store_points_bound(sqlite3 *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_POINTS_BOUND);
    if (!st)
        return 0;
    long long n = sqlite3_step(st) == SQLITE_ROW ? (long long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

long hsds_store_cache_dirty(sqlite3 *db, uint32_t **rowids)
{
    *rowids = NULL;
    sqlite3_stmt *st = db_stmt(db, SQL_CACHE_DIRTY);
    if (!st)
        return -1;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            *rowids = xrealloc(*rowids, cap * sizeof(uint32_t));
        }
        (*rowids)[n++] = (uint32_t)sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "directory cache");
        free(*rowids);
        *rowids = NULL;
        return -1;
    }
    return (long)n;
}

/* Writes a listing's point. */
static bool put_point(sqlite3 *db, uint32_t sal_rowid, const hsds_point_row *point)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_POINT);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, sal_rowid);
    sqlite3_bind_double(st, 2, point->latitude);
    sqlite3_bind_double(st, 3, point->longitude);
    db_bind_text_or_null(st, 4, point->codes);
    return db_run(db, st, "directory cache");
}

/* Writes a listing's brief and the point its rows give (SQL_POINT_OF). */
static bool put_brief(sqlite3 *db, uint32_t sal_rowid, hsds_doc brief, const char *waypost_taxonomy_id)
{
    sqlite3_stmt *of;
    if (!hsds_run_doc(db, SQL_PUT_BRIEF, sal_rowid, brief, 0, "directory cache") || !(of = db_stmt(db, SQL_POINT_OF)))
        return false;
    sqlite3_bind_int64(of, 1, sal_rowid);
    db_bind_text_or_null(of, 2, waypost_taxonomy_id);
    int rc = sqlite3_step(of);
    bool ok = rc == SQLITE_DONE;
    if (rc == SQLITE_ROW) {
        hsds_point_row pt = {sqlite3_column_double(of, 0), sqlite3_column_double(of, 1),
                             (const char *)sqlite3_column_text(of, 2)};
        ok = put_point(db, sal_rowid, &pt); /* before the reset: pt.codes is the row's */
    } else if (!ok) {
        db_note_error(db, "directory cache");
    }
    sqlite3_reset(of);
    sqlite3_clear_bindings(of);
    return ok;
}

bool hsds_store_cache_put_stored(sqlite3 *db, uint32_t sal_rowid, const char *brief, const buf *stored,
                                 const char *waypost_taxonomy_id, bool fresh)
{
    return (fresh || hsds_run_row(db, SQL_CLEAR_POINT, sal_rowid, "directory cache")) &&
           (!brief || put_brief(db, sal_rowid, (hsds_doc){brief, stored, false}, waypost_taxonomy_id)) &&
           (fresh || hsds_run_row(db, SQL_CLEAR_DIRTY, sal_rowid, "directory cache"));
}

bool hsds_store_cache_put_point(sqlite3 *db, uint32_t sal_rowid, const char *brief, const buf *stored,
                                const hsds_point_row *point, bool fresh)
{
    if (!fresh && !hsds_run_row(db, SQL_CLEAR_POINT, sal_rowid, "directory cache"))
        return false;
    if (brief && !hsds_run_doc(db, SQL_PUT_BRIEF, sal_rowid, (hsds_doc){brief, stored, false}, 0, "directory cache"))
        return false;
    if (brief && point && !put_point(db, sal_rowid, point))
        return false;
    return fresh || hsds_run_row(db, SQL_CLEAR_DIRTY, sal_rowid, "directory cache");
}

bool hsds_store_generation_bump(sqlite3 *db)
{
    return hsds_run_plain(db, SQL_GENERATION_BUMP, "directory cache");
}

bool hsds_store_cache_put(sqlite3 *db, uint32_t sal_rowid, const char *brief, const char *waypost_taxonomy_id)
{
    return hsds_store_cache_put_stored(db, sal_rowid, brief, NULL, waypost_taxonomy_id, false);
}

int hsds_store_brief_into(sqlite3 *db, uint32_t sal_rowid, buf *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_BRIEF);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, sal_rowid);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        const void *t = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        if (t && sqlite3_column_type(st, 0) == SQLITE_BLOB)
            found = brief_unzip_into(t, (size_t)n, out);
        else if (t && n > 2)
            found = buf_append(out, t, (size_t)n);
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "directory cache");
        found = -1;
    }
    sqlite3_reset(st);
    return found;
}
