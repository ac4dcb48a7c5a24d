/* alerts_pages: /alerts, /alerts/<id> (page, .cap, photo) and
 * /alerts.atom. The hooks, the templates file and the conditional GET
 * are in alerts_hooks.c. See alerts_pages.h. */
#include "alerts/alerts_pages.h"
#include "alerts/alerts_lang.h"
#include "alerts/alerts_store.h"
#include "alerts/atom.h"
#include "alerts/cap.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/site.h"
#include "pages/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIST_MAX 200
#define FEED_MAX 50
#define VERSIONS_MAX 100

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void set_time(const request *rq, json_t *d, const char *key, int64_t t)
{
    char s[120];
    alerts_human_time(rq->cfg, rq->lang, t, s, sizeof(s));
    jset_str(d, key, s);
}

/* Does the site have a fact sheet at path? */
static bool sheet_exists(const char *path)
{
    site *s = site_acquire();
    bool found = s && content_find(s->content, path) != NULL;
    if (s)
        site_release(s);
    return found;
}

static json_t *substances_json(const request *rq, const json_t *doc)
{
    json_t *list = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach (json_object_get(doc, "substances"), i, s) {
        char slug[64], title[128], href[128];
        if (!alerts_resolve_substance(json_string_value(s), slug, sizeof(slug), title, sizeof(title)))
            continue;
        json_t *o = json_object();
        jset_str(o, "name", i18n_tr(rq->lang, title)); /* a data string: the matrix's name */
        snprintf(href, sizeof(href), "/substances/%s", slug);
        if (sheet_exists(href))
            jset_str(o, "href", href);
        json_object_set_new(o, "last", json_boolean(i + 1 == json_array_size(json_object_get(doc, "substances"))));
        json_array_append_new(list, o);
    }
    return list;
}

/* The label of an alert field in the history's "Changed:" list. */
static const char *field_label(int lang, size_t i)
{
    switch (i) {
    case 0: return i18n_trc(lang, "alert field", "headline");
    case 1: return i18n_trc(lang, "alert field", "what was found");
    case 2: return i18n_trc(lang, "alert field", "sold as");
    case 3: return i18n_trc(lang, "alert field", "how it looks");
    case 4: return i18n_trc(lang, "alert field", "effects");
    case 5: return i18n_trc(lang, "alert field", "details");
    case 6: return i18n_trc(lang, "alert field", "where");
    case 7: return i18n_trc(lang, "alert field", "when seen");
    case 8: return i18n_trc(lang, "alert field", "source");
    case 9: return i18n_trc(lang, "alert field", "certainty");
    case 10: return i18n_trc(lang, "alert field", "severity");
    case 11: return i18n_trc(lang, "alert field", "urgency");
    case 12: return i18n_trc(lang, "alert field", "what to do");
    case 13: return i18n_trc(lang, "alert field", "start");
    default: return i18n_trc(lang, "alert field", "expiry");
    }
}

/* The labels of the fields that differ between two versions. */
static void changed_fields(int lang, const json_t *a, const json_t *b, char *out, size_t n)
{
    static const char *const keys[] = {"headline", "substances", "sold_as", "appearance", "effects", "description",
                                       "area",     "seen_on",    "source",  "certainty",  "severity", "urgency",
                                       "instruction", "starts",  "expires"};
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const json_t *x = json_object_get(a, keys[i]), *y = json_object_get(b, keys[i]);
        if ((!x && !y) || json_equal(x, y)) /* json_equal(NULL, NULL) is 0 */
            continue;
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", l ? ", " : "", field_label(lang, i));
    }
}

static json_t *history_json(const request *rq, const alert_version *v, int nv, const char *text_lang)
{
    json_t *list = json_array();
    for (int i = nv - 1; i >= 0; i--) {
        json_t *o = json_object();
        set_time(rq, o, "when", v[i].sent);
        char iso[40], changed[300] = "";
        alerts_format_time(v[i].sent, v[i].sent_offset, false, iso, sizeof(iso));
        jset_str(o, "datetime", iso);
        const char *what = !strcmp(v[i].msg_type, "Alert") ? "Published" : !strcmp(v[i].msg_type, "Cancel") ? "Withdrawn" : "Updated";
        jset_str(o, "what", alerts_word(rq->lang, what));
        /* the notes the system writes are shown in the page's language, staff's in the alert's */
        const char *note = i18n_tr(rq->lang, v[i].note);
        bool system = note != v[i].note || !strcmp(v[i].note, "First published.") || !strcmp(v[i].note, "Updated.") ||
                      !strncmp(v[i].note, "Ended early:", 12);
        jset_str(o, "note", note);
        jset_str(o, "note_lang", system ? i18n_code(rq->lang) : text_lang);
        if (i > 0)
            changed_fields(rq->lang, v[i - 1].doc, v[i].doc, changed, sizeof(changed));
        if (changed[0])
            jset_str(o, "changed", changed);
        json_array_append_new(list, o);
    }
    return list;
}

static void doc_fields(const request *rq, json_t *d, const json_t *doc)
{
    static const char *const keys[] = {"headline", "sold_as", "appearance", "effects", "description", "seen_on",
                                       "certainty", "severity", "urgency", "instruction", "language"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (str(doc, keys[i]))
            jset_str(d, keys[i], str(doc, keys[i]));
    const json_t *area = json_object_get(doc, "area");
    jset_str(d, "area", str(area, "description"));
    char zips[400] = "";
    size_t i;
    const json_t *z;
    json_array_foreach (json_object_get(area, "zips"), i, z) {
        size_t l = strlen(zips);
        snprintf(zips + l, sizeof(zips) - l, "%s%s", i ? ", " : "", json_string_value(z));
    }
    if (zips[0])
        jset_str(d, "zips", zips);
    jset_str(d, "source", alerts_source_word(rq->lang, str(doc, "source")));
    jset_str(d, "severity_class", str(doc, "severity") ? str(doc, "severity") : "Unknown");
    if (str(doc, "severity"))
        jset_str(d, "severity", alerts_word(rq->lang, str(doc, "severity")));
    if (str(doc, "certainty"))
        jset_str(d, "certainty", alerts_word(rq->lang, str(doc, "certainty")));
    char day[40];
    if (str(doc, "seen_on") && i18n_day(rq->lang, str(doc, "seen_on"), day, sizeof(day)))
        jset_str(d, "seen_on_human", day);
}

void alerts_view_add(const request *rq, json_t *d, const alert_rec *a, const alert_version *v, int nv, int64_t now)
{
    doc_fields(rq, d, a->doc);
    sqlite3 *db = db_thread();
    if (db)
        alerts_lang_view(rq, db, d, a);
    char href[64];
    json_object_set_new(d, "id", json_integer(a->id));
    json_object_set_new(d, "substances", substances_json(rq, a->doc));
    const char *state = alerts_state_shown(a->state, a->version, a->starts, a->expires, now);
    jset_str(d, "state", alerts_word(rq->lang, state));
    json_object_set_new(d, "active", json_boolean(alerts_is_active(a->state, a->starts, a->expires, now)));
    json_object_set_new(d, "expired", json_boolean(!strcmp(state, "expired")));
    json_object_set_new(d, "scheduled", json_boolean(!strcmp(state, "scheduled")));
    json_object_set_new(d, "withdrawn", json_boolean(!strcmp(a->state, "withdrawn")));
    if (a->reason[0])
        jset_str(d, "withdraw_reason", a->reason);
    set_time(rq, d, "starts_human", a->starts);
    set_time(rq, d, "expires_human", a->expires);
    jset_str(d, "starts_iso", str(a->doc, "starts"));
    jset_str(d, "expires_iso", str(a->doc, "expires"));
    if (a->updated_at)
        set_time(rq, d, "updated_human", a->updated_at);
    snprintf(href, sizeof(href), "/alerts/%ld.cap", a->id);
    jset_str(d, "cap_url", href);
    if (a->photo) {
        snprintf(href, sizeof(href), "/alerts/%ld/photo?v=%lld", a->id, (long long)a->photo_at);
        jset_str(d, "photo_url", href);
        jset_str(d, "photo_alt", a->photo_alt[0] ? a->photo_alt : T(rq, "Photo of the drug described in this alert"));
        json_object_set_new(d, "photo_width", json_integer(a->photo_w));
        json_object_set_new(d, "photo_height", json_integer(a->photo_h));
    }
    const char *tag = str(a->doc, "language");
    json_t *h = history_json(rq, v, nv, tag && *tag ? tag : alerts_text_lang(a));
    json_object_set_new(d, "has_history", json_boolean(json_array_size(h) > 1));
    json_object_set_new(d, "history", h);
}

void alerts_render(request *rq, response *rs, const alert_rec *a, const alert_version *v, int nv, bool preview)
{
    json_t *d = view_data(rq, str(a->doc, "headline"));
    alerts_view_add(rq, d, a, v, nv, (int64_t)time(NULL));
    jset_str(d, "page_class", "alert-page");
    if (preview)
        json_object_set_new(d, "preview", json_true());
    view_page(rq, rs, "alerts-show", d);
}

/* The id of /alerts/<id>[.cap]: > 0, or 0 when it is not a number; *cap set for ".cap". */
static long path_id(const request *rq, bool *cap)
{
    const char *s = req_param(rq, "id");
    char tmp[32];
    long id = 0;
    if (!s || !str_copy(tmp, sizeof(tmp), s))
        return 0;
    *cap = str_has_suffix(tmp, ".cap");
    if (*cap)
        tmp[strlen(tmp) - 4] = '\0';
    return parse_long(tmp, 1, 1L << 50, &id) ? id : 0;
}

/* Reads a public alert (published at least once) with its versions.
 * 200, 404 or 500 (with the error set on rs). */
static int read_public(request *rq, response *rs, long id, alert_rec *a, alert_version *v, int *nv)
{
    sqlite3 *db = db_thread();
    int f = db ? alerts_store_get(db, id, a) : -1;
    if (f == 1 && a->version == 0) {
        alert_rec_clear(a);
        f = 0;
    }
    if (f == 0) {
        resp_error(rq, rs, 404, T(rq, "There is no alert at this address."));
        return 404;
    }
    *nv = f > 0 ? alerts_store_versions(db, id, v, VERSIONS_MAX) : -1;
    if (*nv < 0) {
        if (f > 0)
            alert_rec_clear(a);
        resp_error(rq, rs, 500, T(rq, "Alerts cannot be read right now. Please try again."));
        return 500;
    }
    return 200;
}

static void send_cap(request *rq, response *rs, const alert_rec *a, const alert_version *v, int nv)
{
    char base[300], web[400], photo[400];
    alerts_base_url(rq->cfg, base, sizeof(base));
    int l = i18n_find(alerts_text_lang(a)); /* the page in the alert's language */
    snprintf(web, sizeof(web), "%s%s/alerts/%ld", base, i18n_prefix(l >= 0 ? l : I18N_SOURCE), a->id);
    snprintf(photo, sizeof(photo), "%s/alerts/%ld/photo?v=%lld", base, a->id, (long long)a->photo_at);
    cap_msg m = {&v[nv - 1], v, nv - 1, rq->cfg->org_name, web, a->photo ? photo : NULL,
                 a->photo ? a->photo_mime : NULL};
    if (alerts_conditional(rq, rs, a->updated_at))
        return;
    cap_write(&rs->body, &m);
    rs->content_type = "application/cap+xml; charset=utf-8";
}

void alerts_show(request *rq, response *rs)
{
    bool cap = false;
    long id = path_id(rq, &cap);
    if (!id) {
        resp_error(rq, rs, 404, T(rq, "There is no alert at this address."));
        return;
    }
    alert_rec a;
    alert_version v[VERSIONS_MAX];
    int nv = 0;
    if (read_public(rq, rs, id, &a, v, &nv) != 200)
        return;
    if (cap && nv > 0)
        send_cap(rq, rs, &a, v, nv);
    else if (cap)
        resp_error(rq, rs, 404, T(rq, "This alert has no CAP message."));
    else
        alerts_render(rq, rs, &a, v, nv, false);
    alert_versions_free(v, nv);
    alert_rec_clear(&a);
}

/* One alert of the lists: a (the original) told in t (its translation
 * into the page's language, or a itself), with its language marked. */
static json_t *brief_json(const request *rq, const alert_rec *a, const alert_rec *t, int64_t now)
{
    json_t *o = json_object();
    char href[64];
    snprintf(href, sizeof(href), "/alerts/%ld", t->id);
    jset_str(o, "href", href);
    jset_str(o, "title", str(t->doc, "headline"));
    jset_str(o, "area", str(json_object_get(t->doc, "area"), "description"));
    jset_str(o, "severity", alerts_word(rq->lang, str(t->doc, "severity")));
    jset_str(o, "severity_class", str(t->doc, "severity"));
    jset_str(o, "state", alerts_word(rq->lang, alerts_state_shown(a->state, a->version, a->starts, a->expires, now)));
    set_time(rq, o, "starts_human", a->starts);
    set_time(rq, o, "expires_human", a->expires);
    const char *code = alerts_text_lang(t);
    if (strcmp(code, i18n_code(rq->lang))) {
        char note[160];
        jset_str(o, "text_lang", str(t->doc, "language") ? str(t->doc, "language") : code);
        snprintf(note, sizeof(note), T(rq, "(in %s)"), alerts_lang_name(rq->lang, code));
        jset_str(o, "lang_note", note);
    }
    if (t != a) { /* a link to the original, in its language's pages */
        int l = i18n_find(alerts_text_lang(a));
        snprintf(href, sizeof(href), "%s/alerts/%ld", i18n_prefix(l >= 0 ? l : I18N_SOURCE), a->id);
        jset_str(o, "original_href", href);
        jset_str(o, "original_lang", alerts_text_lang(a));
        jset_str(o, "original_name", l >= 0 ? i18n_name(l) : alerts_text_lang(a));
    }
    return o;
}

/* brief_json of a, in its translation into the page's language when it has one. */
static json_t *brief_in_lang(const request *rq, sqlite3 *db, const alert_rec *a, int64_t now)
{
    alert_rec t;
    if (alerts_translated(db, a, rq->lang, &t) != 1)
        return brief_json(rq, a, a, now);
    json_t *o = brief_json(rq, a, &t, now);
    alert_rec_clear(&t);
    return o;
}

/* Does a's area (its name or ZIP codes) contain the text q (any case)? */
static bool area_matches(const alert_rec *a, const char *q)
{
    const json_t *area = json_object_get(a->doc, "area");
    const char *d = str(area, "description");
    if (d && strcasestr(d, q))
        return true;
    size_t i;
    const json_t *z;
    json_array_foreach (json_object_get(area, "zips"), i, z)
        if (!strcmp(json_string_value(z), q))
            return true;
    return false;
}

void alerts_index(request *rq, response *rs)
{
    const char *sub = req_str(rq, "substance"), *area = req_str(rq, "area");
    char slug[64] = "", title[128] = "";
    if (sub && *sub && !alerts_resolve_substance(sub, slug, sizeof(slug), title, sizeof(title))) {
        resp_error(rq, rs, 400, T(rq, "That substance is not one Waypost knows. Choose one from the list."));
        return;
    }
    int64_t now = (int64_t)time(NULL);
    alert_filter f = {true, -1, slug[0] ? slug : NULL, 0, 3, now, 0, LIST_MAX, true};
    alert_rec *list = xcalloc(LIST_MAX, sizeof(*list));
    sqlite3 *db = db_thread();
    int n = db ? alerts_store_list(db, &f, list, LIST_MAX, NULL) : -1;
    if (n < 0) {
        free(list);
        resp_error(rq, rs, 500, T(rq, "Alerts cannot be read right now. Please try again."));
        return;
    }
    json_t *d = view_data(rq, T(rq, "Local drug alerts")), *active = json_array(), *archive = json_array();
    for (int i = 0; i < n; i++) {
        if (!area || !*area || area_matches(&list[i], area))
            json_array_append_new(alerts_is_active(list[i].state, list[i].starts, list[i].expires, now) ? active : archive,
                                  brief_in_lang(rq, db, &list[i], now));
        alert_rec_clear(&list[i]);
    }
    free(list);
    json_object_set_new(d, "has_active", json_boolean(json_array_size(active) > 0));
    json_object_set_new(d, "active", active);
    json_object_set_new(d, "has_archive", json_boolean(json_array_size(archive) > 0));
    json_object_set_new(d, "archive", archive);
    jset_str(d, "substance", slug);
    jset_str(d, "substance_title", title);
    jset_str(d, "area", area ? area : "");
    json_object_set_new(d, "filtered", json_boolean(slug[0] || (area && *area)));
    json_object_set_new(d, "templates", alerts_template_list());
    view_page(rq, rs, "alerts", d);
}

/* The Atom feed's entries: up to FEED_MAX public alerts with their versions. */
void alerts_atom(request *rq, response *rs)
{
    int64_t now = (int64_t)time(NULL);
    sqlite3 *db = db_thread();
    int64_t last = db ? alerts_store_last_change(db, now) : 0;
    if (alerts_conditional(rq, rs, last ? last : 1))
        return;
    alert_filter f = {true, -1, NULL, 0, 3, now, 0, FEED_MAX, true};
    alert_rec *list = xcalloc(FEED_MAX, sizeof(*list));
    atom_entry *e = xcalloc(FEED_MAX, sizeof(*e));
    alert_version *v = xcalloc(FEED_MAX * 20, sizeof(*v));
    int n = db ? alerts_store_list(db, &f, list, FEED_MAX, NULL) : -1, used = 0;
    bool ok = n >= 0;
    for (int i = 0; ok && i < n; i++) {
        alert_rec t; /* the feed of a language tells an alert in its translation into it */
        int tr = alerts_translated(db, &list[i], rq->lang, &t);
        ok = tr >= 0;
        if (tr == 1) {
            alert_rec_clear(&list[i]);
            list[i] = t;
        }
        int k = ok ? alerts_store_versions(db, list[i].id, v + used, 20) : -1;
        ok = k >= 0;
        e[i] = (atom_entry){&list[i], v + used, k > 0 ? k : 0};
        used += k > 0 ? k : 0;
    }
    if (ok) {
        char root[300], base[320], title[300];
        alerts_base_url(rq->cfg, root, sizeof(root));
        snprintf(base, sizeof(base), "%s%s", root, i18n_prefix(rq->lang)); /* links to this language's pages */
        snprintf(title, sizeof(title), T(rq, "%s: local drug alerts"), rq->cfg->site_name);
        atom_feed feed = {base, title, rq->cfg->org_name, last ? last : 1, now, e, n, rq->lang};
        atom_write(&rs->body, &feed);
        rs->content_type = "application/atom+xml; charset=utf-8";
    } else {
        resp_error(rq, rs, 500, T(rq, "Alerts cannot be read right now. Please try again."));
    }
    alert_versions_free(v, used);
    for (int i = 0; i < (n > 0 ? n : 0); i++)
        alert_rec_clear(&list[i]);
    free(v);
    free(e);
    free(list);
}

/* GET /alerts/<id>/photo[?v=VERSION]: the photo of a public alert. The
 * pages link it with ?v= its added time, so that URL never changes its
 * bytes and is cached for a year; any other URL for a few minutes. */
void alerts_photo(request *rq, response *rs)
{
    bool cap = false;
    long id = path_id(rq, &cap);
    alert_rec a;
    sqlite3 *db = db_thread();
    int f = id && !cap && db ? alerts_store_get(db, id, &a) : 0;
    bool public = f > 0 && a.version > 0 && a.photo;
    char version[32] = "";
    if (f > 0) {
        snprintf(version, sizeof(version), "%lld", (long long)a.photo_at);
        alert_rec_clear(&a);
    }
    char mime[32];
    void *data = NULL;
    size_t len = 0;
    if (public)
        f = alerts_store_photo_get(db, id, mime, sizeof(mime), &data, &len);
    if (f < 0) {
        resp_error(rq, rs, 500, T(rq, "The photo cannot be read right now."));
        return;
    }
    if (!public || f == 0) {
        resp_error(rq, rs, 404, T(rq, "This alert has no photo."));
        return;
    }
    buf_append(&rs->body, data, len);
    free(data);
    rs->content_type = !strcmp(mime, "image/png") ? "image/png" : !strcmp(mime, "image/webp") ? "image/webp" : "image/jpeg";
    const char *v = req_str(rq, "v");
    rs->cache_control = v && !strcmp(v, version) ? "public, max-age=31536000, immutable" : "public, max-age=300";
}
