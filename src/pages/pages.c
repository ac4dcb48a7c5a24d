/* pages: the generic page handlers: home, every Markdown page (the
 * catch-all route) and site search. Features add to these pages only
 * through hooks (hooks.h); this file names no feature. */
#include "pages/pages.h"
#include "content/content_store.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/hooks.h"
#include "pages/search_cache.h"
#include "pages/site.h"
#include "pages/toc.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SEARCH_PAGE 20
#define CHILDREN_MAX 256

/* Sets "sources" and "has_sources" on d from the page's front matter. */
static void add_sources(json_t *d, const page *p)
{
    json_t *list = json_array();
    for (int i = 0; i < p->nsources; i++) {
        json_t *s = json_object();
        jset_str(s, "text", p->sources[i].text);
        if (p->sources[i].url)
            jset_str(s, "url", p->sources[i].url);
        json_array_append_new(list, s);
    }
    json_object_set_new(d, "has_sources", json_boolean(p->nsources > 0));
    json_object_set_new(d, "sources", list);
}

static json_t *page_link(const page *p)
{
    json_t *o = json_object();
    jset_str(o, "href", p->path);
    jset_str(o, "title", p->title);
    jset_str(o, "summary", p->summary);
    return o;
}

static const struct {
    const char *id, *label;
} group_names[] = {
    {"opioids", N_("Opioids")},
    {"adulterants", N_("Adulterants in the supply")},
    {"depressants", N_("Depressants")},
    {"stimulants", N_("Stimulants")},
    {"psychedelics-dissociatives", N_("Psychedelics and dissociatives")},
    {"medications", N_("Medications")},
    {"other", N_("Other")},
};
#define NGROUPS (sizeof(group_names) / sizeof(group_names[0]))

/* Index of a page's group in group_names; NGROUPS for unknown groups. */
static size_t group_index(const char *g)
{
    for (size_t i = 0; i < NGROUPS; i++)
        if (!strcmp(g, group_names[i].id))
            return i;
    return NGROUPS;
}

/* One group's pages, in section order; NULL when it has none. */
static json_t *group_json(int lang, const page *const *kids, size_t n, size_t gi)
{
    json_t *pages = json_array();
    for (size_t i = 0; i < n; i++)
        if (kids[i]->group[0] && group_index(kids[i]->group) == gi)
            json_array_append_new(pages, page_link(kids[i]));
    if (!json_array_size(pages)) {
        json_decref(pages);
        return NULL;
    }
    json_t *g = json_object();
    jset_str(g, "id", gi < NGROUPS ? group_names[gi].id : "other-kinds");
    jset_str(g, "name", i18n_tr(lang, gi < NGROUPS ? group_names[gi].label : N_("More")));
    json_object_set_new(g, "pages", pages);
    return g;
}

/* True when html already links to path (href="PATH"): a page whose text
 * lists its sections (/harm-reduction's eleven) does not list them twice. */
static bool links_to(const char *html, const char *path)
{
    char needle[300];
    int n = snprintf(needle, sizeof(needle), "href=\"%s\"", path);
    return n > 0 && (size_t)n < sizeof(needle) && strstr(html, needle) != NULL;
}

/* The pages whose section is this page's last path segment, e.g. the
 * eleven sections under /harm-reduction; grouped when they have groups. */
static void add_children(json_t *d, int lang, const content_set *c, const page *p)
{
    const char *name = strrchr(p->path, '/');
    const page *kids[CHILDREN_MAX];
    size_t n = name && name[1] ? content_section(c, name + 1, kids, CHILDREN_MAX) : 0;
    json_t *children = json_array(), *groups = json_array();
    for (size_t i = 0; i < n; i++)
        if (kids[i] != p && !links_to(p->html, kids[i]->path))
            json_array_append_new(children, page_link(kids[i]));
    for (size_t gi = 0; gi <= NGROUPS; gi++) {
        json_t *g = group_json(lang, kids, n, gi);
        if (g)
            json_array_append_new(groups, g);
    }
    json_object_set_new(d, "has_children", json_boolean(json_array_size(children) > 0));
    json_object_set_new(d, "children", children);
    json_object_set_new(d, "has_groups", json_boolean(json_array_size(groups) > 0));
    json_object_set_new(d, "groups", groups);
}

/* A page may include another page's body (front matter "include: /path"),
 * e.g. the framing facts (/facts) on /data, their one home since issue 15
 * (other pages link to /data#wp-facts): its HTML goes in "include_html"
 * and its sources join the page's own. */
void pages_add_include(json_t *d, const content_set *c, const page *p)
{
    const char *path = page_extra(p, "include");
    const page *inc = path ? content_find(c, path) : NULL;
    if (!inc || inc == p)
        return;
    json_object_set_new(d, "include_html", json_string_nocheck(inc->html)); /* checked at load */
    jset_str(d, "include_title", inc->title);
    json_t *list = json_object_get(d, "sources");
    for (int i = 0; i < inc->nsources; i++) {
        bool dup = false;
        for (int k = 0; k < p->nsources; k++)
            dup |= !strcmp(p->sources[k].text, inc->sources[i].text);
        if (dup)
            continue;
        json_t *s = json_object();
        jset_str(s, "text", inc->sources[i].text);
        if (inc->sources[i].url)
            jset_str(s, "url", inc->sources[i].url);
        json_array_append_new(list, s);
    }
    json_object_set_new(d, "has_sources", json_boolean(json_array_size(list) > 0));
}

/* "reviewed" (ISO, for <time datetime>) and "reviewed_text", the date as
 * shown: the ISO date in English (as ever), "4 dic 2026" in Spanish. The
 * language is d's "lang", set by view_data. */
static void add_reviewed(json_t *d, const char *iso)
{
    const char *code = json_string_value(json_object_get(d, "lang"));
    int lang = code ? i18n_find(code) : -1;
    char day[64];
    jset_str(d, "reviewed", iso);
    if (lang > 0 && iso && i18n_day(lang, iso, day, sizeof(day)))
        jset_str(d, "reviewed_text", day);
    else
        jset_str(d, "reviewed_text", iso);
}

void pages_add_intro(json_t *d, const page *p)
{
    jset_str(d, "summary", p->summary);
    json_object_set_new(d, "html", json_string_nocheck(p->html)); /* UTF-8 checked at load */
    add_reviewed(d, p->reviewed);
    add_sources(d, p);
}

/* A long page gets a contents list from its headings ("toc_html", made
 * from our own rendered Markdown, so already escaped) and, when one of
 * them is about danger signs or overdose, "danger_href" for the fact
 * sheets' "In an emergency" box. */
static void add_toc(json_t *d, const page *p)
{
    size_t len = strlen(p->html);
    toc_entry e[TOC_MAX];
    int n = len >= TOC_MIN_HTML ? toc_scan(p->html, len, e, TOC_MAX) : 0;
    for (int i = 0; i < n; i++)
        if (strstr(e[i].id, "danger") || strstr(e[i].id, "overdose")) {
            buf href = BUF_INIT;
            buf_printf(&href, "#%s", e[i].id);
            jset_str(d, "danger_href", buf_cstr(&href));
            buf_free(&href);
            break;
        }
    if (n < TOC_MIN_HEADINGS)
        return;
    buf b = BUF_INIT;
    toc_html(&b, e, n);
    json_object_set_new(d, "toc_html", json_string(buf_cstr(&b)));
    buf_free(&b);
}

static json_t *page_data(const request *rq, const content_set *c, const page *p)
{
    json_t *d = view_data(rq, p->title);
    pages_add_intro(d, p);
    add_toc(d, p);
    pages_add_include(d, c, p);
    add_children(d, rq->lang, c, p);
    return d;
}

/* A page shown in English on a page of another language: the template
 * says so ("untranslated") and marks the text lang="en". */
void pages_mark_untranslated(json_t *d)
{
    json_object_set_new(d, "untranslated", json_true());
    jset_str(d, "content_lang", "en");
    jset_str(d, "include_lang", "en");
}

/* The page cache's key: the path, the language and the offered language. */
static const char *cache_key(const request *rq, char *out, size_t n)
{
    snprintf(out, n, "%d:%d:%s", rq->lang, view_offer(rq), rq->path);
    return out;
}

/* True when this request's page can come from (and go into) the cache:
 * no query string, so the HTML depends only on the snapshot. */
static bool cacheable(const request *rq)
{
    return rq->raw_query[0] == '\0';
}

/* Renders the page ctx describes into rs, through the snapshot's page
 * cache unless a hook said its output changes between snapshots. */
static void render_cached(request *rq, response *rs, site *s, page_ctx *ctx)
{
    view_page(rq, rs, ctx->tmpl, ctx->data);
    char key[600];
    if (ctx->cacheable && cacheable(rq) && rs->status == 200 && !rs->body.overflow)
        site_cache_put(s, cache_key(rq, key, sizeof(key)), rs->body.data, rs->body.len);
}

static void ctx_init(page_ctx *ctx, const request *rq, const page *p, json_t *d, const char *tmpl)
{
    ctx->rq = rq;
    ctx->p = p;
    ctx->data = d;
    str_copy(ctx->tmpl, sizeof(ctx->tmpl), tmpl);
    ctx->cacheable = true;
}

static bool from_cache(request *rq, response *rs, site *s)
{
    char key[600];
    if (!cacheable(rq) || !site_cache_get(s, cache_key(rq, key, sizeof(key)), &rs->body))
        return false;
    rs->status = 200;
    rs->content_type = "text/html; charset=utf-8";
    return true;
}

void pages_content(request *rq, response *rs)
{
    site *s = site_acquire();
    if (s && from_cache(rq, rs, s)) {
        site_release(s);
        return;
    }
    bool fallback = false;
    const page *p = s ? site_page(s, rq->lang, rq->path, &fallback) : NULL;
    if (!p) {
        if (s)
            site_release(s);
        resp_error(rq, rs, 404, T(rq, "There is no page at this address."));
        return;
    }
    page_ctx ctx;
    ctx_init(&ctx, rq, p, page_data(rq, site_content(s, fallback ? I18N_SOURCE : rq->lang), p), p->tmpl);
    if (fallback)
        pages_mark_untranslated(ctx.data);
    hooks_run_page(&ctx);
    render_cached(rq, rs, s, &ctx);
    site_release(s);
}

void pages_home(request *rq, response *rs)
{
    site *s = site_acquire();
    if (!s) {
        resp_error(rq, rs, 500, T(rq, "The site is not loaded."));
        return;
    }
    if (from_cache(rq, rs, s)) {
        site_release(s);
        return;
    }
    bool fallback = false;
    const page *intro = site_page(s, rq->lang, "/", &fallback);
    json_t *d = view_data(rq, NULL);
    if (intro) {
        if (fallback)
            pages_mark_untranslated(d);
        json_object_set_new(d, "intro_html", json_string_nocheck(intro->html));
        add_sources(d, intro);
        pages_add_include(d, site_content(s, fallback ? I18N_SOURCE : rq->lang), intro);
        add_reviewed(d, intro->reviewed);
    }
    page_ctx ctx;
    ctx_init(&ctx, rq, intro, d, "home");
    hooks_run("home", &ctx);
    render_cached(rq, rs, s, &ctx);
    site_release(s);
}

/* The snippet with its \x01..\x02 marks turned into <mark>, all else escaped. */
static void snippet_html(const char *snip, buf *out)
{
    const char *p = snip;
    while (*p) {
        size_t n = strcspn(p, "\x01\x02");
        esc_html(out, p, n);
        p += n;
        if (*p == '\x01')
            buf_puts(out, "<mark>");
        else if (*p == '\x02')
            buf_puts(out, "</mark>");
        if (*p)
            p++;
    }
}

static json_t *hits_json(const search_hit *hits, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        jset_str(o, "href", hits[i].path);
        jset_str(o, "title", hits[i].title);
        jset_str(o, "summary", hits[i].summary);
        buf b = BUF_INIT;
        snippet_html(hits[i].snippet, &b);
        jset_str(o, "snippet_html", buf_cstr(&b));
        buf_free(&b);
        json_array_append_new(list, o);
    }
    return list;
}

static void add_paging(json_t *d, const char *q, long pageno, int total)
{
    long pages = (total + SEARCH_PAGE - 1) / SEARCH_PAGE;
    buf b = BUF_INIT;
    if (pageno > 1) {
        buf_puts(&b, "/search?q=");
        esc_url(&b, q, strlen(q));
        buf_printf(&b, "&page=%ld", pageno - 1);
        jset_str(d, "prev_url", buf_cstr(&b));
        buf_reset(&b);
    }
    if (pageno < pages) {
        buf_puts(&b, "/search?q=");
        esc_url(&b, q, strlen(q));
        buf_printf(&b, "&page=%ld", pageno + 1);
        jset_str(d, "next_url", buf_cstr(&b));
    }
    buf_free(&b);
    json_object_set_new(d, "page_number", json_integer(pageno));
    json_object_set_new(d, "total_pages", json_integer(pages));
}

/* True when q mentions an overdose ("overdose", "overdosing", "OD'd" is
 * left to the index): the steps then come first, whatever else matches. */
static bool asks_overdose(const char *q)
{
    for (const char *p = q; *p; p++)
        if (!strncasecmp(p, "overdos", 7) || !strncasecmp(p, "sobredos", 8))
            return true;
    return false;
}

/* The overdose guide's numbered steps (the first list of /overdose),
 * shown first on a search that mentions an overdose. */
static void add_overdose_steps(json_t *d, int lang)
{
    site *s = site_acquire();
    const page *p = s ? site_page(s, lang, "/overdose", NULL) : NULL;
    const char *ol = p ? strstr(p->html, "<ol>") : NULL;
    const char *end = ol ? strstr(ol, "</ol>") : NULL;
    if (end) {
        json_object_set_new(d, "overdose_steps_html", json_stringn_nocheck(ol, (size_t)(end - ol) + 5));
        jset_str(d, "overdose_title", p->title);
    }
    if (s)
        site_release(s);
}

static json_int_t tool_rank(const json_t *t)
{
    return json_integer_value(json_object_get(t, "rank"));
}

/* The tools features offered for the query (the "search" hooks), lowest
 * rank first; a search about an overdose shows the steps before them. */
static void add_tools(request *rq, json_t *d, const char *q)
{
    if (asks_overdose(q))
        add_overdose_steps(d, rq->lang);
    page_ctx ctx = {.rq = rq, .p = NULL, .data = d, .tmpl = "search", .cacheable = false};
    hooks_run("search", &ctx);
    json_t *tools = json_object_get(d, "tools");
    size_t n = json_array_size(tools);
    if (!n)
        return;
    json_t *sorted[16] = {NULL};
    if (n > 16)
        n = 16;
    /* insertion sort: stable, so offers of one rank keep the hooks' order */
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_incref(json_array_get(tools, i));
        size_t k = i;
        for (; k > 0 && tool_rank(sorted[k - 1]) > tool_rank(t); k--)
            sorted[k] = sorted[k - 1];
        sorted[k] = t;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, sorted[i]);
    json_object_set_new(d, "tools", list);
    json_object_set_new(d, "has_tools", json_true());
}

void pages_search(request *rq, response *rs)
{
    const char *q = req_str(rq, "q"); /* at most 200 bytes: the route's spec */
    long pageno = req_int(rq, "page"); /* 1 to 1000, default 1 */
    json_t *d = view_data(rq, q && *q ? T(rq, "Search results") : T(rq, "Search"));
    if (q && *q && pageno == 1)
        add_tools(rq, d, q);
    char fts[512], key[560];
    const char *lang = i18n_code(rq->lang);
    if (q && content_fts_query(q, fts, sizeof(fts))) {
        json_t *results = NULL;
        int total = 0;
        snprintf(key, sizeof(key), "%s:%s", lang, fts); /* each language searches its own pages */
        if (!search_cache_get(key, pageno, &results, &total)) {
            long gen = content_store_generation();
            sqlite3 *db = db_thread();
            search_hit hits[SEARCH_PAGE];
            int n = db ? content_store_search(db, lang, &rq->a, fts, (int)(pageno - 1) * SEARCH_PAGE, SEARCH_PAGE, hits,
                                              &total)
                       : -1;
            if (n < 0) {
                json_decref(d);
                resp_error(rq, rs, 500, T(rq, "Search is not working right now. Please try again."));
                return;
            }
            results = hits_json(hits, n);
            if (gen == content_store_generation())
                search_cache_put(key, pageno, results, total);
        }
        json_object_set_new(d, "results", results);
        json_object_set_new(d, "total", json_integer(total));
        json_object_set_new(d, "one", json_boolean(total == 1));
        json_object_set_new(d, "searched", json_true());
        json_object_set_new(d, "none", json_boolean(total == 0));
        add_paging(d, q, pageno, total);
    } else if (q && *q) {
        json_object_set_new(d, "searched", json_true());
        json_object_set_new(d, "none", json_true());
    }
    view_page(rq, rs, "search", d);
}
