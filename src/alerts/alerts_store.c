/* alerts_store: SQL for the alert tables. See alerts_store.h. The
 * columns lang and translation_of (migration 0016) are copied from the
 * doc by the statements themselves (json_extract), so they never disagree. */
#include "alerts/alerts_store.h"
#include "core/util.h"
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO alert(uuid, state, version, doc, headline, severity_rank, starts, expires, created_at, "
    "published_at, updated_at, withdrawn_at, withdraw_reason, lang, translation_of) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, coalesce(json_extract(?4, '$.lang'), 'en'), "
    "json_extract(?4, '$.translation_of'))";
static const char SQL_SAVE[] =
    "UPDATE alert SET state = ?2, version = ?3, doc = ?4, headline = ?5, severity_rank = ?6, starts = ?7, "
    "expires = ?8, published_at = ?9, updated_at = ?10, withdrawn_at = ?11, withdraw_reason = ?12, "
    "lang = coalesce(json_extract(?4, '$.lang'), 'en'), translation_of = json_extract(?4, '$.translation_of') "
    "WHERE id = ?1";
static const char SQL_SUBS_CLEAR[] = "DELETE FROM alert_substance WHERE alert_id = ?1";
static const char SQL_SUBS_ADD[] = "INSERT OR IGNORE INTO alert_substance(alert_id, slug) VALUES (?1, ?2)";
static const char SQL_VERSION_ADD[] =
    "INSERT INTO alert_version(alert_id, version, msg_type, identifier, sender, sent, sent_offset, note, doc, actor) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
#define COLS                                                                                                     \
    "a.id, a.uuid, a.state, a.version, a.doc, a.starts, a.expires, a.created_at, a.published_at, a.updated_at, " \
    "a.withdrawn_at, a.withdraw_reason, p.mime, p.alt, p.width, p.height, p.added_at "
static const char SQL_GET[] =
    "SELECT " COLS "FROM alert a LEFT JOIN alert_photo p ON p.alert_id = a.id WHERE a.id = ?1";
static const char SQL_VERSIONS[] =
    "SELECT version, msg_type, identifier, sender, sent, sent_offset, note, doc FROM alert_version "
    "WHERE alert_id = ?1 ORDER BY version";
#define ACTIVE "(a.state = 'published' AND a.starts <= ?3 AND ?3 < a.expires)"
#define WHERE                                                                                                     \
    "WHERE (?1 = 0 OR a.version > 0) AND (?2 = -1 OR ?2 = " ACTIVE ") "                                    \
    "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM alert_substance s WHERE s.alert_id = a.id AND s.slug = ?4)) "       \
    "AND a.updated_at >= ?5 AND a.severity_rank <= ?6 AND (?9 = 0 OR a.translation_of IS NULL) "
static const char SQL_LIST[] = "SELECT " COLS "FROM alert a LEFT JOIN alert_photo p ON p.alert_id = a.id " WHERE
                               "ORDER BY " ACTIVE " DESC, a.severity_rank, a.starts DESC, a.id DESC LIMIT ?7 OFFSET ?8";
static const char SQL_COUNT[] = "SELECT count(*) FROM alert a " WHERE;
static const char SQL_LAST_CHANGE[] =
    "SELECT max(m) FROM (SELECT max(updated_at) AS m FROM alert WHERE version > 0 "
    "UNION ALL SELECT max(starts) FROM alert WHERE state = 'published' AND starts <= ?1 "
    "UNION ALL SELECT max(expires) FROM alert WHERE state = 'published' AND expires <= ?1)";
static const char SQL_TRANSLATION[] =
    "SELECT id FROM alert WHERE translation_of = ?1 AND lang = ?2 AND version > 0 AND state <> 'withdrawn' "
    "ORDER BY id DESC LIMIT 1";
static const char SQL_PHOTO_PUT[] =
    "INSERT OR REPLACE INTO alert_photo(alert_id, mime, width, height, data, alt, added_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_PHOTO_ALT[] = "UPDATE alert_photo SET alt = ?2 WHERE alert_id = ?1";
static const char SQL_PHOTO_DELETE[] = "DELETE FROM alert_photo WHERE alert_id = ?1";
static const char SQL_PHOTO_GET[] = "SELECT mime, data FROM alert_photo WHERE alert_id = ?1";

static void bind_opt_time(sqlite3_stmt *st, int i, int64_t t)
{
    if (t)
        sqlite3_bind_int64(st, i, t);
    else
        sqlite3_bind_null(st, i);
}

bool alerts_store_insert(sqlite3 *db, const alert_rec *a, const char *doc_text, const char *headline, int rank,
                         long *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, a->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->state, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, a->version);
    sqlite3_bind_text(st, 4, doc_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, headline, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, rank);
    sqlite3_bind_int64(st, 7, a->starts);
    sqlite3_bind_int64(st, 8, a->expires);
    sqlite3_bind_int64(st, 9, a->created_at);
    bind_opt_time(st, 10, a->published_at);
    sqlite3_bind_int64(st, 11, a->updated_at);
    bind_opt_time(st, 12, a->withdrawn_at);
    sqlite3_bind_text(st, 13, a->reason, -1, SQLITE_STATIC);
    if (!db_run(db, st, "alert insert"))
        return false;
    *id = (long)sqlite3_last_insert_rowid(db);
    return true;
}

bool alerts_store_save(sqlite3 *db, const alert_rec *a, const char *doc_text, const char *headline, int rank)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SAVE);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_text(st, 2, a->state, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, a->version);
    sqlite3_bind_text(st, 4, doc_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, headline, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, rank);
    sqlite3_bind_int64(st, 7, a->starts);
    sqlite3_bind_int64(st, 8, a->expires);
    bind_opt_time(st, 9, a->published_at);
    sqlite3_bind_int64(st, 10, a->updated_at);
    bind_opt_time(st, 11, a->withdrawn_at);
    sqlite3_bind_text(st, 12, a->reason, -1, SQLITE_STATIC);
    return db_run(db, st, "alert save");
}

bool alerts_store_substances(sqlite3 *db, long id, const json_t *slugs)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SUBS_CLEAR);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    if (!db_run(db, st, "alert substances clear"))
        return false;
    size_t i;
    const json_t *s;
    json_array_foreach (slugs, i, s) {
        st = db_stmt(db, SQL_SUBS_ADD);
        if (!st)
            return false;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, json_string_value(s), -1, SQLITE_STATIC);
        if (!db_run(db, st, "alert substance"))
            return false;
    }
    return true;
}

bool alerts_store_add_version(sqlite3 *db, long id, const alert_version *v, const char *doc_text, const char *actor)
{
    sqlite3_stmt *st = db_stmt(db, SQL_VERSION_ADD);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, v->version);
    sqlite3_bind_text(st, 3, v->msg_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, v->identifier, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, v->sender, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, v->sent);
    sqlite3_bind_int(st, 7, v->sent_offset);
    sqlite3_bind_text(st, 8, v->note, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, doc_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, actor ? actor : "", -1, SQLITE_STATIC);
    return db_run(db, st, "alert version");
}

static void col_copy(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    str_copy(out, n, s ? (const char *)s : "");
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    json_t *j = s ? json_loads((const char *)s, 0, NULL) : NULL;
    return j ? j : json_object();
}

/* One row of COLS into out. */
static void read_rec(sqlite3_stmt *st, alert_rec *out)
{
    memset(out, 0, sizeof(*out));
    out->id = (long)sqlite3_column_int64(st, 0);
    col_copy(st, 1, out->uuid, sizeof(out->uuid));
    col_copy(st, 2, out->state, sizeof(out->state));
    out->version = sqlite3_column_int(st, 3);
    out->doc = col_json(st, 4);
    out->starts = sqlite3_column_int64(st, 5);
    out->expires = sqlite3_column_int64(st, 6);
    out->created_at = sqlite3_column_int64(st, 7);
    out->published_at = sqlite3_column_int64(st, 8);
    out->updated_at = sqlite3_column_int64(st, 9);
    out->withdrawn_at = sqlite3_column_int64(st, 10);
    col_copy(st, 11, out->reason, sizeof(out->reason));
    out->photo = sqlite3_column_type(st, 12) != SQLITE_NULL;
    col_copy(st, 12, out->photo_mime, sizeof(out->photo_mime));
    col_copy(st, 13, out->photo_alt, sizeof(out->photo_alt));
    out->photo_w = sqlite3_column_int(st, 14);
    out->photo_h = sqlite3_column_int(st, 15);
    out->photo_at = sqlite3_column_int64(st, 16);
}

int alerts_store_get(sqlite3 *db, long id, alert_rec *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_GET);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        read_rec(st, out);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "alert get");
        found = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

int alerts_store_versions(sqlite3 *db, long id, alert_version *out, int max)
{
    sqlite3_stmt *st = db_stmt(db, SQL_VERSIONS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int n = 0, rc = SQLITE_DONE;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        alert_version *v = &out[n++];
        memset(v, 0, sizeof(*v));
        v->version = sqlite3_column_int(st, 0);
        col_copy(st, 1, v->msg_type, sizeof(v->msg_type));
        col_copy(st, 2, v->identifier, sizeof(v->identifier));
        col_copy(st, 3, v->sender, sizeof(v->sender));
        v->sent = sqlite3_column_int64(st, 4);
        v->sent_offset = sqlite3_column_int(st, 5);
        col_copy(st, 6, v->note, sizeof(v->note));
        v->doc = col_json(st, 7);
    }
    bool bad = n < max && rc != SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (bad) {
        db_note_error(db, "alert versions");
        alert_versions_free(out, n);
        return -1;
    }
    return n;
}

static void bind_filter(sqlite3_stmt *st, const alert_filter *f)
{
    sqlite3_bind_int(st, 1, f->public_only ? 1 : 0);
    sqlite3_bind_int(st, 2, f->active);
    sqlite3_bind_int64(st, 3, f->now);
    db_bind_text_or_null(st, 4, f->substance);
    sqlite3_bind_int64(st, 5, f->since);
    sqlite3_bind_int(st, 6, f->max_rank);
    sqlite3_bind_int(st, 9, f->originals_only ? 1 : 0);
}

long alerts_store_translation(sqlite3 *db, long id, const char *lang)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TRANSLATION);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    long found = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    if (found < 0)
        db_note_error(db, "alert translation");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

static bool count_of(sqlite3 *db, const alert_filter *f, long *total)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNT);
    if (!st)
        return false;
    bind_filter(st, f);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *total = (long)sqlite3_column_int64(st, 0);
    else
        db_note_error(db, "alert count");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

int alerts_store_list(sqlite3 *db, const alert_filter *f, alert_rec *out, int max, long *total)
{
    if (total && !count_of(db, f, total))
        return -1;
    sqlite3_stmt *st = db_stmt(db, SQL_LIST);
    if (!st)
        return -1;
    bind_filter(st, f);
    sqlite3_bind_int64(st, 7, f->limit < max ? f->limit : max);
    sqlite3_bind_int64(st, 8, f->offset);
    int n = 0, rc = SQLITE_DONE;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        read_rec(st, &out[n++]);
    bool bad = n < max && rc != SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (bad) {
        db_note_error(db, "alert list");
        for (int i = 0; i < n; i++)
            alert_rec_clear(&out[i]);
        return -1;
    }
    return n;
}

int64_t alerts_store_last_change(sqlite3 *db, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LAST_CHANGE);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, now);
    int64_t t = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return t;
}

bool alerts_store_photo_put(sqlite3 *db, long id, const char *mime, int w, int h, const void *data, size_t len,
                            const char *alt, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PHOTO_PUT);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, mime, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, w);
    sqlite3_bind_int(st, 4, h);
    sqlite3_bind_blob64(st, 5, data, len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, alt ? alt : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, now);
    return db_run(db, st, "alert photo");
}

bool alerts_store_photo_alt(sqlite3 *db, long id, const char *alt)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PHOTO_ALT);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, alt ? alt : "", -1, SQLITE_STATIC);
    return db_run(db, st, "alert photo alt");
}

bool alerts_store_photo_delete(sqlite3 *db, long id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PHOTO_DELETE);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    return db_run(db, st, "alert photo delete");
}

int alerts_store_photo_get(sqlite3 *db, long id, char *mime, size_t mn, void **data, size_t *len)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PHOTO_GET);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        col_copy(st, 0, mime, mn);
        *len = (size_t)sqlite3_column_bytes(st, 1);
        *data = xmalloc(*len ? *len : 1);
        if (*len)
            memcpy(*data, sqlite3_column_blob(st, 1), *len);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "alert photo get");
        found = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}
