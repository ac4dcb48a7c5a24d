/* subs_store: SQL of alert subscriptions. See subs_store.h. */
#include "community/subs_store.h"
#include "core/util.h"
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_PENDING_ADD[] =
    "INSERT INTO sub_pending(token_hash, addr_hash, channel, secret, code_hash, expires_at, lang) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_PENDING_BY_TOKEN[] =
    "SELECT id, channel, addr_hash, code_hash, tries, expires_at, secret, lang FROM sub_pending "
    "WHERE token_hash = ?1 AND expires_at > ?2";
static const char SQL_PENDING_BY_ADDR[] =
    "SELECT id, channel, addr_hash, code_hash, tries, expires_at, secret, lang FROM sub_pending "
    "WHERE addr_hash = ?1 AND expires_at > ?2 ORDER BY id DESC LIMIT 1";
static const char SQL_PENDING_TRIED[] = "UPDATE sub_pending SET tries = tries + 1 WHERE id = ?1";
static const char SQL_PENDING_DELETE_ADDR[] = "DELETE FROM sub_pending WHERE addr_hash = ?1";
static const char SQL_PENDING_EXPIRE[] = "DELETE FROM sub_pending WHERE expires_at <= ?1";
static const char SQL_UPSERT[] =
    "INSERT INTO sub_subscriber(addr_hash, channel, secret, created_at, lang) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(addr_hash) DO UPDATE SET secret = excluded.secret, lang = excluded.lang RETURNING id";
static const char SQL_CREATED[] = "SELECT created_at FROM sub_subscriber WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM sub_subscriber WHERE id = ?1";
static const char SQL_DELETE_ADDR[] = "DELETE FROM sub_subscriber WHERE addr_hash = ?1";
static const char SQL_EACH[] = "SELECT id, channel, secret, created_at, lang FROM sub_subscriber ORDER BY id";
static const char SQL_COUNTS[] =
    "SELECT coalesce(sum(channel = 'sms'), 0), coalesce(sum(channel = 'email'), 0) FROM sub_subscriber";
static const char SQL_HOOK_ADD[] =
    "INSERT INTO sub_webhook(name, url, created_at, created_by) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_HOOK_DELETE[] = "DELETE FROM sub_webhook WHERE id = ?1";
static const char SQL_HOOKS[] = "SELECT id, name, url, created_at, created_by FROM sub_webhook ORDER BY id";

static const char SQL_SAVEPOINT[] = "SAVEPOINT subs_alert";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO subs_alert";
static const char SQL_RELEASE[] = "RELEASE subs_alert";

bool subs_store_savepoint(sqlite3 *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SAVEPOINT);
    return st && db_run(db, st, "subscriptions savepoint");
}

bool subs_store_savepoint_end(sqlite3 *db, bool ok)
{
    sqlite3_stmt *st = ok ? NULL : db_stmt(db, SQL_ROLLBACK_TO);
    bool undone = ok || (st && db_run(db, st, "subscriptions rollback to savepoint"));
    st = db_stmt(db, SQL_RELEASE);
    return st && db_run(db, st, "subscriptions release savepoint") && undone;
}

void subs_pending_free(sub_pending *p)
{
    free(p->secret);
    memset(p, 0, sizeof(*p));
}

static void bind_hash(sqlite3_stmt *st, int i, const unsigned char *h)
{
    if (h)
        sqlite3_bind_blob(st, i, h, SUBS_HASH_BYTES, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void col_hash(sqlite3_stmt *st, int i, unsigned char *out, bool *has)
{
    const void *p = sqlite3_column_blob(st, i);
    bool ok = p && sqlite3_column_bytes(st, i) == SUBS_HASH_BYTES;
    if (ok)
        memcpy(out, p, SUBS_HASH_BYTES);
    if (has)
        *has = ok;
}

bool subs_store_pending_add(sqlite3 *db, const unsigned char *token_hash, const unsigned char *addr_hash,
                            const char *channel, const unsigned char *secret, size_t slen,
                            const unsigned char *code_hash, int64_t expires_at, const char *lang)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PENDING_ADD);
    if (!st)
        return false;
    bind_hash(st, 1, token_hash);
    bind_hash(st, 2, addr_hash);
    db_bind_text_or_null(st, 3, channel);
    sqlite3_bind_blob(st, 4, secret, (int)slen, SQLITE_STATIC);
    bind_hash(st, 5, code_hash);
    sqlite3_bind_int64(st, 6, expires_at);
    db_bind_text_or_null(st, 7, lang && *lang ? lang : "en");
    return db_run(db, st, "subscription pending add");
}

/* Steps st (bound) for at most one pending row into out. */
static int read_pending(sqlite3 *db, sqlite3_stmt *st, sub_pending *out)
{
    memset(out, 0, sizeof(*out));
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        out->id = (long)sqlite3_column_int64(st, 0);
        str_copy(out->channel, sizeof(out->channel), (const char *)sqlite3_column_text(st, 1));
        col_hash(st, 2, out->addr_hash, NULL);
        col_hash(st, 3, out->code_hash, &out->has_code);
        out->tries = sqlite3_column_int(st, 4);
        out->expires_at = sqlite3_column_int64(st, 5);
        int n = sqlite3_column_bytes(st, 6);
        const void *p = sqlite3_column_blob(st, 6);
        if (p && n > 0) {
            out->secret = xmalloc((size_t)n);
            memcpy(out->secret, p, (size_t)n);
            out->secret_len = (size_t)n;
        }
        const char *lang = (const char *)sqlite3_column_text(st, 7);
        str_copy(out->lang, sizeof(out->lang), lang ? lang : "en");
        found = 1;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "subscription pending read");
        subs_pending_free(out);
        return -1;
    }
    return found;
}

int subs_store_pending_by_token(sqlite3 *db, const unsigned char *token_hash, int64_t now, sub_pending *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PENDING_BY_TOKEN);
    if (!st)
        return -1;
    bind_hash(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, now);
    return read_pending(db, st, out);
}

int subs_store_pending_by_addr(sqlite3 *db, const unsigned char *addr_hash, int64_t now, sub_pending *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PENDING_BY_ADDR);
    if (!st)
        return -1;
    bind_hash(st, 1, addr_hash);
    sqlite3_bind_int64(st, 2, now);
    return read_pending(db, st, out);
}

static bool run_id(sqlite3 *db, const char *sql, long id, const char *what)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    return db_run(db, st, what);
}

static bool run_hash(sqlite3 *db, const char *sql, const unsigned char *h, const char *what)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    bind_hash(st, 1, h);
    return db_run(db, st, what);
}

bool subs_store_pending_tried(sqlite3 *db, long id)
{
    return run_id(db, SQL_PENDING_TRIED, id, "subscription pending tried");
}

bool subs_store_pending_delete_addr(sqlite3 *db, const unsigned char *addr_hash)
{
    return run_hash(db, SQL_PENDING_DELETE_ADDR, addr_hash, "subscription pending delete");
}

bool subs_store_pending_expire(sqlite3 *db, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PENDING_EXPIRE);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, now);
    return db_run(db, st, "subscription pending expire");
}

bool subs_store_upsert(sqlite3 *db, const unsigned char *addr_hash, const char *channel, const unsigned char *secret,
                       size_t slen, int64_t now, const char *lang, long *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_UPSERT);
    if (!st)
        return false;
    bind_hash(st, 1, addr_hash);
    db_bind_text_or_null(st, 2, channel);
    sqlite3_bind_blob(st, 3, secret, (int)slen, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    db_bind_text_or_null(st, 5, lang && *lang ? lang : "en");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = (long)sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "subscriber upsert");
        return false;
    }
    return true;
}

int subs_store_created(sqlite3 *db, long id, int64_t *created_at)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CREATED);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        *created_at = sqlite3_column_int64(st, 0);
        found = 1;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "subscriber read");
        return -1;
    }
    return found;
}

bool subs_store_delete(sqlite3 *db, long id, bool *deleted)
{
    bool ok = run_id(db, SQL_DELETE, id, "subscriber delete");
    *deleted = ok && sqlite3_changes(db) > 0;
    return ok;
}

bool subs_store_delete_addr(sqlite3 *db, const unsigned char *addr_hash, bool *deleted)
{
    bool ok = run_hash(db, SQL_DELETE_ADDR, addr_hash, "subscriber delete");
    *deleted = ok && sqlite3_changes(db) > 0;
    return ok;
}

bool subs_store_each(sqlite3 *db, subs_each_fn fn, void *ud)
{
    sqlite3_stmt *st = db_stmt(db, SQL_EACH);
    if (!st)
        return false;
    int rc;
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ok = fn(ud, (long)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2), sqlite3_column_int64(st, 3),
                (const char *)sqlite3_column_text(st, 4));
    if (ok && rc != SQLITE_DONE) {
        db_note_error(db, "subscribers read");
        ok = false;
    }
    sqlite3_reset(st);
    return ok;
}

bool subs_store_counts(sqlite3 *db, long *sms, long *email)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNTS);
    if (!st)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        *sms = (long)sqlite3_column_int64(st, 0);
        *email = (long)sqlite3_column_int64(st, 1);
    } else {
        db_note_error(db, "subscriber counts");
    }
    sqlite3_reset(st);
    return ok;
}

bool subs_store_hook_add(sqlite3 *db, const char *name, const char *url, int64_t now, const char *by, long *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_HOOK_ADD);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, name);
    db_bind_text_or_null(st, 2, url);
    sqlite3_bind_int64(st, 3, now);
    db_bind_text_or_null(st, 4, by);
    bool ok = db_run(db, st, "webhook add");
    *id = ok ? (long)sqlite3_last_insert_rowid(db) : 0;
    return ok;
}

int subs_store_hook_delete(sqlite3 *db, long id)
{
    if (!run_id(db, SQL_HOOK_DELETE, id, "webhook delete"))
        return -1;
    return sqlite3_changes(db) > 0 ? 1 : 0;
}

bool subs_store_hooks(sqlite3 *db, subs_hook_fn fn, void *ud)
{
    sqlite3_stmt *st = db_stmt(db, SQL_HOOKS);
    if (!st)
        return false;
    int rc;
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ok = fn(ud, (long)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3),
                (const char *)sqlite3_column_text(st, 4));
    if (ok && rc != SQLITE_DONE) {
        db_note_error(db, "webhooks read");
        ok = false;
    }
    sqlite3_reset(st);
    return ok;
}
