/* hsds_sal: HSDS service_at_location objects from stored listings. See
 * hsds_sal.h. */
#include "hsds/hsds_sal.h"

#include "core/buf.h"
#include "core/json_canon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *hsds_sal_service_brief(json_t *svc)
{
    json_t *o = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(svc, k, v)
        if (!json_is_array(v))
            json_object_set(o, k, v);
    return o;
}

/* The service_at_location object inside the service's JSON. */
static json_t *sal_in(json_t *svc, const char *sal_id)
{
    size_t i;
    json_t *sal;
    json_array_foreach(json_object_get(svc, "service_at_locations"), i, sal)
    {
        const char *id = json_string_value(json_object_get(sal, "id"));
        if (id && !strcmp(id, sal_id))
            return sal;
    }
    return NULL;
}

json_t *hsds_sal_object(const hsds_listing *l, bool full, double km)
{
    json_error_t je;
    json_t *svc = json_loads(l->service_raw, 0, &je), *loc = json_loads(l->location_raw, 0, &je);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(l->sal_id));
    json_object_set_new(o, "service_id", json_string(l->service_id));
    json_object_set_new(o, "location_id", json_string(l->location_id));
    json_t *link = svc ? sal_in(svc, l->sal_id) : NULL;
    const char *k;
    json_t *v;
    json_object_foreach(link, k, v)
    {
        if (!strcmp(k, "location") || json_object_get(o, k))
            continue;
        if (full || !json_is_array(v))
            json_object_set(o, k, v);
    }
    if (km >= 0)
        json_object_set_new(o, "distance", json_integer((json_int_t)llround(km * 1000.0)));
    if (loc)
        json_object_set_new(o, "location", loc);
    if (svc) {
        if (full) {
            json_object_del(svc, "service_at_locations");
            json_object_set(o, "service", svc);
        } else {
            json_object_set_new(o, "service", hsds_sal_service_brief(svc));
        }
        json_decref(svc);
    }
    return o;
}

char *hsds_sal_brief_text(const hsds_listing *l)
{
    json_error_t je;
    json_t *svc = json_loads(l->service_raw, 0, &je), *loc = json_loads(l->location_raw, 0, &je);
    char *t = svc && loc ? hsds_sal_brief_of(svc, sal_in(svc, l->sal_id), l->sal_id, l->service_id, l->location_id, loc)
                         : NULL;
    json_decref(svc);
    json_decref(loc);
    return t;
}

/* v as the stored text writes it: compact, ASCII, keys sorted. */
static bool put_json(buf *b, json_t *v)
{
    return json_canon_append(b, v);
}

/* ,"key":value (a key is escaped as a string is). */
static bool put_member(buf *b, const char *key, json_t *v)
{
    json_t *k = json_string(key);
    bool ok = k && buf_putc(b, ',') && put_json(b, k) && buf_putc(b, ':') && put_json(b, v);
    json_decref(k);
    return ok;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The link's own one-to-one fields, in key order, as hsds_sal_object
 * copies them after id, service_id and location_id. */
static bool put_link_fields(buf *b, json_t *sal)
{
    if (!sal)
        return true;
    size_t n = json_object_size(sal), k = 0;
    const char **keys = malloc((n ? n : 1) * sizeof(*keys));
    if (!keys)
        return false;
    const char *key;
    json_t *v;
    json_object_foreach(sal, key, v)
        keys[k++] = key;
    qsort(keys, k, sizeof(*keys), key_cmp);
    bool ok = true;
    for (size_t i = 0; ok && i < k; i++) {
        v = json_object_get(sal, keys[i]);
        if (strcmp(keys[i], "location") && strcmp(keys[i], "id") && strcmp(keys[i], "service_id") &&
            strcmp(keys[i], "location_id") && !json_is_array(v))
            ok = put_member(b, keys[i], v);
    }
    free(keys);
    return ok;
}

char *hsds_sal_brief_of(json_t *svc, json_t *link, const char *sal_id, const char *service_id, const char *location_id,
                        json_t *loc)
{
    buf b = BUF_INIT;
    json_t *id = json_string(sal_id), *sid = json_string(service_id), *lid = json_string(location_id);
    json_t *brief = hsds_sal_service_brief(svc);
    bool ok = id && sid && lid && brief && buf_puts(&b, "{\"id\":") && put_json(&b, id) && put_member(&b, "service_id", sid) &&
              put_member(&b, "location_id", lid) && put_link_fields(&b, link) && put_member(&b, "location", loc) &&
              put_member(&b, "service", brief) && buf_putc(&b, '}');
    json_decref(id);
    json_decref(sid);
    json_decref(lid);
    json_decref(brief);
    char *t = ok ? buf_detach(&b, NULL) : NULL;
    buf_free(&b);
    return t;
}

/* The value of the member named key when it is a JSON string without a
 * NUL (as a C string would hold it), else false. */
static bool id_span(const json_member *m, int n, const char *key, json_span *v)
{
    return json_span_member(m, n, key, v) && v->n >= 2 && v->p[0] == '"' && !memmem(v->p, v->n, "\\u0000", 6);
}

static bool put_span(buf *b, json_span s)
{
    return buf_append(b, s.p, s.n);
}

/* ,KEY:VALUE for the link's one-to-one fields (put_link_fields). */
static bool put_link_spans(buf *b, const json_member *link, int nlink)
{
    bool ok = true;
    for (int i = 0; ok && i < nlink; i++) {
        const json_member *m = &link[i];
        if (json_span_key_is(m, "location") || json_span_key_is(m, "id") || json_span_key_is(m, "service_id") ||
            json_span_key_is(m, "location_id") || m->value.p[0] == '[')
            continue;
        ok = buf_putc(b, ',') && put_span(b, m->key) && buf_putc(b, ':') && put_span(b, m->value);
    }
    return ok;
}

/* The service's one-to-one fields as an object (hsds_sal_service_brief). */
static bool put_service_spans(buf *b, const json_member *svc, int nsvc)
{
    bool ok = buf_putc(b, '{'), first = true;
    for (int i = 0; ok && i < nsvc; i++) {
        if (svc[i].value.p[0] == '[')
            continue;
        ok = (first || buf_putc(b, ',')) && put_span(b, svc[i].key) && buf_putc(b, ':') && put_span(b, svc[i].value);
        first = false;
    }
    return ok && buf_putc(b, '}');
}

char *hsds_sal_brief_of_text(const json_member *svc, int nsvc, const json_member *link, int nlink, json_span loc)
{
    json_member lm[128];
    int nloc = json_span_members(loc, lm, 128);
    json_span sal_id, service_id, location_id;
    if (nloc < 0 || !id_span(link, nlink, "id", &sal_id) || !id_span(svc, nsvc, "id", &service_id) ||
        !id_span(lm, nloc, "id", &location_id))
        return NULL;
    buf b = BUF_INIT;
    bool ok = buf_puts(&b, "{\"id\":") && put_span(&b, sal_id) && buf_puts(&b, ",\"service_id\":") &&
              put_span(&b, service_id) && buf_puts(&b, ",\"location_id\":") && put_span(&b, location_id) &&
              put_link_spans(&b, link, nlink) && buf_puts(&b, ",\"location\":") && put_span(&b, loc) &&
              buf_puts(&b, ",\"service\":") && put_service_spans(&b, svc, nsvc) && buf_putc(&b, '}');
    char *t = ok ? buf_detach(&b, NULL) : NULL;
    buf_free(&b);
    return t;
}
