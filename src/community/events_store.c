/* events_store: SQL of the daily counts, settings and flags. See
 * events_store.h. */
#include "community/events_store.h"
#include "core/util.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

static const char SQL_GET[] = "SELECT count FROM community_event WHERE kind = ?1 AND area = ?2 AND day = ?3";
static const char SQL_PUT[] =
    "INSERT INTO community_event(kind, area, day, count, source, updated_at, updated_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(kind, area, day) DO UPDATE SET count = excluded.count, "
    "source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by";
static const char SQL_WINDOW[] = "SELECT kind, area, day, count FROM community_event WHERE day BETWEEN ?2 AND ?3 "
                                 "AND (?1 IS NULL OR kind = ?1) ORDER BY kind, area, day";
static const char SQL_HAS_REPORTS[] =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'community_report'";
static const char SQL_REPORTS[] =
    "SELECT area, day, count(*) FROM community_report WHERE status IN ('reviewed', 'alerted') "
    "AND day BETWEEN ?1 AND ?2 GROUP BY area, day ORDER BY area, day";
static const char SQL_KINDS[] = "SELECT kind FROM community_event GROUP BY kind UNION "
                                "SELECT kind FROM community_spike_setting ORDER BY 1";
static const char SQL_SETTING[] =
    "SELECT methods, baseline, guard, ewma_baseline, z12, z3, min_sigma, min_count, p_red, p_yellow, pois_red, "
    "pois_yellow FROM community_spike_setting WHERE kind = ?1";
static const char SQL_SETTING_PUT[] =
    "INSERT OR REPLACE INTO community_spike_setting(kind, methods, baseline, guard, ewma_baseline, z12, z3, "
    "min_sigma, min_count, p_red, p_yellow, pois_red, pois_yellow, updated_at, updated_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char SQL_CLEAR[] = "DELETE FROM community_spike WHERE day = ?1";
static const char SQL_ADD[] =
    "INSERT INTO community_spike(day, area, kind, method, level, count, expected, threshold, stat, found_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_LIST[] =
    "SELECT id, day, area, kind, method, level, count, expected, threshold, stat, found_at FROM community_spike "
    "WHERE day >= ?1 ORDER BY day DESC, level = 'yellow', kind, area, id LIMIT ?2";
static const char SQL_ONE[] =
    "SELECT id, day, area, kind, method, level, count, expected, threshold, stat, found_at FROM community_spike "
    "WHERE id = ?1";

static const char *col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

int events_store_put(sqlite3 *db, const event_row *r, const char *source, const char *who, int64_t now)
{
    long old;
    int had = events_store_get(db, r->kind, r->area, r->day, &old);
    sqlite3_stmt *st = had < 0 ? NULL : db_stmt(db, SQL_PUT);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->area, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->day, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->count);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_text(st, 7, who ? who : "", -1, SQLITE_STATIC);
    return db_run(db, st, "community_event put") ? had : -1;
}

int events_store_get(sqlite3 *db, const char *kind, const char *area, const char *day, long *count)
{
    sqlite3_stmt *st = db_stmt(db, SQL_GET);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, area, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        *count = (long)sqlite3_column_int64(st, 0);
        out = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "community_event get");
        out = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

/* Steps st to its end; false on an error. */
static bool finish(sqlite3 *db, sqlite3_stmt *st, int rc, const char *what)
{
    bool ok = rc == SQLITE_DONE;
    if (!ok)
        db_note_error(db, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

bool events_store_window(sqlite3 *db, const char *kind, const char *from, const char *to, events_row_fn fn,
                         void *ud)
{
    sqlite3_stmt *st = db_stmt(db, SQL_WINDOW);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, kind);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, col(st, 0), col(st, 1), col(st, 2), (long)sqlite3_column_int64(st, 3));
    return finish(db, st, rc, "community_event window");
}

/* 1 when community_report exists, 0 not, -1 error. */
static int has_reports(sqlite3 *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_HAS_REPORTS);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return out;
}

bool events_store_reports_window(sqlite3 *db, const char *from, const char *to, events_row_fn fn, void *ud)
{
    int has = has_reports(db);
    if (has <= 0)
        return has == 0;
    sqlite3_stmt *st = db_stmt(db, SQL_REPORTS);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, EVENTS_REPORTS_KIND, col(st, 0), col(st, 1), (long)sqlite3_column_int64(st, 2));
    return finish(db, st, rc, "community_report counts");
}

bool events_store_kinds(sqlite3 *db, events_kind_fn fn, void *ud)
{
    int has = has_reports(db);
    sqlite3_stmt *st = has < 0 ? NULL : db_stmt(db, SQL_KINDS);
    if (!st)
        return false;
    bool reports_done = has == 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = col(st, 0);
        if (!reports_done && strcmp(k, EVENTS_REPORTS_KIND) >= 0) {
            reports_done = true;
            if (strcmp(k, EVENTS_REPORTS_KIND) != 0)
                fn(ud, EVENTS_REPORTS_KIND);
        }
        fn(ud, k);
    }
    if (!reports_done && rc == SQLITE_DONE)
        fn(ud, EVENTS_REPORTS_KIND);
    return finish(db, st, rc, "community kinds");
}

int spikes_store_setting(sqlite3 *db, const char *kind, ears_params *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SETTING);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        char methods[64];
        str_copy(methods, sizeof(methods), col(st, 0));
        p->methods = 0;
        for (char *save = NULL, *m = strtok_r(methods, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
            int i = ears_method_parse(m);
            if (i >= 0)
                p->methods |= 1u << i;
        }
        p->baseline = sqlite3_column_int(st, 1);
        p->guard = sqlite3_column_int(st, 2);
        p->ewma_baseline = sqlite3_column_int(st, 3);
        p->z12 = sqlite3_column_double(st, 4);
        p->z3 = sqlite3_column_double(st, 5);
        p->min_sigma = sqlite3_column_double(st, 6);
        p->min_count = (long)sqlite3_column_int64(st, 7);
        p->p_red = sqlite3_column_double(st, 8);
        p->p_yellow = sqlite3_column_double(st, 9);
        p->pois_red = sqlite3_column_double(st, 10);
        p->pois_yellow = sqlite3_column_double(st, 11);
        out = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "community_spike_setting");
        out = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

bool spikes_store_setting_put(sqlite3 *db, const char *kind, const ears_params *p, const char *who, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SETTING_PUT);
    if (!st)
        return false;
    char methods[64] = "";
    size_t used = 0;
    for (int i = 0; i < EARS_NMETHODS; i++)
        if (p->methods & (1u << i))
            used += (size_t)snprintf(methods + used, sizeof(methods) - used, "%s%s", used ? "," : "",
                                     ears_method_name(i));
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, methods, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, p->baseline);
    sqlite3_bind_int(st, 4, p->guard);
    sqlite3_bind_int(st, 5, p->ewma_baseline);
    sqlite3_bind_double(st, 6, p->z12);
    sqlite3_bind_double(st, 7, p->z3);
    sqlite3_bind_double(st, 8, p->min_sigma);
    sqlite3_bind_int64(st, 9, p->min_count);
    sqlite3_bind_double(st, 10, p->p_red);
    sqlite3_bind_double(st, 11, p->p_yellow);
    sqlite3_bind_double(st, 12, p->pois_red);
    sqlite3_bind_double(st, 13, p->pois_yellow);
    sqlite3_bind_int64(st, 14, now);
    sqlite3_bind_text(st, 15, who ? who : "", -1, SQLITE_STATIC);
    return db_run(db, st, "community_spike_setting put");
}

bool spikes_store_clear_day(sqlite3 *db, const char *day)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CLEAR);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    return db_run(db, st, "community_spike clear");
}

bool spikes_store_add(sqlite3 *db, const spike_row *r, long *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ADD);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, r->day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->area, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->method, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->level, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 6, r->count);
    sqlite3_bind_double(st, 7, r->expected);
    sqlite3_bind_double(st, 8, r->threshold);
    sqlite3_bind_double(st, 9, r->stat);
    sqlite3_bind_int64(st, 10, r->found_at);
    if (!db_run(db, st, "community_spike add"))
        return false;
    if (id)
        *id = (long)sqlite3_last_insert_rowid(db);
    return true;
}

static void row_of(sqlite3_stmt *st, spike_row *r)
{
    r->id = (long)sqlite3_column_int64(st, 0);
    str_copy(r->day, sizeof(r->day), col(st, 1));
    str_copy(r->area, sizeof(r->area), col(st, 2));
    str_copy(r->kind, sizeof(r->kind), col(st, 3));
    str_copy(r->method, sizeof(r->method), col(st, 4));
    str_copy(r->level, sizeof(r->level), col(st, 5));
    r->count = sqlite3_column_double(st, 6);
    r->expected = sqlite3_column_double(st, 7);
    r->threshold = sqlite3_column_double(st, 8);
    r->stat = sqlite3_column_double(st, 9);
    r->found_at = sqlite3_column_int64(st, 10);
}

bool spikes_store_list(sqlite3 *db, const char *since, int limit, spike_row_fn fn, void *ud)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LIST);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        spike_row r;
        row_of(st, &r);
        fn(ud, &r);
    }
    return finish(db, st, rc, "community_spike list");
}

int spikes_store_get(sqlite3 *db, long id, spike_row *r)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ONE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), out = 0;
    if (rc == SQLITE_ROW) {
        row_of(st, r);
        out = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "community_spike get");
        out = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}
