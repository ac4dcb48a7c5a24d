/* checkin_store: SQL of the check-in timers. See checkin_store.h. */
#include "checkin/checkin_store.h"
#include "core/util.h"
#include "db/db.h"
#include "notify/notify_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO checkin(state, created_at, due_at, warn_at, escalate_at, next_at, ended_at, acked_at, responder, "
    "secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_UPDATE[] =
    "UPDATE checkin SET state = ?2, due_at = ?3, warn_at = ?4, escalate_at = ?5, next_at = ?6, ended_at = ?7, "
    "acked_at = ?8, version = version + 1 WHERE id = ?1 AND version = ?9";
static const char SQL_LOAD[] =
    "SELECT id, state, version, created_at, due_at, warn_at, escalate_at, next_at, ended_at, acked_at, responder, "
    "secret FROM checkin WHERE id = ?1";
static const char SQL_LINK_ADD[] = "INSERT INTO checkin_link(token_hash, checkin_id, role) VALUES (?1, ?2, ?3)";
static const char SQL_LINK_FIND[] = "SELECT checkin_id, role FROM checkin_link WHERE token_hash = ?1";
static const char SQL_EVENT_ADD[] = "INSERT INTO checkin_event(checkin_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_DUE[] =
    "SELECT id FROM checkin WHERE next_at IS NOT NULL AND next_at <= ?1 ORDER BY next_at LIMIT ?2";
static const char SQL_NEXT[] = "SELECT min(next_at) FROM checkin WHERE next_at IS NOT NULL";
static const char SQL_OLD[] =
    "SELECT id FROM checkin WHERE ended_at IS NOT NULL AND ended_at < ?1 AND next_at IS NULL LIMIT ?2";
static const char SQL_DELETE[] = "DELETE FROM checkin WHERE id = ?1";
static const char SQL_EVENTS[] = "SELECT at, kind, detail FROM checkin_event WHERE checkin_id = ?1 ORDER BY at, id";
static const char SQL_MESSAGES[] =
    "SELECT kind, channel, state, attempts, sent_at FROM notify_outbox WHERE ref = ?1 ORDER BY id";
static const char SQL_COUNTS[] =
    "SELECT sum(state = 'running'), sum(state IN ('alerted', 'escalated')) FROM checkin";

void ck_row_free(ck_row *r)
{
    free(r->secret);
    r->secret = NULL;
    r->secret_len = 0;
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    if (t)
        sqlite3_bind_int64(st, i, t);
    else
        sqlite3_bind_null(st, i);
}

bool ck_insert(sqlite3 *db, const ck_row *r, int64_t *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, r->state);
    sqlite3_bind_int64(st, 2, r->created_at);
    sqlite3_bind_int64(st, 3, r->due_at);
    bind_time(st, 4, r->warn_at);
    bind_time(st, 5, r->escalate_at);
    bind_time(st, 6, r->next_at);
    bind_time(st, 7, r->ended_at);
    bind_time(st, 8, r->acked_at);
    sqlite3_bind_int(st, 9, r->responder);
    sqlite3_bind_blob(st, 10, r->secret, (int)r->secret_len, SQLITE_STATIC);
    if (!db_run(db, st, "checkin insert"))
        return false;
    *id = sqlite3_last_insert_rowid(db);
    return true;
}

int ck_update(sqlite3 *db, const ck_row *r)
{
    sqlite3_stmt *st = db_stmt(db, SQL_UPDATE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->id);
    db_bind_text_or_null(st, 2, r->state);
    sqlite3_bind_int64(st, 3, r->due_at);
    bind_time(st, 4, r->warn_at);
    bind_time(st, 5, r->escalate_at);
    bind_time(st, 6, r->next_at);
    bind_time(st, 7, r->ended_at);
    bind_time(st, 8, r->acked_at);
    sqlite3_bind_int64(st, 9, r->version);
    if (!db_run(db, st, "checkin update"))
        return -1;
    return sqlite3_changes(db) == 1 ? 1 : 0;
}

static int64_t col_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, i);
}

int ck_load(sqlite3 *db, int64_t id, ck_row *r)
{
    memset(r, 0, sizeof(*r));
    sqlite3_stmt *st = db_stmt(db, SQL_LOAD);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        r->id = sqlite3_column_int64(st, 0);
        str_copy(r->state, sizeof(r->state), (const char *)sqlite3_column_text(st, 1));
        r->version = sqlite3_column_int64(st, 2);
        r->created_at = col_time(st, 3);
        r->due_at = col_time(st, 4);
        r->warn_at = col_time(st, 5);
        r->escalate_at = col_time(st, 6);
        r->next_at = col_time(st, 7);
        r->ended_at = col_time(st, 8);
        r->acked_at = col_time(st, 9);
        r->responder = sqlite3_column_int(st, 10) != 0;
        int n = sqlite3_column_bytes(st, 11);
        const void *p = sqlite3_column_blob(st, 11);
        if (p && n > 0) {
            r->secret = xmalloc((size_t)n);
            memcpy(r->secret, p, (size_t)n);
            r->secret_len = (size_t)n;
        }
        found = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "checkin load");
        found = -1;
    }
    sqlite3_reset(st);
    return found;
}

bool ck_link_add(sqlite3 *db, const unsigned char *hash, size_t hash_len, int64_t id, const char *role)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LINK_ADD);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, hash, (int)hash_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    db_bind_text_or_null(st, 3, role);
    return db_run(db, st, "checkin link");
}

int ck_link_find(sqlite3 *db, const unsigned char *hash, size_t hash_len, int64_t *id, char *role, size_t rolelen)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LINK_FIND);
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, (int)hash_len, SQLITE_STATIC);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        str_copy(role, rolelen, (const char *)sqlite3_column_text(st, 1));
        found = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "checkin link find");
        found = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

bool ck_event_add(sqlite3 *db, int64_t id, int64_t at, const char *kind, const char *detail)
{
    sqlite3_stmt *st = db_stmt(db, SQL_EVENT_ADD);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    db_bind_text_or_null(st, 3, kind);
    db_bind_text_or_null(st, 4, detail ? detail : "");
    return db_run(db, st, "checkin event");
}

int ck_due(sqlite3 *db, int64_t now, int64_t *ids, int max)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DUE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, max);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_note_error(db, "checkin due");
        return -1;
    }
    return n;
}

int64_t ck_next_at(sqlite3 *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_NEXT);
    if (!st)
        return -1;
    int64_t at = -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        at = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return at;
}

int ck_purge(sqlite3 *db, int64_t cutoff, int max)
{
    int64_t ids[64];
    if (max > 64)
        max = 64;
    sqlite3_stmt *st = db_stmt(db, SQL_OLD);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, cutoff);
    sqlite3_bind_int(st, 2, max);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    for (int i = 0; i < n; i++) {
        char ref[40];
        snprintf(ref, sizeof(ref), "checkin:%lld", (long long)ids[i]);
        sqlite3_stmt *del = db_stmt(db, SQL_DELETE);
        if (!del || !outbox_delete_ref(db, ref))
            return -1;
        sqlite3_bind_int64(del, 1, ids[i]);
        if (!db_run(db, del, "checkin delete"))
            return -1;
    }
    return n;
}

bool ck_events(sqlite3 *db, int64_t id, ck_event_fn fn, void *ud)
{
    sqlite3_stmt *st = db_stmt(db, SQL_EVENTS);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2));
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

bool ck_messages(sqlite3 *db, int64_t id, ck_message_fn fn, void *ud)
{
    char ref[40];
    snprintf(ref, sizeof(ref), "checkin:%lld", (long long)id);
    sqlite3_stmt *st = db_stmt(db, SQL_MESSAGES);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, ref);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3), col_time(st, 4));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE;
}

bool ck_counts(sqlite3 *db, long *running, long *alerted)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNTS);
    if (!st)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    *running = ok ? (long)sqlite3_column_int64(st, 0) : 0;
    *alerted = ok ? (long)sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    return ok;
}

bool ck_state_counts(sqlite3 *db, int64_t since, long counts[5])
{
    static const char *const states[5] = {"running", "ok", "cancelled", "alerted", "escalated"};
    sqlite3_stmt *st = db_stmt(db, "SELECT state, count(*) FROM checkin WHERE created_at >= ?1 GROUP BY state");
    if (!st)
        return false;
    for (int i = 0; i < 5; i++)
        counts[i] = 0;
    sqlite3_bind_int64(st, 1, since);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *state = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; state && i < 5; i++)
            if (!strcmp(state, states[i]))
                counts[i] = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE;
}

int ck_escalated_ids(sqlite3 *db, int64_t since, int64_t *ids, int max)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM checkin WHERE state = 'escalated' AND created_at >= ?1 "
                                   "ORDER BY id DESC LIMIT ?2");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int(st, 2, max);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

/* ---- contacts that confirmed (checkin_confirmed, migration 0017) ---- */

static const char SQL_CONFIRM[] = "INSERT INTO checkin_confirmed(mac, confirmed_at) VALUES (?1, ?2) "
                                  "ON CONFLICT(mac) DO UPDATE SET confirmed_at = excluded.confirmed_at";
static const char SQL_CONFIRMED[] = "SELECT 1 FROM checkin_confirmed WHERE mac = ?1 AND confirmed_at >= ?2";
static const char SQL_CONFIRMED_PURGE[] = "DELETE FROM checkin_confirmed WHERE confirmed_at < ?1";

bool ck_confirmed_add(sqlite3 *db, const unsigned char *mac, size_t mac_len, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CONFIRM);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, mac, (int)mac_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    return db_run(db, st, "checkin confirm");
}

int ck_confirmed_has(sqlite3 *db, const unsigned char *mac, size_t mac_len, int64_t since)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CONFIRMED);
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, mac, (int)mac_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

bool ck_confirmed_purge(sqlite3 *db, int64_t cutoff)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CONFIRMED_PURGE);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, cutoff);
    return db_run(db, st, "checkin confirmed purge");
}
