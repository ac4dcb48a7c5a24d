/* mail_store: SQL of the "by mail" listings. See mail_store.h. */
#include "locator/mail_store.h"
#include "db/db.h"

static const char SQL_BY_TERM[] =
    "SELECT wp_id_text(s.id), wp_doc(s.raw) FROM dir_taxonomy_term t JOIN dir_service_term st ON st.term_rowid = t.rowid "
    "JOIN dir_service s ON s.rowid = st.service_rowid "
    "WHERE t.taxonomy_id = ?1 AND t.code = ?2 AND s.status = 'active' ORDER BY s.name, s.id";

bool mail_store_each(sqlite3 *db, const char *taxonomy_id, const char *code, mail_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, SQL_BY_TERM);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, taxonomy_id);
    db_bind_text_or_null(st, 2, code);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0), *raw = (const char *)sqlite3_column_text(st, 1);
        if (id && raw && !fn(ctx, id, raw)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        db_note_error(db, "mail listings");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE;
}
