/* locator_pages: /find, its shortcuts (shortcuts.c), /services/<id> and
 * reports. */
#include "locator/locator_pages.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "http/assets.h"
#include "http/server.h"
#include "locator/locator.h"
#include "hsds/hsds_store.h"
#include "locator/geo.h"
#include "locator/card_cache.h"
#include "locator/find_form.h"
#include "locator/listing.h"
#include "http/ratelimit.h"
#include "locator/mail.h"
#include "locator/map.h"
#include "locator/map_cache.h"
#include "locator/places.h"
#include "locator/report_store.h"
#include "locator/shortcuts.h"
#include "pages/site.h"
#include "pages/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PAGE_SIZE 20
_Static_assert(PAGE_SIZE <= MAP_CACHE_PINS, "a page's map can be kept");
#define MAX_CANDIDATES 1000
#define KM_PER_MILE 1.609344
#define REPORTS_PER_DAY 20         /* for one listing */
#define REPORTS_PER_CLIENT_HOUR 10 /* from one address, kept in memory only */
#define REPORTS_SITE_PER_DAY 2000  /* stored for the whole site */

struct query {
    const char *what, *where;
    long miles, page;
    bool open_now;
    const char *lang; /* a language code from the list, or NULL */
    uint64_t what_bit, attr_bits; /* loc_code_bits: the kind asked for, the filters */
    const char *attrs[16];
    int nattrs;
};

/* Reads and checks the query; false with why set (answered 400). */
static bool read_query(request *rq, struct query *q, const char **why)
{
    memset(q, 0, sizeof(*q));
    q->what = req_str(rq, "what");
    const char *slug = req_param(rq, "what");
    if (slug) {
        const shortcut *sc = shortcut_by_slug(slug);
        q->what = sc ? sc->code : NULL;
        if (!q->what) {
            *why = N_("There is no such shortcut.");
            return false;
        }
    }
    if (q->what && *q->what && (!loc_code_find(q->what) || loc_code_find(q->what)->attribute)) {
        *why = N_("Choose what you are looking for from the list.");
        return false;
    }
    q->what_bit = q->what && *q->what ? loc_code_bit(q->what) : 0;
    q->where = req_str(rq, "where");
    q->miles = req_int(rq, "radius"); /* 1 to 500, default 25: the route's spec */
    q->page = req_int(rq, "page");    /* 1 to 50, default 1 */
    q->open_now = req_bool(rq, "open");
    const char *lang = req_str(rq, "lang");
    if (lang && *lang) {
        int k = card_language_index(lang);
        q->lang = k >= 0 ? card_languages[k].code : NULL;
        if (!q->lang) {
            *why = N_("Choose a language from the list.");
            return false;
        }
    }
    size_t na = params_count(&rq->query, "attr");
    for (size_t i = 0; i < na && q->nattrs < 16; i++) {
        const char *a = params_get_nth(&rq->query, "attr", i);
        const loc_code *c = loc_code_find(a);
        if (!c || !c->attribute) {
            *why = N_("One of the filters is not one we know.");
            return false;
        }
        q->attr_bits |= loc_code_bit(a);
        q->attrs[q->nattrs++] = a;
    }
    return true;
}

/* The form: its choices (find_form.c, rendered once per language and
 * template set) and what this request filled in. */
static void form_data(json_t *d, const request *rq, const struct query *q)
{
    find_form_choice ch = {q->what, q->attrs, q->nattrs, q->miles, q->lang};
    site *s = site_acquire();
    if (!find_form_html(s ? site_templates(s, rq->lang) : NULL, rq->lang, &ch, d))
        log_error("finder: the form's choices could not be rendered (partials/find-choices)");
    site_release(s);
    jset_str(d, "where", q->where ? q->where : "");
    json_object_set_new(d, "open", json_boolean(q->open_now));
    json_object_set_new(d, "filtered", json_boolean(q->open_now || q->nattrs > 0 || q->lang));
}

/* The URL of another page of the same results. */
static char *page_url(request *rq, const struct query *q, long page_no)
{
    buf b = BUF_INIT;
    buf_puts(&b, "/find?what=");
    if (q->what)
        esc_url(&b, q->what, strlen(q->what));
    buf_puts(&b, "&where=");
    esc_url(&b, q->where, strlen(q->where));
    buf_printf(&b, "&radius=%ld", q->miles);
    if (q->open_now)
        buf_puts(&b, "&open=1");
    if (q->lang)
        buf_printf(&b, "&lang=%s", q->lang);
    for (int i = 0; i < q->nattrs; i++)
        buf_printf(&b, "&attr=%s", q->attrs[i]);
    buf_printf(&b, "&page=%ld", page_no);
    char *s = arena_strdup(&rq->a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* Whether the hit passes the "open now" and language filters; with d not
 * NULL, its card (result number number) as page data in *d: its HTML,
 * rendered once per listing, language and template set (card_cache_html),
 * or, when set cannot render it in pieces, the card's data. Every read goes
 * through the finder's card cache (card_cache.h): no JSON is parsed for a
 * listing already seen in this generation of the directory. */
static bool result_of(sqlite3 *db, request *rq, long generation, const mus_set *set, const geo_hit *h, int64_t now,
                      const struct query *q, long number, map_pin *pin, buf *html, json_t **d)
{
    card c = {0, 0, 0, 0};
    const char *zone = rq->cfg ? rq->cfg->timezone : NULL;
    int lang = q->lang ? card_language_index(q->lang) : -1;
    bool filtered = q->open_now || lang >= 0;
    /* with filters, look first without copying the card (the language
     * alone: without its hours) */
    if (q->open_now && !card_cache_get(db, &rq->a, generation, h->id, now, zone, rq->lang, &c, NULL))
        return false;
    if (!q->open_now && filtered && !card_cache_langs(db, &rq->a, generation, h->id, zone, &c.langs))
        return false;
    if ((lang >= 0 && !(c.langs & (1u << lang))) || (q->open_now && c.open != 1))
        return false;
    if (!d)
        return true;
    char num[24], dist[48];
    i18n_number(rq->lang, h->km / KM_PER_MILE, 1, num, sizeof(num));
    snprintf(dist, sizeof(dist), T(rq, "%s miles"), num);
    card_fill f = {number, dist, NULL, false, q->what_bit, q->attr_bits};
    buf_reset(html);
    if (card_cache_html(db, &rq->a, generation, h->id, now, zone, rq->lang, set, &f, &c, html, &pin->name)) {
        *d = json_object();
        json_object_set_new(*d, "card_html", json_stringn_nocheck(html->data ? html->data : "", html->len));
    } else {
        if (!card_cache_get(db, &rq->a, generation, h->id, now, zone, rq->lang, &c, d))
            return false;
        jset_str(*d, "distance", dist);
        listing_focus(*d, q->what, q->attrs, q->nattrs);
        pin->name = json_string_value(json_object_get(*d, "name"));
    }
    json_object_set_new(*d, "number", json_integer(number));
    pin->number = (int)number;
    pin->lat = c.lat;
    pin->lon = c.lon;
    pin->km = h->km;
    return true;
}

/* The deployer's tile server when the optional Leaflet map is on (and its
 * files were loaded), else NULL. */
static const config *leaflet_config(const request *rq)
{
    const config *c = rq->cfg;
    if (!c || !c->tiles[0] || !assets_url("vendor/leaflet/leaflet.min.js"))
        return NULL;
    return c;
}

/* The map of a page of results, drawn by the server around the searched
 * place (no tiles, no third party), or nothing when it would show nothing
 * useful (map.h). With map.tiles set, "leaflet" also carries what
 * static/js/map.js needs to put an interactive map over it (the files to
 * load, the tile template and its credit); the pins themselves come from
 * data- attributes on the list items. key names the map for map_cache. */
static void add_map(json_t *d, const request *rq, const map_pin *pins, int n, const map_key *key)
{
    if (!n || !map_loaded())
        return;
    buf b = BUF_INIT;
    int drawn = 0;
    if (!map_cache_get(key, &b, &drawn)) { /* kept per search: map_cache.h */
        map_request mr = {"wp-map", T(rq, "Map of the results"), key->lat, key->lon, rq->lang};
        drawn = map_svg(&b, &mr, pins, n);
        map_cache_put(key, b.data ? b.data : "", b.len, drawn);
    }
    if (drawn > 0)
        json_object_set_new(d, "map_svg", json_string_nocheck(buf_cstr(&b)));
    buf_free(&b);
    const config *c = leaflet_config(rq);
    if (!c || drawn <= 0)
        return;
    json_t *l = json_object();
    jset_str(l, "css_url", assets_url("vendor/leaflet/leaflet.css"));
    jset_str(l, "js_url", assets_url("vendor/leaflet/leaflet.min.js"));
    jset_str(l, "map_js_url", assets_url("js/map.js"));
    jset_str(l, "tiles", c->tiles);
    jset_str(l, "attribution", c->attribution);
    json_object_set_new(l, "max_zoom", json_integer(c->max_zoom));
    json_object_set_new(d, "leaflet", l);
}

/* Where the map goes: after the third card, so the first answers come
 * first on a phone ("map_here" on that card ends the list, places the map
 * and starts the rest at 4), or after the list when it is that short. */
static void place_map(json_t *d, json_t *list)
{
    if (!json_object_get(d, "map_svg"))
        return;
    if (json_array_size(list) > 3)
        json_object_set_new(json_array_get(list, 2), "map_here", json_true());
    else
        json_object_set_new(d, "map_after_list", json_true());
}

/* A page of results as it is filled: the cards, and the map's pins and
 * key (map_cache.h). */
struct results_page {
    json_t *list;
    map_pin pins[PAGE_SIZE];
    map_key key;
    bool leaflet;
};

/* Adds card r (of listing id, drawn as pin) to the page. */
static void page_add(struct results_page *p, json_t *r, const map_pin *pin, uint32_t id)
{
    if (p->leaflet) {
        char ll[32];
        snprintf(ll, sizeof(ll), "%.6f", pin->lat);
        jset_str(r, "lat", ll);
        snprintf(ll, sizeof(ll), "%.6f", pin->lon);
        jset_str(r, "lon", ll);
    }
    if (p->key.npins < PAGE_SIZE) {
        p->key.ids[p->key.npins] = id;
        p->pins[p->key.npins++] = *pin;
    }
    json_array_append_new(p->list, r);
}

/* The page's map, results, counts and paging into d. */
static void page_finish(json_t *d, request *rq, const struct query *q, struct results_page *p, bool more)
{
    add_map(d, rq, p->pins, p->key.npins, &p->key);
    place_map(d, p->list);
    json_object_set_new(d, "results", p->list);
    json_object_set_new(d, "searched", json_true());
    json_object_set_new(d, "none", json_boolean(json_array_size(p->list) == 0));
    if (q->page > 1)
        jset_str(d, "prev_url", page_url(rq, q, q->page - 1));
    if (more)
        jset_str(d, "next_url", page_url(rq, q, q->page + 1));
    json_object_set_new(d, "page", json_integer(q->page));
}

/* Runs the search and adds results, counts and paging to d. Without "open
 * now" only the page's own listings are read; with it, candidates are read
 * in distance order until the page is full. */
static void search(json_t *d, request *rq, const struct query *q, double lat, double lon)
{
    sqlite3 *db = db_thread();
    geo_index *g = geo_acquire();
    bool each = q->open_now || q->lang; /* filters that need every candidate's listing */
    size_t want = each ? MAX_CANDIDATES : (size_t)(q->page * PAGE_SIZE + 1);
    geo_hit *hits = arena_alloc(&rq->a, sizeof(geo_hit) * want); /* zeroed: only what is asked for */
    size_t n = g ? geo_nearest(g, lat, lon, (double)q->miles * KM_PER_MILE, q->what_bit | q->attr_bits, hits, want) : 0;
    geo_release(g);
    int64_t now = (int64_t)time(NULL);
    size_t first = (size_t)(q->page - 1) * PAGE_SIZE, matched = 0;
    bool more = false;
    struct results_page p;
    memset(&p, 0, sizeof(p));
    p.list = json_array();
    p.key = (map_key){-1, rq->lang, lat, lon, 0, {0}};
    p.leaflet = leaflet_config(rq) != NULL;
    site *s = site_acquire();
    const mus_set *set = s ? site_templates(s, rq->lang) : NULL;
    buf html = BUF_INIT;
    bool txn = db && db_read_begin(db); /* one snapshot and read lock for every listing read */
    p.key.generation = db ? card_cache_begin(db) : -1;
    for (size_t i = 0; i < n && db; i++) {
        bool in_page = matched >= first && matched < first + PAGE_SIZE;
        if (!each && !in_page) {
            more |= matched >= first + PAGE_SIZE;
            matched++;
            continue;
        }
        map_pin pin = {0, 0, 0, -1, NULL};
        json_t *r = NULL;
        long number = (long)json_array_size(p.list) + 1;
        if (!result_of(db, rq, p.key.generation, set, &hits[i], now, q, number, &pin, &html, in_page ? &r : NULL))
            continue;
        if (matched >= first + PAGE_SIZE) {
            more = true;
            break;
        }
        if (in_page)
            page_add(&p, r, &pin, hits[i].id);
        matched++;
    }
    if (txn)
        db_read_end(db);
    buf_free(&html);
    page_finish(d, rq, q, &p, more);
    site_release(s);
}

static const char *title_for(const request *rq, const struct query *q)
{
    const shortcut *sc = shortcut_by_code(q->what);
    return sc ? T(rq, sc->title) : T(rq, "Find services near you");
}

/* A link to the finder with the same search at another "where". */
static json_t *where_link(const struct query *q, const char *where)
{
    buf b = BUF_INIT;
    buf_puts(&b, "/find?what=");
    if (q->what)
        esc_url(&b, q->what, strlen(q->what));
    buf_puts(&b, "&where=");
    esc_url(&b, where, strlen(where));
    buf_printf(&b, "&radius=%ld", q->miles);
    json_t *o = json_object();
    jset_str(o, "href", buf_cstr(&b));
    jset_str(o, "label", where);
    buf_free(&b);
    return o;
}

/* What the page says about the place typed: an error (400), a note, and
 * "did you mean" links. */
static void place_data(json_t *d, const request *rq, response *rs, const struct query *q, const place_result *pr)
{
    static const char *const errors[] = {
        [PLACE_NOT_FOUND] = N_("We could not find that place. Check the spelling, or type a ZIP code."),
        [PLACE_UNKNOWN_ZIP] = N_("We do not know that ZIP code. Check it, or try a nearby one."),
        [PLACE_BAD_COORDS] = N_("Those coordinates are not on Earth: latitude is -90 to 90, longitude -180 to 180."),
        [PLACE_UNREADABLE] = N_("Type a ZIP code, a city and state (Denver, CO), a county (Multnomah County, OR), "
                                "or latitude,longitude."),
    };
    if (pr->status >= PLACE_NOT_FOUND) {
        jset_str(d, "error", T(rq, errors[pr->status]));
        rs->status = 400;
    } else if (pr->status == PLACE_AMBIGUOUS) {
        jset_str(d, "place_note", T(rq, "There is more than one place with that name. Which one do you mean?"));
    } else if (pr->status == PLACE_STATE) {
        char note[200];
        snprintf(note, sizeof(note), T(rq, "For places near you, add a city or ZIP code in %s."), T(rq, pr->label));
        jset_str(d, "place_note", note);
    } else {
        jset_str(d, "place_label", pr->label);
    }
    json_t *list = json_array();
    for (int i = 0; i < pr->nsuggest; i++)
        json_array_append_new(list, where_link(q, pr->suggest[i]));
    json_object_set_new(d, "has_did_you_mean", json_boolean(pr->nsuggest > 0));
    jset_str(d, "did_you_mean_intro", pr->status == PLACE_FOUND ? T(rq, "Not the place you meant?") : T(rq, "Did you mean:"));
    json_object_set_new(d, "did_you_mean", list);
}

/* The "ways to get it anywhere" panel for searches that must never come
 * back empty: first when nothing local was found, after the list if so. */
static void anywhere_data(json_t *d, const request *rq, const struct query *q, const place_result *pr)
{
    if (!mail_shows_for(q->what))
        return;
    json_t *panel = mail_panel(db_thread(), q->what, pr->state, rq->lang);
    if (!panel)
        return;
    json_t *results = json_object_get(d, "results");
    bool first = json_array_size(results) == 0;
    json_object_set_new(panel, "first", json_boolean(first));
    json_object_set_new(d, "anywhere_first", json_boolean(first));
    json_object_set_new(d, "anywhere", panel);
}

void locator_find_page(request *rq, response *rs)
{
    struct query q;
    const char *why = NULL;
    if (!read_query(rq, &q, &why)) {
        resp_error(rq, rs, req_param(rq, "what") ? 404 : 400, T(rq, why));
        return;
    }
    json_t *d = view_data(rq, title_for(rq, &q));
    form_data(d, rq, &q);
    json_object_set_new(d, "miles", json_integer(q.miles));
    rs->cache_control = "no-store";
    if (q.where && *q.where) {
        place_result pr;
        place_resolve(q.where, &pr);
        place_data(d, rq, rs, &q, &pr);
        if (pr.status == PLACE_FOUND)
            search(d, rq, &q, pr.lat, pr.lon);
        anywhere_data(d, rq, &q, &pr);
    }
    view_page(rq, rs, "find", d);
}

void locator_service_page(request *rq, response *rs)
{
    const char *id = req_param(rq, "id");
    sqlite3 *db = db_thread();
    hsds_listing l;
    if (!db || !hsds_store_listing_by_service(db, &rq->a, id, &l)) {
        resp_error(rq, rs, 404, T(rq, "There is no listing with that id. It may have been removed."));
        return;
    }
    json_t *item = listing_json_lang(&l, (int64_t)time(NULL), true, NULL, rq->cfg ? rq->cfg->timezone : NULL, rq->lang);
    json_t *d = view_data(rq, json_string_value(json_object_get(item, "name")));
    json_object_set_new(d, "item", item);
    const char *sent = req_str(rq, "reported");
    json_object_set_new(d, "reported", json_boolean(sent && !strcmp(sent, "1")));
    view_page(rq, rs, "service", d);
}

static ratelimit *report_limit;

void locator_pages_start(void)
{
    if (!report_limit)
        report_limit = ratelimit_new(REPORTS_PER_CLIENT_HOUR, 3600);
}

void locator_pages_stop(void)
{
    ratelimit_free(report_limit);
    report_limit = NULL;
    card_cache_clear();
    find_form_clear();
    map_cache_clear();
}

/* The UTC time seconds_ago seconds ago, as the reports table writes it. */
static void utc_ago(long seconds_ago, char out[32])
{
    time_t t = time(NULL) - seconds_ago;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* 429 when this client, this listing or the whole site has sent enough
 * reports for now; false when the report may be stored. */
static bool over_limits(request *rq, response *rs, sqlite3 *db, const char *id)
{
    int wait = 0;
    char since[32], retry[16];
    if (report_limit && !ratelimit_allow(report_limit, rq->client, time(NULL), &wait)) {
        snprintf(retry, sizeof(retry), "%d", wait);
        resp_header(rs, "Retry-After", arena_strdup(&rq->a, retry));
        resp_error(rq, rs, 429, T(rq, "You have sent many reports in the last hour. Thank you: please try again later."));
        return true;
    }
    utc_ago(86400, since);
    if (report_store_count_since(db, id, since) >= REPORTS_PER_DAY ||
        report_store_count_since(db, NULL, since) >= REPORTS_SITE_PER_DAY) {
        resp_header(rs, "Retry-After", "3600");
        resp_error(rq, rs, 429, T(rq, "This listing has had many reports today. Thank you: staff will look at it."));
        return true;
    }
    return false;
}

void locator_service_report(request *rq, response *rs)
{
    static const char *const kinds[] = {"closed", "moved", "hours", "phone", "other"};
    const char *id = req_param(rq, "id"), *kind = req_str(rq, "kind");
    const char *note = req_str(rq, "note"); /* at most 500 bytes: the route's spec */
    bool known = false;
    for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        known |= !strcmp(kind, kinds[i]);
    sqlite3 *db = db_thread();
    hsds_listing l;
    if (!db || !hsds_store_listing_by_service(db, &rq->a, id, &l)) {
        resp_error(rq, rs, 404, T(rq, "There is no listing with that id."));
        return;
    }
    if (!known) {
        resp_error(rq, rs, 400, T(rq, "Choose what is wrong from the list."));
        return;
    }
    if (over_limits(rq, rs, db, id))
        return;
    enum report_result r = report_store_add(db, id, kind, note);
    if (r == REPORT_BUSY) {
        resp_header(rs, "Retry-After", "30");
        resp_error(rq, rs, 503, T(rq, "Your report was not saved: the directory is being updated. Please send it "
                                      "again in a minute."));
        return;
    }
    if (r != REPORT_SAVED) {
        resp_error(rq, rs, 500, T(rq, "Your report could not be saved. Please try again later."));
        return;
    }
    buf b = BUF_INIT;
    buf_puts(&b, "/services/");
    esc_url(&b, id, strlen(id));
    buf_puts(&b, "?reported=1#wp-report");
    resp_redirect(rs, 303, arena_strdup(&rq->a, buf_cstr(&b)));
    buf_free(&b);
}
