/* spikes: the detector over the stored counts, its preview and its
 * nightly thread. See spikes.h. */
#include "community/spikes.h"
#include "core/log.h"
#include "core/tz.h"
#include "core/util.h"
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool spikes_params(sqlite3 *db, const char *kind, ears_params *p)
{
    ears_defaults(p);
    return spikes_store_setting(db, kind, p) >= 0;
}

/* Series of one kind and area, gathered from rows ordered by kind, area,
 * day; flushed to the caller's function when the pair changes. */
typedef void (*series_fn)(void *ud, const char *kind, const char *area, const double *y, int start, int n);

typedef struct collector {
    long first_day; /* day number of y[0] */
    int n;
    double *y;
    int start; /* the first index with a row; n when none yet */
    char kind[EVENTS_KIND_MAX], area[64];
    series_fn fn;
    void *ud;
} collector;

static void flush(collector *c)
{
    if (c->start < c->n)
        c->fn(c->ud, c->kind, c->area, c->y, c->start, c->n);
    memset(c->y, 0, (size_t)c->n * sizeof(double));
    c->start = c->n;
}

static void take(void *ud, const char *kind, const char *area, const char *day, long count)
{
    collector *c = ud;
    long d;
    if (!events_day_ok(day, &d) || d < c->first_day || d >= c->first_day + c->n)
        return;
    if (strcmp(kind, c->kind) != 0 || strcmp(area, c->area) != 0) {
        flush(c);
        str_copy(c->kind, sizeof(c->kind), kind);
        str_copy(c->area, sizeof(c->area), area);
    }
    int i = (int)(d - c->first_day);
    c->y[i] = (double)count;
    if (i < c->start)
        c->start = i;
}

/* Walks every (kind, area) series of kind (NULL: all) over the n days
 * ending on day number last. */
static bool walk(sqlite3 *db, const char *kind, long last, int n, series_fn fn, void *ud)
{
    collector c = {.first_day = last - n + 1, .n = n, .start = n, .fn = fn, .ud = ud};
    c.y = xcalloc((size_t)n, sizeof(double));
    char from[11], to[11];
    events_day_str(c.first_day, from);
    events_day_str(last, to);
    bool reports = !kind || strcmp(kind, EVENTS_REPORTS_KIND) == 0;
    bool ok = !kind || !reports ? events_store_window(db, kind, from, to, take, &c) : true;
    flush(&c);
    c.kind[0] = c.area[0] = '\0';
    if (ok && reports)
        ok = events_store_reports_window(db, from, to, take, &c);
    flush(&c);
    free(c.y);
    return ok;
}

typedef struct run_ctx {
    sqlite3 *db;
    const char *day;
    char kind[EVENTS_KIND_MAX];
    ears_params p;
    bool ok;
    spike_row *flags;
    int n, cap;
    int64_t now;
} run_ctx;

static void run_series(void *ud, const char *kind, const char *area, const double *y, int start, int n)
{
    run_ctx *r = ud;
    if (strcmp(kind, r->kind) != 0) {
        str_copy(r->kind, sizeof(r->kind), kind);
        r->ok = r->ok && spikes_params(r->db, kind, &r->p);
    }
    ears_flag f[EARS_NMETHODS];
    int k = r->ok ? ears_detect(y + start, n - start, n - start - 1, &r->p, f, EARS_NMETHODS) : 0;
    for (int i = 0; i < k && r->n < SPIKES_MAX_FLAGS; i++) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 16;
            r->flags = xrealloc(r->flags, (size_t)r->cap * sizeof(*r->flags));
        }
        spike_row *s = &r->flags[r->n++];
        memset(s, 0, sizeof(*s));
        str_copy(s->day, sizeof(s->day), r->day);
        str_copy(s->area, sizeof(s->area), area);
        str_copy(s->kind, sizeof(s->kind), kind);
        str_copy(s->method, sizeof(s->method), ears_method_name(f[i].method));
        str_copy(s->level, sizeof(s->level), ears_level_name(f[i].level));
        s->count = f[i].count;
        s->expected = f[i].expected;
        s->threshold = f[i].threshold;
        s->stat = f[i].stat;
        s->found_at = r->now;
    }
}

bool spikes_run(sqlite3 *db, const char *day, spike_row **flags, int *n, char *err, size_t errlen)
{
    return spikes_run_then(db, day, NULL, NULL, flags, n, err, errlen);
}

bool spikes_run_then(sqlite3 *db, const char *day, spikes_then_fn then, void *ud, spike_row **flags, int *n,
                     char *err, size_t errlen)
{
    long d;
    *flags = NULL;
    *n = 0;
    if (!events_day_ok(day, &d)) {
        snprintf(err, errlen, "the date must look like 2025-03-14");
        return false;
    }
    run_ctx r = {.db = db, .day = day, .ok = true, .now = (int64_t)time(NULL)};
    /* the series are read and judged in a read transaction, so the
     * detector's work never holds the write lock other requests wait on */
    bool ok = db_read_begin(db);
    ok = ok && walk(db, NULL, d, SPIKES_WINDOW, run_series, &r) && r.ok;
    db_read_end(db);
    ok = ok && db_begin(db);
    ok = ok && spikes_store_clear_day(db, day);
    for (int i = 0; ok && i < r.n; i++)
        ok = spikes_store_add(db, &r.flags[i], &r.flags[i].id);
    ok = ok && (!then || then(ud, db, r.n));
    ok = ok && db_commit(db);
    if (!ok) {
        db_rollback(db);
        free(r.flags);
        snprintf(err, errlen, "the detector could not read or store the counts: %s", sqlite3_errmsg(db));
        return false;
    }
    *flags = r.flags;
    *n = r.n;
    return true;
}

typedef struct preview_ctx {
    const ears_params *p;
    int days;
    spikes_preview_out *out;
} preview_ctx;

static void preview_series(void *ud, const char *kind, const char *area, const double *y, int start, int n)
{
    (void)kind, (void)area;
    preview_ctx *c = ud;
    c->out->areas++;
    int first = n - c->days > start ? n - c->days : start;
    for (int t = first; t < n; t++) {
        ears_flag f[EARS_NMETHODS];
        int k = ears_detect(y + start, n - start, t - start, c->p, f, EARS_NMETHODS);
        c->out->days_checked++;
        if (!k)
            continue;
        int level = EARS_NONE;
        for (int i = 0; i < k; i++) {
            c->out->by_method[f[i].method]++;
            if (f[i].level > level)
                level = f[i].level;
        }
        c->out->flagged_days++;
        if (level == EARS_RED)
            c->out->red++;
        else
            c->out->yellow++;
    }
}

bool spikes_preview(sqlite3 *db, const char *kind, const ears_params *p, const char *to, int days,
                    spikes_preview_out *out)
{
    long d;
    memset(out, 0, sizeof(*out));
    if (!events_day_ok(to, &d) || days < 1 || days > 3660)
        return false;
    preview_ctx c = {p, days, out};
    bool ok = db_read_begin(db);
    ok = ok && walk(db, kind, d, days + SPIKES_WINDOW, preview_series, &c);
    db_read_end(db);
    return ok;
}

typedef struct series_ctx {
    const char *area;
    double *y;
} series_ctx;

static void copy_series(void *ud, const char *kind, const char *area, const double *y, int start, int n)
{
    (void)kind, (void)start;
    series_ctx *c = ud;
    if (strcmp(area, c->area) == 0)
        memcpy(c->y, y, (size_t)n * sizeof(double));
}

bool spikes_series(sqlite3 *db, const char *kind, const char *area, const char *to, int ndays, double *y)
{
    long d;
    memset(y, 0, (size_t)ndays * sizeof(double));
    if (!events_day_ok(to, &d))
        return false;
    series_ctx c = {area, y};
    return walk(db, kind, d, ndays, copy_series, &c);
}

void spikes_yesterday(const char *zone, int64_t at, char out[11])
{
    struct tm tm;
    tz_local(tz_get(zone), at, &tm);
    long today = (long)tz_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    events_day_str(today - 1, out);
}

/* The nightly thread. */
static const config *sched_cfg;
static pthread_t thread;
static bool running;
static atomic_bool stopping;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

/* The next 00:05 in the site's zone after now. */
static int64_t next_run(const char *zone, int64_t from)
{
    const tz *z = tz_get(zone);
    struct tm tm;
    tz_local(z, from, &tm);
    int64_t at = tz_utc(z, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 5);
    if (at <= from)
        at = tz_utc(z, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + 1, 0, 5);
    return at;
}

static void *nightly(void *arg)
{
    sqlite3 *db = arg;
    while (!atomic_load(&stopping)) {
        int64_t at = next_run(sched_cfg->timezone, (int64_t)time(NULL));
        struct timespec ts = {(time_t)at, 0};
        pthread_mutex_lock(&mu);
        while (!atomic_load(&stopping) && (int64_t)time(NULL) < at)
            if (pthread_cond_timedwait(&cv, &mu, &ts) != 0)
                break;
        pthread_mutex_unlock(&mu);
        if (atomic_load(&stopping) || (int64_t)time(NULL) < at)
            continue;
        char day[11], err[300];
        spikes_yesterday(sched_cfg->timezone, (int64_t)time(NULL), day);
        spike_row *flags;
        int n;
        if (spikes_run(db, day, &flags, &n, err, sizeof(err))) {
            log_info("spikes: %s checked, %d flag%s", day, n, n == 1 ? "" : "s");
            free(flags);
        } else {
            log_error("spikes: %s: %s", day, err);
        }
    }
    db_close(db);
    return NULL;
}

bool spikes_load(const config *cfg, char *err, size_t errlen)
{
    sched_cfg = cfg;
    sqlite3 *db = db_open_command(cfg->db_path, err, errlen);
    if (!db)
        return false;
    atomic_store(&stopping, false);
    if (pthread_create(&thread, NULL, nightly, db) != 0) {
        db_close(db);
        snprintf(err, errlen, "spikes: the nightly thread could not start");
        return false;
    }
    running = true;
    return true;
}

void spikes_unload(void)
{
    if (!running)
        return;
    atomic_store(&stopping, true);
    pthread_mutex_lock(&mu);
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(thread, NULL);
    running = false;
}
