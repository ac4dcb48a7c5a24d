/* report_store: "report a problem" in SQLite. See report_store.h. */
#include "locator/report_store.h"
#include "db/db.h"

static const char SQL_ADD[] = "INSERT INTO dir_report(service_id, kind, note) VALUES (?1, ?2, ?3)";
static const char SQL_SINCE_ONE[] = "SELECT count(*) FROM dir_report WHERE service_id = ?1 AND created_at >= ?2";
static const char SQL_SINCE_ALL[] = "SELECT count(*) FROM dir_report WHERE created_at >= ?1";

enum report_result report_store_add(sqlite3 *db, const char *service_id, const char *kind, const char *note)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ADD);
    if (!st)
        return REPORT_FAILED;
    db_bind_text_or_null(st, 1, service_id);
    db_bind_text_or_null(st, 2, kind);
    db_bind_text_or_null(st, 3, note ? note : "");
    sqlite3_busy_timeout(db, REPORT_BUSY_MS);
    int rc = sqlite3_step(st);
    sqlite3_busy_timeout(db, DB_BUSY_MS);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE)
        return REPORT_SAVED;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return REPORT_BUSY;
    db_note_error(db, "directory report");
    return REPORT_FAILED;
}

long report_store_count_since(sqlite3 *db, const char *service_id, const char *since)
{
    sqlite3_stmt *st = db_stmt(db, service_id ? SQL_SINCE_ONE : SQL_SINCE_ALL);
    if (!st)
        return -1;
    if (service_id) {
        db_bind_text_or_null(st, 1, service_id);
        db_bind_text_or_null(st, 2, since);
    } else {
        db_bind_text_or_null(st, 1, since);
    }
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}
