/* report_store: community drug reports in SQLite. See report_store.h. */
#include "community/report_store.h"
#include "db/db.h"

static const char SQL_ADD[] = "INSERT INTO community_report (created_at, day, area, sold_as, seemed, effects, note, "
                              "looked, staff) VALUES (?1, ?2, ?3, nullif(?4, ''), nullif(?5, ''), nullif(?6, ''), "
                              "nullif(?7, ''), nullif(?8, ''), ?9)";

bool report_store_save(sqlite3 *db, const report_clean *c, int64_t created_at, long *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ADD);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, created_at);
    db_bind_text_or_null(st, 2, c->day);
    db_bind_text_or_null(st, 3, c->area);
    db_bind_text_or_null(st, 4, c->sold_as);
    db_bind_text_or_null(st, 5, c->seemed);
    db_bind_text_or_null(st, 6, c->effects);
    db_bind_text_or_null(st, 7, c->note);
    db_bind_text_or_null(st, 8, c->looked);
    sqlite3_bind_int(st, 9, c->staff ? 1 : 0);
    bool ok = db_run(db, st, "community report");
    *id = ok ? (long)sqlite3_last_insert_rowid(db) : 0;
    return ok;
}
