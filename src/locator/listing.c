/* listing: HSDS JSON to page data. See listing.h. */
#include "locator/listing.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "core/util.h"
#include "locator/locator.h"
#include "locator/hours.h"
#include "http/server.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *s_of(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* A month's full name in lang (context "month": "May" is also a short
 * month name in dates). */
static const char *month_name(int lang, int m)
{
    switch (m) {
    case 1: return i18n_trc(lang, "month", "January");
    case 2: return i18n_trc(lang, "month", "February");
    case 3: return i18n_trc(lang, "month", "March");
    case 4: return i18n_trc(lang, "month", "April");
    case 5: return i18n_trc(lang, "month", "May");
    case 6: return i18n_trc(lang, "month", "June");
    case 7: return i18n_trc(lang, "month", "July");
    case 8: return i18n_trc(lang, "month", "August");
    case 9: return i18n_trc(lang, "month", "September");
    case 10: return i18n_trc(lang, "month", "October");
    case 11: return i18n_trc(lang, "month", "November");
    default: return i18n_trc(lang, "month", "December");
    }
}

void listing_source_line(const char *source, const char *date, char *out, size_t outlen)
{
    listing_source_line_lang(I18N_SOURCE, source, date, out, outlen);
}

void listing_source_line_lang(int lang, const char *source, const char *date, char *out, size_t outlen)
{
    char who[96];
    str_copy(who, sizeof(who), source && *source ? source : i18n_tr(lang, "an imported list"));
    char *via = strstr(who, " (via");
    if (via)
        *via = '\0';
    /* "SAMHSA treatment locator" -> "SAMHSA"; keep other names whole */
    char *sp = strchr(who, ' ');
    if (sp && (str_has_prefix(who, "SAMHSA") || str_has_prefix(who, "HRSA")))
        *sp = '\0';
    long m = 0;
    char mm[3] = {0};
    if (date && strlen(date) >= 7) {
        mm[0] = date[5];
        mm[1] = date[6];
    }
    if (date && strlen(date) >= 7 && parse_long(mm, 1, 12, &m) && !(m == 1 && !strncmp(date + 8, "01", 2)))
        snprintf(out, outlen, i18n_tr(lang, "Listed by %s, %s %.4s"), who, month_name(lang, (int)m), date);
    else if (date && strlen(date) >= 4)
        snprintf(out, outlen, i18n_tr(lang, "Listed by %s, %.4s"), who, date);
    else
        snprintf(out, outlen, i18n_tr(lang, "Listed by %s"), who);
}

/* The service_at_location object inside the service with this id. */
static json_t *find_sal(json_t *svc, const char *sal_id)
{
    size_t i;
    json_t *sal;
    json_array_foreach(json_object_get(svc, "service_at_locations"), i, sal)
        if (!strcmp(s_of(sal, "id"), sal_id))
            return sal;
    return NULL;
}

static void add_address(json_t *d, json_t *loc)
{
    json_t *a = json_array_get(json_object_get(loc, "addresses"), 0);
    if (!a)
        return;
    buf b = BUF_INIT;
    buf_puts(&b, s_of(a, "address_1"));
    if (*s_of(a, "address_2"))
        buf_printf(&b, ", %s", s_of(a, "address_2"));
    jset_str(d, "street", buf_cstr(&b));
    buf_reset(&b);
    buf_printf(&b, "%s, %s %s", s_of(a, "city"), s_of(a, "state_province"), s_of(a, "postal_code"));
    jset_str(d, "city_line", buf_cstr(&b));
    buf_reset(&b);
    buf_printf(&b, "%s, %s", s_of(a, "city"), s_of(a, "state_province"));
    if (*s_of(a, "city"))
        jset_str(d, "town", buf_cstr(&b));
    buf_free(&b);
}

/* Phones from the service_at_location, else the service, else the location. */
static void add_phones(json_t *d, json_t *sal, json_t *svc, json_t *loc)
{
    json_t *src = json_object_get(sal, "phones");
    if (!json_array_size(src))
        src = json_object_get(svc, "phones");
    if (!json_array_size(src))
        src = json_object_get(loc, "phones");
    json_t *list = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(src, i, p)
    {
        const char *num = s_of(p, "number");
        char tel[40];
        size_t n = 0;
        for (const char *c = num; *c && n + 1 < sizeof(tel); c++)
            if ((*c >= '0' && *c <= '9') || (*c == '+' && n == 0))
                tel[n++] = *c;
        tel[n] = '\0';
        if (!n)
            continue;
        json_t *o = json_object();
        jset_str(o, "number", num);
        jset_str(o, "tel", tel);
        jset_str(o, "description", s_of(p, "description"));
        jset_str(o, "type", s_of(p, "type"));
        json_array_append_new(list, o);
    }
    json_object_set_new(d, "phones", list);
    json_object_set_new(d, "has_phones", json_boolean(json_array_size(list) > 0));
}

static void add_chips(json_t *d, json_t *svc)
{
    json_t *chips = json_array();
    size_t i;
    json_t *at;
    json_array_foreach(json_object_get(svc, "attributes"), i, at)
    {
        json_t *t = json_object_get(at, "taxonomy_term");
        const loc_code *c = loc_code_find(s_of(t, "code"));
        if (!c || strcmp(s_of(t, "taxonomy_id"), WAYPOST_TAXONOMY_ID))
            continue;
        json_t *o = json_object();
        jset_str(o, "label", c->label);
        jset_str(o, "code", c->code);
        json_object_set_new(o, "attribute", json_boolean(c->attribute));
        json_array_append_new(chips, o);
    }
    json_object_set_new(d, "chips", chips);
}

/* The time zone a US state or territory mostly keeps. HSDS 3.0 gives only a
 * fixed UTC offset (no daylight saving), so opening hours use this, and the
 * configured zone when the state is unknown. States split between zones
 * (e.g. the Florida panhandle, west Texas) get their main zone. */
const char *listing_state_zone(const char *state)
{
    static const struct { const char *st, *zone; } zones[] = {
        {"AL", "America/Chicago"}, {"AK", "America/Anchorage"}, {"AZ", "America/Phoenix"},
        {"AR", "America/Chicago"}, {"CA", "America/Los_Angeles"}, {"CO", "America/Denver"},
        {"CT", "America/New_York"}, {"DE", "America/New_York"}, {"DC", "America/New_York"},
        {"FL", "America/New_York"}, {"GA", "America/New_York"}, {"HI", "Pacific/Honolulu"},
        {"ID", "America/Boise"}, {"IL", "America/Chicago"}, {"IN", "America/Indiana/Indianapolis"},
        {"IA", "America/Chicago"}, {"KS", "America/Chicago"}, {"KY", "America/New_York"},
        {"LA", "America/Chicago"}, {"ME", "America/New_York"}, {"MD", "America/New_York"},
        {"MA", "America/New_York"}, {"MI", "America/Detroit"}, {"MN", "America/Chicago"},
        {"MS", "America/Chicago"}, {"MO", "America/Chicago"}, {"MT", "America/Denver"},
        {"NE", "America/Chicago"}, {"NV", "America/Los_Angeles"}, {"NH", "America/New_York"},
        {"NJ", "America/New_York"}, {"NM", "America/Denver"}, {"NY", "America/New_York"},
        {"NC", "America/New_York"}, {"ND", "America/Chicago"}, {"OH", "America/New_York"},
        {"OK", "America/Chicago"}, {"OR", "America/Los_Angeles"}, {"PA", "America/New_York"},
        {"RI", "America/New_York"}, {"SC", "America/New_York"}, {"SD", "America/Chicago"},
        {"TN", "America/Chicago"}, {"TX", "America/Chicago"}, {"UT", "America/Denver"},
        {"VT", "America/New_York"}, {"VA", "America/New_York"}, {"WA", "America/Los_Angeles"},
        {"WV", "America/New_York"}, {"WI", "America/Chicago"}, {"WY", "America/Denver"},
        {"PR", "America/Puerto_Rico"}, {"VI", "America/St_Thomas"}, {"GU", "Pacific/Guam"},
        {"MP", "Pacific/Saipan"}, {"AS", "Pacific/Pago_Pago"},
    };
    for (size_t i = 0; state && i < sizeof(zones) / sizeof(zones[0]); i++)
        if (!strcmp(zones[i].st, state))
            return zones[i].zone;
    return NULL;
}

/* Parses the schedules of a listing (the service-at-location's, else the
 * service's, else the location's) into h, in the location's time zone. */
static void parse_hours(hours *h, json_t *sal, json_t *svc, json_t *loc, const char *default_zone)
{
    json_t *sched = json_object_get(sal, "schedules");
    if (!json_array_size(sched))
        sched = json_object_get(svc, "schedules");
    if (!json_array_size(sched))
        sched = json_object_get(loc, "schedules");
    const char *zone = listing_state_zone(s_of(json_array_get(json_object_get(loc, "addresses"), 0), "state_province"));
    hours_init(h, tz_get(zone ? zone : default_zone ? default_zone : "America/New_York"));
    size_t i;
    json_t *s;
    char err[128];
    json_array_foreach(sched, i, s)
        hours_add_hsds(h, s, err, sizeof(err));
}

void listing_apply_hours(json_t *d, const hours *h, int64_t now, bool detail, int *open_state)
{
    listing_apply_hours_lang(d, h, now, detail, open_state, I18N_SOURCE);
}

void listing_apply_hours_lang(json_t *d, const hours *h, int64_t now, bool detail, int *open_state, int lang)
{
    hours_status st;
    hours_status_lang(h, now, lang, &st);
    jset_str(d, "hours_now", st.text);
    json_object_set_new(d, "open_now", json_boolean(st.state == HOURS_OPEN));
    if (open_state)
        *open_state = st.state == HOURS_OPEN ? 1 : st.state == HOURS_CLOSED ? 0 : -1;
    if (!detail)
        return;
    char lines[7][64];
    int n = hours_week_summary_lang(h, now, lang, lines, 7);
    json_t *week = json_array();
    for (int k = 0; k < n; k++)
        json_array_append_new(week, json_string(lines[k]));
    json_object_set_new(d, "week", week);
}

static json_t *names_of(json_t *list, const char *key)
{
    json_t *out = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
        if (*s_of(o, key))
            json_array_append_new(out, json_string(s_of(o, key)));
    return out;
}

static void add_detail(json_t *d, json_t *svc, json_t *loc)
{
    static const char *const fields[] = {"description", "url", "email", "fees_description", "eligibility_description",
                                         "application_process", "wait_time", "interpretation_services", "alert"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (*s_of(svc, fields[i]))
            jset_str(d, fields[i], s_of(svc, fields[i]));
    json_object_set_new(d, "languages", names_of(json_object_get(svc, "languages"), "name"));
    json_object_set_new(d, "documents", names_of(json_object_get(svc, "required_documents"), "document"));
    json_object_set_new(d, "costs", names_of(json_object_get(svc, "cost_options"), "option"));
    json_object_set_new(d, "access", names_of(json_object_get(loc, "accessibility"), "description"));
    json_t *areas = names_of(json_object_get(svc, "service_areas"), "name");
    json_object_set_new(d, "has_areas", json_boolean(json_array_size(areas) > 0));
    json_object_set_new(d, "areas", areas);
    const char *url = s_of(svc, "url");
    if (*url && !str_has_prefix(url, "http://") && !str_has_prefix(url, "https://"))
        json_object_del(d, "url");
}

json_t *listing_base(const hsds_listing *l, bool with_detail, const char *default_zone, hours *h, json_t **languages)
{
    json_error_t je;
    json_t *svc = json_loads(l->service_raw, 0, &je), *loc = json_loads(l->location_raw, 0, &je);
    json_t *org = *l->organization_raw ? json_loads(l->organization_raw, 0, &je) : NULL;
    json_t *d = json_object();
    json_t *sal = find_sal(svc, l->sal_id);
    /* the page marks an example with a badge: "EXAMPLE: " is not said twice */
    const char *name = s_of(svc, "name");
    if (l->is_example && str_has_prefix(name, "EXAMPLE: "))
        name += strlen("EXAMPLE: ");
    jset_str(d, "name", name);
    jset_str(d, "service_id", l->service_id);
    if (org && strcmp(s_of(org, "name"), s_of(svc, "name")))
        jset_str(d, "organization", s_of(org, "name"));
    add_address(d, loc);
    add_phones(d, sal, svc, loc);
    add_chips(d, svc);
    parse_hours(h, sal, svc, loc, default_zone);
    char line[160];
    listing_source_line(l->source, l->source_date, line, sizeof(line));
    jset_str(d, "source_line", line);
    jset_str(d, "source_name", l->source ? l->source : "");
    jset_str(d, "source_date", l->source_date ? l->source_date : "");
    json_object_set_new(d, "example", json_boolean(l->is_example));
    char geo[80], osm[160];
    snprintf(geo, sizeof(geo), "geo:%.6f,%.6f", l->lat, l->lon);
    snprintf(osm, sizeof(osm), "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=17/%.6f/%.6f", l->lat, l->lon,
             l->lat, l->lon);
    jset_str(d, "geo_url", geo);
    jset_str(d, "osm_url", osm);
    /* a programme that works by mail has no point: no directions */
    json_object_set_new(d, "has_point", json_boolean(json_is_number(json_object_get(loc, "latitude"))));
    if (with_detail)
        add_detail(d, svc, loc);
    if (languages)
        *languages = json_incref(json_object_get(svc, "languages"));
    json_decref(svc);
    json_decref(loc);
    json_decref(org);
    return d;
}

json_t *listing_json(const hsds_listing *l, int64_t now, bool with_detail, int *open_state, const char *default_zone)
{
    return listing_json_lang(l, now, with_detail, open_state, default_zone, I18N_SOURCE);
}

json_t *listing_json_lang(const hsds_listing *l, int64_t now, bool with_detail, int *open_state,
                          const char *default_zone, int lang)
{
    hours h;
    json_t *d = listing_base(l, with_detail, default_zone, &h, NULL);
    listing_apply_hours_lang(d, &h, now, with_detail, open_state, lang);
    listing_localize(d, lang);
    return d;
}

void listing_localize(json_t *d, int lang)
{
    if (lang == I18N_SOURCE)
        return;
    json_t *chips = json_array(), *c;
    size_t i;
    json_array_foreach(json_object_get(d, "chips"), i, c)
    {
        json_t *o = json_copy(c);
        jset_str(o, "label", i18n_tr(lang, s_of(c, "label")));
        json_array_append_new(chips, o);
    }
    json_object_set_new(d, "chips", chips);
    char line[160];
    const char *src = s_of(d, "source_name"), *date = s_of(d, "source_date");
    listing_source_line_lang(lang, *src ? src : NULL, *date ? date : NULL, line, sizeof(line));
    jset_str(d, "source_line", line);
}

/* True when text contains word, case ignored. */
static bool mentions(const char *text, const char *word)
{
    for (const char *p = text; *p; p++)
        if (!strncasecmp(p, word, strlen(word)))
            return true;
    return false;
}

/* The one number the card's Call button rings: an intake line first, then
 * the first voice line; never a fax. */
static void pick_call(json_t *d)
{
    json_t *phones = json_object_get(d, "phones"), *best = NULL, *p;
    size_t i;
    json_array_foreach(phones, i, p)
    {
        const char *type = s_of(p, "type"), *desc = s_of(p, "description");
        if (!strcasecmp(type, "fax") || mentions(desc, "fax"))
            continue;
        if (mentions(desc, "intake")) {
            best = p;
            break;
        }
        if (!best)
            best = p;
    }
    if (!best)
        return;
    jset_str(d, "call_tel", s_of(best, "tel"));
    jset_str(d, "call_number", s_of(best, "number"));
}

size_t listing_top_chips(size_t n, const char *(*code_at)(const void *list, size_t i), const void *list,
                         const char *what, const char *const *attrs, int nattrs, size_t out[LISTING_TOP_CHIPS])
{
    size_t got = 0;
    /* pass 0: the kind searched for; pass 1: the filters ticked; pass 2: the rest */
    for (int pass = 0; pass < 3 && got < LISTING_TOP_CHIPS; pass++)
        for (size_t i = 0; i < n && got < LISTING_TOP_CHIPS; i++) {
            const char *code = code_at(list, i);
            bool asked = false;
            for (int k = 0; k < nattrs; k++)
                asked |= !strcmp(attrs[k], code);
            bool is_what = what && !strcmp(what, code);
            if (pass == 0 ? is_what : pass == 1 ? asked && !is_what : !is_what && !asked)
                out[got++] = i;
        }
    return got;
}

static const char *json_chip_code(const void *list, size_t i)
{
    return s_of(json_array_get((json_t *)list, i), "code");
}

void listing_focus(json_t *d, const char *what, const char *const *attrs, int nattrs)
{
    json_t *chips = json_object_get(d, "chips"), *top = json_array();
    size_t total = json_array_size(chips), pick[LISTING_TOP_CHIPS];
    size_t n = listing_top_chips(total, json_chip_code, chips, what, attrs, nattrs, pick);
    for (size_t k = 0; k < n; k++)
        json_array_append(top, json_array_get(chips, pick[k]));
    json_object_set_new(d, "top_chips", top);
    json_object_set_new(d, "has_top_chips", json_boolean(json_array_size(top) > 0));
    if (total > LISTING_TOP_CHIPS)
        json_object_set_new(d, "more_services", json_integer((json_int_t)(total - LISTING_TOP_CHIPS)));
    pick_call(d);
    json_object_set_new(d, "has_buttons", json_boolean(json_object_get(d, "call_tel") ||
                                                        json_is_true(json_object_get(d, "has_point"))));
}
