/* alerts_hooks: what the alerts feature adds to pages it does not own
 * (the home page, every fact sheet, /overdose), the per-substance
 * templates file, and conditional GET by date. See alerts_pages.h. */
#include "alerts/alerts_lang.h"
#include "alerts/alerts_pages.h"
#include "alerts/alerts_store.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "core/util.h"
#include "core/vocab.h"
#include "db/db.h"
#include "pages/hooks.h"
#include "pages/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOOK_MAX 20

static vocab templates_g;
static bool loaded_g;

/* ---- the templates file ---- */

static bool check_template(vocab *v, size_t i, const json_t *t)
{
    const char *slug = json_string_value(json_object_get(t, "slug"));
    const char *label = json_string_value(json_object_get(t, "label"));
    const json_t *a = json_object_get(t, "alert");
    if (!slug || !*slug)
        return vocab_bad(v, "templates", i, NULL, "no slug");
    if (!label || !*label)
        return vocab_bad(v, "templates", i, slug, "no label");
    if (!json_is_object(a) || !json_is_string(json_object_get(a, "headline")) ||
        strlen(json_string_value(json_object_get(a, "headline"))) > ALERT_HEADLINE_MAX)
        return vocab_bad(v, "templates", i, slug, "the alert needs a headline of at most %d characters", ALERT_HEADLINE_MAX);
    char s[64], title[128];
    size_t k;
    const json_t *sub;
    json_array_foreach (json_object_get(a, "substances"), k, sub)
        if (!json_is_string(sub) || !alerts_resolve_substance(json_string_value(sub), s, sizeof(s), title, sizeof(title)))
            return vocab_bad(v, "templates", i, slug, "substances[%zu] is not a substance of the matrix", k);
    if (!json_array_size(json_object_get(a, "substances")))
        return vocab_bad(v, "templates", i, slug, "the alert names no substance");
    if (!json_array_size(json_object_get(t, "sources")))
        return vocab_bad(v, "templates", i, slug, "no sources (clinical text needs them)");
    return true;
}

bool alerts_load(const config *cfg, char *err, size_t errlen)
{
    if (!vocab_open(&templates_g, cfg->data_dir, "alerts/templates.json", err, errlen))
        return false;
    json_t *list = vocab_list(&templates_g, "templates", 0, 64);
    bool ok = list != NULL;
    size_t i;
    const json_t *t;
    if (ok)
        json_array_foreach (list, i, t)
            if (!(ok = check_template(&templates_g, i, t)))
                break;
    if (!ok) {
        vocab_close(&templates_g);
        return false;
    }
    loaded_g = true;
    return true;
}

void alerts_unload(void)
{
    if (loaded_g)
        vocab_close(&templates_g);
    loaded_g = false;
}

json_t *alerts_template_list(void)
{
    json_t *out = json_array();
    size_t i;
    const json_t *t;
    if (loaded_g)
        json_array_foreach (json_object_get(templates_g.root, "templates"), i, t)
            json_array_append_new(out, json_pack("{s:O,s:O,s:O}", "slug", json_object_get(t, "slug"), "label",
                                                 json_object_get(t, "label"), "sources", json_object_get(t, "sources")));
    return out;
}

const json_t *alerts_template(const char *slug)
{
    size_t i;
    const json_t *t;
    if (loaded_g && slug)
        json_array_foreach (json_object_get(templates_g.root, "templates"), i, t)
            if (!strcmp(json_string_value(json_object_get(t, "slug")), slug))
                return json_object_get(t, "alert");
    return NULL;
}

/* ---- hooks ---- */

/* Active alerts (naming slug when given, at most max_rank severe) as
 * [{href, title, area, severity}], most severe first, each in its
 * translation into lang when it has one; NULL on error. */
static json_t *active_list(int lang, const char *slug, int max_rank)
{
    sqlite3 *db = db_thread();
    if (!db)
        return NULL;
    alert_rec list[HOOK_MAX];
    alert_filter f = {true, 1, slug, 0, max_rank, (int64_t)time(NULL), 0, HOOK_MAX, true};
    int n = alerts_store_list(db, &f, list, HOOK_MAX, NULL);
    if (n < 0)
        return NULL;
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        char href[64];
        alert_rec t;
        bool tr = alerts_translated(db, &list[i], lang, &t) == 1;
        const alert_rec *a = tr ? &t : &list[i];
        snprintf(href, sizeof(href), "/alerts/%ld", a->id);
        const json_t *doc = a->doc;
        json_t *o = json_pack("{s:s,s:O,s:O,s:s,s:O}", "href", href, "title", json_object_get(doc, "headline"),
                              "area", json_object_get(json_object_get(doc, "area"), "description"), "severity",
                              alerts_word(lang, json_string_value(json_object_get(doc, "severity"))),
                              "severity_class", json_object_get(doc, "severity"));
        if (strcmp(alerts_text_lang(a), i18n_code(lang)))
            json_object_set_new(o, "text_lang", json_string(alerts_text_lang(a)));
        json_array_append_new(out, o);
        if (tr)
            alert_rec_clear(&t);
        alert_rec_clear(&list[i]);
    }
    return out;
}

static void put(page_ctx *ctx, const char *key, const char *flag, json_t *list)
{
    ctx->cacheable = false; /* the list changes with the clock, not with the snapshot */
    if (!list)
        return; /* a database error: the page keeps its honest "no alerts" text */
    json_object_set_new(ctx->data, flag, json_boolean(json_array_size(list) > 0));
    json_object_set_new(ctx->data, key, list);
    json_object_set_new(ctx->data, "alerts_feed", json_true());
}

static void hook_home(page_ctx *ctx)
{
    put(ctx, "alerts", "has_alerts", active_list(ctx->rq->lang, NULL, 3));
}

static void hook_sheet(page_ctx *ctx)
{
    const char *path = ctx->p ? ctx->p->path : NULL;
    const char *slug = path ? strrchr(path, '/') : NULL;
    if (!slug || !slug[1] || strncmp(path, "/substances/", 12))
        return;
    put(ctx, "alerts", "has_alerts", active_list(ctx->rq->lang, slug + 1, 3));
    char href[128];
    snprintf(href, sizeof(href), "/alerts?substance=%s", slug + 1);
    jset_str(ctx->data, "alerts_more", href);
}

static void hook_overdose(page_ctx *ctx)
{
    put(ctx, "urgent_alerts", "has_urgent_alerts", active_list(ctx->rq->lang, NULL, 0));
}

bool alerts_register(void)
{
    return hooks_add("home", hook_home) && hooks_add("page:substances", hook_sheet) &&
           hooks_add("path:/overdose", hook_overdose);
}

/* ---- conditional GET by date ---- */

static int month_of(const char *s)
{
    static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (!strncmp(s, m + i * 3, 3))
            return i + 1;
    return 0;
}

static bool two(const char *s, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

/* "hh:mm:ss" */
static bool clock_of(const char *s, int *h, int *mi, int *se)
{
    return two(s, h) && s[2] == ':' && two(s + 3, mi) && s[5] == ':' && two(s + 6, se) && *h < 24 && *mi < 60 &&
           *se < 61;
}

bool alerts_http_date(const char *s, int64_t *t)
{
    int d = 0, mo = 0, y = 0, h, mi, se, y2;
    const char *c = strchr(s, ',');
    size_t n = strlen(s);
    if (c && c - s == 3 && n == 29) { /* Sun, 06 Nov 1994 08:49:37 GMT */
        if (!two(s + 5, &d) || !(mo = month_of(s + 8)) || !two(s + 12, &y) || !two(s + 14, &y2) ||
            !clock_of(s + 17, &h, &mi, &se) || strcmp(s + 25, " GMT") || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
            s[16] != ' ')
            return false;
        y = y * 100 + y2;
    } else if (c && c - s >= 6 && c - s <= 9 && strlen(c) == 24) { /* Sunday, 06-Nov-94 08:49:37 GMT */
        if (!two(c + 2, &d) || c[4] != '-' || !(mo = month_of(c + 5)) || c[8] != '-' || !two(c + 9, &y) ||
            !clock_of(c + 12, &h, &mi, &se) || strcmp(c + 20, " GMT"))
            return false;
        y += y < 70 ? 2000 : 1900;
    } else if (!c && n == 24) { /* Sun Nov  6 08:49:37 1994 */
        if (!(mo = month_of(s + 4)) || s[7] != ' ' || !clock_of(s + 11, &h, &mi, &se) || !two(s + 20, &y) ||
            !two(s + 22, &y2))
            return false;
        d = s[8] == ' ' ? 0 : s[8] - '0';
        if (s[9] < '0' || s[9] > '9' || d < 0 || d > 3)
            return false;
        d = d * 10 + (s[9] - '0');
        y = y * 100 + y2;
    } else {
        return false;
    }
    if (d < 1 || d > 31 || y < 1970)
        return false;
    *t = tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se > 59 ? 59 : se);
    return true;
}

bool alerts_conditional(request *rq, response *rs, int64_t last)
{
    static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t days_since = last / 86400, y;
    int m, d;
    tz_civil_from_days(days_since, &y, &m, &d);
    char *v = arena_alloc(&rq->a, 40);
    snprintf(v, 40, "%s, %02d %s %04lld %02d:%02d:%02d GMT", days[days_since % 7], d, months[m - 1], (long long)y,
             (int)(last % 86400 / 3600), (int)(last % 3600 / 60), (int)(last % 60));
    resp_header(rs, "Last-Modified", v);
    const char *ims = req_header(rq, "If-Modified-Since");
    int64_t since;
    if (rq->if_none_match || !ims || !alerts_http_date(ims, &since) || last > since)
        return false;
    rs->status = 304;
    return true;
}
