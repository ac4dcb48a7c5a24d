/* notify_store: SQL of the outbox. See notify_store.h. */
#include "notify/notify_store.h"
#include "core/util.h"
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO notify_outbox(idem_key, channel, dest, subject, body, ref, kind, due_at, next_at, created_at, "
    "unsubscribe, route) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)";
/* The ready index is ordered by due time; the claim takes the first ready
 * row in that order outside the routes that are down (?2, a JSON array). */
static const char SQL_CLAIM[] =
    "UPDATE notify_outbox SET claimed = 1, attempts = attempts + 1 WHERE id = "
    "(SELECT id FROM notify_outbox WHERE state = 'queued' AND claimed = 0 AND next_at <= ?1 "
    "AND route NOT IN (SELECT value FROM json_each(?2)) ORDER BY due_at, id LIMIT 1) "
    "RETURNING id, idem_key, channel, dest, subject, body, attempts, due_at, unsubscribe, route";
/* A down route's probe: its earliest-due message whatever its backoff,
 * ?2 (a message that keeps failing alone) last. */
static const char SQL_CLAIM_PROBE[] =
    "UPDATE notify_outbox SET claimed = 1, attempts = attempts + 1 WHERE id = "
    "(SELECT id FROM notify_outbox WHERE state = 'queued' AND claimed = 0 AND route = ?1 "
    "ORDER BY id = ?2, due_at, id LIMIT 1) "
    "RETURNING id, idem_key, channel, dest, subject, body, attempts, due_at, unsubscribe, route";
static const char SQL_NEXT[] = "SELECT min(next_at) FROM notify_outbox WHERE state = 'queued' AND claimed = 0 "
                               "AND route NOT IN (SELECT value FROM json_each(?1))";
static const char SQL_SENT[] =
    "UPDATE notify_outbox SET state = 'sent', claimed = 0, sent_at = ?2, last_error = NULL WHERE id = ?1";
static const char SQL_RETRY[] = "UPDATE notify_outbox SET claimed = 0, next_at = ?2, last_error = ?3 WHERE id = ?1";
static const char SQL_FAILED[] =
    "UPDATE notify_outbox SET state = 'failed', claimed = 0, last_error = ?2 WHERE id = ?1";
static const char SQL_WAKE[] =
    "UPDATE notify_outbox SET next_at = ?2 WHERE state = 'queued' AND claimed = 0 AND route = ?1 AND next_at > ?2";
static const char SQL_RELEASE[] = "UPDATE notify_outbox SET claimed = 0 WHERE claimed = 1";
static const char SQL_DELETE_REF[] = "DELETE FROM notify_outbox WHERE ref = ?1";

void outbox_item_free(outbox_item *it)
{
    free(it->dest);
    free(it->subject);
    free(it->body);
    free(it->unsubscribe);
    memset(it, 0, sizeof(*it));
}

static void bind_blob(sqlite3_stmt *st, int i, const unsigned char *p, size_t n)
{
    if (p)
        sqlite3_bind_blob(st, i, p, (int)n, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

bool outbox_insert(sqlite3 *db, const outbox_row *row)
{
    sqlite3_stmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, row->idem_key);
    db_bind_text_or_null(st, 2, row->channel);
    bind_blob(st, 3, row->dest, row->dest_len);
    bind_blob(st, 4, row->subject, row->subject_len);
    bind_blob(st, 5, row->body, row->body_len);
    db_bind_text_or_null(st, 6, row->ref ? row->ref : "");
    db_bind_text_or_null(st, 7, row->kind ? row->kind : "");
    sqlite3_bind_int64(st, 8, row->due_at);
    sqlite3_bind_int64(st, 9, row->now);
    bind_blob(st, 10, row->unsub, row->unsub_len);
    db_bind_text_or_null(st, 11, row->route ? row->route : row->channel);
    return db_run(db, st, "outbox insert");
}

static unsigned char *col_blob(sqlite3_stmt *st, int i, size_t *len)
{
    const void *p = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);
    *len = 0;
    if (!p || n <= 0)
        return NULL;
    unsigned char *out = xmalloc((size_t)n);
    memcpy(out, p, (size_t)n);
    *len = (size_t)n;
    return out;
}

/* Runs a claim statement already bound; see outbox_claim. */
static int claim_with(sqlite3 *db, sqlite3_stmt *st, outbox_item *it)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        it->id = sqlite3_column_int64(st, 0);
        str_copy(it->idem_key, sizeof(it->idem_key), (const char *)sqlite3_column_text(st, 1));
        str_copy(it->channel, sizeof(it->channel), (const char *)sqlite3_column_text(st, 2));
        it->dest = col_blob(st, 3, &it->dest_len);
        it->subject = col_blob(st, 4, &it->subject_len);
        it->body = col_blob(st, 5, &it->body_len);
        it->attempts = sqlite3_column_int(st, 6);
        it->due_at = sqlite3_column_int64(st, 7);
        it->unsubscribe = col_blob(st, 8, &it->unsubscribe_len);
        str_copy(it->route, sizeof(it->route), (const char *)sqlite3_column_text(st, 9));
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "outbox claim");
        db_rollback(db);
        outbox_item_free(it);
        return -1;
    }
    if (!db_commit(db)) {
        db_rollback(db);
        outbox_item_free(it);
        return -1;
    }
    return it->id ? 1 : 0;
}

int outbox_claim(sqlite3 *db, int64_t now, const char *skip, outbox_item *it)
{
    memset(it, 0, sizeof(*it));
    if (!db_begin(db))
        return -1;
    sqlite3_stmt *st = db_stmt(db, SQL_CLAIM);
    if (!st) {
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, skip ? skip : "[]", -1, SQLITE_STATIC);
    return claim_with(db, st, it);
}

int outbox_claim_probe(sqlite3 *db, const char *route, int64_t last_id, outbox_item *it)
{
    memset(it, 0, sizeof(*it));
    if (!db_begin(db))
        return -1;
    sqlite3_stmt *st = db_stmt(db, SQL_CLAIM_PROBE);
    if (!st) {
        db_rollback(db);
        return -1;
    }
    sqlite3_bind_text(st, 1, route, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, last_id);
    return claim_with(db, st, it);
}

int64_t outbox_next_at(sqlite3 *db, const char *skip)
{
    sqlite3_stmt *st = db_stmt(db, SQL_NEXT);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, skip ? skip : "[]", -1, SQLITE_STATIC);
    int64_t at = -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        at = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return at;
}

bool outbox_mark_sent(sqlite3 *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SENT);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return db_run(db, st, "outbox sent");
}

bool outbox_mark_retry(sqlite3 *db, int64_t id, int64_t next_at, const char *error)
{
    sqlite3_stmt *st = db_stmt(db, SQL_RETRY);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, next_at);
    db_bind_text_or_null(st, 3, error);
    return db_run(db, st, "outbox retry");
}

bool outbox_mark_failed(sqlite3 *db, int64_t id, const char *error)
{
    sqlite3_stmt *st = db_stmt(db, SQL_FAILED);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    db_bind_text_or_null(st, 2, error);
    return db_run(db, st, "outbox failed");
}

bool outbox_wake_route(sqlite3 *db, const char *route, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_WAKE);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, route);
    sqlite3_bind_int64(st, 2, now);
    return db_run(db, st, "outbox wake");
}

bool outbox_release_claims(sqlite3 *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_RELEASE);
    return st && db_run(db, st, "outbox release");
}

bool outbox_delete_ref(sqlite3 *db, const char *ref)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DELETE_REF);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, ref);
    return db_run(db, st, "outbox delete");
}

bool outbox_counts(sqlite3 *db, long *queued, long *sent, long *failed, int64_t *oldest_queued)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(sum(state = 'queued'), 0), coalesce(sum(state = 'sent'), 0), "
                                   "coalesce(sum(state = 'failed'), 0), "
                                   "coalesce(min(CASE WHEN state = 'queued' THEN due_at END), 0) FROM notify_outbox");
    if (!st)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    *queued = ok ? (long)sqlite3_column_int64(st, 0) : 0;
    *sent = ok ? (long)sqlite3_column_int64(st, 1) : 0;
    *failed = ok ? (long)sqlite3_column_int64(st, 2) : 0;
    *oldest_queued = ok ? sqlite3_column_int64(st, 3) : 0;
    sqlite3_reset(st);
    return ok;
}
