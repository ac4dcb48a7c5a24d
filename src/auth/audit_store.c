/* audit_store: the SQL of the staff audit log. See audit_store.h. */
#include "auth/audit_store.h"
#include "core/util.h"
#include "db/db.h"

#include <string.h>

bool audit_store_open(sqlite3 *db, bool own)
{
    if (own)
        return db_begin(db);
    sqlite3_stmt *st = db_stmt(db, "SAVEPOINT audit_write");
    return st && db_run(db, st, "audit savepoint");
}

bool audit_store_close(sqlite3 *db, bool own, bool ok)
{
    if (own) {
        if (ok && db_commit(db))
            return true;
        db_rollback(db);
        return false;
    }
    if (!ok) {
        sqlite3_stmt *back = db_stmt(db, "ROLLBACK TO audit_write");
        if (back)
            db_run(db, back, "audit rollback to savepoint");
    }
    sqlite3_stmt *rel = db_stmt(db, "RELEASE audit_write");
    bool released = rel && db_run(db, rel, "audit release savepoint");
    return ok && released;
}

bool audit_store_last_hash(sqlite3 *db, char out[65])
{
    out[0] = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT hash FROM staff_audit ORDER BY id DESC LIMIT 1");
    if (!st)
        return false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(st, 0);
        str_copy(out, 65, h ? h : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_note_error(db, "audit last hash");
        return false;
    }
    return true;
}

bool audit_store_insert(sqlite3 *db, const audit_row *r)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO staff_audit (at, actor, session, action, target, before, after, "
                                   "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, r->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->session, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->target, -1, SQLITE_STATIC);
    db_bind_text_or_null(st, 6, r->before);
    db_bind_text_or_null(st, 7, r->after);
    sqlite3_bind_text(st, 8, r->prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->hash, -1, SQLITE_STATIC);
    return db_run(db, st, "audit insert");
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

/* Steps st (columns as in ROW_COLUMNS) through fn; resets it. */
#define ROW_COLUMNS "id, at, actor, session, action, target, before, after, prev_hash, hash"
static bool each_row(sqlite3 *db, sqlite3_stmt *st, audit_row_fn fn, void *ctx, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        audit_row r = {
            .id = (long)sqlite3_column_int64(st, 0),
            .at = col(st, 1),
            .actor = col(st, 2),
            .session = col(st, 3),
            .action = col(st, 4),
            .target = col(st, 5),
            .before = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : col(st, 6),
            .after = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL : col(st, 7),
            .prev_hash = col(st, 8),
            .hash = col(st, 9),
        };
        if (!fn(&r, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, what);
        return false;
    }
    return true;
}

bool audit_store_walk(sqlite3 *db, audit_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ROW_COLUMNS " FROM staff_audit ORDER BY id");
    return st && each_row(db, st, fn, ctx, "audit walk");
}

long audit_store_count_all(sqlite3 *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM staff_audit");
    if (!st)
        return -1;
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

/* The filter's WHERE clause; its values are ?1 to ?5 (bind_filter). The
 * last day is included: "to" 2026-12-04 keeps rows before 2026-12-05. */
#define FILTER_WHERE                                                                                           \
    " WHERE (?1 = '' OR instr(lower(actor), lower(?1)) > 0) AND (?2 = '' OR action = ?2)"                     \
    " AND (?3 = '' OR instr(lower(target), lower(?3)) > 0) AND (?4 = '' OR at >= ?4)"                          \
    " AND (?5 = '' OR at < date(?5, '+1 day'))"

static void bind_filter(sqlite3_stmt *st, const audit_filter *f)
{
    const char *v[5] = {f->actor, f->action, f->target, f->from, f->to};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 1, v[i] ? v[i] : "", -1, SQLITE_STATIC);
}

bool audit_store_list(sqlite3 *db, const audit_filter *f, long offset, long limit, audit_row_fn fn, void *ctx)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT " ROW_COLUMNS " FROM staff_audit" FILTER_WHERE " ORDER BY id DESC LIMIT ?6 OFFSET ?7");
    if (!st)
        return false;
    bind_filter(st, f);
    sqlite3_bind_int64(st, 6, limit);
    sqlite3_bind_int64(st, 7, offset);
    return each_row(db, st, fn, ctx, "audit list");
}

long audit_store_count(sqlite3 *db, const audit_filter *f)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM staff_audit" FILTER_WHERE);
    if (!st)
        return -1;
    bind_filter(st, f);
    long n = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    else
        db_note_error(db, "audit count");
    sqlite3_reset(st);
    return n;
}

bool audit_store_actions(sqlite3 *db, audit_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT DISTINCT action FROM staff_audit ORDER BY action");
    if (!st)
        return false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        audit_row r = {.action = col(st, 0)};
        if (!fn(&r, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "audit actions");
        return false;
    }
    return true;
}
