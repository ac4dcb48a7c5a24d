/* alerts_staff: the staff pages of local drug alerts. See alerts_staff.h.
 * The form's fields become the same JSON the API takes, so the one
 * validation (alerts_validate) names the problems for both. */
#include "alerts/alerts_staff.h"
#include "alerts/alerts.h"
#include "alerts/alerts_pages.h"
#include "alerts/alerts_store.h"
#include "alerts/photo.h"
#include "auth/guard.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "core/util.h"
#include "db/db.h"
#include "http/multipart.h"
#include "pages/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIST_MAX 500
#define VERSIONS_MAX 100
#define PHOTO_ALT_MAX 250

static alerts_staff_data_fn staff_data_g;

void alerts_set_staff_data(alerts_staff_data_fn fn)
{
    staff_data_g = fn;
}

static json_t *page_data(request *rq, const char *title)
{
    return staff_data_g ? staff_data_g(rq, title) : view_data(rq, title);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static alert_actor actor_of(const request *rq)
{
    const staff_who *w = staff_who_of(rq);
    return (alert_actor){w ? w->email : "", w ? w->session : ""};
}

/* "from" when it is a list of references such as "report:12,spike:3"
 * (a word, a colon, letters, digits or dashes; separated by commas), else
 * NULL: anything else is dropped rather than written in the audit log. */
static const char *from_of(const request *rq)
{
    const char *s = req_str(rq, "from");
    if (!s || !*s)
        return NULL;
    for (const char *p = s; *p;) {
        size_t w = strspn(p, "abcdefghijklmnopqrstuvwxyz-");
        if (!w || p[w] != ':')
            return NULL;
        p += w + 1;
        size_t id = strspn(p, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");
        if (!id || (p[id] && p[id] != ','))
            return NULL;
        p += id + (p[id] ? 1 : 0);
        if (p[-1] == ',' && !*p)
            return NULL;
    }
    return s;
}

/* The fields a link may fill the new-alert form with (the prefill of
 * routes.c's alert_new_p): a community report group, a spike. */
static const char *const PREFILL[] = {"headline", "substances", "sold_as", "appearance", "effects",
                                      "description", "area", "zips", "seen_on", "source"};

/* The alert id in the path, or 0 (then a 404 is set). */
static long path_id(request *rq, response *rs)
{
    long id;
    const char *s = req_param(rq, "id");
    if (s && parse_long(s, 1, 1L << 50, &id))
        return id;
    resp_error(rq, rs, 404, T(rq, "There is no alert at this address."));
    return 0;
}

/* ---- form <-> alert JSON ---- */

static const char *const TEXT_FIELDS[] = {"headline", "sold_as", "appearance", "effects", "description", "seen_on",
                                          "source",   "certainty", "severity", "urgency", "instruction", "language",
                                          "lang"};
#define NTEXT (sizeof(TEXT_FIELDS) / sizeof(TEXT_FIELDS[0]))

/* Splits s on commas (and, for ZIPs, spaces) into a JSON list of trimmed words. */
static json_t *split(const char *s, const char *seps)
{
    json_t *list = json_array();
    while (s && *s) {
        size_t n = strcspn(s, seps);
        const char *a = s, *b = s + n;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a)
            json_array_append_new(list, json_stringn(a, (size_t)(b - a)));
        s += n + (s[n] ? 1 : 0);
    }
    return list;
}

/* "YYYY-MM-DDTHH:MM" in the site's zone as RFC 3339 with its offset; any
 * other text is passed on as it is, for the validation to name. */
static json_t *local_time(const config *cfg, const char *s)
{
    int y, mo, d, h, mi;
    if (s && strlen(s) == 16 && sscanf(s, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5 && y >= 1970 &&
        mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60) {
        const tz *z = tz_get(cfg->timezone);
        int64_t t = tz_utc(z, y, mo, d, h, mi);
        char out[40];
        alerts_format_time(t, (int)tz_offset(z, t), false, out, sizeof(out));
        return json_string(out);
    }
    return json_string(s ? s : "");
}

static json_t *circle_of(const request *rq)
{
    const char *lat = req_str(rq, "lat"), *lon = req_str(rq, "lon"), *r = req_str(rq, "radius_km");
    if (!lat && !lon && !r)
        return NULL;
    json_t *c = json_object();
    const char *keys[] = {"lat", "lon", "radius_km"}, *vals[] = {lat, lon, r};
    for (int i = 0; i < 3; i++) {
        char *end = NULL;
        double v = vals[i] ? strtod(vals[i], &end) : 0;
        if (vals[i] && end && end != vals[i] && !*end)
            json_object_set_new(c, keys[i], json_real(v));
    }
    return c;
}

/* The form as the alert JSON (status from the button pressed). */
static json_t *form_alert(const request *rq, bool publish)
{
    json_t *o = json_object();
    for (size_t i = 0; i < NTEXT; i++)
        if (req_str(rq, TEXT_FIELDS[i]))
            json_object_set_new(o, TEXT_FIELDS[i], json_string(req_str(rq, TEXT_FIELDS[i])));
    json_object_set_new(o, "substances", split(req_str(rq, "substances"), ","));
    json_t *area = json_object();
    if (req_str(rq, "area"))
        json_object_set_new(area, "description", json_string(req_str(rq, "area")));
    json_t *zips = split(req_str(rq, "zips"), ", ");
    if (json_array_size(zips))
        json_object_set_new(area, "zips", zips);
    else
        json_decref(zips);
    json_t *c = circle_of(rq);
    if (c)
        json_object_set_new(area, "circle", c);
    json_object_set_new(o, "area", area);
    if (req_str(rq, "starts"))
        json_object_set_new(o, "starts", local_time(rq->cfg, req_str(rq, "starts")));
    if (req_str(rq, "expires"))
        json_object_set_new(o, "expires", local_time(rq->cfg, req_str(rq, "expires")));
    if (req_str(rq, "translation_of")) /* a number, checked by alerts_validate */
        json_object_set_new(o, "translation_of", json_string(req_str(rq, "translation_of")));
    json_object_set_new(o, "status", json_string(publish ? "published" : "draft"));
    return o;
}

/* The values the form shows again, as typed. */
static json_t *form_values(const request *rq)
{
    static const char *const more[] = {"substances", "area", "zips", "lat", "lon", "radius_km", "starts", "expires", "note", "photo_alt",
                                       "translation_of"};
    json_t *v = json_object();
    jset_str(v, "from", from_of(rq));
    for (size_t i = 0; i < NTEXT; i++)
        jset_str(v, TEXT_FIELDS[i], req_str(rq, TEXT_FIELDS[i]));
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
        jset_str(v, more[i], req_str(rq, more[i]));
    return v;
}

static void to_local(const config *cfg, const char *rfc, char *out, size_t n)
{
    int64_t t;
    int off;
    out[0] = '\0';
    if (!rfc || !alerts_parse_time(rfc, &t, &off))
        return;
    struct tm tm;
    tz_local(tz_get(cfg->timezone), t, &tm);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* A stored (or template) alert as the form's values. */
static json_t *doc_values(const config *cfg, const json_t *doc)
{
    json_t *v = json_object();
    for (size_t i = 0; i < NTEXT; i++)
        jset_str(v, TEXT_FIELDS[i], str(doc, TEXT_FIELDS[i]));
    char txt[600] = "";
    size_t i;
    const json_t *s;
    json_array_foreach (json_object_get(doc, "substances"), i, s) {
        size_t l = strlen(txt);
        snprintf(txt + l, sizeof(txt) - l, "%s%s", i ? ", " : "", json_string_value(s));
    }
    jset_str(v, "substances", txt);
    const json_t *area = json_object_get(doc, "area");
    jset_str(v, "area", str(area, "description"));
    txt[0] = '\0';
    json_array_foreach (json_object_get(area, "zips"), i, s) {
        size_t l = strlen(txt);
        snprintf(txt + l, sizeof(txt) - l, "%s%s", i ? " " : "", json_string_value(s));
    }
    jset_str(v, "zips", txt);
    const json_t *c = json_object_get(area, "circle");
    const char *keys[] = {"lat", "lon", "radius_km"};
    for (int k = 0; k < 3 && c; k++) {
        snprintf(txt, sizeof(txt), "%g", json_number_value(json_object_get(c, keys[k])));
        jset_str(v, keys[k], txt);
    }
    to_local(cfg, str(doc, "starts"), txt, sizeof(txt));
    jset_str(v, "starts", txt);
    to_local(cfg, str(doc, "expires"), txt, sizeof(txt));
    jset_str(v, "expires", txt);
    long of = (long)json_integer_value(json_object_get(doc, "translation_of"));
    snprintf(txt, sizeof(txt), "%ld", of);
    jset_str(v, "translation_of", of > 0 ? txt : "");
    return v;
}

/* ---- the form page ---- */

static void choices(json_t *d, const char *key, const char *const *words, size_t n, const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:b}", "value", words[i], "selected", chosen && !strcmp(chosen, words[i])));
    json_object_set_new(d, key, list);
}

static void add_choices(const request *rq, json_t *d, const json_t *v)
{
    static const char *const sources[] = {"drug-checking", "emergency-department", "ems", "outreach",
                                          "community-report", "lab", "other"};
    static const char *const cert[] = {"Observed", "Likely", "Possible"};
    static const char *const sev[] = {"Extreme", "Severe", "Moderate", "Minor"};
    static const char *const urg[] = {"Immediate", "Expected", "Future", "Past", "Unknown"};
    json_t *src = json_array();
    for (size_t i = 0; i < 7; i++)
        json_array_append_new(src, json_pack("{s:s,s:s,s:b}", "value", sources[i], "label",
                                             alerts_source_word(rq->lang, sources[i]), "selected",
                                             str(v, "source") && !strcmp(str(v, "source"), sources[i])));
    json_object_set_new(d, "sources", src);
    choices(d, "certainties", cert, 3, str(v, "certainty"));
    choices(d, "severities", sev, 4, str(v, "severity"));
    choices(d, "urgencies", urg, 5, str(v, "urgency") && *str(v, "urgency") ? str(v, "urgency") : "Immediate");
    json_t *langs = json_array(); /* the site's languages, for "lang" */
    const char *lang = str(v, "lang") && *str(v, "lang") ? str(v, "lang") : i18n_code(I18N_SOURCE);
    for (int i = 0; i < i18n_count(); i++)
        json_array_append_new(langs, json_pack("{s:s,s:s,s:b}", "value", i18n_code(i), "label", i18n_name(i),
                                               "selected", !strcmp(lang, i18n_code(i))));
    json_object_set_new(d, "langs", langs);
}

/* The form field a problem belongs to (the template has an input for each). */
static const char *form_field(const char *f)
{
    return !strcmp(f, "alert") || !strcmp(f, "status") ? "headline" : f;
}

static void add_problems(json_t *d, const alert_problems *pr)
{
    json_t *errors = json_object(), *list = json_array();
    for (int i = 0; i < pr->n; i++) {
        const char *f = form_field(pr->items[i].field);
        if (!json_object_get(errors, f))
            json_object_set_new(errors, f, json_string(pr->items[i].message));
        json_array_append_new(list, json_pack("{s:s,s:s}", "field", f, "message", pr->items[i].message));
    }
    json_object_set_new(d, "errors", errors);
    json_object_set_new(d, "error_list", list);
    json_object_set_new(d, "has_errors", json_true());
}

/* Renders the form (new when a is NULL) with values v (stolen). */
static void form_page(request *rq, response *rs, const alert_rec *a, const alert_version *ver, int nv, json_t *v,
                      const alert_problems *pr)
{
    json_t *d = page_data(rq, a ? T(rq, "Edit alert") : T(rq, "New alert"));
    add_choices(rq, d, v);
    json_object_set_new(d, "v", v);
    if (pr && pr->n) {
        add_problems(d, pr);
        rs->status = 422;
    }
    if (a) {
        char action[64];
        snprintf(action, sizeof(action), "/staff/alerts/%ld", a->id);
        jset_str(d, "action", action);
        json_t *alert = json_object();
        alerts_view_add(rq, alert, a, ver, nv, (int64_t)time(NULL));
        json_object_set_new(alert, "draft", json_boolean(!strcmp(a->state, "draft")));
        json_object_set_new(alert, "published", json_boolean(!strcmp(a->state, "published")));
        json_object_set_new(alert, "photo", json_boolean(a->photo));
        json_object_set_new(d, "alert", alert);
    } else {
        jset_str(d, "action", "/staff/alerts");
    }
    view_page(rq, rs, "staff/alerts-form", d);
}

static bool load_alert(request *rq, response *rs, long id, alert_rec *a, alert_version *v, int *nv)
{
    sqlite3 *db = db_thread();
    int f = db ? alerts_store_get(db, id, a) : -1;
    *nv = f > 0 ? alerts_store_versions(db, id, v, VERSIONS_MAX) : 0;
    if (f > 0 && *nv >= 0)
        return true;
    if (f > 0)
        alert_rec_clear(a);
    if (f == 0)
        resp_error(rq, rs, 404, T(rq, "There is no alert at this address."));
    else
        resp_error(rq, rs, 500, T(rq, "The alert cannot be read right now."));
    return false;
}

/* ---- the photo ---- */

/* The form's photo as a change to the alert's (a: the stored alert, NULL
 * when new). The file part is read from the raw body (its bytes need not
 * be text, so the route's spec leaves it out); a new photo is checked and
 * re-encoded here, and pc->data points into *ph (photo_free). Problems are
 * added to pr; the browser forgets a chosen file when the form comes
 * back, so each says to choose it again. */
static void form_photo(const request *rq, const alert_rec *a, photo *ph, alert_photo_change *pc, alert_problems *pr)
{
    memset(pc, 0, sizeof(*pc));
    memset(ph, 0, sizeof(*ph));
    const char *alt = req_str(rq, "photo_alt"), *data = NULL;
    size_t len = 0;
    bool has = multipart_file(req_header(rq, "Content-Type"), buf_cstr(&rq->body), rq->body.len, "photo", &data,
                              &len) &&
               len > 0;
    size_t chars = 0;
    for (const char *c = alt ? alt : ""; *c; c++)
        chars += ((unsigned char)*c & 0xC0) != 0x80;
    if (chars > PHOTO_ALT_MAX)
        alerts_problem(pr, "photo_alt", T(rq, "The photo's description is longer than %d characters."), PHOTO_ALT_MAX);
    pc->alt = alt;
    if (has) {
        char why[240];
        bool bad = photo_clean(data, len, ph, why, sizeof(why)) != PHOTO_OK;
        if (bad) {
            alerts_problem(pr, "photo", "%s", i18n_tr(rq->lang, why)); /* photo.c's sentences are msgids */
        } else {
            pc->mime = ph->mime;
            pc->data = ph->data;
            pc->len = ph->len;
            pc->width = ph->width;
            pc->height = ph->height;
        }
        if (!alt)
            alerts_problem(pr, "photo_alt", T(rq, "Describe what the photo shows for people who cannot see it (for "
                                            "example \"light blue round pills stamped M 30\"), then choose the "
                                            "photo again."));
        if (!bad && pr->n)
            alerts_problem(pr, "photo", T(rq, "The photo was not saved because of the problems above: choose it again."));
    } else if (req_str(rq, "remove_photo") && a && a->photo) {
        pc->remove = true;
    }
}

/* ---- handlers ---- */

void alerts_staff_list(request *rq, response *rs)
{
    int64_t now = (int64_t)time(NULL);
    alert_filter f = {false, -1, NULL, 0, 4, now, 0, LIST_MAX, false};
    alert_rec *list = xcalloc(LIST_MAX, sizeof(*list));
    sqlite3 *db = db_thread();
    int n = db ? alerts_store_list(db, &f, list, LIST_MAX, NULL) : -1;
    if (n < 0) {
        free(list);
        resp_error(rq, rs, 500, T(rq, "Alerts cannot be read right now."));
        return;
    }
    json_t *d = page_data(rq, T(rq, "Alerts")), *rows = json_array();
    for (int i = 0; i < n; i++) {
        char href[64];
        snprintf(href, sizeof(href), "/staff/alerts/%ld", list[i].id);
        json_array_append_new(rows, json_pack("{s:s,s:s?,s:s,s:s?,s:b}", "href", href, "headline",
                                              str(list[i].doc, "headline"), "state",
                                              alerts_state_shown(list[i].state, list[i].version, list[i].starts,
                                                                 list[i].expires, now),
                                              "severity", str(list[i].doc, "severity"), "active",
                                              alerts_is_active(list[i].state, list[i].starts, list[i].expires, now)));
        alert_rec_clear(&list[i]);
    }
    free(list);
    json_object_set_new(d, "has_alerts", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(d, "alerts", rows);
    json_object_set_new(d, "templates", alerts_template_list());
    const char *done = req_str(rq, "done");
    if (done)
        jset_str(d, "notice", !strcmp(done, "withdrawn") ? T(rq, "The alert was withdrawn.") : T(rq, "Saved."));
    view_page(rq, rs, "staff/alerts", d);
}

void alerts_staff_new(request *rq, response *rs)
{
    const char *slug = req_str(rq, "template");
    const json_t *t = slug ? alerts_template(slug) : NULL;
    if (slug && !t) {
        resp_error(rq, rs, 404, T(rq, "There is no alert template with that name."));
        return;
    }
    json_t *v = t ? doc_values(rq->cfg, t) : json_object();
    for (size_t i = 0; i < sizeof(PREFILL) / sizeof(PREFILL[0]); i++)
        if (req_str(rq, PREFILL[i]))
            jset_str(v, PREFILL[i], req_str(rq, PREFILL[i]));
    jset_str(v, "from", from_of(rq));
    form_page(rq, rs, NULL, NULL, 0, v, NULL);
}

static void redirect_to(request *rq, response *rs, long id, const char *suffix)
{
    char *loc = arena_alloc(&rq->a, 96);
    snprintf(loc, 96, "/staff/alerts/%ld%s", id, suffix);
    resp_redirect(rs, 303, loc);
}

static void result_error(request *rq, response *rs, enum alert_result r)
{
    if (r == AR_NOT_FOUND)
        resp_error(rq, rs, 404, T(rq, "There is no alert at this address."));
    else if (r == AR_STATE)
        resp_error(rq, rs, 409, T(rq, "The alert is not in a state that allows this (a withdrawn alert cannot change)."));
    else
        resp_error(rq, rs, 500, T(rq, "The alert could not be saved. Nothing was changed."));
}

void alerts_staff_create(request *rq, response *rs)
{
    bool publish = req_str(rq, "action") && !strcmp(req_str(rq, "action"), "publish");
    char sender[200];
    alerts_env env = alerts_env_now(rq->cfg, sender, sizeof(sender));
    json_t *in = form_alert(rq, publish);
    alert_problems pr;
    json_t *doc = alerts_validate_lang(in, env.now, env.offset, rq->lang, &pr);
    json_decref(in);
    photo ph;
    alert_photo_change pc;
    form_photo(rq, NULL, &ph, &pc, &pr);
    if (doc && !pr.n && db_thread())
        alerts_check_translation(db_thread(), 0, doc, &pr);
    if (!doc || pr.n) {
        json_decref(doc);
        photo_free(&ph);
        form_page(rq, rs, NULL, NULL, 0, form_values(rq), &pr);
        return;
    }
    alert_actor who = actor_of(rq);
    long id = 0;
    sqlite3 *db = db_thread();
    enum alert_result r = db ? alerts_create_from(db, &env, &who, doc, &pc, from_of(rq), &id) : AR_DB;
    json_decref(doc);
    photo_free(&ph);
    if (r != AR_OK)
        result_error(rq, rs, r);
    else
        redirect_to(rq, rs, id, publish ? "?done=published" : "/preview");
}

void alerts_staff_edit(request *rq, response *rs)
{
    long id = path_id(rq, rs);
    alert_rec a;
    alert_version v[VERSIONS_MAX];
    int nv;
    if (!id || !load_alert(rq, rs, id, &a, v, &nv))
        return;
    json_t *vals = doc_values(rq->cfg, a.doc);
    if (a.photo)
        jset_str(vals, "photo_alt", a.photo_alt);
    form_page(rq, rs, &a, v, nv, vals, NULL);
    alert_versions_free(v, nv);
    alert_rec_clear(&a);
}

void alerts_staff_save(request *rq, response *rs)
{
    long id = path_id(rq, rs);
    alert_rec a;
    alert_version v[VERSIONS_MAX];
    int nv;
    if (!id || !load_alert(rq, rs, id, &a, v, &nv))
        return;
    bool publish = !strcmp(a.state, "published") || (req_str(rq, "action") && !strcmp(req_str(rq, "action"), "publish"));
    char sender[200];
    alerts_env env = alerts_env_now(rq->cfg, sender, sizeof(sender));
    json_t *in = form_alert(rq, publish);
    alerts_keep_times(in, a.doc);
    alert_problems pr;
    json_t *doc = alerts_validate_lang(in, env.now, env.offset, rq->lang, &pr);
    json_decref(in);
    photo ph;
    alert_photo_change pc;
    form_photo(rq, &a, &ph, &pc, &pr);
    if (doc && !pr.n && db_thread())
        alerts_check_translation(db_thread(), id, doc, &pr);
    if (!doc || pr.n) {
        json_decref(doc);
        form_page(rq, rs, &a, v, nv, form_values(rq), &pr);
    } else {
        alert_actor who = actor_of(rq);
        enum alert_result r = alerts_update_with(db_thread(), &env, &who, id, doc, req_str(rq, "note"), &pc);
        json_decref(doc);
        if (r != AR_OK)
            result_error(rq, rs, r);
        else
            redirect_to(rq, rs, id, publish ? "?done=saved" : "/preview");
    }
    photo_free(&ph);
    alert_versions_free(v, nv);
    alert_rec_clear(&a);
}

void alerts_staff_preview(request *rq, response *rs)
{
    long id = path_id(rq, rs);
    alert_rec a;
    alert_version v[VERSIONS_MAX];
    int nv;
    if (!id || !load_alert(rq, rs, id, &a, v, &nv))
        return;
    json_t *d = view_data(rq, str(a.doc, "headline"));
    alerts_view_add(rq, d, &a, v, nv, (int64_t)time(NULL));
    jset_str(d, "page_class", "alert-page");
    json_t *sd = page_data(rq, NULL);
    json_object_set(d, "csrf", json_object_get(sd, "csrf"));
    json_decref(sd);
    json_object_set_new(d, "preview", json_true());
    json_object_set_new(d, "preview_draft", json_boolean(!strcmp(a.state, "draft")));
    if (a.photo) { /* a draft's photo is not public yet */
        char href[64];
        snprintf(href, sizeof(href), "/staff/alerts/%ld/photo", a.id);
        jset_str(d, "photo_url", href);
    }
    view_page(rq, rs, "alerts-show", d);
    alert_versions_free(v, nv);
    alert_rec_clear(&a);
}

static void change(request *rq, response *rs, const char *what)
{
    long id = path_id(rq, rs);
    if (!id)
        return;
    char sender[200];
    alerts_env env = alerts_env_now(rq->cfg, sender, sizeof(sender));
    alert_actor who = actor_of(rq);
    sqlite3 *db = db_thread();
    enum alert_result r = AR_DB;
    if (db && !strcmp(what, "publish"))
        r = alerts_publish(db, &env, &who, id);
    else if (db && !strcmp(what, "expire"))
        r = alerts_expire(db, &env, &who, id);
    if (r == AR_OK)
        redirect_to(rq, rs, id, !strcmp(what, "publish") ? "?done=published" : "?done=expired");
    else
        result_error(rq, rs, r);
}

void alerts_staff_publish(request *rq, response *rs)
{
    change(rq, rs, "publish");
}

void alerts_staff_expire(request *rq, response *rs)
{
    change(rq, rs, "expire");
}

void alerts_staff_withdraw(request *rq, response *rs)
{
    long id = path_id(rq, rs);
    alert_rec a;
    alert_version v[VERSIONS_MAX];
    int nv;
    if (!id || !load_alert(rq, rs, id, &a, v, &nv))
        return;
    const char *reason = req_str(rq, "reason");
    if (!reason || !*reason) {
        alert_problems pr = {.n = 0};
        alerts_problem(&pr, "reason", T(rq, "Say why the alert is withdrawn: people will read it on the alert's page."));
        form_page(rq, rs, &a, v, nv, doc_values(rq->cfg, a.doc), &pr);
    } else {
        char sender[200];
        alerts_env env = alerts_env_now(rq->cfg, sender, sizeof(sender));
        alert_actor who = actor_of(rq);
        enum alert_result r = alerts_withdraw(db_thread(), &env, &who, id, reason);
        if (r == AR_OK)
            redirect_to(rq, rs, id, "?done=withdrawn");
        else
            result_error(rq, rs, r);
    }
    alert_versions_free(v, nv);
    alert_rec_clear(&a);
}

/* GET /staff/alerts/:id/photo: the photo of any alert, drafts included,
 * for the preview (the server marks staff answers no-store). */
void alerts_staff_photo(request *rq, response *rs)
{
    long id = path_id(rq, rs);
    sqlite3 *db = db_thread();
    if (!id)
        return;
    char mime[32];
    void *data = NULL;
    size_t len = 0;
    int f = db ? alerts_store_photo_get(db, id, mime, sizeof(mime), &data, &len) : -1;
    if (f <= 0) {
        resp_error(rq, rs, f < 0 ? 500 : 404, f < 0 ? T(rq, "The photo cannot be read right now.")
                                                   : T(rq, "This alert has no photo."));
        return;
    }
    buf_append(&rs->body, data, len);
    free(data);
    rs->content_type = !strcmp(mime, "image/png") ? "image/png" : !strcmp(mime, "image/webp") ? "image/webp" : "image/jpeg";
}
