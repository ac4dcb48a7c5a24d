/* alerts: the alert model: problems named by field, RFC 3339 times with
 * their offsets, the one validation every way in shares, and the states.
 * The changes (create, update, publish, expire, withdraw) and the API's
 * JSON are in alerts_ops.c. See alerts.h. */
#include "alerts/alerts.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "core/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static alerts_resolver_fn resolver_g;

void alerts_set_substance_resolver(alerts_resolver_fn fn)
{
    resolver_g = fn;
}

bool alerts_resolve_substance(const char *name, char *slug, size_t n, char *title, size_t tn)
{
    if (resolver_g)
        return resolver_g(name, slug, n, title, tn);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return *name && str_copy(slug, n, name) && str_copy(title, tn, name);
}

void alerts_problem(alert_problems *pr, const char *field, const char *fmt, ...)
{
    if (pr->n >= ALERT_PROBLEMS_MAX)
        return;
    alert_problem *p = &pr->items[pr->n++];
    str_copy(p->field, sizeof(p->field), field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof(p->message), i18n_tr(pr->lang, fmt), ap);
    va_end(ap);
}

json_t *alerts_problems_json(const alert_problems *pr)
{
    json_t *o = json_object();
    for (int i = 0; i < pr->n; i++)
        if (!json_object_get(o, pr->items[i].field))
            json_object_set_new(o, pr->items[i].field, json_string(pr->items[i].message));
    return o;
}

/* ---- time ---- */

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* "YYYY-MM-DD" at s: false unless a real date from 1970 to 9999. */
static bool parse_date(const char *s, int *y, int *mo, int *d)
{
    if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, mo) || s[7] != '-' || !digits(s + 8, 2, d))
        return false;
    return *y >= 1970 && *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= days_in_month(*y, *mo);
}

bool alerts_parse_time(const char *s, int64_t *t, int *off)
{
    int y, mo, d, h, mi, se, oh = 0, om = 0;
    if (strlen(s) < 20 || !parse_date(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
        s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
        return false;
    if (h > 23 || mi > 59 || se > 59)
        return false;
    const char *z = s + 19;
    if (*z == '.') {
        z++;
        if (*z < '0' || *z > '9')
            return false;
        while (*z >= '0' && *z <= '9')
            z++;
    }
    int sign = 1;
    if ((*z == 'Z' || *z == 'z') && z[1] == '\0') {
        sign = 1;
    } else if ((*z == '+' || *z == '-') && strlen(z) == 6 && digits(z + 1, 2, &oh) && z[3] == ':' &&
               digits(z + 4, 2, &om) && oh <= 18 && om <= 59) {
        sign = *z == '-' ? -1 : 1;
    } else {
        return false;
    }
    *off = sign * (oh * 3600 + om * 60);
    *t = tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - *off;
    return true;
}

void alerts_format_time(int64_t t, int off, bool utc_minus, char *out, size_t n)
{
    int64_t local = t + off, days = local / 86400, secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t y;
    int m, d;
    tz_civil_from_days(days, &y, &m, &d);
    int a = off < 0 ? -off : off;
    char sign = off < 0 || (off == 0 && utc_minus) ? '-' : '+';
    snprintf(out, n, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (long long)y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60), sign, a / 3600, a / 60 % 60);
}

int alerts_site_offset(const config *cfg, int64_t t)
{
    const tz *z = cfg ? tz_get(cfg->timezone) : NULL;
    return (int)tz_offset(z, t);
}

/* ---- validation ---- */

static const char *const sources[] = {"drug-checking", "emergency-department", "ems", "outreach",
                                      "community-report", "lab", "other"};
static const char *const certainties[] = {"Observed", "Likely", "Possible"};
static const char *const severities[] = {"Extreme", "Severe", "Moderate", "Minor"};
static const char *const urgencies[] = {"Immediate", "Expected", "Future", "Past", "Unknown"};
/* Keys the API's output adds: ignored on input, so a GET can be PUT back. */
static const char *const output_keys[] = {"id", "uuid", "url", "cap_url", "state", "published_at", "updated_at",
                                          "withdrawn_at", "withdraw_reason", "history", "photo_url", "version",
                                          "active", "note"};
static const char *const input_keys[] = {"headline", "substances", "sold_as", "appearance", "effects",
                                         "description", "area", "seen_on", "source", "certainty", "severity",
                                         "urgency", "instruction", "starts", "expires", "language", "status",
                                         "lang", "translation_of"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static int word_index(const char *const *words, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(words[i], s))
            return (int)i;
    return -1;
}

const char *alerts_source_word(int lang, const char *source)
{
    switch (word_index(sources, N(sources), source)) {
    case 0: return i18n_trc(lang, "alert source", "Drug checking result");
    case 1: return i18n_trc(lang, "alert source", "Emergency department");
    case 2: return i18n_trc(lang, "alert source", "Emergency medical services");
    case 3: return i18n_trc(lang, "alert source", "Outreach workers");
    case 4: return i18n_trc(lang, "alert source", "Community report");
    case 5: return i18n_trc(lang, "alert source", "Laboratory");
    default: return i18n_trc(lang, "alert source", "Other");
    }
}

const char *alerts_source_label(const char *source)
{
    return alerts_source_word(I18N_SOURCE, source);
}

int alerts_severity_rank(const char *severity)
{
    int i = word_index(severities, N(severities), severity);
    return i >= 0 ? i : 4;
}

/* Characters (code points) in valid UTF-8. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Trimmed copy of in[key] into out (new reference, or NULL when absent or
 * blank). multi: line breaks allowed. Problems for a wrong type, control
 * characters, or more than max characters; required adds one when absent. */
static void text_field(const json_t *in, json_t *out, const char *key, size_t max, bool multi, bool required,
                       const char *label, alert_problems *pr)
{
    label = i18n_tr(pr->lang, label);
    const json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v)) {
        if (required)
            alerts_problem(pr, key, N_("%s is missing."), label);
        return;
    }
    if (!json_is_string(v)) {
        alerts_problem(pr, key, N_("%s must be text."), label);
        return;
    }
    const char *s = json_string_value(v);
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (!n) {
        if (required)
            alerts_problem(pr, key, N_("%s is missing."), label);
        return;
    }
    char *t = xstrndup(s, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c < 0x20 && !(multi && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f) {
            alerts_problem(pr, key, multi ? N_("%s has a control character.") : N_("%s must be one line."), label);
            free(t);
            return;
        }
    }
    if (chars(t) > max)
        alerts_problem(pr, key, N_("%s is %zu characters long; at most %zu fit."), label, chars(t), max);
    else
        json_object_set_new(out, key, json_string(t));
    free(t);
}

static void word_field(const json_t *in, json_t *out, const char *key, const char *const *words, size_t n,
                       const char *def, const char *label, alert_problems *pr)
{
    label = i18n_tr(pr->lang, label);
    const json_t *v = json_object_get(in, key);
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if ((!v || json_is_null(v) || (s && !*s)) && def) {
        json_object_set_new(out, key, json_string(def));
        return;
    }
    if (word_index(words, n, s) >= 0) {
        json_object_set_new(out, key, json_string(s));
        return;
    }
    char list[200] = "";
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "", words[i]);
    }
    if (!v || json_is_null(v) || (s && !*s))
        alerts_problem(pr, key, N_("%s is missing: choose one of %s."), label, list);
    else
        alerts_problem(pr, key, N_("%s must be one of %s."), label, list);
}

static void substances_field(const json_t *in, json_t *out, alert_problems *pr)
{
    const json_t *v = json_object_get(in, "substances");
    if (!json_is_array(v) || !json_array_size(v)) {
        alerts_problem(pr, "substances", N_("Name at least one substance that was found."));
        return;
    }
    if (json_array_size(v) > ALERT_SUBS_MAX) {
        alerts_problem(pr, "substances", N_("At most %d substances fit in one alert."), ALERT_SUBS_MAX);
        return;
    }
    json_t *list = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach (v, i, s) {
        char slug[64], title[128];
        const char *name = json_string_value(s);
        if (!name || !*name || strlen(name) > 128) {
            alerts_problem(pr, "substances", N_("Each substance must be a name of up to 128 characters."));
            break;
        }
        if (!alerts_resolve_substance(name, slug, sizeof(slug), title, sizeof(title))) {
            alerts_problem(pr, "substances",
                           N_("\"%.100s\" is not a substance Waypost knows. Use a name from the fact sheets "
                              "(for example nitazenes, medetomidine, xylazine, carfentanil)."),
                           name);
            break;
        }
        bool dup = false;
        size_t k;
        const json_t *e;
        json_array_foreach (list, k, e)
            dup |= !strcmp(json_string_value(e), slug);
        if (!dup)
            json_array_append_new(list, json_string(slug));
    }
    json_object_set_new(out, "substances", list);
}

static bool zip_ok(const char *s)
{
    if (!s || strlen(s) != 5)
        return false;
    for (int i = 0; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool number_in(const json_t *o, const char *key, double lo, double hi, double *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return isfinite(*out) && *out >= lo && *out <= hi;
}

static void circle_field(const json_t *c, json_t *area, alert_problems *pr)
{
    double lat, lon, r;
    if (!json_is_object(c) || !number_in(c, "lat", -90, 90, &lat) || !number_in(c, "lon", -180, 180, &lon) ||
        !number_in(c, "radius_km", 0.01, 500, &r)) {
        alerts_problem(pr, "area", N_("The circle needs lat (-90 to 90), lon (-180 to 180) and radius_km (up to 500)."));
        return;
    }
    json_object_set_new(area, "circle", json_pack("{s:f,s:f,s:f}", "lat", lat, "lon", lon, "radius_km", r));
}

static void area_field(const json_t *in, json_t *out, alert_problems *pr)
{
    const json_t *a = json_object_get(in, "area");
    if (!json_is_object(a)) {
        alerts_problem(pr, "area", N_("Where is missing: name the area (a neighbourhood, town or county)."));
        return;
    }
    json_t *area = json_object();
    text_field(a, area, "description", 200, false, true, N_("The area's name"), pr);
    if (pr->n && !strcmp(pr->items[pr->n - 1].field, "description"))
        str_copy(pr->items[pr->n - 1].field, sizeof(pr->items[0].field), "area");
    const json_t *zips = json_object_get(a, "zips");
    if (zips && !json_is_null(zips)) {
        json_t *list = json_array();
        size_t i;
        const json_t *z;
        if (!json_is_array(zips) || json_array_size(zips) > ALERT_ZIPS_MAX)
            alerts_problem(pr, "zips", N_("ZIP codes must be a list of at most %d."), ALERT_ZIPS_MAX);
        else
            json_array_foreach (zips, i, z) {
                if (!zip_ok(json_string_value(z))) {
                    alerts_problem(pr, "zips", N_("A ZIP code is five digits, such as 97214."));
                    break;
                }
                json_array_append_new(list, json_string(json_string_value(z)));
            }
        if (json_array_size(list))
            json_object_set_new(area, "zips", list);
        else
            json_decref(list);
    }
    const json_t *c = json_object_get(a, "circle");
    if (c && !json_is_null(c))
        circle_field(c, area, pr);
    json_object_set_new(out, "area", area);
}

static bool lang_ok(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n && s[i] >= 'a' && s[i] <= 'z')
        i++;
    if (i < 2 || i > 3)
        return false;
    while (i < n) {
        if (s[i++] != '-')
            return false;
        size_t k = 0;
        while (i < n && isalnum_ascii(s[i]) && k < 8)
            i++, k++;
        if (!k)
            return false;
    }
    return n <= 35;
}

/* The site language a language tag names ("es-MX" -> "es"), or NULL. */
static const char *site_lang(const char *tag)
{
    char primary[4];
    size_t n = strcspn(tag, "-");
    if (n < 2 || n > 3)
        return NULL;
    memcpy(primary, tag, n);
    primary[n] = '\0';
    int l = i18n_find(primary);
    return l >= 0 && !strcmp(i18n_code(l), primary) ? i18n_code(l) : NULL;
}

/* lang (a site language: the alert's text is in it), language (its CAP
 * tag: "en" for English, else e.g. "es-US", of the same language) and
 * translation_of (the id of the alert this one translates; whether it
 * exists is alerts_check_translation's, which needs the database). */
static void lang_fields(const json_t *in, json_t *out, alert_problems *pr)
{
    const char *tag = json_string_value(json_object_get(in, "language"));
    const json_t *lv = json_object_get(in, "lang");
    const char *lang = json_string_value(lv);
    if (tag && *tag && !lang_ok(tag)) {
        alerts_problem(pr, "language", N_("The language must be a language tag such as en or es-MX."));
        tag = NULL;
    }
    if (lv && !json_is_null(lv) && (!lang || (*lang && !site_lang(lang)) || (lang && strchr(lang, '-')))) {
        alerts_problem(pr, "lang", N_("The alert's language must be one of the site's languages, such as en or es."));
        return;
    }
    if (!lang || !*lang)
        lang = tag && *tag && site_lang(tag) ? site_lang(tag) : i18n_code(I18N_SOURCE);
    if (tag && *tag && site_lang(tag) && strcmp(site_lang(tag), lang))
        alerts_problem(pr, "language", N_("The language tag (%.35s) must be of the alert's language (%s)."), tag, lang);
    char def[16];
    snprintf(def, sizeof(def), "%s-US", lang);
    json_object_set_new(out, "lang", json_string(lang));
    json_object_set_new(out, "language", json_string(tag && *tag ? tag : strcmp(lang, "en") ? def : "en"));
    const json_t *t = json_object_get(in, "translation_of");
    if (!t || json_is_null(t) || (json_is_string(t) && !*json_string_value(t)))
        return;
    long id = 0;
    if (json_is_integer(t) && json_integer_value(t) > 0 && json_integer_value(t) < (1LL << 50))
        id = (long)json_integer_value(t);
    else if (json_is_string(t) && !parse_long(json_string_value(t), 1, 1L << 50, &id))
        id = 0;
    if (id > 0)
        json_object_set_new(out, "translation_of", json_integer(id));
    else
        alerts_problem(pr, "translation_of", N_("What this alert translates must be the number of another alert."));
}

/* starts and expires: checked, ordered, written back with their offsets. */
static void times_field(const json_t *in, json_t *out, int64_t now, int off, alert_problems *pr)
{
    const char *s = json_string_value(json_object_get(in, "starts"));
    const char *e = json_string_value(json_object_get(in, "expires"));
    int64_t ts = now, te = 0;
    int os = off, oe = off;
    bool good = true;
    if (s && *s && !alerts_parse_time(s, &ts, &os)) {
        alerts_problem(pr, "starts", N_("The start must be a date and time with its offset, like 2026-12-03T09:00:00-08:00."));
        good = false;
    }
    if (e && *e && !alerts_parse_time(e, &te, &oe)) {
        alerts_problem(pr, "expires", N_("The expiry must be a date and time with its offset, like 2027-01-02T09:00:00-08:00."));
        good = false;
    }
    if (!good)
        return;
    if (!e || !*e) {
        te = ts + (int64_t)ALERT_DEFAULT_DAYS * 86400;
        oe = os;
    }
    if (te <= ts) {
        alerts_problem(pr, "expires", N_("The expiry must come after the start."));
        return;
    }
    char when[40];
    alerts_format_time(ts, os, false, when, sizeof(when));
    json_object_set_new(out, "starts", json_string(when));
    alerts_format_time(te, oe, false, when, sizeof(when));
    json_object_set_new(out, "expires", json_string(when));
}

static void unknown_keys(const json_t *in, alert_problems *pr)
{
    const char *key;
    const json_t *v;
    json_object_foreach ((json_t *)in, key, v) {
        (void)v;
        if (word_index(input_keys, N(input_keys), key) < 0 && word_index(output_keys, N(output_keys), key) < 0) {
            alerts_problem(pr, "alert", N_("\"%.60s\" is not a field of an alert."), key);
            return;
        }
    }
}

static void misc_fields(const json_t *in, json_t *out, alert_problems *pr)
{
    const char *seen = json_string_value(json_object_get(in, "seen_on"));
    int y, m, d;
    if (seen && *seen) {
        if (strlen(seen) == 10 && parse_date(seen, &y, &m, &d))
            json_object_set_new(out, "seen_on", json_string(seen));
        else
            alerts_problem(pr, "seen_on", N_("When it was seen must be a date like 2026-12-02."));
    } else if (json_object_get(in, "seen_on") && !json_is_null(json_object_get(in, "seen_on")) && !seen) {
        alerts_problem(pr, "seen_on", N_("When it was seen must be a date like 2026-12-02."));
    }
    word_field(in, out, "source", sources, N(sources), NULL, N_("The source"), pr);
    word_field(in, out, "certainty", certainties, N(certainties), NULL, N_("How sure it is"), pr);
    word_field(in, out, "severity", severities, N(severities), NULL, N_("The severity"), pr);
    word_field(in, out, "urgency", urgencies, N(urgencies), "Immediate", N_("The urgency"), pr);
}

json_t *alerts_validate(const json_t *in, int64_t now, int off, alert_problems *pr)
{
    return alerts_validate_lang(in, now, off, I18N_SOURCE, pr);
}

json_t *alerts_validate_lang(const json_t *in, int64_t now, int off, int lang, alert_problems *pr)
{
    pr->n = 0;
    pr->lang = lang;
    if (!json_is_object(in)) {
        alerts_problem(pr, "alert", N_("An alert must be a JSON object."));
        return NULL;
    }
    unknown_keys(in, pr);
    json_t *out = json_object();
    text_field(in, out, "headline", ALERT_HEADLINE_MAX, false, true, N_("The headline"), pr);
    substances_field(in, out, pr);
    text_field(in, out, "sold_as", 200, false, false, N_("What it was sold as"), pr);
    text_field(in, out, "appearance", 500, true, false, N_("How it looks"), pr);
    text_field(in, out, "effects", 1000, true, false, N_("Effects seen"), pr);
    text_field(in, out, "description", 2000, true, false, N_("More about it"), pr);
    area_field(in, out, pr);
    misc_fields(in, out, pr);
    text_field(in, out, "instruction", 2000, true, true, N_("What to do"), pr);
    times_field(in, out, now, off, pr);
    lang_fields(in, out, pr);
    static const char *const statuses[] = {"draft", "published"};
    word_field(in, out, "status", statuses, N(statuses), "draft", N_("The status"), pr);
    if (pr->n) {
        json_decref(out);
        return NULL;
    }
    return out;
}

void alerts_keep_times(json_t *in, const json_t *old)
{
    static const char *const keys[] = {"starts", "expires"};
    for (int i = 0; i < 2; i++) {
        const char *v = json_string_value(json_object_get(in, keys[i]));
        const json_t *o = json_object_get(old, keys[i]);
        if ((!v || !*v) && json_is_string(o))
            json_object_set_new(in, keys[i], json_string(json_string_value(o)));
    }
}

bool alerts_is_active(const char *state, int64_t starts, int64_t expires, int64_t now)
{
    return !strcmp(state, "published") && starts <= now && now < expires;
}

const char *alerts_state_shown(const char *state, int version, int64_t starts, int64_t expires, int64_t now)
{
    if (strcmp(state, "published"))
        return state;
    if (now >= expires)
        return "expired";
    if (now < starts)
        return "scheduled";
    return version > 1 ? "updated" : "published";
}

void alert_rec_clear(alert_rec *a)
{
    json_decref(a->doc);
    a->doc = NULL;
}

void alert_versions_free(alert_version *v, int n)
{
    for (int i = 0; i < n; i++) {
        json_decref(v[i].doc);
        v[i].doc = NULL;
    }
}
