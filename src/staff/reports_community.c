/* reports_community: community drug reports in the staff queue: their
 * groups on the page and "make an alert". See reports_community.h. The SQL
 * is reports_store.c; the decision and its audit rows are one transaction
 * (staff_finish). */
#include "staff/reports_community.h"
#include "auth/guard.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/view.h"
#include "staff/staff_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define URL_MAX 3800   /* under the default 4096-byte URI limit */
#define ZIPS_MAX 60

static reports_community_fns fns;

void reports_set_community(const reports_community_fns *f)
{
    fns = f ? *f : (reports_community_fns){0};
}

static const char *area_label(const char *key)
{
    const char *l = fns.area_label ? fns.area_label(key) : NULL;
    return l && *l ? l : key;
}

static const char *effect_label(const char *slug)
{
    const char *l = fns.effect_label ? fns.effect_label(slug) : NULL;
    return l && *l ? l : slug;
}

/* The effect labels of "a,b,c" as a JSON list of strings. */
static json_t *effect_list(const char *effects)
{
    json_t *list = json_array();
    while (effects && *effects) {
        size_t n = strcspn(effects, ",");
        char slug[64];
        snprintf(slug, sizeof(slug), "%.*s", (int)(n < 63 ? n : 63), effects);
        if (slug[0])
            json_array_append_new(list, json_string(effect_label(slug)));
        effects += n + (effects[n] ? 1 : 0);
    }
    return list;
}

/* The group key: the substance (lowercased ASCII) and the area. */
static void group_key(const report_item *it, buf *k)
{
    const char *sub = it->sold_as[0] ? it->sold_as : it->seemed;
    buf_puts(k, it->sold_as[0] ? "s:" : it->seemed[0] ? "m:" : "-:");
    for (const char *p = sub; *p; p++)
        buf_putc(k, (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p);
    buf_printf(k, "|%s", it->area);
}

void reports_community_add(json_t *entries, json_t *groups, json_t *o, const report_item *it)
{
    bool open = !strcmp(it->status, "new"), pickable = open || !strcmp(it->status, "reviewed");
    json_object_set_new(o, "community", json_true());
    json_object_set_new(o, "open", json_boolean(open));
    json_object_set_new(o, "pickable", json_boolean(pickable));
    json_object_set_new(o, "staff", json_boolean(it->staff));
    jset_str(o, "day", it->day);
    jset_str(o, "area_label", area_label(it->area));
    jset_str(o, "sold_as", it->sold_as);
    jset_str(o, "seemed", it->seemed);
    jset_str(o, "looked", it->looked);
    json_t *eff = effect_list(it->effects);
    json_object_set_new(o, "has_effects", json_boolean(json_array_size(eff) > 0));
    json_object_set_new(o, "effects", eff);
    buf k = BUF_INIT;
    group_key(it, &k);
    json_t *g = json_object_get(groups, buf_cstr(&k));
    if (!g) {
        g = json_pack("{s:I,s:s,s:s,s:s,s:b,s:b,s:o,s:i,s:b}", "gid", (json_int_t)json_object_size(groups) + 1,
                      "sold_as", it->sold_as, "seemed", it->seemed, "area_label", area_label(it->area), "by_sold_as",
                      it->sold_as[0] != '\0', "by_seemed", !it->sold_as[0] && it->seemed[0], "reports", json_array(),
                      "count", 0, "any_pickable", 0);
        json_object_set_new(groups, buf_cstr(&k), g);
        json_array_append_new(entries, json_pack("{s:O}", "group", g));
    }
    buf_free(&k);
    json_array_append_new(json_object_get(g, "reports"), o);
    json_object_set_new(g, "count", json_integer(json_integer_value(json_object_get(g, "count")) + 1));
    json_object_set_new(g, "many", json_boolean(json_integer_value(json_object_get(g, "count")) > 1));
    if (pickable)
        json_object_set_new(g, "any_pickable", json_true());
}

/* ---- the alert form's values ---- */

/* Appends s to list unless it is there already (ASCII case ignored). */
static void add_distinct(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    if (!s || !*s)
        return;
    json_array_foreach (list, i, v)
        if (!strcasecmp(json_string_value(v), s))
            return;
    json_array_append_new(list, json_string(s));
}

/* The strings of list joined by sep, at most max characters (cut on a
 * character boundary, with "..." when cut). */
static void join(buf *out, const json_t *list, const char *sep, size_t max)
{
    buf b = BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach (list, i, v)
        buf_printf(&b, "%s%s", i ? sep : "", json_string_value(v));
    size_t chars = 0, at = 0;
    const char *s = buf_cstr(&b);
    for (; s[at]; at++) {
        if (((unsigned char)s[at] & 0xC0) != 0x80 && ++chars > (max > 3 ? max - 3 : max))
            break;
    }
    if (s[at] && b.len - at > 3) {
        buf_append(out, s, at);
        buf_puts(out, "...");
    } else {
        buf_puts(out, s);
    }
    buf_free(&b);
}

static void add_param(buf *q, const char *key, const char *value)
{
    if (q->len)
        buf_putc(q, '&');
    buf_printf(q, "%s=", key);
    esc_url(q, value, strlen(value));
}

static void param_list(buf *q, const char *key, const json_t *list, const char *sep, size_t max)
{
    buf b = BUF_INIT;
    join(&b, list, sep, max);
    if (b.len)
        add_param(q, key, buf_cstr(&b));
    buf_free(&b);
}

/* The ZIP codes the reports' areas cover, at most ZIPS_MAX. */
static json_t *zips_of(const json_t *areas)
{
    json_t *zips = json_array();
    size_t i;
    json_t *v;
    json_array_foreach (areas, i, v) {
        const char *key = json_string_value(v), *z[ZIPS_MAX];
        size_t n = fns.area_zips ? fns.area_zips(key, z, ZIPS_MAX) : 0;
        if (!fns.area_zips && strlen(key) == 5 && strspn(key, "0123456789") == 5) {
            z[0] = key;
            n = 1;
        }
        for (size_t k = 0; k < n && json_array_size(zips) < ZIPS_MAX; k++)
            add_distinct(zips, z[k]);
    }
    return zips;
}

/* The query with every text at most scale/8 of its usual length. */
static char *query_at(const report_item *items, size_t n, int scale)
{
    json_t *sold = json_array(), *seemed = json_array(), *looked = json_array(), *effects = json_array(),
           *areas = json_array(), *labels = json_array(), *from = json_array();
    const char *last = "", *first = "9999";
    int staff = 0;
    for (size_t i = 0; i < n; i++) {
        const report_item *it = &items[i];
        add_distinct(sold, it->sold_as);
        add_distinct(seemed, it->seemed);
        add_distinct(looked, it->looked);
        json_t *eff = effect_list(it->effects);
        size_t k;
        json_t *v;
        json_array_foreach (eff, k, v)
            add_distinct(effects, json_string_value(v));
        json_decref(eff);
        add_distinct(areas, it->area);
        add_distinct(labels, area_label(it->area));
        char ref[40];
        snprintf(ref, sizeof(ref), "report:%ld", it->id);
        json_array_append_new(from, json_string(ref));
        last = strcmp(it->day, last) > 0 ? it->day : last;
        first = strcmp(it->day, first) < 0 ? it->day : first;
        staff += it->staff;
    }
    buf q = BUF_INIT, t = BUF_INIT, where = BUF_INIT;
    join(&where, labels, ", ", 100);
    if (json_array_size(sold)) {
        buf_puts(&t, "Bad reactions to drugs sold as ");
        join(&t, sold, " or ", 40);
    } else {
        buf_puts(&t, "Bad reactions to drugs");
    }
    buf_printf(&t, " in %s", buf_cstr(&where));
    json_t *head = json_pack("[s]", buf_cstr(&t));
    param_list(&q, "headline", head, "", 120);
    param_list(&q, "sold_as", sold, ", ", 200 * (size_t)scale / 8);
    param_list(&q, "substances", seemed, ", ", 200 * (size_t)scale / 8);
    param_list(&q, "appearance", looked, "; ", 500 * (size_t)scale / 8);
    param_list(&q, "effects", effects, "; ", 1000 * (size_t)scale / 8);
    buf_reset(&t);
    buf_printf(&t, "Drafted from %zu community report%s (%d from staff or outreach) of use between %s and %s. "
                   "Check every detail and remove anything that could identify someone before publishing.",
               n, n == 1 ? "" : "s", staff, first, last);
    add_param(&q, "description", buf_cstr(&t));
    param_list(&q, "area", labels, ", ", 200 * (size_t)scale / 8);
    json_t *zips = zips_of(areas);
    param_list(&q, "zips", zips, " ", 400 * (size_t)scale / 8);
    add_param(&q, "seen_on", last);
    add_param(&q, "source", "community-report");
    param_list(&q, "from", from, ",", 400);
    json_decref(head);
    json_decref(zips);
    json_t *all[] = {sold, seemed, looked, effects, areas, labels, from};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        json_decref(all[i]);
    buf_free(&t);
    buf_free(&where);
    size_t len;
    char *out = buf_detach(&q, &len);
    return out ? out : xstrdup("");
}

char *reports_alert_query(const report_item *items, size_t n, size_t max)
{
    for (int scale = 8;; scale /= 2) {
        char *q = query_at(items, n, scale);
        if (strlen(q) <= max || scale <= 1)
            return q;
        free(q);
    }
}

/* ---- POST /staff/reports/alert ---- */

/* Reads and marks the ticked reports in one transaction: 200, 404 (a report
 * is not there), 500. items gets them as they were. */
static int mark_alerted(request *rq, sqlite3 *db, report_item *items, size_t n)
{
    if (!db_begin(db))
        return 500;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        long id;
        if (!parse_long(params_get_nth(&rq->form, "report", i), 1, 2147483647, &id))
            id = 0;
        int f = reports_store_get(db, &rq->a, REPORT_SOURCE_COMMUNITY, id, &items[i]);
        if (f <= 0) {
            db_rollback(db);
            return f == 0 ? 404 : 500;
        }
        if (!strcmp(items[i].status, "alerted"))
            continue;
        char target[64];
        snprintf(target, sizeof(target), "report:%s:%ld", REPORT_SOURCE_COMMUNITY, id);
        json_t *before = json_pack("{s:s}", "status", items[i].status), *after = json_pack("{s:s}", "status", "alerted");
        const staff_who *w = staff_who_of(rq);
        ok = reports_store_set_status(db, REPORT_SOURCE_COMMUNITY, id, "alerted", w ? w->email : "") &&
             staff_log(rq, db, "report.alert", target, before, after);
        json_decref(before);
        json_decref(after);
    }
    if (!ok || !db_commit(db)) {
        db_rollback(db);
        return 500;
    }
    return 200;
}

void staff_reports_alert(request *rq, response *rs)
{
    size_t n = params_count(&rq->form, "report");
    if (n == 0 || n > REPORTS_ALERT_MAX) {
        resp_error(rq, rs, 400, n ? T(rq, "Too many reports were ticked for one alert: at most 30.")
                                  : T(rq, "Tick at least one report to make an alert from."));
        return;
    }
    report_item items[REPORTS_ALERT_MAX];
    sqlite3 *db = db_thread();
    int st = db ? mark_alerted(rq, db, items, n) : 500;
    if (st == 404) {
        resp_error(rq, rs, 404, T(rq, "One of the ticked reports is not a community report that exists."));
        return;
    }
    if (st != 200)
        return staff_server_error(rq, rs);
    char *q = reports_alert_query(items, n, URL_MAX);
    buf loc = BUF_INIT;
    buf_printf(&loc, "/staff/alerts/new?%s", q);
    free(q);
    resp_redirect(rs, 303, arena_strdup(&rq->a, buf_cstr(&loc)));
    buf_free(&loc);
}
