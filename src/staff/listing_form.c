/* listing_form: reading and checking the staff listing form, field by
 * field, with one message per problem at its field. See listing_form.h.
 * The weekly editor writes what locator/hours.c reads back: "HH:MM"
 * times, a closing time at or before the opening one runs past midnight,
 * all day is 00:00-23:59, and a closure is a schedule with valid_from
 * (and valid_to) and no times. */
#include "staff/listing_form.h"
#include "core/i18n.h"
#include "core/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 20
#define MAX_INTERVALS 4

const char *const listing_form_fields[] = {
    "name",  "description", "status",   "url",      "email",     "organization", "address_1",
    "address_2", "city",    "state",    "postal_code", "point",  "phones",       "hours_mo",
    "hours_tu", "hours_we", "hours_th", "hours_fr", "hours_sa", "hours_su",     "closures",
    "languages", "costs",   "eligibility", "verified_on", "verified_by", NULL,
};
const char *const listing_day_codes[LISTING_DAYS] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
const char *const listing_day_fields[LISTING_DAYS] = {"hours_mo", "hours_tu", "hours_we", "hours_th",
                                                      "hours_fr", "hours_sa", "hours_su"};
const char *const listing_day_names[LISTING_DAYS] = {N_("Monday"), N_("Tuesday"), N_("Wednesday"),
                                                     N_("Thursday"), N_("Friday"), N_("Saturday"),
                                                     N_("Sunday")};

/* ---- the vocabulary ---- */

/* The term as the importers nest it: these keys, parent_id only when set. */
static json_t *nested_term(json_t *src)
{
    json_t *term = json_object();
    static const char *const keys[] = {"id", "code", "name", "description", "parent_id", "taxonomy", "taxonomy_id"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        json_t *v = json_object_get(src, keys[k]);
        if (v && !json_is_null(v))
            json_object_set(term, keys[k], v);
    }
    return term;
}

bool listing_vocab_init(listing_vocab *v, json_t *taxonomy, char *err, size_t errlen)
{
    static const char *const lists[] = {"terms", "attributes"};
    static const char *const default_link[] = {"service_type", "attribute"};
    v->codes = json_array();
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *src;
        json_array_foreach(json_object_get(taxonomy, lists[l]), i, src)
        {
            const char *code = json_string_value(json_object_get(src, "code"));
            const char *name = json_string_value(json_object_get(src, "name"));
            const char *lt = json_string_value(json_object_get(src, "link_type"));
            if (!code || !name || !json_is_string(json_object_get(src, "id")))
                continue;
            json_array_append_new(v->codes, json_pack("{s:s,s:s,s:s,s:b,s:o}", "code", code, "name", name,
                                                      "link_type", lt && *lt ? lt : default_link[l], "attribute",
                                                      l == 1, "term", nested_term(src)));
        }
    }
    if (!json_array_size(v->codes)) {
        snprintf(err, errlen, "the Waypost taxonomy has no codes");
        listing_vocab_free(v);
        return false;
    }
    return true;
}

void listing_vocab_free(listing_vocab *v)
{
    json_decref(v->codes);
    v->codes = NULL;
}

json_t *listing_vocab_find(const listing_vocab *v, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(v->codes, i, c) if (!strcmp(json_string_value(json_object_get(c, "code")), code)) return c;
    return NULL;
}

/* ---- reading ---- */

static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return xstrndup(s, n);
}

static void set_trimmed(json_t *o, const char *key, const char *s)
{
    char *t = trimmed(s ? s : "");
    json_object_set_new(o, key, json_string(t));
    free(t);
}

json_t *listing_form_read(const params *p)
{
    json_t *form = json_object();
    for (int i = 0; listing_form_fields[i]; i++)
        set_trimmed(form, listing_form_fields[i], params_get(p, listing_form_fields[i]));
    json_t *codes = json_array();
    size_t n = params_count(p, "code");
    for (size_t i = 0; i < n; i++)
        json_array_append_new(codes, json_string(params_get_nth(p, "code", i)));
    json_object_set_new(form, "codes", codes);
    return form;
}

/* ---- checking ---- */

/* The language of the form being checked (listing_ctx.lang), for the
 * messages: set by listing_form_check on the thread that checks. */
static _Thread_local int form_lang;

static const char *tr(const char *msgid)
{
    return i18n_tr(form_lang, msgid);
}

/* fmt is a literal marked N_; its translation has the same conversions
 * (the catalog loader refuses any other), so it is as safe as fmt. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
__attribute__((format(printf, 3, 4))) static void problem(json_t *errors, const char *field, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), tr(fmt), ap);
    va_end(ap);
    json_array_append_new(errors, json_pack("{s:s,s:s}", "field", field, "message", msg));
}
#pragma GCC diagnostic pop

static const char *fv(json_t *form, const char *key)
{
    const char *s = json_string_value(json_object_get(form, key));
    return s ? s : "";
}

static bool has_control(const char *s, bool lines)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && !(lines && (*s == '\n' || *s == '\r' || *s == '\t')))
            return true;
    return false;
}

/* A text field: at most max bytes, one line unless lines; required when need. */
static void check_text(json_t *form, json_t *out, json_t *errors, const char *key, const char *label, size_t max,
                       bool need, bool lines)
{
    const char *s = fv(form, key);
    if (need && !*s)
        problem(errors, key, N_("%s is required."), tr(label));
    else if (strlen(s) > max)
        problem(errors, key, N_("%s is too long (at most %zu characters)."), tr(label), max);
    else if (has_control(s, lines) && lines)
        problem(errors, key, N_("%s has characters that cannot be shown."), tr(label));
    else if (has_control(s, lines))
        problem(errors, key, N_("%s has characters that cannot be shown (one line only)."), tr(label));
    json_object_set_new(out, key, json_string(s));
}

static bool is_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static bool is_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(s) > 254)
        return false;
    const char *dot = strrchr(s, '.');
    if (dot[1] == '\0' || dot == at + 1)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == '<' || *s == '>' || *s == '"' || *s == ',')
            return false;
    return true;
}

static bool is_url(const char *s)
{
    const char *host = str_has_prefix(s, "https://") ? s + 8 : str_has_prefix(s, "http://") ? s + 7 : NULL;
    if (!host || !isalnum_ascii((unsigned char)*host))
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == '<' || *s == '>' || *s == '"')
            return false;
    return true;
}

static void check_service(json_t *form, json_t *out, json_t *errors)
{
    check_text(form, out, errors, "name", N_("The name"), 200, true, false);
    check_text(form, out, errors, "description", N_("The description"), 4000, false, true);
    check_text(form, out, errors, "organization", N_("The organization"), 200, false, false);
    check_text(form, out, errors, "eligibility", N_("Who can use it"), 2000, false, true);
    const char *status = fv(form, "status");
    if (!*status)
        status = "active";
    if (strcmp(status, "active") && strcmp(status, "inactive") && strcmp(status, "defunct") &&
        strcmp(status, "temporarily closed"))
        problem(errors, "status", N_("Choose a status: active, temporarily closed, inactive or defunct."));
    json_object_set_new(out, "status", json_string(status));
    check_text(form, out, errors, "url", N_("The website"), 500, false, false);
    if (*fv(form, "url") && !is_url(fv(form, "url")))
        problem(errors, "url", N_("The website must be a web address starting with https:// or http://."));
    check_text(form, out, errors, "email", N_("The email"), 254, false, false);
    if (*fv(form, "email") && !is_email(fv(form, "email")))
        problem(errors, "email", N_("The email must look like name@example.org."));
}

/* "lat,lon" into two numbers in range; false when it is not that. */
static bool parse_point(const char *s, double *lat, double *lon)
{
    const char *comma = strchr(s, ',');
    if (!comma || strchr(comma + 1, ','))
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '+' || *c == ',' || *c == ' '))
            return false;
    char a[64], b[64];
    size_t na = (size_t)(comma - s);
    if (na >= sizeof(a) || strlen(comma + 1) >= sizeof(b))
        return false;
    memcpy(a, s, na);
    a[na] = '\0';
    str_copy(b, sizeof(b), comma + 1);
    char *end;
    *lat = strtod(a, &end);
    while (*end == ' ')
        end++;
    if (end == a || *end)
        return false;
    const char *bs = b;
    while (*bs == ' ')
        bs++;
    *lon = strtod(bs, &end);
    if (end == bs || *end)
        return false;
    return isfinite(*lat) && isfinite(*lon) && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}

static bool is_zip(const char *s)
{
    size_t n = strlen(s);
    if (n != 5 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if (i == 5 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static void check_location(json_t *form, json_t *out, json_t *errors, const listing_ctx *ctx)
{
    check_text(form, out, errors, "address_1", N_("The street address"), 200, true, false);
    check_text(form, out, errors, "address_2", N_("The second address line"), 200, false, false);
    check_text(form, out, errors, "city", N_("The city"), 100, true, false);
    const char *st = fv(form, "state");
    char state[3] = {0};
    if (strlen(st) != 2 || !isalnum_ascii((unsigned char)st[0]) || !isalnum_ascii((unsigned char)st[1]) ||
        (st[0] >= '0' && st[0] <= '9') || (st[1] >= '0' && st[1] <= '9'))
        problem(errors, "state", N_("The state must be its two-letter code, for example NY."));
    else
        for (int i = 0; i < 2; i++)
            state[i] = (char)(st[i] >= 'a' && st[i] <= 'z' ? st[i] - ('a' - 'A') : st[i]);
    json_object_set_new(out, "state", json_string(state));
    const char *zip = fv(form, "postal_code");
    bool zip_ok = is_zip(zip);
    if (!zip_ok)
        problem(errors, "postal_code", N_("The ZIP code must be five digits (or ZIP+4, 12345-6789)."));
    json_object_set_new(out, "postal_code", json_string(zip));
    const char *point = fv(form, "point");
    double lat = 0, lon = 0;
    if (*point) {
        if (!parse_point(point, &lat, &lon)) {
            problem(errors, "point", N_("Type the point as latitude,longitude, for example 40.7128,-74.0060."));
            return;
        }
    } else if (zip_ok) {
        char zip5[6];
        str_copy(zip5, sizeof(zip5), zip);
        if (!ctx->zip || !ctx->zip(zip5, &lat, &lon)) {
            problem(errors, "point", N_("The ZIP code %s has no known centre: type the point as latitude,longitude."),
                    zip5);
            return;
        }
    } else {
        return;
    }
    json_object_set_new(out, "latitude", json_real(lat));
    json_object_set_new(out, "longitude", json_real(lon));
}

/* Calls fn for each non-blank line of s (trimmed), with its 1-based
 * number; stops after MAX_LINES lines with a problem at field. */
typedef void (*line_fn)(json_t *list, json_t *errors, const char *field, int n, const char *line);
static void each_line(const char *s, json_t *list, json_t *errors, const char *field, const char *label, line_fn fn)
{
    int n = 0;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char *raw = xstrndup(s, len), *line = trimmed(raw);
        free(raw);
        if (*line && ++n > MAX_LINES) {
            free(line);
            problem(errors, field, N_("%s: at most %d lines."), tr(label), MAX_LINES);
            return;
        }
        if (*line)
            fn(list, errors, field, n, line);
        free(line);
        s += len + (nl ? 1 : 0);
    }
}

static void phone_line(json_t *list, json_t *errors, const char *field, int n, const char *line)
{
    const char *comma = strchr(line, ',');
    size_t nlen = comma ? (size_t)(comma - line) : strlen(line);
    int digits = 0;
    bool bad = false;
    for (size_t i = 0; i < nlen; i++) {
        char c = line[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!strchr(" +()-.ext", c))
            bad = true;
    }
    char *num = xstrndup(line, nlen), *number = trimmed(num);
    char *desc = trimmed(comma ? comma + 1 : "");
    if (bad || digits < 7 || digits > 15)
        problem(errors, field, N_("Phone line %d: \"%.40s\" is not a phone number (7 to 15 digits, then \", a note\")."),
                n, number);
    else if (strlen(desc) > 100)
        problem(errors, field, N_("Phone line %d: the note is too long (at most 100 characters)."), n);
    else
        json_array_append_new(list, json_pack("{s:s,s:s}", "number", number, "description", desc));
    free(num);
    free(number);
    free(desc);
}

/* "9:00" or "09:00" (24:00 too when end): minutes, or -1. */
static int parse_hm(const char *s, size_t n, bool end)
{
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n < 4 || n > 5 || s[n - 3] != ':')
        return -1;
    int h = 0;
    for (size_t i = 0; i < n - 3; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        h = h * 10 + (s[i] - '0');
    }
    if (s[n - 2] < '0' || s[n - 2] > '5' || s[n - 1] < '0' || s[n - 1] > '9')
        return -1;
    int m = (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
    if (h > 24 || (h == 24 && (m || !end)))
        return -1;
    return h * 60 + m;
}

static json_t *hm_text(int minutes)
{
    char t[16];
    if (minutes >= 1440)
        minutes = 1439; /* midnight at the end of the day is 23:59, as hours.c reads it */
    if (minutes < 0)
        minutes = 0;
    snprintf(t, sizeof(t), "%02d:%02d", minutes / 60, minutes % 60);
    return json_string(t);
}

static bool all_day_words(const char *s)
{
    return str_eq_nocase(s, "24 hours") || str_eq_nocase(s, "24h") || str_eq_nocase(s, "all day") ||
           str_eq_nocase(s, "open 24 hours");
}

/* One day of the weekly editor into [[opens, closes], ...]. */
static json_t *check_day(const char *s, const char *field, const char *day, json_t *errors)
{
    json_t *list = json_array();
    if (!*s || str_eq_nocase(s, "closed"))
        return list;
    if (all_day_words(s)) {
        json_array_append_new(list, json_pack("[s,s]", "00:00", "23:59"));
        return list;
    }
    int count = 0;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *dash = memchr(s, '-', len);
        int o = dash ? parse_hm(s, (size_t)(dash - s), false) : -1;
        int c = dash ? parse_hm(dash + 1, len - (size_t)(dash - s) - 1, true) : -1;
        if (o < 0 || c < 0) {
            problem(errors, field, N_("%s: write the hours as 09:00-17:00 (24-hour clock), several with commas, "
                    "or \"24 hours\", or leave it empty when closed."), day);
            break;
        }
        if (o == 0 && c == 0)
            c = 1440; /* 00:00-00:00: all day, as hours.c reads it */
        if (o == c) {
            problem(errors, field, N_("%s: the opening and closing times are the same."), day);
            break;
        }
        if (++count > MAX_INTERVALS) {
            problem(errors, field, N_("%s: at most %d openings a day."), day, MAX_INTERVALS);
            break;
        }
        json_array_append_new(list, json_pack("[o,o]", hm_text(o), hm_text(c)));
        s += len + (comma ? 1 : 0);
    }
    return list;
}

static void closure_line(json_t *list, json_t *errors, const char *field, int n, const char *line)
{
    char from[11] = {0}, to[11] = {0};
    const char *rest = line;
    if (strlen(rest) >= 10)
        memcpy(from, rest, 10);
    rest += strlen(from);
    if (str_has_prefix(rest, " to ") && strlen(rest) >= 14) {
        memcpy(to, rest + 4, 10);
        rest += 14;
    } else {
        memcpy(to, from, sizeof(to));
    }
    while (*rest == ' ')
        rest++;
    bool ok = is_date(from) && is_date(to) && (*rest == '\0' || *rest == ',');
    char *note = trimmed(*rest == ',' ? rest + 1 : "");
    if (!ok)
        problem(errors, field, N_("Closure line %d: write a date as 2026-12-25, or 2026-12-24 to 2026-12-26, "
                "then \", a note\" if you like."), n);
    else if (strcmp(to, from) < 0)
        problem(errors, field, N_("Closure line %d: the last day is before the first."), n);
    else if (strlen(note) > 200)
        problem(errors, field, N_("Closure line %d: the note is too long (at most 200 characters)."), n);
    else
        json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "from", from, "to", to, "note", note));
    free(note);
}

static void cost_line(json_t *list, json_t *errors, const char *field, int n, const char *line)
{
    if (strlen(line) > 200)
        problem(errors, field, N_("Cost line %d is too long (at most 200 characters)."), n);
    else
        json_array_append_new(list, json_string(line));
}

static void check_hours(json_t *form, json_t *out, json_t *errors)
{
    json_t *days = json_object();
    for (int d = 0; d < LISTING_DAYS; d++) {
        const char *s = fv(form, listing_day_fields[d]);
        if (strlen(s) > 200 || has_control(s, false)) {
            problem(errors, listing_day_fields[d], N_("%s: too long, or not one line."), tr(listing_day_names[d]));
            continue;
        }
        json_object_set_new(days, listing_day_codes[d], check_day(s, listing_day_fields[d], tr(listing_day_names[d]),
                                                                  errors));
    }
    json_object_set_new(out, "days", days);
    json_t *closures = json_array();
    each_line(fv(form, "closures"), closures, errors, "closures", N_("Closures"), closure_line);
    json_object_set_new(out, "closures", closures);
}

static void check_languages(json_t *form, json_t *out, json_t *errors)
{
    json_t *list = json_array();
    const char *s = fv(form, "languages");
    const char *why = NULL;
    while (*s && !why) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char *raw = xstrndup(s, len), *name = trimmed(raw);
        free(raw);
        bool dup = false;
        size_t i;
        json_t *v;
        json_array_foreach(list, i, v) dup = dup || str_eq_nocase(json_string_value(v), name);
        if (strlen(name) > 60 || has_control(name, false))
            why = N_("Each language's name may have at most 60 characters.");
        else if (*name && !dup && json_array_size(list) >= MAX_LINES)
            why = N_("At most 20 languages.");
        else if (*name && !dup)
            json_array_append_new(list, json_string(name));
        free(name);
        s += len + (comma ? 1 : 0);
    }
    if (why)
        problem(errors, "languages", "%s", tr(why));
    json_object_set_new(out, "languages", list);
}

static void check_verified(json_t *form, json_t *out, json_t *errors, const listing_ctx *ctx)
{
    const char *on = fv(form, "verified_on"), *by = fv(form, "verified_by");
    if (*on && !is_date(on))
        problem(errors, "verified_on", N_("The date verified must be a date, for example 2026-12-04."));
    else if (*on && ctx->today && strcmp(on, ctx->today) > 0)
        problem(errors, "verified_on", N_("The date verified cannot be in the future."));
    if (*by && !is_email(by))
        problem(errors, "verified_by", N_("Who verified it must be an email address."));
    else if (*on && !*by)
        problem(errors, "verified_by", N_("Say who verified it (their email)."));
    else if (!*on && *by)
        problem(errors, "verified_on", N_("Give the date it was verified."));
    json_object_set_new(out, "verified_on", json_string(on));
    json_object_set_new(out, "verified_by", json_string(by));
}

static void check_codes(json_t *form, json_t *out, json_t *errors, const listing_ctx *ctx)
{
    json_t *codes = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(form, "codes"), i, v)
    {
        const char *code = json_string_value(v);
        if (!code || !listing_vocab_find(ctx->vocab, code)) {
            problem(errors, "codes", N_("\"%.40s\" is not a Waypost code."), code ? code : "");
            continue;
        }
        bool dup = false;
        size_t k;
        json_t *w;
        json_array_foreach(codes, k, w) dup = dup || !strcmp(json_string_value(w), code);
        if (!dup)
            json_array_append_new(codes, json_string(code));
    }
    json_object_set_new(out, "codes", codes);
}

json_t *listing_form_check(json_t *form, const listing_ctx *ctx, json_t *errors)
{
    json_t *out = json_object();
    form_lang = ctx->lang;
    check_service(form, out, errors);
    check_location(form, out, errors, ctx);
    json_t *phones = json_array();
    each_line(fv(form, "phones"), phones, errors, "phones", N_("Phones"), phone_line);
    json_object_set_new(out, "phones", phones);
    check_hours(form, out, errors);
    check_languages(form, out, errors);
    json_t *costs = json_array();
    each_line(fv(form, "costs"), costs, errors, "costs", N_("Costs"), cost_line);
    json_object_set_new(out, "costs", costs);
    check_verified(form, out, errors, ctx);
    check_codes(form, out, errors, ctx);
    return out;
}
