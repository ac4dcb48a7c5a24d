/* hsds_fields: a service record's members copied out for its import (see
 * hsds_fields.h). */
#include "hsds/hsds_fields.h"
#include "core/json_canon.h"
#include "core/json_span.h"

#include <stdlib.h>
#include <string.h>

/* A copy of o's member key when it is a string, else NULL. */
static const char *str_in(arena *a, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? arena_strndup(a, json_string_value(v), json_string_length(v)) : NULL;
}

static hsds_coord coord_of(json_t *loc, const char *key, double *out)
{
    json_t *v = json_object_get(loc, key);
    if (!v)
        return HSDS_COORD_ABSENT;
    if (json_is_null(v))
        return HSDS_COORD_NULL;
    if (!json_is_number(v))
        return HSDS_COORD_OTHER;
    *out = json_number_value(v);
    return HSDS_COORD_NUMBER;
}

/* The term as stored: its null members left out, then written out. */
static const char *term_text(arena *a, json_t *t)
{
    json_t *clean = json_copy(t);
    const char *key;
    void *tmp;
    json_t *v;
    json_object_foreach_safe(clean, tmp, key, v)
    {
        if (json_is_null(v))
            json_object_del(clean, key);
    }
    char *text = clean ? json_canon(clean) : NULL;
    json_decref(clean);
    const char *kept = text ? arena_strdup(a, text) : NULL;
    free(text);
    return kept;
}

/* The term's stored text read out of the service's dump (text, its span
 * there): the same bytes unless a member is null (then NULL). */
static const char *term_text_in(arena *a, json_span text)
{
    json_member m[64];
    int n = json_span_members(text, m, 64);
    if (n < 0)
        return NULL;
    for (int i = 0; i < n; i++)
        if (m[i].value.n == 4 && !memcmp(m[i].value.p, "null", 4))
            return NULL;
    return arena_strndup(a, text.p, text.n);
}

/* Term t's members, with text its stored text. */
static void term_of(hsds_term_fields *f, arena *a, json_t *t, const char *text)
{
    *f = (hsds_term_fields){str_in(a, t, "id"),       str_in(a, t, "name"),        str_in(a, t, "code"),
                            str_in(a, t, "taxonomy"), str_in(a, t, "taxonomy_id"), str_in(a, t, "parent_id"),
                            text};
}

void hsds_term_fields_of(hsds_term_fields *f, arena *a, json_t *t)
{
    term_of(f, a, t, json_is_object(t) ? term_text(a, t) : NULL);
}

/* An attribute; el is its text in the service's dump, or NULL. */
static void attr_of(hsds_attr_fields *f, arena *a, json_t *at, const json_span *el)
{
    json_t *t = json_object_get(at, "taxonomy_term");
    f->term_id = str_in(a, at, "taxonomy_term_id");
    if (!json_is_object(t))
        return;
    f->has_term = true;
    json_span text;
    const char *ready = el && json_span_get(*el, "taxonomy_term", &text) ? term_text_in(a, text) : NULL;
    term_of(&f->term, a, t, ready ? ready : term_text(a, t));
}

#define MAX_ATTRS 64 /* the most attributes read out of the dump (the rest are written out again) */

/* The attributes, their terms' texts read out of the service's dump
 * (raw; NULL: none) where it can be. */
static void attrs_of(hsds_fields *f, arena *a, json_t *attrs, const json_member *top, int ntop)
{
    json_span list, el[MAX_ATTRS];
    bool spans = top && json_span_member(top, ntop, "attributes", &list) &&
                 json_span_elements(list, el, MAX_ATTRS) == (int)f->nattrs;
    for (size_t i = 0; i < f->nattrs; i++)
        attr_of(&f->attrs[i], a, json_array_get(attrs, i), spans ? &el[i] : NULL);
}

static void sal_of(hsds_sal_fields *f, arena *a, json_t *sal)
{
    json_t *loc = json_object_get(sal, "location");
    f->id = str_in(a, sal, "id");
    f->location_id = str_in(a, sal, "location_id");
    if (!json_is_object(loc))
        return;
    f->location = loc;
    f->loc_id = str_in(a, loc, "id");
    f->loc_name = str_in(a, loc, "name");
    f->postal = str_in(a, json_array_get(json_object_get(loc, "addresses"), 0), "postal_code");
    f->lat_kind = coord_of(loc, "latitude", &f->lat);
    f->lon_kind = coord_of(loc, "longitude", &f->lon);
}

/* The first metadata entry that says both who and when. */
static void source_of(hsds_fields *f, arena *a, json_t *svc)
{
    f->source = f->source_date = "";
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(svc, "metadata"), i, m)
    {
        if (json_is_string(json_object_get(m, "updated_by")) && json_is_string(json_object_get(m, "last_action_date"))) {
            f->source = str_in(a, m, "updated_by");
            f->source_date = str_in(a, m, "last_action_date");
            return;
        }
    }
}

/* A list member: its length, whether it is there but not a list, and
 * whether it is too long to read (then 0). */
static size_t list_of(json_t *svc, const char *key, bool *not_list, bool *too_long)
{
    json_t *v = json_object_get(svc, key);
    *not_list = v && !json_is_array(v);
    *too_long = json_array_size(v) > HSDS_FIELDS_MAX_LIST;
    return *too_long ? 0 : json_array_size(v);
}

void hsds_fields_of(hsds_fields *f, arena *a, json_t *svc, const json_member *top, int ntop)
{
    memset(f, 0, sizeof(*f));
    f->id = str_in(a, svc, "id");
    f->name = str_in(a, svc, "name");
    f->status = str_in(a, svc, "status");
    f->alternate_name = str_in(a, svc, "alternate_name");
    f->description = str_in(a, svc, "description");
    json_t *org = json_object_get(svc, "organization");
    f->organization_id = str_in(a, svc, "organization_id");
    if (json_is_object(org)) {
        f->org = org;
        f->org_id = str_in(a, org, "id");
        f->org_name = str_in(a, org, "name");
    }
    source_of(f, a, svc);
    f->nsals = list_of(svc, "service_at_locations", &f->sals_not_list, &f->sals_too_long);
    f->nattrs = list_of(svc, "attributes", &f->attrs_not_list, &f->attrs_too_long);
    json_t *sals = json_object_get(svc, "service_at_locations"), *attrs = json_object_get(svc, "attributes");
    if (f->nsals)
        f->sals = arena_alloc(a, f->nsals * sizeof(*f->sals));
    if (f->nattrs)
        f->attrs = arena_alloc(a, f->nattrs * sizeof(*f->attrs));
    for (size_t i = 0; i < f->nsals; i++)
        sal_of(&f->sals[i], a, json_array_get(sals, i));
    attrs_of(f, a, attrs, top, ntop);
}
