/* hsds_convert_record: one flat record (a FindTreatment.gov row or a
 * spreadsheet row) into one HSDS 3.0 service, in the shape and with the ids
 * of Builder.service in tools/convert_directories.py: the service, its
 * service_at_location with location, address and phone, languages, the
 * organization, attributes for Waypost terms and raw SAMHSA codes, and a
 * metadata record naming the source. Rows for the same facility merge. */
#include "core/util.h"
#include "core/uuid.h"
#include "hsds/hsds_convert_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The normalised keys of one record and the ids made from them. */
typedef struct rec_ids {
    char *key, *lockey, *orgkey;
    char zip[6];
    char sid[37], oid[37], lid[37], aid[37], salid[37], mid[37];
} rec_ids;

static void ids_make(conv *c, const rec *r, rec_ids *d)
{
    conv_zip5(r->zip, d->zip);
    d->key = conv_norm_key(5, r->name, r->street1, r->city, r->state, d->zip);
    d->lockey = conv_norm_key(5, r->street1, r->street2, r->city, r->state, d->zip);
    d->orgkey = conv_norm_key(2, r->org && *r->org ? r->org : r->name, r->state);
    conv_uid(c->ns, d->sid, 2, "service", d->key);
    conv_uid(c->ns, d->oid, 2, "organization", d->orgkey);
    conv_uid(c->ns, d->lid, 2, "location", d->lockey);
    conv_uid(c->ns, d->aid, 2, "address", d->lockey);
    conv_uid(c->ns, d->salid, 3, "service_at_location", d->key, d->lid);
    conv_uid(c->ns, d->mid, 2, "metadata", d->key);
}

static void ids_free(rec_ids *d)
{
    free(d->key);
    free(d->lockey);
    free(d->orgkey);
}

static int code_order(conv *c, const char *code)
{
    return (int)json_integer_value(json_object_get(c->tax.order, code));
}

/* The Waypost codes in taxonomy order (an insertion sort: a few codes). */
static void sort_codes(conv *c, rec *r)
{
    for (int i = 1; i < r->ncodes; i++)
        for (int k = i; k > 0 && code_order(c, r->codes[k - 1]) > code_order(c, r->codes[k]); k--) {
            const char *t = r->codes[k];
            r->codes[k] = r->codes[k - 1];
            r->codes[k - 1] = t;
        }
}

static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, json_string(v ? v : ""));
}

/* "<description> Listed by <source>, as of <date>. Service codes: A B.
 * Call ahead to confirm." */
static void set_description(json_t *s, conv *c, const rec *r)
{
    buf d = BUF_INIT;
    if (r->desc && *r->desc)
        buf_printf(&d, "%s ", r->desc);
    buf_printf(&d, "Listed by %s, as of %s.", c->source, c->as_of);
    if (r->nraw) {
        buf_puts(&d, " Service codes:");
        for (int i = 0; i < r->nraw; i++)
            buf_printf(&d, " %s", r->raw[i]);
        buf_puts(&d, ".");
    }
    buf_puts(&d, " Call ahead to confirm.");
    set_str(s, "description", buf_cstr(&d));
    buf_free(&d);
}

/* The service's own fields, before anything nested. */
static json_t *service_base(conv *c, const rec *r, const rec_ids *d)
{
    json_t *s = json_object();
    set_str(s, "id", d->sid);
    set_str(s, "organization_id", d->oid);
    set_str(s, "name", r->name);
    if (r->alt && *r->alt)
        set_str(s, "alternate_name", r->alt);
    set_description(s, c, r);
    if (r->url && conv_is_http_url(r->url))
        set_str(s, "url", r->url);
    set_str(s, "status", "active");
    return s;
}

/* The main phone number under sal, when the record has one. */
static void add_phone(json_t *sal, conv *c, const rec *r, const rec_ids *d)
{
    char *phone = conv_phone(r->phone);
    if (*phone) {
        char pid[37];
        conv_uid(c->ns, pid, 5, "phone", d->key, phone, "", "Main number");
        json_t *p = json_object();
        set_str(p, "id", pid);
        set_str(p, "number", phone);
        set_str(p, "type", "voice");
        set_str(p, "description", "Main number");
        json_object_set_new(sal, "phones", json_pack("[o]", p));
    }
    free(phone);
}

/* The physical location with its one address (and its point, if known). */
static json_t *location_of(const rec *r, const rec_ids *d)
{
    json_t *addr = json_object();
    set_str(addr, "id", d->aid);
    set_str(addr, "address_1", r->street1);
    if (r->street2 && *r->street2)
        set_str(addr, "address_2", r->street2);
    set_str(addr, "city", r->city);
    set_str(addr, "state_province", r->state);
    set_str(addr, "postal_code", d->zip);
    set_str(addr, "country", "US");
    set_str(addr, "address_type", "physical");
    json_t *loc = json_object();
    set_str(loc, "id", d->lid);
    set_str(loc, "location_type", "physical");
    if (r->has_coords) {
        json_object_set_new(loc, "latitude", json_real(r->lat));
        json_object_set_new(loc, "longitude", json_real(r->lon));
    }
    json_object_set_new(loc, "addresses", json_pack("[o]", addr));
    return loc;
}

/* "HH:MM"; a closing at midnight is written 23:59, which the finder reads
 * as the end of the day. */
static void clock_text(int minutes, char out[8])
{
    unsigned m = minutes < 0 ? 0u : minutes >= 1440 ? 1439u : (unsigned)minutes;
    snprintf(out, 8, "%02u:%02u", m / 60 % 24, m % 60);
}

/* One weekly HSDS schedule per distinct time range, on every day it
 * applies to (opening hours from the record's hours column). */
static void add_schedules(json_t *sal, conv *c, const rec *r, const rec_ids *d)
{
    const oh_week *w = r->hours;
    json_t *list = json_array();
    for (int day = 0; w && day < 7; day++)
        for (int i = 0; i < w->nspans[day]; i++) {
            int o = w->span[day][i].opens, cl = w->span[day][i].closes;
            bool seen = false;
            for (int e = 0; e < day && !seen; e++)
                for (int k = 0; k < w->nspans[e]; k++)
                    seen = seen || (w->span[e][k].opens == o && w->span[e][k].closes == cl);
            if (seen)
                continue;
            char byday[24] = "", opens[8], closes[8], id[37];
            for (int e = day; e < 7; e++)
                for (int k = 0; k < w->nspans[e]; k++)
                    if (w->span[e][k].opens == o && w->span[e][k].closes == cl) {
                        size_t n = strlen(byday);
                        snprintf(byday + n, sizeof byday - n, "%s%s", n ? "," : "", oh_byday(e));
                        break;
                    }
            clock_text(o, opens);
            clock_text(cl, closes);
            conv_uid(c->ns, id, 5, "schedule", d->key, byday, opens, closes);
            json_t *sc = json_object();
            set_str(sc, "id", id);
            set_str(sc, "freq", "WEEKLY");
            set_str(sc, "byday", byday);
            set_str(sc, "opens_at", opens);
            set_str(sc, "closes_at", closes);
            json_array_append_new(list, sc);
        }
    if (json_array_size(list))
        json_object_set_new(sal, "schedules", list);
    else
        json_decref(list);
}

static void add_service_at_location(json_t *s, conv *c, const rec *r, const rec_ids *d)
{
    json_t *sal = json_object();
    set_str(sal, "id", d->salid);
    add_phone(sal, c, r, d);
    add_schedules(sal, c, r, d);
    json_object_set_new(sal, "location", location_of(r, d));
    json_object_set_new(s, "service_at_locations", json_pack("[o]", sal));
}

/* A language record for each SAMHSA language code. */
static void add_languages(json_t *s, conv *c, const rec *r, const rec_ids *d)
{
    json_t *langs = json_array();
    for (int i = 0; i < r->nraw; i++) {
        const char *name, *iso;
        if (!conv_samhsa_language(&c->sam, r->raw[i], &name, &iso))
            continue;
        char lgid[37], note[64];
        conv_uid(c->ns, lgid, 3, "language", d->key, name);
        snprintf(note, sizeof(note), "SAMHSA locator code %s", r->raw[i]);
        json_t *l = json_object();
        set_str(l, "id", lgid);
        set_str(l, "name", name);
        if (*iso)
            set_str(l, "code", iso);
        set_str(l, "note", note);
        json_array_append_new(langs, l);
    }
    if (json_array_size(langs))
        json_object_set_new(s, "languages", langs);
    else
        json_decref(langs);
}

static void add_organization(json_t *s, conv *c, const rec *r, const rec_ids *d)
{
    json_t *org = json_object();
    set_str(org, "id", d->oid);
    set_str(org, "name", r->org && *r->org ? r->org : r->name);
    char odesc[300];
    snprintf(odesc, sizeof(odesc), "Named as a provider by %s, as of %s.", c->source, c->as_of);
    set_str(org, "description", odesc);
    json_object_set_new(s, "organization", org);
}

/* A raw SAMHSA code as a term of the "SAMHSA service codes" taxonomy,
 * named by its meaning when Waypost knows it, else by the code. */
static json_t *samhsa_term(conv *c, const char *code)
{
    const char *meaning = conv_samhsa_meaning(&c->sam, code), *lang, *iso;
    char id[37], desc[160];
    uuid5(c->samhsa_tax, code, strlen(code), id);
    snprintf(desc, sizeof(desc), "SAMHSA locator code %s", code);
    buf name = BUF_INIT;
    if (meaning)
        buf_puts(&name, meaning);
    else if (conv_samhsa_language(&c->sam, code, &lang, &iso))
        buf_printf(&name, "Language services: %s", lang);
    else
        buf_puts(&name, code);
    json_t *t = json_object();
    json_object_set_new(t, "id", json_string(id));
    json_object_set_new(t, "code", json_string(code));
    json_object_set_new(t, "name", json_string(buf_cstr(&name)));
    json_object_set_new(t, "description", json_string(desc));
    json_object_set_new(t, "taxonomy", json_string(c->sam.taxonomy_name));
    json_object_set_new(t, "taxonomy_id", json_string(c->samhsa_tax_id));
    buf_free(&name);
    return t;
}

/* An attribute linking the service (key) to term. */
static json_t *attribute(conv *c, const rec_ids *d, const char *link_type, json_t *term)
{
    char atid[37];
    conv_uid(c->ns, atid, 3, "attribute", d->key, json_string_value(json_object_get(term, "id")));
    json_t *a = json_object();
    set_str(a, "id", atid);
    set_str(a, "link_type", link_type);
    json_object_set(a, "taxonomy_term", term);
    return a;
}

/* Waypost terms first (taxonomy order), then every raw SAMHSA code. */
static void add_attributes(json_t *s, conv *c, const rec *r, const rec_ids *d)
{
    json_t *attrs = json_array();
    for (int i = 0; i < r->ncodes; i++) {
        json_t *term = json_object_get(c->tax.terms, r->codes[i]);
        const char *lt = json_string_value(json_object_get(c->tax.links, r->codes[i]));
        json_array_append_new(attrs, attribute(c, d, lt, term));
    }
    for (int i = 0; i < r->nraw; i++) {
        json_t *term = samhsa_term(c, r->raw[i]);
        json_array_append_new(attrs, attribute(c, d, "samhsa_code", term));
        json_decref(term);
    }
    if (json_array_size(attrs))
        json_object_set_new(s, "attributes", attrs);
    else
        json_decref(attrs);
}

static void add_metadata(json_t *s, conv *c, const rec_ids *d)
{
    json_t *m = json_object();
    set_str(m, "id", d->mid);
    set_str(m, "resource_id", d->sid);
    set_str(m, "resource_type", "service");
    set_str(m, "last_action_date", c->as_of);
    set_str(m, "last_action_type", "create");
    set_str(m, "field_name", "");
    set_str(m, "previous_value", "");
    set_str(m, "replacement_value", "");
    set_str(m, "updated_by", c->source);
    json_object_set_new(s, "metadata", json_pack("[o]", m));
}

/* Appends the items of from[key] whose id is not in into[key] yet. */
static void merge_list(json_t *into, json_t *from, const char *key)
{
    json_t *dst = json_object_get(into, key), *src = json_object_get(from, key);
    if (!json_array_size(src))
        return;
    if (!dst) {
        json_object_set(into, key, src);
        return;
    }
    size_t i, k;
    json_t *a, *b;
    json_array_foreach(src, i, a)
    {
        bool have = false;
        json_array_foreach(dst, k, b) have = have || json_equal(json_object_get(a, "id"), json_object_get(b, "id"));
        if (!have)
            json_array_append(dst, a);
    }
}

/* Adds s (taking it over), or, when rows for the same facility (same name
 * and address) came before, merges its codes and languages into theirs. */
static bool add_or_merge(conv *c, json_t *s, const char *sid, char *err, size_t errlen)
{
    json_t *prev = json_object_get(c->by_id, sid);
    if (prev) {
        merge_list(prev, s, "attributes");
        merge_list(prev, s, "languages");
        json_decref(s);
        return true;
    }
    if (json_array_size(c->services) >= (size_t)CONVERT_MAX_ROWS) {
        json_decref(s);
        conv_fail(err, errlen, "too many rows (at most %ld)", CONVERT_MAX_ROWS);
        return false;
    }
    json_object_set(c->by_id, sid, s);
    json_array_append_new(c->services, s);
    return true;
}

bool conv_emit(conv *c, rec *r, char *err, size_t errlen)
{
    rec_ids d = {0};
    ids_make(c, r, &d);
    sort_codes(c, r);
    json_t *s = service_base(c, r, &d);
    add_service_at_location(s, c, r, &d);
    add_languages(s, c, r, &d);
    add_organization(s, c, r, &d);
    add_attributes(s, c, r, &d);
    add_metadata(s, c, &d);
    ids_free(&d);
    return add_or_merge(c, s, d.sid, err, errlen);
}
