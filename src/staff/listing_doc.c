/* listing_doc: the checked listing form into an HSDS 3.0 service document
 * and a stored document back into the form. See listing_form.h.
 *
 * The form edits the first service_at_location (its location and
 * address), the service's own fields, its languages, cost_options and
 * Waypost attributes, and the phones and schedules where the public pages
 * read them (locator/listing.c: the service_at_location's, else the
 * service's, else the location's). Everything else in the document (other
 * listings, contacts, attributes of other taxonomies, metadata,
 * extensions) is kept as it was. Nested objects keep their ids; new ones
 * get uuid5 ids from the service id and what they hold, so saving the same
 * form again writes the same document (the import then reports it
 * unchanged). */
#include "core/buf.h"
#include "core/util.h"
#include "core/uuid.h"
#include "hsds/hsds_store.h"
#include "hsds/hsds_tables.h"
#include "staff/listing_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The namespace of the ids the staff form makes (a fixed random UUID). */
static const unsigned char STAFF_NS[16] = {0x5b, 0x1e, 0x0c, 0x7a, 0x93, 0x4d, 0x4f, 0x21,
                                           0xa6, 0x58, 0x2e, 0x91, 0xc4, 0x07, 0xd3, 0x6f};

static void child_id(const char *sid, const char *kind, const char *key, char out[37])
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s/%s", sid, kind, key);
    uuid5(STAFF_NS, buf_cstr(&b), b.len, out);
    buf_free(&b);
}

static const char *sv(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void jset(json_t *o, const char *key, const char *s)
{
    json_object_set_new(o, key, json_string(s ? s : ""));
}

static void set_or_drop(json_t *o, const char *key, const char *s)
{
    if (s && *s)
        json_object_set_new(o, key, json_string(s));
    else
        json_object_del(o, key);
}

/* o[key] as an object, made (with a new id) when it is not one. */
static json_t *object_at(json_t *o, const char *key, const char *id)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_object(v)) {
        v = json_pack("{s:s}", "id", id);
        json_object_set_new(o, key, v);
    }
    return v;
}

/* o[key][0] as an object, made when the list is empty or missing. */
static json_t *first_of(json_t *o, const char *key, const char *id)
{
    json_t *list = json_object_get(o, key);
    if (!json_is_array(list)) {
        list = json_array();
        json_object_set_new(o, key, list);
    }
    json_t *v = json_array_get(list, 0);
    if (!json_is_object(v)) {
        v = json_pack("{s:s}", "id", id);
        json_array_insert_new(list, 0, v);
    }
    return v;
}

static void put_organization(json_t *doc, json_t *c, const char *sid)
{
    char id[37];
    child_id(sid, "organization", "", id);
    const char *oid = sv(doc, "organization_id");
    json_t *org = object_at(doc, "organization", *oid ? oid : id);
    const char *name = sv(c, "organization");
    json_object_set_new(org, "name", json_string(*name ? name : sv(c, "name")));
    if (!json_object_get(org, "description")) /* HSDS 3.0 requires it */
        json_object_set_new(org, "description", json_string(""));
    json_object_set_new(doc, "organization_id", json_string(sv(org, "id")));
}

/* The first listing's location and address; returns the listing. */
static json_t *put_location(json_t *doc, json_t *c, const char *sid, json_t **loc_out)
{
    char id[37];
    child_id(sid, "service_at_location", "", id);
    json_t *sal = first_of(doc, "service_at_locations", id);
    child_id(sid, "location", "", id);
    const char *lid = sv(sal, "location_id");
    json_t *loc = object_at(sal, "location", *lid ? lid : id);
    if (!json_object_get(loc, "location_type"))
        json_object_set_new(loc, "location_type", json_string("physical"));
    json_object_set(loc, "latitude", json_object_get(c, "latitude"));
    json_object_set(loc, "longitude", json_object_get(c, "longitude"));
    child_id(sid, "address", "", id);
    json_t *addr = first_of(loc, "addresses", id);
    set_or_drop(addr, "address_1", sv(c, "address_1"));
    set_or_drop(addr, "address_2", sv(c, "address_2"));
    set_or_drop(addr, "city", sv(c, "city"));
    set_or_drop(addr, "state_province", sv(c, "state"));
    set_or_drop(addr, "postal_code", sv(c, "postal_code"));
    if (!json_object_get(addr, "country"))
        json_object_set_new(addr, "country", json_string("US"));
    if (!json_object_get(addr, "address_type"))
        json_object_set_new(addr, "address_type", json_string("physical"));
    *loc_out = loc;
    return sal;
}

/* Where the pages read key (phones, schedules) from: the listing's, else
 * the service's, else the location's list; the listing when none has one. */
static json_t *home_of(json_t *sal, json_t *svc, json_t *loc, const char *key)
{
    if (json_array_size(json_object_get(sal, key)))
        return sal;
    if (json_array_size(json_object_get(svc, key)))
        return svc;
    if (json_array_size(json_object_get(loc, key)))
        return loc;
    return sal;
}

/* Sets key to list at its home, or (empty list) removes it everywhere. */
static void put_list(json_t *sal, json_t *svc, json_t *loc, const char *key, json_t *list)
{
    if (!json_array_size(list)) {
        json_object_del(sal, key);
        json_object_del(svc, key);
        json_object_del(loc, key);
        json_decref(list);
        return;
    }
    json_object_set_new(home_of(sal, svc, loc, key), key, list);
}

/* The object of old (a list) whose field key equals value, or NULL. */
static json_t *find_by(json_t *old, const char *key, const char *value, bool nocase)
{
    size_t i;
    json_t *o;
    json_array_foreach(old, i, o)
    {
        const char *v = sv(o, key);
        if (nocase ? str_eq_nocase(v, value) : !strcmp(v, value))
            return o;
    }
    return NULL;
}

static void put_phones(json_t *doc, json_t *sal, json_t *loc, json_t *c, const char *sid)
{
    json_t *old = json_object_get(home_of(sal, doc, loc, "phones"), "phones"), *list = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(c, "phones"), i, p)
    {
        const char *number = sv(p, "number");
        json_t *prev = find_by(old, "number", number, false), *o;
        if (prev) {
            o = json_deep_copy(prev);
        } else {
            char id[37];
            child_id(sid, "phone", number, id);
            o = json_pack("{s:s,s:s,s:s}", "id", id, "number", number, "type", "voice");
        }
        set_or_drop(o, "description", sv(p, "description"));
        json_array_append_new(list, o);
    }
    put_list(sal, doc, loc, "phones", list);
}

/* One schedule per distinct opening, its days in week order, then one per
 * closure. */
static json_t *schedules_of(json_t *c, const char *sid)
{
    json_t *list = json_array(), *days = json_object_get(c, "days"), *seen = json_object();
    for (int d = 0; d < LISTING_DAYS; d++) {
        size_t i;
        json_t *iv;
        json_array_foreach(json_object_get(days, listing_day_codes[d]), i, iv)
        {
            const char *o = json_string_value(json_array_get(iv, 0)), *cl = json_string_value(json_array_get(iv, 1));
            char key[16], id[37];
            snprintf(key, sizeof(key), "%s-%s", o, cl);
            json_t *s = json_object_get(seen, key);
            if (s) {
                buf b = BUF_INIT;
                buf_printf(&b, "%s,%s", sv(s, "byday"), listing_day_codes[d]);
                json_object_set_new(s, "byday", json_string(buf_cstr(&b)));
                buf_free(&b);
                continue;
            }
            child_id(sid, "schedule", key, id);
            s = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", id, "freq", "WEEKLY", "byday", listing_day_codes[d],
                          "opens_at", o, "closes_at", cl);
            json_object_set(seen, key, s);
            json_array_append_new(list, s);
        }
    }
    json_decref(seen);
    size_t i;
    json_t *cl;
    json_array_foreach(json_object_get(c, "closures"), i, cl)
    {
        char key[24], id[37];
        snprintf(key, sizeof(key), "%s/%s", sv(cl, "from"), sv(cl, "to"));
        child_id(sid, "closure", key, id);
        json_t *s = json_pack("{s:s,s:s,s:s}", "id", id, "valid_from", sv(cl, "from"), "valid_to", sv(cl, "to"));
        set_or_drop(s, "description", sv(cl, "note"));
        json_array_append_new(list, s);
    }
    return list;
}

/* A list of objects named by field key, one per text of texts, keeping
 * the old object with the same text. */
static void put_named(json_t *doc, const char *list_key, const char *key, json_t *texts, const char *sid,
                      bool nocase)
{
    json_t *old = json_object_get(doc, list_key), *list = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(texts, i, t)
    {
        json_t *prev = find_by(old, key, json_string_value(t), nocase);
        if (prev) {
            json_array_append_new(list, json_deep_copy(prev));
            continue;
        }
        char id[37];
        child_id(sid, list_key, json_string_value(t), id);
        json_array_append_new(list, json_pack("{s:s,s:O}", "id", id, key, t));
    }
    if (json_array_size(list))
        json_object_set_new(doc, list_key, list);
    else {
        json_object_del(doc, list_key);
        json_decref(list);
    }
}

static bool is_waypost_attribute(json_t *at)
{
    return !strcmp(sv(json_object_get(at, "taxonomy_term"), "taxonomy_id"), WAYPOST_TAXONOMY_ID);
}

/* Attributes of other taxonomies as they were, then the ticked Waypost
 * codes in the taxonomy's order. */
static void put_attributes(json_t *doc, json_t *c, const listing_ctx *ctx)
{
    json_t *old = json_object_get(doc, "attributes"), *list = json_array(), *ticked = json_object_get(c, "codes");
    size_t i;
    json_t *at;
    json_array_foreach(old, i, at) if (!is_waypost_attribute(at)) json_array_append(list, at);
    json_t *v;
    json_array_foreach(ctx->vocab->codes, i, v)
    {
        const char *code = sv(v, "code");
        bool on = false;
        size_t k;
        json_t *t;
        json_array_foreach(ticked, k, t) on = on || !strcmp(json_string_value(t), code);
        if (!on)
            continue;
        json_t *term = json_object_get(v, "term"), *prev = NULL;
        json_array_foreach(old, k, at) if (is_waypost_attribute(at) &&
                                           !strcmp(sv(json_object_get(at, "taxonomy_term"), "id"), sv(term, "id")))
            prev = at;
        char id[37];
        child_id(ctx->service_id, "attribute", sv(term, "id"), id);
        json_array_append_new(list, prev ? json_deep_copy(prev)
                                         : json_pack("{s:s,s:s,s:O}", "id", id, "link_type", sv(v, "link_type"),
                                                     "taxonomy_term", term));
    }
    if (json_array_size(list))
        json_object_set_new(doc, "attributes", list);
    else {
        json_object_del(doc, "attributes");
        json_decref(list);
    }
}

static void put_metadata(json_t *doc, const listing_ctx *ctx)
{
    char id[37];
    child_id(ctx->service_id, "metadata", "", id);
    json_t *m = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", id, "resource_id", ctx->service_id,
                          "resource_type", "service", "last_action_date", ctx->today ? ctx->today : "",
                          "last_action_type", "create", "field_name", "", "previous_value", "", "replacement_value",
                          "", "updated_by", ctx->source ? ctx->source : "Staff");
    json_object_set_new(doc, "metadata", json_pack("[o]", m));
}

json_t *listing_doc_build(json_t *c, json_t *old, const listing_ctx *ctx)
{
    json_t *doc = json_is_object(old) ? json_deep_copy(old) : json_object();
    const char *sid = ctx->service_id;
    json_object_set_new(doc, "id", json_string(sid));
    set_or_drop(doc, "name", sv(c, "name"));
    set_or_drop(doc, "description", sv(c, "description"));
    set_or_drop(doc, "status", sv(c, "status"));
    set_or_drop(doc, "url", sv(c, "url"));
    set_or_drop(doc, "email", sv(c, "email"));
    set_or_drop(doc, "eligibility_description", sv(c, "eligibility"));
    set_or_drop(doc, "assured_date", sv(c, "verified_on"));
    set_or_drop(doc, "assurer_email", sv(c, "verified_by"));
    put_organization(doc, c, sid);
    json_t *loc;
    json_t *sal = put_location(doc, c, sid, &loc);
    put_phones(doc, sal, loc, c, sid);
    put_list(sal, doc, loc, "schedules", schedules_of(c, sid));
    put_named(doc, "languages", "name", json_object_get(c, "languages"), sid, true); /* deduplicated */
    put_named(doc, "cost_options", "option", json_object_get(c, "costs"), sid, false);
    put_attributes(doc, c, ctx);
    if (!json_is_object(old))
        put_metadata(doc, ctx);
    return doc;
}

/* ---- a document back into the form ---- */

static void join_lines(json_t *form, const char *field, json_t *list, const char *key, const char *key2)
{
    buf b = BUF_INIT;
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        const char *v = key ? sv(o, key) : json_string_value(o);
        if (!v || !*v)
            continue;
        buf_printf(&b, "%s%s", b.len ? "\n" : "", v);
        if (key2 && *sv(o, key2))
            buf_printf(&b, ", %s", sv(o, key2));
    }
    json_object_set_new(form, field, json_string(buf_cstr(&b)));
    buf_free(&b);
}

/* "9:00:00" -> "9:00" (the form's checks read both "9:00" and "09:00"). */
static void hm_of(const char *s, char out[8])
{
    const char *colon = strchr(s, ':');
    const char *second = colon ? strchr(colon + 1, ':') : NULL;
    size_t n = second ? (size_t)(second - s) : strlen(s);
    if (n > 7)
        n = 7;
    memcpy(out, s, n);
    out[n] = '\0';
}

static void add_opening(buf *days, json_t *s)
{
    char o[8], c[8], text[24];
    hm_of(sv(s, "opens_at"), o);
    hm_of(sv(s, "closes_at"), c);
    bool all_day = !strcmp(o, "00:00") && (!strcmp(c, "23:59") || !strcmp(c, "00:00") || !strcmp(c, "24:00"));
    snprintf(text, sizeof(text), "%s", all_day ? "24 hours" : "");
    if (!all_day)
        snprintf(text, sizeof(text), "%s-%s", o, c);
    /* byday: "MO,TU" ("1MO"-style prefixes name the day by its last two letters) */
    const char *p = sv(s, "byday");
    while (*p) {
        size_t n = strcspn(p, ",");
        for (int d = 0; d < LISTING_DAYS && n >= 2; d++)
            if (tolower_ascii(p[n - 2]) == tolower_ascii(listing_day_codes[d][0]) &&
                tolower_ascii(p[n - 1]) == tolower_ascii(listing_day_codes[d][1]))
                buf_printf(&days[d], "%s%s", days[d].len ? ", " : "", text);
        p += n + (p[n] == ',');
    }
}

static void form_hours(json_t *form, json_t *sched)
{
    buf days[LISTING_DAYS], closures = BUF_INIT;
    for (int d = 0; d < LISTING_DAYS; d++)
        buf_init(&days[d], 1024);
    size_t i;
    json_t *s;
    json_array_foreach(sched, i, s)
    {
        bool times = *sv(s, "opens_at") || *sv(s, "closes_at");
        if (!times && *sv(s, "valid_from")) {
            buf_printf(&closures, "%s%s", closures.len ? "\n" : "", sv(s, "valid_from"));
            if (*sv(s, "valid_to") && strcmp(sv(s, "valid_to"), sv(s, "valid_from")))
                buf_printf(&closures, " to %s", sv(s, "valid_to"));
            if (*sv(s, "description"))
                buf_printf(&closures, ", %s", sv(s, "description"));
        } else if (times) {
            add_opening(days, s);
        }
    }
    for (int d = 0; d < LISTING_DAYS; d++) {
        json_object_set_new(form, listing_day_fields[d], json_string(buf_cstr(&days[d])));
        buf_free(&days[d]);
    }
    json_object_set_new(form, "closures", json_string(buf_cstr(&closures)));
    buf_free(&closures);
}

static void form_location(json_t *form, json_t *svc, json_t **sal_out, json_t **loc_out)
{
    json_t *sal = json_array_get(json_object_get(svc, "service_at_locations"), 0);
    json_t *loc = json_object_get(sal, "location");
    json_t *addr = json_array_get(json_object_get(loc, "addresses"), 0);
    jset(form, "address_1", sv(addr, "address_1"));
    jset(form, "address_2", sv(addr, "address_2"));
    jset(form, "city", sv(addr, "city"));
    jset(form, "state", sv(addr, "state_province"));
    jset(form, "postal_code", sv(addr, "postal_code"));
    json_t *lat = json_object_get(loc, "latitude"), *lon = json_object_get(loc, "longitude");
    char point[80] = "";
    if (json_is_number(lat) && json_is_number(lon)) {
        char a[32], b[32];
        hsds_number_text(json_number_value(lat), a, sizeof(a));
        hsds_number_text(json_number_value(lon), b, sizeof(b));
        snprintf(point, sizeof(point), "%s,%s", a, b);
    }
    jset(form, "point", point);
    *sal_out = sal;
    *loc_out = loc;
}

json_t *listing_doc_form(json_t *svc)
{
    json_t *form = json_object();
    jset(form, "name", sv(svc, "name"));
    jset(form, "description", sv(svc, "description"));
    jset(form, "status", *sv(svc, "status") ? sv(svc, "status") : "active");
    jset(form, "url", sv(svc, "url"));
    jset(form, "email", sv(svc, "email"));
    jset(form, "organization", sv(json_object_get(svc, "organization"), "name"));
    jset(form, "eligibility", sv(svc, "eligibility_description"));
    jset(form, "verified_on", sv(svc, "assured_date"));
    jset(form, "verified_by", sv(svc, "assurer_email"));
    json_t *sal, *loc;
    form_location(form, svc, &sal, &loc);
    join_lines(form, "phones", json_object_get(home_of(sal, svc, loc, "phones"), "phones"), "number", "description");
    form_hours(form, json_object_get(home_of(sal, svc, loc, "schedules"), "schedules"));
    buf langs = BUF_INIT;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(svc, "languages"), i, o) if (*sv(o, "name"))
        buf_printf(&langs, "%s%s", langs.len ? ", " : "", sv(o, "name"));
    jset(form, "languages", buf_cstr(&langs));
    buf_free(&langs);
    join_lines(form, "costs", json_object_get(svc, "cost_options"), "option", NULL);
    json_t *codes = json_array();
    json_array_foreach(json_object_get(svc, "attributes"), i, o) if (is_waypost_attribute(o))
        json_array_append_new(codes, json_string(sv(json_object_get(o, "taxonomy_term"), "code")));
    json_object_set_new(form, "codes", codes);
    return form;
}
