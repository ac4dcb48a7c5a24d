/* pathways: the filterable, sortable comparison of recovery pathways; its
 * filters are read from data/vocab/pathway-filters.json at start.
 *
 * Languages: the front matter and the filters stay English (they are the
 * codes the query matches); what a visitor reads is translated at render
 * with i18n_tr. The list columns (type, format, evidence, cost, where,
 * suits) are split at commas and each item translated on its own; title,
 * summary, evidence_note and duration are translated whole. */
#include "recovery/pathways.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "pages/pages.h"
#include "core/util.h"
#include "core/vocab.h"
#include "pages/site.h"
#include "pages/hooks.h"
#include "pages/view.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PATHWAYS 64

#define FILTERS_FILE "vocab/pathway-filters.json"
#define MAX_VALUES 32

/* The columns a filter may use: the table's columns that /recovery takes as
 * query keys (src/routes.c) and templates/recovery.mustache shows. */
static const char *const filter_columns[] = {"type", "format", "evidence", "cost", "where", "suits"};
#define MAX_FILTERS (sizeof(filter_columns) / sizeof(filter_columns[0]))

typedef struct pw_filter {
    const char *column, *label;
    const char *values[MAX_VALUES + 1]; /* NULL-terminated */
    int nvalues;
    bool ranked; /* values are in order (best first): sorting by the column follows it */
} pw_filter;

static pw_filter *filters;
static size_t nfilters;
static vocab filters_file; /* the strings of filters point into it */

static const char *const sort_keys[] = {"name", "type", "evidence", "cost", "duration", NULL};

static const pw_filter *find_filter(const char *column)
{
    for (size_t i = 0; i < nfilters; i++)
        if (!strcmp(filters[i].column, column))
            return &filters[i];
    return NULL;
}

const char *const *pathways_vocabulary(const char *column)
{
    const pw_filter *f = find_filter(column);
    return f ? f->values : NULL;
}

/* A value is matched inside a comma-separated front matter list, so it
 * cannot hold a comma or start or end with a space. */
static bool read_values(vocab *v, size_t i, json_t *values, pw_filter *f)
{
    size_t n = json_array_size(values);
    if (!json_is_array(values) || n < 1 || n > MAX_VALUES)
        return vocab_bad(v, "filters", i, f->column, "\"values\" must be a list of 1 to %d texts", MAX_VALUES);
    for (size_t k = 0; k < n; k++) {
        const char *val = json_string_value(json_array_get(values, k));
        if (!val || !*val || strchr(val, ',') || val[0] == ' ' || val[strlen(val) - 1] == ' ')
            return vocab_bad(v, "filters", i, f->column, "value %zu is not a text without commas and outer spaces",
                             k + 1);
        for (int j = 0; j < f->nvalues; j++)
            if (!strcasecmp(f->values[j], val))
                return vocab_bad(v, "filters", i, f->column, "the value \"%s\" is listed twice", val);
        f->values[f->nvalues++] = val;
    }
    f->values[f->nvalues] = NULL;
    return true;
}

static bool read_filter(vocab *v, json_t *e, size_t i, const pw_filter *before, pw_filter *f)
{
    f->column = vocab_text(e, "column");
    f->label = vocab_text(e, "label");
    bool known = false;
    for (size_t k = 0; f->column && k < MAX_FILTERS; k++)
        known |= !strcmp(f->column, filter_columns[k]);
    if (!known)
        return vocab_bad(v, "filters", i, f->column,
                         "\"column\" must be one of type, format, evidence, cost, where, suits");
    for (size_t k = 0; k < i; k++)
        if (!strcmp(before[k].column, f->column))
            return vocab_bad(v, "filters", i, f->column, "the column has two filters");
    if (!f->label)
        return vocab_bad(v, "filters", i, f->column, "no label");
    json_t *ranked = json_object_get(e, "ranked");
    if (ranked && !json_is_boolean(ranked))
        return vocab_bad(v, "filters", i, f->column, "\"ranked\" must be true or false");
    f->ranked = json_is_true(ranked);
    return read_values(v, i, json_object_get(e, "values"), f);
}

bool pathways_load(const config *cfg, char *err, size_t errlen)
{
    vocab v;
    if (!vocab_open(&v, cfg->data_dir, FILTERS_FILE, err, errlen))
        return false;
    json_t *list = vocab_list(&v, "filters", 1, MAX_FILTERS);
    size_t n = json_array_size(list);
    pw_filter *f = xcalloc(n ? n : 1, sizeof(pw_filter));
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = read_filter(&v, json_array_get(list, i), i, f, &f[i]);
    if (!ok) {
        free(f);
        vocab_close(&v);
        return false;
    }
    pathways_unload();
    filters = f;
    nfilters = n;
    filters_file = v;
    return true;
}

void pathways_unload(void)
{
    free(filters);
    filters = NULL;
    nfilters = 0;
    vocab_close(&filters_file);
}

bool pathways_list_has(const char *list, const char *value)
{
    if (!list)
        return false;
    size_t vl = strlen(value);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && p[m - 1] == ' ')
            m--;
        if (m == vl && !strncasecmp(p, value, vl))
            return true;
        p += n;
    }
    return false;
}

static bool in_vocab(const char *const *list, const char *v)
{
    for (; *list; list++)
        if (!strcasecmp(*list, v))
            return true;
    return false;
}

/* The position of p's value in a ranked filter's list; values not in it
 * come last. */
static int rank_of(const page *p, const pw_filter *f)
{
    const char *e = page_extra(p, f->column);
    for (int i = 0; e && i < f->nvalues; i++)
        if (!strcasecmp(e, f->values[i]))
            return i;
    return f->nvalues;
}

struct sort_order {
    const char *by;
    int dir;                  /* 1 ascending, -1 descending */
    const pw_filter *ranked; /* the filter of "by" when it is ranked */
    int lang;                 /* text columns sort by what the visitor reads */
};

static const char *col(const page *p, const char *key)
{
    const char *v = page_extra(p, key);
    return v ? v : "";
}

/* The columns whose value is a comma-separated list of codes from the
 * filters' vocabulary: each item is a msgid of its own. */
static bool is_list_column(const char *key)
{
    for (size_t i = 0; i < MAX_FILTERS; i++)
        if (!strcmp(key, filter_columns[i]))
            return true;
    return false;
}

void pathways_tr_list(buf *out, int lang, const char *list)
{
    const char *p = list;
    bool first = true;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ","), m = n;
        while (m && p[m - 1] == ' ')
            m--;
        if (m) {
            char item[128];
            if (m < sizeof(item)) {
                memcpy(item, p, m);
                item[m] = '\0';
                buf_printf(out, "%s%s", first ? "" : ", ", lang == I18N_SOURCE ? item : i18n_tr(lang, item));
            } else {
                buf_printf(out, "%s%.*s", first ? "" : ", ", (int)m, p);
            }
            first = false;
        }
        p += n;
    }
}

/* A column's value as a visitor of lang reads it, into out (owned by the
 * caller, who frees it). */
static const char *col_text(buf *out, int lang, const page *p, const char *key)
{
    const char *v = col(p, key);
    buf_reset(out);
    if (lang == I18N_SOURCE || !*v)
        return v;
    if (is_list_column(key)) {
        pathways_tr_list(out, lang, v);
        return buf_cstr(out);
    }
    return i18n_tr(lang, v);
}

static int cmp_pathways(const void *x, const void *y, void *arg)
{
    const page *a = *(const page *const *)x, *b = *(const page *const *)y;
    const struct sort_order *o = arg;
    int d;
    const char *ta = i18n_tr(o->lang, a->title), *tb = i18n_tr(o->lang, b->title);
    if (o->ranked) {
        d = rank_of(a, o->ranked) - rank_of(b, o->ranked);
    } else if (!strcmp(o->by, "name")) {
        d = strcasecmp(ta, tb);
    } else {
        buf ba = BUF_INIT, bb = BUF_INIT;
        d = strcasecmp(col_text(&ba, o->lang, a, o->by), col_text(&bb, o->lang, b, o->by));
        buf_free(&ba);
        buf_free(&bb);
    }
    if (!d)
        d = strcasecmp(ta, tb);
    return d * o->dir;
}

static bool matches(const page *p, const request *rq)
{
    for (size_t i = 0; i < nfilters; i++) {
        const char *want = req_str(rq, filters[i].column);
        if (want && *want && !pathways_list_has(page_extra(p, filters[i].column), want))
            return false;
    }
    return true;
}

/* A row of the table (and a pathway page's facts) in lang. */
static json_t *row_json(const page *p, int lang)
{
    json_t *o = json_object();
    jset_str(o, "href", p->path);
    jset_str(o, "name", lang == I18N_SOURCE ? p->title : i18n_tr(lang, p->title));
    static const char *const cols[] = {"type", "format", "evidence", "evidence_note", "cost", "where", "duration",
                                       "suits"};
    buf b = BUF_INIT;
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        jset_str(o, cols[i], col_text(&b, lang, p, cols[i]));
    buf_free(&b);
    return o;
}

/* The select boxes, with the current choice marked. */
static json_t *filters_json(const request *rq)
{
    json_t *list = json_array();
    for (size_t i = 0; i < nfilters; i++) {
        const char *cur = req_str(rq, filters[i].column);
        json_t *f = json_object(), *opts = json_array();
        jset_str(f, "name", filters[i].column);
        jset_str(f, "label", i18n_tr(rq->lang, filters[i].label));
        for (const char *const *v = filters[i].values; *v; v++) {
            json_t *o = json_object();
            jset_str(o, "value", *v);
            jset_str(o, "label", i18n_tr(rq->lang, *v));
            json_object_set_new(o, "selected", json_boolean(cur && !strcasecmp(cur, *v)));
            json_array_append_new(opts, o);
        }
        json_object_set_new(f, "options", opts);
        json_array_append_new(list, f);
    }
    return list;
}

/* Column headers as links that sort by them (and flip the direction). */
static json_t *headers_json(const request *rq, const struct sort_order *o)
{
    static const struct { const char *key, *label; } heads[] = {
        {"name", N_("Pathway")}, {"type", N_("Type")}, {"evidence", N_("Evidence")}, {"cost", N_("Cost")},
        {"duration", N_("Duration")}};
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        bool current = !strcmp(o->by, heads[i].key);
        buf b = BUF_INIT;
        buf_printf(&b, "/recovery?sort=%s&dir=%s", heads[i].key, current && o->dir > 0 ? "desc" : "asc");
        for (size_t k = 0; k < nfilters; k++) {
            const char *v = req_str(rq, filters[k].column);
            if (v && *v) {
                buf_printf(&b, "&%s=", filters[k].column);
                esc_url(&b, v, strlen(v));
            }
        }
        json_t *h = json_object();
        jset_str(h, "key", heads[i].key);
        jset_str(h, "label", i18n_tr(rq->lang, heads[i].label));
        jset_str(h, "href", buf_cstr(&b));
        if (current)
            jset_str(h, "aria_sort", o->dir > 0 ? "ascending" : "descending");
        json_array_append_new(list, h);
        buf_free(&b);
    }
    return list;
}

/* The same sorts as a form's choice, for a phone where the table is a
 * list of cards without its headers. */
static json_t *sort_options_json(const request *rq, const struct sort_order *o)
{
    static const struct { const char *key, *label; } opts[] = {
        {"name", N_("Pathway name")}, {"type", N_("Type")}, {"evidence", N_("Evidence")}, {"cost", N_("Cost")},
        {"duration", N_("Duration")}};
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        json_t *h = json_object();
        jset_str(h, "value", opts[i].key);
        jset_str(h, "label", i18n_tr(rq->lang, opts[i].label));
        json_object_set_new(h, "selected", json_boolean(!strcmp(o->by, opts[i].key)));
        json_array_append_new(list, h);
    }
    return list;
}

/* 0 when the query is valid, else writes why. */
static bool valid_query(const request *rq, const char **why)
{
    for (size_t i = 0; i < nfilters; i++) {
        const char *v = req_str(rq, filters[i].column);
        if (v && *v && !in_vocab(filters[i].values, v)) {
            *why = N_("One of the filters has a value we do not know. Choose from the lists.");
            return false;
        }
    }
    const char *s = req_str(rq, "sort"), *d = req_str(rq, "dir");
    if (s && *s && !in_vocab(sort_keys, s)) {
        *why = N_("The table cannot be sorted that way.");
        return false;
    }
    if (d && *d && strcmp(d, "asc") && strcmp(d, "desc")) {
        *why = N_("The sort direction must be asc or desc.");
        return false;
    }
    return true;
}

static void add_table(json_t *d, const request *rq, const content_set *c)
{
    const page *all[MAX_PATHWAYS], *rows[MAX_PATHWAYS];
    size_t n = content_section(c, "recovery", all, MAX_PATHWAYS), nrows = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!page_extra(all[i], "type"))
            continue;
        total++;
        if (matches(all[i], rq))
            rows[nrows++] = all[i];
    }
    const char *s = req_str(rq, "sort"), *dir = req_str(rq, "dir");
    struct sort_order o = {s && *s ? s : "name", dir && !strcmp(dir, "desc") ? -1 : 1, NULL, rq->lang};
    o.ranked = find_filter(o.by);
    if (o.ranked && !o.ranked->ranked)
        o.ranked = NULL;
    qsort_r(rows, nrows, sizeof(rows[0]), cmp_pathways, &o);
    json_t *list = json_array();
    for (size_t i = 0; i < nrows; i++)
        json_array_append_new(list, row_json(rows[i], rq->lang));
    json_object_set_new(d, "rows", list);
    json_object_set_new(d, "shown", json_integer((json_int_t)nrows));
    json_object_set_new(d, "total", json_integer((json_int_t)total));
    json_object_set_new(d, "none", json_boolean(nrows == 0));
    json_object_set_new(d, "filters", filters_json(rq));
    json_object_set_new(d, "headers", headers_json(rq, &o));
    json_object_set_new(d, "sort_options", sort_options_json(rq, &o));
    json_object_set_new(d, "sort_desc", json_boolean(o.dir < 0));
}

void pathways_index(request *rq, response *rs)
{
    const char *why = NULL;
    if (!valid_query(rq, &why)) {
        resp_error(rq, rs, 400, i18n_tr(rq->lang, why));
        return;
    }
    site *s = site_acquire();
    bool fallback = false;
    const page *intro = s ? site_page(s, rq->lang, "/recovery", &fallback) : NULL;
    const char *title = T(rq, "Recovery pathways");
    if (intro)
        title = fallback ? i18n_tr(rq->lang, intro->title) : intro->title;
    json_t *d = view_data(rq, title);
    if (intro) {
        pages_add_intro(d, intro);
        if (fallback) { /* the English intro: its summary is in the catalog, its text is not */
            jset_str(d, "summary", i18n_tr(rq->lang, intro->summary));
            json_object_set_new(d, "untranslated", json_true());
            jset_str(d, "content_lang", "en");
        }
    }
    if (s) {
        add_table(d, rq, site_content(s, I18N_SOURCE)); /* the table's rows are English pages, translated here */
        site_release(s);
    }
    view_page(rq, rs, "recovery", d);
}

void pathways_add_page_data(json_t *d, const page *p, int lang)
{
    const char *loc = page_extra(p, "locator");
    if (loc && *loc)
        jset_str(d, "locator", loc);
    json_t *row = row_json(p, lang);
    json_object_set_new(d, "pathway", row);
}

/* The "page:recovery" hook: a pathway page gets its facts and the pathway
 * template. */
static void pathway_hook(page_ctx *ctx)
{
    if (!page_extra(ctx->p, "type"))
        return;
    /* a page in the visitor's language has its facts in it already; the
     * English page shown in its place gets them translated */
    int lang = ctx->rq->lang;
    if (json_is_true(json_object_get(ctx->data, "untranslated"))) {
        /* the title and summary are in the catalog (front matter) */
        jset_str(ctx->data, "title", i18n_tr(lang, ctx->p->title));
        jset_str(ctx->data, "summary", i18n_tr(lang, ctx->p->summary));
    } else {
        lang = I18N_SOURCE;
    }
    pathways_add_page_data(ctx->data, ctx->p, lang);
    if (!strcmp(ctx->tmpl, "page"))
        str_copy(ctx->tmpl, sizeof(ctx->tmpl), "pathway");
}

bool pathways_register(void)
{
    return hooks_add("page:recovery", pathway_hook);
}
