/* spikes_pages: /staff/spikes (the flags with their charts and "draft an
 * alert"), "run now" and the overview's hook. See spikes_pages.h. */
#include "community/spikes_pages.h"
#include "auth/audit.h"
#include "auth/guard.h"
#include "auth/roles.h"
#include "community/areas.h"
#include "community/spikes.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/chart.h"
#include "pages/hooks.h"
#include "pages/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHART_DAYS 56
#define PAGE_DAYS 30
#define HOME_DAYS 7

static spikes_staff_data_fn staff_data_g;

void spikes_pages_set_staff_data(spikes_staff_data_fn fn)
{
    staff_data_g = fn;
}

json_t *spikes_staff_data(request *rq, const char *title)
{
    if (staff_data_g)
        return staff_data_g(rq, title);
    json_t *d = json_object();
    jset_str(d, "title", title);
    return d;
}

const char *spikes_who(const request *rq)
{
    const staff_who *w = staff_who_of(rq);
    return w && w->email ? w->email : "";
}

bool spikes_can_tune(const request *rq)
{
    const staff_who *w = staff_who_of(rq);
    return w && w->role >= ROLE_EDITOR;
}

bool spikes_audit(request *rq, sqlite3 *db, const char *action, const char *target, json_t *after)
{
    const staff_who *w = staff_who_of(rq);
    audit_entry e = {w ? w->email : "", w ? w->session : "", action, target, NULL, after};
    return audit_write(db, &e);
}

bool spikes_finish(request *rq, response *rs, sqlite3 *db, bool ok)
{
    if (ok && db_commit(db))
        return true;
    db_rollback(db);
    resp_error(rq, rs, 500, T(rq, "The change could not be saved. Nothing was changed; please try again."));
    return false;
}

void spikes_field_error(json_t *d, const char *field, const char *message)
{
    json_t *errors = json_object_get(d, "errors");
    if (!errors) {
        errors = json_object();
        json_object_set_new(d, "errors", errors);
    }
    jset_str(errors, field, message);
    json_t *list = json_object_get(d, "error_list");
    if (!list) {
        list = json_array();
        json_object_set_new(d, "error_list", list);
    }
    json_array_append_new(list, json_pack("{s:s,s:s}", "field", field, "message", message));
    json_object_set_new(d, "has_errors", json_true());
}

/* The sentence that says why a method flagged. */
static void why_text(const spike_row *r, char *out, size_t outlen)
{
    if (strcmp(r->method, "c1") == 0 || strcmp(r->method, "c2") == 0)
        snprintf(out, outlen,
                 "EARS %s: %.0f is %.1f standard deviations above the mean of the %s (%.1f); it had to pass %.1f.",
                 strcmp(r->method, "c1") == 0 ? "C1" : "C2", r->count, r->stat,
                 strcmp(r->method, "c1") == 0 ? "7 days before" : "7 days before a 2-day gap", r->expected,
                 r->threshold);
    else if (strcmp(r->method, "c3") == 0)
        snprintf(out, outlen,
                 "EARS C3: this day and the two before were high together (score %.1f); %.0f passed %.1f "
                 "against an expected %.1f.",
                 r->stat, r->count, r->threshold, r->expected);
    else if (strcmp(r->method, "ewma") == 0)
        snprintf(out, outlen,
                 "EWMA (ESSENCE): the smoothed count rose above the 28-day baseline of %.1f a day "
                 "(p = %.4f); a count over %.1f was enough.",
                 r->expected, r->stat, r->threshold);
    else
        snprintf(out, outlen, "Poisson: %.0f or more when %.1f a day is usual has a chance of %.4f; %.0f was enough.",
                 r->count, r->expected, r->stat, r->threshold);
}

static const char *alert_source(const char *kind)
{
    if (strcmp(kind, "community-reports") == 0)
        return "community-report";
    if (strstr(kind, "ems"))
        return "ems";
    if (strstr(kind, "ed-") || strstr(kind, "emergency"))
        return "emergency-department";
    if (strstr(kind, "outreach") || strstr(kind, "naloxone") || strstr(kind, "reversal"))
        return "outreach";
    return "other";
}

static void url_param(buf *b, const char *name, const char *value)
{
    buf_puts(b, b->len ? "&" : "/staff/alerts/new?");
    buf_puts(b, name);
    buf_puts(b, "=");
    esc_url(b, value, strlen(value));
}

/* The "draft an alert" link: the alert form filled from the flag. */
static void alert_href(const spike_row *r, const char *why, buf *b)
{
    char kind[EVENTS_KIND_MAX], text[800], zips[1200] = "";
    str_copy(kind, sizeof(kind), r->kind);
    for (char *p = kind; *p; p++)
        if (*p == '-')
            *p = ' ';
    snprintf(text, sizeof(text), "More %s than usual in %s", kind, areas_label(r->area));
    url_param(b, "headline", text);
    url_param(b, "area", areas_label(r->area));
    const area *a = areas_find(r->area);
    if (a) {
        size_t used = 0;
        for (size_t i = 0; i < a->nzips && used + 7 < sizeof(zips); i++)
            used += (size_t)snprintf(zips + used, sizeof(zips) - used, "%s%s", i ? " " : "", a->zips[i]);
    } else {
        str_copy(zips, sizeof(zips), r->area);
    }
    url_param(b, "zips", zips);
    url_param(b, "seen_on", r->day);
    url_param(b, "source", alert_source(r->kind));
    snprintf(text, sizeof(text), "Counts of %s on %s: %.0f, where about %.1f is usual. %s", kind, r->day, r->count,
             r->expected, why);
    url_param(b, "description", text);
    snprintf(text, sizeof(text), "spike:%ld", r->id);
    url_param(b, "from", text);
}

/* The series of the flag's kind and area as a line chart. */
static void chart_of(sqlite3 *db, const spike_row *r, int lang, buf *svg)
{
    double y[CHART_DAYS];
    spikes_series(db, r->kind, r->area, r->day, CHART_DAYS, y);
    long last;
    events_day_ok(r->day, &last);
    char labels[CHART_DAYS][11];
    const char *ticks[CHART_DAYS];
    for (int i = 0; i < CHART_DAYS; i++) {
        ticks[i] = "";
        if ((CHART_DAYS - 1 - i) % 14 == 0) {
            events_day_str(last - (CHART_DAYS - 1 - i), labels[i]);
            ticks[i] = labels[i] + 5; /* MM-DD */
        }
    }
    char id[32], title[200], desc[300], note[120];
    snprintf(id, sizeof(id), "spike-%ld", r->id);
    snprintf(title, sizeof(title), "%s in %s, 8 weeks to %s", r->kind, areas_label(r->area), r->day);
    snprintf(desc, sizeof(desc), i18n_tr(lang, "Daily counts. On %s the count was %.0f; about %.1f was expected."),
             r->day, r->count, r->expected);
    snprintf(note, sizeof(note), "%.0f on %s", r->count, r->day + 5);
    line_chart c = {.id = id, .title = title, .desc = desc, .y_label = i18n_tr(lang, "Count a day"), .x_label = i18n_tr(lang, "Day"),
                    .n = CHART_DAYS, .x_tick_labels = ticks, .nseries = 1, .nnotes = 1};
    c.series[0] = (chart_series){r->kind, y};
    c.notes[0] = (chart_note){0, CHART_DAYS - 1, note};
    chart_line_svg(svg, &c);
}

typedef struct list_ctx {
    sqlite3 *db;
    json_t *list;
    bool tune;
    int lang;
} list_ctx;

static void add_flag(void *ud, const spike_row *r)
{
    list_ctx *c = ud;
    char why[400];
    why_text(r, why, sizeof(why));
    buf svg, href;
    buf_init(&svg, 1u << 20);
    buf_init(&href, 8192);
    chart_of(c->db, r, c->lang, &svg);
    alert_href(r, why, &href);
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:f,s:f,s:f,s:s,s:s,s:s}", "id", (json_int_t)r->id,
                          "day", r->day, "area", r->area, "area_label", areas_label(r->area), "kind", r->kind,
                          "method", r->method, "level", r->level, "red", strcmp(r->level, "red") == 0, "count",
                          r->count, "expected", r->expected, "threshold", r->threshold, "why", why, "chart",
                          svg.data ? svg.data : "", "alert_href", c->tune && href.data ? href.data : "");
    char nums[120];
    snprintf(nums, sizeof(nums), "%.0f", r->count);
    jset_str(o, "count_text", nums);
    snprintf(nums, sizeof(nums), "%.1f", r->expected);
    jset_str(o, "expected_text", nums);
    snprintf(nums, sizeof(nums), "%.1f", r->threshold);
    jset_str(o, "threshold_text", nums);
    json_array_append_new(c->list, o);
    buf_free(&svg);
    buf_free(&href);
}

/* The flags since days before yesterday, into d.spikes (has_spikes). */
static bool add_flags(const request *rq, sqlite3 *db, json_t *d, int days, int limit)
{
    char since[11];
    long y;
    spikes_yesterday(rq->cfg ? rq->cfg->timezone : NULL, (int64_t)time(NULL), since);
    events_day_ok(since, &y);
    events_day_str(y - days + 1, since);
    list_ctx c = {db, json_array(), spikes_can_tune(rq), rq->lang};
    bool ok = spikes_store_list(db, since, limit, add_flag, &c);
    json_object_set_new(d, "has_spikes", json_boolean(json_array_size(c.list) > 0));
    json_object_set_new(d, "spikes", c.list);
    json_object_set_new(d, "can_tune", json_boolean(c.tune));
    return ok;
}

static void add_kind(void *ud, const char *kind)
{
    json_array_append_new(ud, json_pack("{s:s}", "kind", kind));
}

void spikes_page(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db)
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    json_t *d = spikes_staff_data(rq, T(rq, "Spikes"));
    json_t *kinds = json_array();
    bool ok = add_flags(rq, db, d, PAGE_DAYS, 200) && events_store_kinds(db, add_kind, kinds);
    json_object_set_new(d, "has_kinds", json_boolean(json_array_size(kinds) > 0));
    json_object_set_new(d, "kinds", kinds);
    char day[11];
    spikes_yesterday(rq->cfg ? rq->cfg->timezone : NULL, (int64_t)time(NULL), day);
    jset_str(d, "yesterday", day);
    const char *done = req_str(rq, "done");
    if (done && strcmp(done, "run") == 0) {
        char msg[120];
        snprintf(msg, sizeof(msg),
                 TN(rq, "The detector ran for %s and found %ld flag.", "The detector ran for %s and found %ld flags.",
                    req_int(rq, "n")),
                 req_str(rq, "day") ? req_str(rq, "day") : T(rq, "the day"), req_int(rq, "n"));
        jset_str(d, "notice", msg);
    }
    if (!ok) {
        json_decref(d);
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    }
    view_page(rq, rs, "staff/spikes", d);
}

typedef struct run_audit {
    request *rq;
    const char *day;
} run_audit;

/* The run's audit row, inside its transaction. */
static bool audit_run(void *ud, sqlite3 *db, int nflags)
{
    run_audit *a = ud;
    json_t *after = json_pack("{s:s,s:i}", "day", a->day, "flags", nflags);
    bool ok = spikes_audit(a->rq, db, "spikes.run", a->day, after);
    json_decref(after);
    return ok;
}

void spikes_run_now(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db)
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    char day[11], err[300];
    const char *given = req_str(rq, "date");
    if (given && !events_day_ok(given, NULL))
        return resp_error(rq, rs, 400, T(rq, "date: expected a date like 2025-03-14."));
    if (given)
        str_copy(day, sizeof(day), given);
    else
        spikes_yesterday(rq->cfg ? rq->cfg->timezone : NULL, (int64_t)time(NULL), day);
    spike_row *f;
    int n;
    run_audit a = {rq, day};
    if (!spikes_run_then(db, day, audit_run, &a, &f, &n, err, sizeof(err)))
        return resp_error(rq, rs, 500, T(rq, "The detector could not run. Nothing was changed."));
    free(f);
    char to[80];
    snprintf(to, sizeof(to), "/staff/spikes?done=run&day=%s&n=%d", day, n);
    resp_redirect(rs, 303, arena_strdup(&rq->a, to));
}

static void home_hook(page_ctx *ctx)
{
    sqlite3 *db = db_thread();
    if (db)
        add_flags(ctx->rq, db, ctx->data, HOME_DAYS, 20);
    ctx->cacheable = false;
}

bool spikes_pages_register(void)
{
    return hooks_add("staff:home", home_hook);
}
