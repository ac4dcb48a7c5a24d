/* hsds_export_store: SQL for the HSDS export. See hsds_export_store.h. */
#include "hsds/hsds_export_store.h"
#include "db/db.h"

static const char SQL_SERVICES[] = "SELECT wp_doc(raw) FROM dir_service ORDER BY id";
static const char SQL_TAXONOMIES[] = "SELECT raw FROM dir_taxonomy ORDER BY id";
static const char SQL_TERMS[] = "SELECT raw FROM dir_taxonomy_term ORDER BY id";

static bool walk(sqlite3 *db, const char *sql, const char *what, hsds_export_raw_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    int rc;
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        ok = fn(ctx, t ? (const char *)t : "");
    }
    if (ok && rc != SQLITE_DONE) {
        db_note_error(db, what);
        ok = false;
    }
    sqlite3_reset(st);
    return ok;
}

bool hsds_export_store_services(sqlite3 *db, hsds_export_raw_fn fn, void *ctx)
{
    return walk(db, SQL_SERVICES, "export services", fn, ctx);
}

bool hsds_export_store_taxonomies(sqlite3 *db, hsds_export_raw_fn fn, void *ctx)
{
    return walk(db, SQL_TAXONOMIES, "export taxonomies", fn, ctx);
}

bool hsds_export_store_terms(sqlite3 *db, hsds_export_raw_fn fn, void *ctx)
{
    return walk(db, SQL_TERMS, "export taxonomy terms", fn, ctx);
}
