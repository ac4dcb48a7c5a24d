/* user_store: the SQL of staff accounts. See user_store.h. */
#include "auth/user_store.h"
#include "auth/roles.h"
#include "db/db.h"

#include <string.h>

#define USER_COLS                                                                                            \
    "id, email, name, role, password_hash, disabled, totp_secret, totp_pending, totp_last_step, created_at, " \
    "coalesce(last_login_at, 0), failed_unseen"

static void blob(sqlite3_stmt *st, int i, unsigned char *out, size_t *len)
{
    int n = sqlite3_column_bytes(st, i);
    const void *p = sqlite3_column_blob(st, i);
    *len = 0;
    if (p && n > 0 && n <= TOTP_KEY_MAX) {
        memcpy(out, p, (size_t)n);
        *len = (size_t)n;
    }
}

static void read_user(sqlite3_stmt *st, arena *a, staff_user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = (long)sqlite3_column_int64(st, 0);
    u->email = db_col_text(a, st, 1);
    u->name = db_col_text(a, st, 2);
    u->role = role_parse((const char *)sqlite3_column_text(st, 3));
    u->password_hash = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : db_col_text(a, st, 4);
    u->disabled = sqlite3_column_int(st, 5) != 0;
    blob(st, 6, u->totp, &u->totp_len);
    blob(st, 7, u->pending, &u->pending_len);
    u->totp_last_step = sqlite3_column_int64(st, 8);
    u->created_at = sqlite3_column_int64(st, 9);
    u->last_login_at = sqlite3_column_int64(st, 10);
    u->failed_unseen = (long)sqlite3_column_int64(st, 11);
}

/* Steps st for one row into *u: 1, 0 or -1. */
static int one_user(sqlite3 *db, sqlite3_stmt *st, arena *a, staff_user *u, const char *what)
{
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (r == 1)
        read_user(st, a, u);
    if (r < 0)
        db_note_error(db, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r;
}

int user_store_by_email(sqlite3 *db, arena *a, const char *email, staff_user *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " USER_COLS " FROM staff_user WHERE email = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
    return one_user(db, st, a, out, "user by email");
}

int user_store_by_id(sqlite3 *db, arena *a, long id, staff_user *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " USER_COLS " FROM staff_user WHERE id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return one_user(db, st, a, out, "user by id");
}

int user_store_list(sqlite3 *db, arena *a, staff_user **out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " USER_COLS " FROM staff_user ORDER BY email");
    if (!st)
        return -1;
    int n = 0, cap = 16, rc;
    staff_user *list = arena_alloc(a, sizeof(*list) * (size_t)cap);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            staff_user *more = arena_alloc(a, sizeof(*list) * (size_t)cap * 2);
            memcpy(more, list, sizeof(*list) * (size_t)n);
            list = more;
            cap *= 2;
        }
        read_user(st, a, &list[n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "user list");
        return -1;
    }
    *out = list;
    return n;
}

long user_store_add(sqlite3 *db, const char *email, const char *name, int role, const char *hash, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO staff_user (email, name, role, password_hash, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (email) DO NOTHING");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name ? name : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role_name(role), -1, SQLITE_STATIC);
    db_bind_text_or_null(st, 4, hash);
    sqlite3_bind_int64(st, 5, now);
    if (!db_run(db, st, "user add"))
        return -1;
    return sqlite3_changes(db) ? (long)sqlite3_last_insert_rowid(db) : 0;
}

static bool set_text(sqlite3 *db, sqlite3_stmt *st, long id, const char *value, const char *what)
{
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, value);
    sqlite3_bind_int64(st, 2, id);
    return db_run(db, st, what);
}

static bool set_int(sqlite3 *db, sqlite3_stmt *st, long id, int64_t value, const char *what)
{
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, value);
    sqlite3_bind_int64(st, 2, id);
    return db_run(db, st, what);
}

static bool set_blob(sqlite3 *db, sqlite3_stmt *st, long id, const unsigned char *key, size_t len, const char *what)
{
    if (!st)
        return false;
    if (len)
        sqlite3_bind_blob(st, 1, key, (int)len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_int64(st, 2, id);
    return db_run(db, st, what);
}

bool user_store_set_password(sqlite3 *db, long id, const char *hash)
{
    return set_text(db, db_stmt(db, "UPDATE staff_user SET password_hash = ?1 WHERE id = ?2"), id, hash,
                    "user password");
}

bool user_store_set_role(sqlite3 *db, long id, int role)
{
    return set_text(db, db_stmt(db, "UPDATE staff_user SET role = ?1 WHERE id = ?2"), id, role_name(role),
                    "user role");
}

bool user_store_set_disabled(sqlite3 *db, long id, bool disabled)
{
    return set_int(db, db_stmt(db, "UPDATE staff_user SET disabled = ?1 WHERE id = ?2"), id, disabled,
                   "user disabled");
}

bool user_store_set_totp(sqlite3 *db, long id, const unsigned char *key, size_t len)
{
    return set_blob(db, db_stmt(db, "UPDATE staff_user SET totp_secret = ?1, totp_pending = NULL WHERE id = ?2"), id,
                    key, len, "user totp");
}

bool user_store_set_pending(sqlite3 *db, long id, const unsigned char *key, size_t len)
{
    return set_blob(db, db_stmt(db, "UPDATE staff_user SET totp_pending = ?1 WHERE id = ?2"), id, key, len,
                    "user totp pending");
}

bool user_store_set_step(sqlite3 *db, long id, int64_t step)
{
    return set_int(db, db_stmt(db, "UPDATE staff_user SET totp_last_step = ?1 WHERE id = ?2"), id, step,
                   "user totp step");
}

bool user_store_login_ok(sqlite3 *db, long id, int64_t now)
{
    return set_int(db, db_stmt(db, "UPDATE staff_user SET last_login_at = ?1 WHERE id = ?2"), id, now, "user login");
}

long user_store_take_failures(sqlite3 *db, long id)
{
    sqlite3_stmt *get = db_stmt(db, "SELECT failed_unseen FROM staff_user WHERE id = ?1");
    sqlite3_stmt *clear = db_stmt(db, "UPDATE staff_user SET failed_unseen = 0 WHERE id = ?1 AND failed_unseen > 0");
    if (!get || !clear)
        return -1;
    sqlite3_bind_int64(get, 1, id);
    int rc = sqlite3_step(get);
    long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(get, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(get);
    sqlite3_clear_bindings(get);
    if (n <= 0)
        return n;
    sqlite3_bind_int64(clear, 1, id);
    return db_run(db, clear, "take failures") ? n : -1;
}

bool user_store_note_failure(sqlite3 *db, const char *email, int64_t now)
{
    sqlite3_stmt *a = db_stmt(db, "INSERT INTO staff_login_failure (email, at) VALUES (?1, ?2)");
    sqlite3_stmt *b = db_stmt(db, "UPDATE staff_user SET failed_unseen = failed_unseen + 1 WHERE email = ?1");
    if (!a || !b)
        return false;
    sqlite3_bind_text(a, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_int64(a, 2, now);
    sqlite3_bind_text(b, 1, email, -1, SQLITE_STATIC);
    return db_run(db, a, "login failure") && db_run(db, b, "login failure count");
}

long user_store_failures_since(sqlite3 *db, const char *email, int64_t since, int64_t *last)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT count(*), coalesce(max(at), 0) FROM staff_login_failure WHERE email = ?1 AND at >= ?2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    if (last)
        *last = n >= 0 ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return n;
}

bool user_store_forget_failures(sqlite3 *db, int64_t before)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM staff_login_failure WHERE at < ?1");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, before);
    return db_run(db, st, "forget failures");
}

bool user_store_setup_add(sqlite3 *db, const char *token_hash, long user_id, int64_t expires)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO staff_setup (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, expires);
    return db_run(db, st, "setup link");
}

int user_store_setup_find(sqlite3 *db, const char *token_hash, int64_t now, long *user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT user_id FROM staff_setup WHERE token_hash = ?1 AND expires_at > ?2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (r == 1)
        *user_id = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r;
}

bool user_store_setup_clear(sqlite3 *db, long user_id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM staff_setup WHERE user_id = ?1");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, user_id);
    return db_run(db, st, "setup clear");
}

bool user_store_recovery_replace(sqlite3 *db, long user_id, const char *const *hashes, int n)
{
    sqlite3_stmt *del = db_stmt(db, "DELETE FROM staff_recovery_code WHERE user_id = ?1");
    sqlite3_stmt *ins = db_stmt(db, "INSERT OR IGNORE INTO staff_recovery_code (user_id, code_hash) VALUES (?1, ?2)");
    if (!del || !ins)
        return false;
    sqlite3_bind_int64(del, 1, user_id);
    bool ok = db_run(db, del, "recovery clear");
    for (int i = 0; ok && i < n; i++) {
        sqlite3_bind_int64(ins, 1, user_id);
        sqlite3_bind_text(ins, 2, hashes[i], -1, SQLITE_STATIC);
        ok = db_run(db, ins, "recovery add");
    }
    return ok;
}

int user_store_recovery_use(sqlite3 *db, long user_id, const char *hash, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE staff_recovery_code SET used_at = ?3 "
                                   "WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    if (!db_run(db, st, "recovery use"))
        return -1;
    return sqlite3_changes(db) ? 1 : 0;
}

long user_store_recovery_left(sqlite3 *db, long user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM staff_recovery_code WHERE user_id = ?1 AND used_at IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return n;
}

const char *user_store_setting(sqlite3 *db, arena *a, const char *key)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM staff_setting WHERE key = ?1");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    const char *v = sqlite3_step(st) == SQLITE_ROW ? db_col_text(a, st, 0) : NULL;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return v;
}

bool user_store_set_setting(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO staff_setting (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return db_run(db, st, "setting");
}
