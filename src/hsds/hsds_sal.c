/* hsds_sal: HSDS service_at_location objects from stored listings. See
 * hsds_sal.h. */
#include "hsds/hsds_sal.h"

#include <math.h>
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
    json_t *o = hsds_sal_object(l, false, -1);
    char *t = json_object_get(o, "service") && json_object_get(o, "location")
                  ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII)
                  : NULL;
    json_decref(o);
    return t;
}
