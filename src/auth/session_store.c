/* session_store: the SQL of staff sessions and API tokens. See session_store.h. */
#include "auth/session_store.h"
#include "auth/roles.h"
#include "db/db.h"

#include <string.h>

static int finish_one(sqlite3 *db, sqlite3_stmt *st, int rc, const char *what)
{
    int r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (r < 0)
        db_note_error(db, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r;
}

bool session_store_add(sqlite3 *db, const session_row *s)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO staff_session (token_hash, user_id, stage, csrf, created_at, "
                                   "seen_at, agent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, s->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, s->user_id);
    sqlite3_bind_text(st, 3, s->stage, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, s->created_at);
    sqlite3_bind_int64(st, 6, s->seen_at);
    sqlite3_bind_text(st, 7, s->agent ? s->agent : "", -1, SQLITE_STATIC);
    return db_run(db, st, "session add");
}

static void read_session(sqlite3_stmt *st, arena *a, session_row *s)
{
    s->hash = db_col_text(a, st, 0);
    s->user_id = (long)sqlite3_column_int64(st, 1);
    s->stage = db_col_text(a, st, 2);
    s->csrf = db_col_text(a, st, 3);
    s->created_at = sqlite3_column_int64(st, 4);
    s->seen_at = sqlite3_column_int64(st, 5);
    s->agent = db_col_text(a, st, 6);
}

#define SESSION_COLS "token_hash, user_id, stage, csrf, created_at, seen_at, agent"

int session_store_get(sqlite3 *db, arena *a, const char *hash, session_row *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " SESSION_COLS " FROM staff_session WHERE token_hash = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_session(st, a, out);
    return finish_one(db, st, rc, "session get");
}

bool session_store_touch(sqlite3 *db, const char *hash, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE staff_session SET seen_at = ?2 WHERE token_hash = ?1");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    return db_run(db, st, "session touch");
}

bool session_store_delete(sqlite3 *db, const char *hash)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM staff_session WHERE token_hash = ?1");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    return db_run(db, st, "session delete");
}

bool session_store_delete_user(sqlite3 *db, long user_id, const char *keep)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM staff_session WHERE user_id = ?1 AND token_hash IS NOT ?2");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, user_id);
    db_bind_text_or_null(st, 2, keep);
    return db_run(db, st, "session delete user");
}

int session_store_delete_short(sqlite3 *db, long user_id, const char *short_id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM staff_session WHERE user_id = ?1 AND substr(token_hash, 1, 12) = ?2");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, short_id, -1, SQLITE_STATIC);
    if (!db_run(db, st, "session end one"))
        return -1;
    return sqlite3_changes(db) ? 1 : 0;
}

bool session_store_expire(sqlite3 *db, int64_t idle_before, int64_t old_before)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM staff_session WHERE seen_at < ?1 OR created_at < ?2");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, idle_before);
    sqlite3_bind_int64(st, 2, old_before);
    return db_run(db, st, "session expire");
}

int session_store_list(sqlite3 *db, arena *a, long user_id, session_row **out)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT " SESSION_COLS " FROM staff_session WHERE user_id = ?1 ORDER BY seen_at DESC LIMIT 100");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    session_row *list = arena_alloc(a, sizeof(*list) * 100);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_session(st, a, &list[n++]);
    if (finish_one(db, st, rc, "session list") < 0)
        return -1;
    *out = list;
    return n;
}

long token_store_add(sqlite3 *db, const char *name, int role, const char *hash, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO staff_token (name, role, token_hash, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    if (!db_run(db, st, "token add"))
        return -1;
    return sqlite3_changes(db) ? (long)sqlite3_last_insert_rowid(db) : 0;
}

static void read_token(sqlite3_stmt *st, arena *a, token_row *t)
{
    t->id = (long)sqlite3_column_int64(st, 0);
    t->name = db_col_text(a, st, 1);
    t->role = role_parse((const char *)sqlite3_column_text(st, 2));
    t->created_at = sqlite3_column_int64(st, 3);
    t->last_used_at = sqlite3_column_int64(st, 4);
    t->revoked = sqlite3_column_int(st, 5) != 0;
}

#define TOKEN_COLS "id, name, role, created_at, coalesce(last_used_at, 0), revoked"

int token_store_get(sqlite3 *db, arena *a, const char *hash, token_row *out)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT " TOKEN_COLS " FROM staff_token WHERE token_hash = ?1 AND revoked = 0");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_token(st, a, out);
    return finish_one(db, st, rc, "token get");
}

bool token_store_touch(sqlite3 *db, long id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE staff_token SET last_used_at = ?2 WHERE id = ?1");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return db_run(db, st, "token touch");
}

int token_store_revoke(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE staff_token SET revoked = 1 WHERE name = ?1 AND revoked = 0");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (!db_run(db, st, "token revoke"))
        return -1;
    return sqlite3_changes(db) ? 1 : 0;
}

int token_store_list(sqlite3 *db, arena *a, token_row **out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " TOKEN_COLS " FROM staff_token ORDER BY name LIMIT 1000");
    if (!st)
        return -1;
    token_row *list = arena_alloc(a, sizeof(*list) * 1000);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_token(st, a, &list[n++]);
    if (finish_one(db, st, rc, "token list") < 0)
        return -1;
    *out = list;
    return n;
}
