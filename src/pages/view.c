/* view: common page data (with the menu, read from
 * data/vocab/navigation.json at start), template rendering, HTML error
 * pages. */
#include "pages/view.h"
#include "core/escape.h"
#include "core/util.h"
#include "core/vocab.h"
#include "http/assets.h"
#include "http/server.h"
#include "pages/site.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the menu (data/vocab/navigation.json) ---- */

#define NAV_FILE "vocab/navigation.json"
#define NAV_MAX 12

typedef struct nav_item {
    const char *href, *label;
} nav_item;

static nav_item *nav_items;
static size_t nav_count;
static vocab nav_file; /* the strings of nav_items point into it */

/* ---- what pages share ---- */

/* The site's settings and the menu depend only on the language (and, for
 * the menu, which items the page is under), and the configuration, the
 * catalogs and the menu do not change while the server runs. So each is
 * built once and shared by every page that needs it: jansson's reference
 * counts are atomic, and no page changes them. Another configuration or
 * set of languages (tests) starts the store again. */
#define SHARED_NAVS 64
_Static_assert(NAV_MAX <= 31, "a menu's current items fit in an unsigned");

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const config *cfg;
    unsigned i18n_gen;
    json_t *site[I18N_MAX_LANGS];
    struct shared_nav {
        int lang;
        unsigned current;
        json_t *list;
    } nav[SHARED_NAVS];
    size_t nnav;
} shared;

static void shared_clear(void) /* with shared_lock held */
{
    for (int i = 0; i < I18N_MAX_LANGS; i++) {
        json_decref(shared.site[i]);
        shared.site[i] = NULL;
    }
    for (size_t i = 0; i < shared.nnav; i++)
        json_decref(shared.nav[i].list);
    shared.nnav = 0;
}

/* A path inside the site: "/", or "/" and segments of a-z, 0-9 and -
 * separated by single slashes, no slash at the end (so "is this the
 * current page" can compare prefixes). */
static bool site_path(const char *h)
{
    if (!h || h[0] != '/' || strlen(h) > 200)
        return false;
    for (const char *p = h + 1; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || (*p == '/' && p[-1] != '/');
        if (!ok)
            return false;
    }
    return h[1] == '\0' || h[strlen(h) - 1] != '/';
}

static bool nav_read_one(vocab *v, json_t *e, size_t i, const nav_item *before, nav_item *out)
{
    const char *href = vocab_text(e, "href"), *label = vocab_text(e, "label");
    if (!site_path(href))
        return vocab_bad(v, "items", i, href, "href must be a path on this site such as /find (a-z, 0-9, - and /)");
    if (!label)
        return vocab_bad(v, "items", i, href, "no label");
    for (size_t k = 0; k < i; k++) {
        if (!strcmp(before[k].href, href))
            return vocab_bad(v, "items", i, href, "the href is listed twice");
        if (!strcmp(before[k].label, label))
            return vocab_bad(v, "items", i, href, "the label \"%s\" is also the label of %s", label, before[k].href);
    }
    *out = (nav_item){href, label};
    return true;
}

bool view_nav_load(const config *cfg, char *err, size_t errlen)
{
    vocab v;
    if (!vocab_open(&v, cfg->data_dir, NAV_FILE, err, errlen))
        return false;
    json_t *list = vocab_list(&v, "items", 1, NAV_MAX);
    size_t n = json_array_size(list);
    nav_item *items = xcalloc(n ? n : 1, sizeof(nav_item));
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = nav_read_one(&v, json_array_get(list, i), i, items, &items[i]);
    if (!ok) {
        free(items);
        vocab_close(&v);
        return false;
    }
    view_nav_free();
    nav_items = items;
    nav_count = n;
    nav_file = v;
    return true;
}

void view_nav_free(void)
{
    pthread_mutex_lock(&shared_lock);
    shared_clear();
    shared.cfg = NULL;
    pthread_mutex_unlock(&shared_lock);
    free(nav_items);
    nav_items = NULL;
    nav_count = 0;
    vocab_close(&nav_file);
}

void jset_str(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, json_string(value ? value : ""));
}

/* The site's settings for the templates; the default tagline, welcome
 * and health department name are in the catalog, a site's own are not. */
static json_t *site_info(const config *c, int lang)
{
    json_t *s = json_object();
    jset_str(s, "name", c->site_name);
    jset_str(s, "tagline", i18n_tr(lang, c->tagline));
    jset_str(s, "welcome", i18n_tr(lang, c->welcome));
    jset_str(s, "org_name", c->org_name);
    jset_str(s, "org_url", c->org_url);
    jset_str(s, "contact_email", c->contact_email);
    jset_str(s, "contact_phone", c->contact_phone);
    json_object_set_new(s, "has_operator", json_boolean(c->org_name[0] || c->contact_email[0] || c->contact_phone[0]));
    jset_str(s, "quick_exit_url", c->quick_exit_url);
    jset_str(s, "emergency_number", c->emergency_number);
    jset_str(s, "health_alerts_url", c->health_alerts_url);
    jset_str(s, "health_alerts_name", i18n_tr(lang, c->health_alerts_name));
    const char *logo = c->logo[0] ? assets_url(c->logo) : NULL;
    if (logo)
        jset_str(s, "logo_url", logo);
    /* The tile server the optional finder map loads from, named on /about. */
    char origin[300];
    if (c->tiles[0] && config_tiles_origin(c->tiles, origin, sizeof(origin))) {
        const char *host = strstr(origin, "://");
        jset_str(s, "map_tiles_host", host ? host + 3 : origin);
    }
    return s;
}

/* Which menu items path is under, one bit each: the page itself or a
 * page below it. */
static unsigned nav_current(const char *path)
{
    unsigned mask = 0;
    for (size_t i = 0; i < nav_count; i++) {
        size_t n = strlen(nav_items[i].href);
        if (!strncmp(path, nav_items[i].href, n) && (path[n] == '\0' || path[n] == '/'))
            mask |= 1u << i;
    }
    return mask;
}

/* The menu; its labels are data strings (po/data-strings.json). */
static json_t *nav(unsigned current, int lang)
{
    json_t *list = json_array();
    for (size_t i = 0; i < nav_count; i++) {
        json_t *item = json_object();
        jset_str(item, "href", nav_items[i].href);
        jset_str(item, "label", i18n_tr(lang, nav_items[i].label));
        json_object_set_new(item, "current", json_boolean(current & (1u << i)));
        json_array_append_new(list, item);
    }
    return list;
}

static void shared_check(const config *c) /* with shared_lock held */
{
    if (shared.cfg == c && shared.i18n_gen == i18n_generation())
        return;
    shared_clear();
    shared.cfg = c;
    shared.i18n_gen = i18n_generation();
}

/* A reference to the site's settings in lang. */
static json_t *shared_site(const config *c, int lang)
{
    if (lang < 0 || lang >= I18N_MAX_LANGS)
        return site_info(c, lang);
    pthread_mutex_lock(&shared_lock);
    shared_check(c);
    if (!shared.site[lang])
        shared.site[lang] = site_info(c, lang);
    json_t *s = json_incref(shared.site[lang]);
    pthread_mutex_unlock(&shared_lock);
    return s;
}

/* A reference to the menu of a page at path, in lang. */
static json_t *shared_nav(const config *c, const char *path, int lang)
{
    unsigned current = nav_current(path);
    json_t *list = NULL;
    pthread_mutex_lock(&shared_lock);
    shared_check(c);
    for (size_t i = 0; i < shared.nnav && !list; i++)
        if (shared.nav[i].lang == lang && shared.nav[i].current == current)
            list = json_incref(shared.nav[i].list);
    if (!list) {
        list = nav(current, lang);
        if (shared.nnav < SHARED_NAVS)
            shared.nav[shared.nnav++] = (struct shared_nav){lang, current, json_incref(list)};
    }
    pthread_mutex_unlock(&shared_lock);
    return list;
}

/* "p-" and the path's letters, digits and dashes ("/harm-reduction/moud"
 * -> "p-harm-reduction-moud"; "/" -> "p-home"), so CSS can style a page. */
static json_t *page_class(const char *path)
{
    char out[80] = "p-";
    size_t n = 2;
    for (const char *p = path + (path[0] == '/'); *p && n + 1 < sizeof(out); p++)
        out[n++] = isalnum_ascii(*p) ? *p : '-';
    out[n] = '\0';
    if (n == 2)
        str_copy(out, sizeof(out), "p-home");
    return json_string(out);
}

/* The address of this page in lang: its prefix, the path and the query
 * keys the route kept (not tracking keys, not blank form fields), so two
 * requests for the same page give the same links. */
static json_t *lang_href(const request *rq, int lang)
{
    const char *prefix = i18n_prefix(lang);
    buf b = BUF_INIT;
    buf_puts(&b, prefix);
    if (!(prefix[0] && !strcmp(rq->path, "/")))
        buf_puts(&b, rq->path);
    else
        buf_putc(&b, '/');
    char sep = '?';
    for (size_t i = 0; i < rq->query.count; i++) {
        const param *p = &rq->query.items[i];
        if (!p->value || !p->value[0])
            continue;
        buf_putc(&b, sep);
        esc_url(&b, p->key, strlen(p->key));
        buf_putc(&b, '=');
        esc_url(&b, p->value, strlen(p->value));
        sep = '&';
    }
    json_t *out = json_string(buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* lang, the hreflang alternates, the other languages to switch to, and the
 * offer of the language the browser prefers when it is not this page's. */
static void add_languages(json_t *d, const request *rq)
{
    jset_str(d, "lang", i18n_code(rq->lang));
    json_t *alts = json_array(), *others = json_array();
    for (int i = 0; i < i18n_count(); i++) {
        json_t *a = json_object();
        jset_str(a, "code", i18n_code(i));
        jset_str(a, "name", i18n_name(i));
        json_t *href = lang_href(rq, i);
        json_object_set_new(a, "href", href);
        /* <link rel=alternate hreflang> must be absolute (search engines
           ignore relative ones), so only a site that knows its address
           ([staff] public_url) names them; the visible links need not be. */
        char url[2400];
        const char *base = rq->cfg->public_url;
        size_t blen = strlen(base);
        if (blen && base[blen - 1] == '/')
            blen--;
        snprintf(url, sizeof(url), "%.*s%s", (int)blen, base, json_string_value(href));
        jset_str(a, "url", url);
        if (blen)
            json_array_append(alts, a);
        if (i != rq->lang)
            json_array_append(others, a);
        json_decref(a);
    }
    json_object_set_new(d, "alternates", alts);
    json_object_set_new(d, "other_langs", others);
    int want = i18n_count() > 1 ? i18n_accept(req_header(rq, "Accept-Language")) : -1;
    if (want >= 0 && want != rq->lang) {
        json_t *o = json_object();
        jset_str(o, "code", i18n_code(want));
        /* TRANSLATORS: offered at the top of a page in another language, to
           a browser that prefers this one; say it in this language. */
        jset_str(o, "text", i18n_tr(want, "This page is in English."));
        json_object_set_new(o, "href", lang_href(rq, want));
        json_object_set_new(d, "offer", o);
    }
}

/* Which language a page offers (-1 none): part of its cache key. */
int view_offer(const request *rq)
{
    int want = i18n_count() > 1 ? i18n_accept(req_header(rq, "Accept-Language")) : -1;
    return want != rq->lang ? want : -1;
}

json_t *view_data(const request *rq, const char *title)
{
    const config *c = rq->cfg;
    json_t *d = json_object();
    json_object_set_new(d, "site", shared_site(c, rq->lang));
    jset_str(d, "title", title);
    jset_str(d, "path", rq->path);
    json_object_set_new(d, "page_class", page_class(rq->path));
    jset_str(d, "css_url", assets_url("css/site.css"));
    jset_str(d, "theme_url", assets_url("theme.css"));
    jset_str(d, "js_url", assets_url("js/site.js"));
    jset_str(d, "icon_url", assets_url("img/icon.svg"));
    json_object_set_new(d, "nav", shared_nav(c, rq->path, rq->lang));
    const char *q = params_get(&rq->query, "q");
    if (q && strcmp(rq->path, "/search") == 0)
        jset_str(d, "q", q);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    json_object_set_new(d, "year", json_integer(tm.tm_year + 1900));
    add_languages(d, rq);
    return d;
}

/* Room made for a page before it is rendered, so that writing it does not
 * grow the buffer a step at a time (most pages are 5 to 40 KB; room not
 * written is never touched). */
#define PAGE_RESERVE (48u * 1024u)

void view_page(request *rq, response *rs, const char *tmpl, json_t *data)
{
    site *s = site_acquire();
    const char *prefix = i18n_prefix(rq->lang);
    buf html = BUF_INIT;
    buf *into = prefix[0] ? &html : &rs->body;
    buf_reserve(into, PAGE_RESERVE);
    bool ok = s && mus_render(site_templates(s, rq->lang), tmpl, data, into);
    if (s)
        site_release(s);
    json_decref(data);
    if (ok && prefix[0]) /* links of a page in /es/ stay in /es/ */
        i18n_links(html.data ? html.data : "", html.len, prefix, &rs->body);
    buf_free(&html);
    if (!ok || rs->body.overflow) {
        buf_reset(&rs->body);
        rs->status = 500;
        rs->content_type = "text/plain; charset=utf-8";
        buf_printf(&rs->body, "500 Internal Server Error: the page template \"%s\" could not be rendered.\n", tmpl);
        return;
    }
    rs->content_type = "text/html; charset=utf-8";
    if (!rs->status)
        rs->status = 200;
}

void view_error(request *rq, response *rs, int status, const char *message)
{
    char title[160];
    snprintf(title, sizeof(title), "%d %s", status, i18n_tr(rq->lang, http_status_text(status)));
    json_t *d = view_data(rq, title);
    json_object_set_new(d, "status", json_integer(status));
    jset_str(d, "message", message);
    json_object_set_new(d, "not_found", json_boolean(status == 404));
    buf_reset(&rs->body);
    rs->status = status;
    view_page(rq, rs, "error", d);
    rs->status = status;
}
