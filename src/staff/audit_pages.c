/* audit_pages: /staff/audit and /staff/audit.csv. See audit_pages.h. The
 * page is templates/staff/audit.mustache (everything escaped by {{ }});
 * the rows come from auth/audit_store. */
#include "staff/audit_pages.h"
#include "auth/audit_store.h"
#include "core/csv.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/view.h"
#include "staff/staff_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_PAGE 50
#define CSV_MAX_ROWS 100000 /* more: narrow the days (the body has a cap too) */
#define MAX_FIELDS 64       /* fields shown per row; the CSV has them all */

/* True when s is a day YYYY-MM-DD (month 01-12, day 01-31). */
static bool is_day(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static const char *arg(const request *rq, const char *key)
{
    const char *v = req_str(rq, key);
    return v ? v : "";
}

/* The filters of the request. A day that is not YYYY-MM-DD is left out
 * and, when d is given, named at its field; false when one was bad. */
static bool read_filter(const request *rq, audit_filter *f, json_t *d)
{
    *f = (audit_filter){arg(rq, "actor"), arg(rq, "action"), arg(rq, "target"), arg(rq, "from"), arg(rq, "to")};
    bool ok = true;
    if (f->from[0] && !is_day(f->from)) {
        if (d)
            staff_field_error(d, "from", T(rq, "Give the first day as YYYY-MM-DD, for example 2026-12-01."));
        f->from = "";
        ok = false;
    }
    if (f->to[0] && !is_day(f->to)) {
        if (d)
            staff_field_error(d, "to", T(rq, "Give the last day as YYYY-MM-DD, for example 2026-12-31."));
        f->to = "";
        ok = false;
    }
    return ok;
}

/* "/staff/audit?actor=...&page=N" with the filters given (page 0: none). */
static const char *filter_url(request *rq, const char *base, const audit_filter *f, long page)
{
    const char *keys[] = {"actor", "action", "target", "from", "to"};
    const char *vals[] = {f->actor, f->action, f->target, f->from, f->to};
    buf b = BUF_INIT;
    buf_puts(&b, base);
    char sep = '?';
    for (int i = 0; i < 5; i++) {
        if (!vals[i][0])
            continue;
        buf_printf(&b, "%c%s=", sep, keys[i]);
        esc_url(&b, vals[i], strlen(vals[i]));
        sep = '&';
    }
    if (page > 0)
        buf_printf(&b, "%cpage=%ld", sep, page);
    const char *out = arena_strdup(&rq->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* A field's value for "old -> new": text as it is, other JSON compact. */
static json_t *shown(int lang, json_t *v, bool present)
{
    if (!present)
        return json_string(i18n_tr(lang, "(none)"));
    if (json_is_string(v))
        return json_copy(v);
    if (json_is_null(v))
        return json_string(i18n_tr(lang, "(empty)"));
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    json_t *out = json_string(s ? s : "?");
    free(s);
    return out;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The changed fields of a row: [{field, old, new}], keys sorted. Text
 * that is not a JSON object (a damaged row) is shown whole. */
static json_t *changes(int lang, const char *before, const char *after)
{
    json_t *list = json_array();
    json_t *b = before ? json_loads(before, 0, NULL) : NULL, *a = after ? json_loads(after, 0, NULL) : NULL;
    if ((before && !json_is_object(b)) || (after && !json_is_object(a))) {
        json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "field", i18n_tr(lang, "(row)"), "old",
                                              before ? before : i18n_tr(lang, "(none)"), "new",
                                              after ? after : i18n_tr(lang, "(none)")));
        goto out;
    }
    const char *keys[2 * MAX_FIELDS], *k;
    size_t n = 0;
    json_t *v;
    json_object_foreach(b, k, v) {
        if (n < MAX_FIELDS)
            keys[n++] = k;
    }
    json_object_foreach(a, k, v) {
        if (n < 2 * MAX_FIELDS && !json_object_get(b, k))
            keys[n++] = k;
    }
    qsort(keys, n, sizeof(keys[0]), by_name);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object_get(b, keys[i]), *w = json_object_get(a, keys[i]);
        json_array_append_new(list, json_pack("{s:s,s:o,s:o}", "field", keys[i], "old", shown(lang, o, o != NULL),
                                              "new", shown(lang, w, w != NULL)));
    }
out:
    json_decref(b);
    json_decref(a);
    return list;
}

struct rows {
    json_t *list;
    int lang;
};

static bool add_row(const audit_row *r, void *ctx)
{
    const struct rows *rows = ctx;
    char when[40];
    /* 2026-12-04T06:55:26Z -> 2026-12-04 06:55:26 UTC */
    if (strlen(r->at) == 20 && r->at[10] == 'T')
        snprintf(when, sizeof(when), "%.10s %.8s UTC", r->at, r->at + 11);
    else
        snprintf(when, sizeof(when), "%.39s", r->at);
    json_t *ch = changes(rows->lang, r->before, r->after);
    json_t *row = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}", "id", (json_int_t)r->id, "at", r->at, "when",
                            when, "actor", r->actor[0] ? r->actor : i18n_tr(rows->lang, "(unknown)"), "session", r->session, "action",
                            r->action, "target", r->target, "has_changes", json_array_size(ch) > 0, "changes", ch);
    json_array_append_new(rows->list, row);
    return true;
}

struct actions {
    json_t *list;
    const char *chosen;
    bool found;
};

static bool add_action(const audit_row *r, void *ctx)
{
    struct actions *c = ctx;
    bool sel = !strcmp(r->action, c->chosen);
    c->found = c->found || sel;
    json_array_append_new(c->list, json_pack("{s:s,s:b}", "value", r->action, "selected", sel));
    return true;
}

/* The rows of one page, the pager and the action choices into d. */
static bool fill(request *rq, sqlite3 *db, json_t *d, const audit_filter *f)
{
    long total = audit_store_count(db, f);
    if (total < 0)
        return false;
    long pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1, page = req_int(rq, "page");
    if (page < 1 || page > pages)
        page = page < 1 ? 1 : pages;
    json_t *rows = json_array();
    json_object_set_new(d, "rows", rows);
    struct actions ac = {json_array(), f->action, false};
    json_object_set_new(d, "actions", ac.list);
    if (!audit_store_list(db, f, (page - 1) * PER_PAGE, PER_PAGE, add_row, &(struct rows){rows, rq->lang}) ||
        !audit_store_actions(db, add_action, &ac))
        return false;
    if (f->action[0] && !ac.found) /* keep the choice even when no row has it */
        json_array_append_new(ac.list, json_pack("{s:s,s:b}", "value", f->action, "selected", true));
    json_object_set_new(d, "filter", json_pack("{s:s,s:s,s:s,s:s,s:s}", "actor", f->actor, "action", f->action,
                                               "target", f->target, "from", f->from, "to", f->to));
    json_object_set_new(d, "has_rows", json_boolean(total > 0));
    json_object_set_new(d, "total", json_integer(total));
    json_object_set_new(d, "first", json_integer((page - 1) * PER_PAGE + (total > 0)));
    json_object_set_new(d, "last", json_integer((page - 1) * PER_PAGE + (json_int_t)json_array_size(rows)));
    json_object_set_new(d, "page", json_integer(page));
    json_object_set_new(d, "pages", json_integer(pages));
    if (page > 1)
        jset_str(d, "prev_url", filter_url(rq, "/staff/audit", f, page - 1));
    if (page < pages)
        jset_str(d, "next_url", filter_url(rq, "/staff/audit", f, page + 1));
    jset_str(d, "csv_url", filter_url(rq, "/staff/audit.csv", f, 0));
    return true;
}

void audit_page(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db) {
        resp_error(rq, rs, 500, T(rq, "The audit log cannot be read right now."));
        return;
    }
    json_t *d = staff_data(rq, T(rq, "Audit log"));
    audit_filter f;
    bool good = read_filter(rq, &f, d);
    db_read_begin(db); /* the count, the rows and the actions from one snapshot */
    bool ok = fill(rq, db, d, &f);
    db_read_end(db);
    if (!ok) {
        json_decref(d);
        resp_error(rq, rs, 500, T(rq, "The audit log cannot be read right now."));
        return;
    }
    if (!good)
        rs->status = 400;
    staff_page(rq, rs, "staff/audit", d);
}

/* One CSV cell. A cell a spreadsheet would read as a formula (= + - @,
 * or a tab or carriage return first) gets a quote in front. */
static void cell(buf *b, const char *s, bool last)
{
    if (s && s[0] && strchr("=+-@\t\r", s[0])) {
        size_t n = strlen(s);
        char *t = xmalloc(n + 2);
        t[0] = '\'';
        memcpy(t + 1, s, n + 1);
        csv_put_field(b, t);
        free(t);
    } else {
        csv_put_field(b, s ? s : "");
    }
    buf_putc(b, last ? '\n' : ',');
}

static bool csv_row(const audit_row *r, void *ctx)
{
    buf *b = ctx;
    buf_printf(b, "%ld,", r->id);
    const char *cells[] = {r->at, r->actor, r->session, r->action, r->target, r->before, r->after, r->prev_hash,
                           r->hash};
    size_t n = sizeof(cells) / sizeof(cells[0]);
    for (size_t i = 0; i < n; i++)
        cell(b, cells[i], i + 1 == n);
    return !b->overflow;
}

void audit_csv(request *rq, response *rs)
{
    audit_filter f;
    if (!read_filter(rq, &f, NULL)) {
        resp_error(rq, rs, 400, T(rq, "Give the days as YYYY-MM-DD, for example 2026-12-01."));
        return;
    }
    sqlite3 *db = db_thread();
    long n = db ? audit_store_count(db, &f) : -1;
    if (n > CSV_MAX_ROWS) { /* never a file cut short without saying so */
        resp_error(rq, rs, 400, T(rq, "More than 100,000 rows match. Choose fewer days and download them in parts."));
        return;
    }
    buf *b = &rs->body;
    buf_puts(b, "id,at,actor,session,action,target,before,after,prev_hash,hash\n");
    if (n < 0 || !audit_store_list(db, &f, 0, CSV_MAX_ROWS, csv_row, b) || b->overflow) {
        buf_reset(b);
        b->overflow = false;
        resp_error(rq, rs, 500, T(rq, "The audit log could not be exported. Try fewer days at a time."));
        return;
    }
    char name[96];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(name, sizeof(name), "attachment; filename=\"audit-log-%Y-%m-%d.csv\"", &tm);
    rs->content_type = "text/csv; charset=utf-8";
    rs->cache_control = "no-store";
    resp_header(rs, "Content-Disposition", arena_strdup(&rq->a, name));
}
