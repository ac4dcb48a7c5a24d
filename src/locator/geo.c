/* geo: the in-memory geographic index (geo.h), its common part: the one
 * haversine distance that every path uses, the brute-force search the
 * index must agree with, and publication. The tree's layout and why its
 * answers are exact are described in geo_int.h; building it is in
 * geo_build.c, searching it in geo_query.c.
 *
 * Publication: one slot holding the current index, behind a mutex held only
 * to read or swap the pointer and take a reference; references are atomic
 * counts and the slot holds one of its own. */
#include "locator/geo_int.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

/* ------------------------------------------------------------------------
 * Distance
 * ------------------------------------------------------------------------ */

/* The one haversine every path uses (see geo_int.h): out of line, so that
 * every caller runs the same instructions and gets the same bits. */
__attribute__((noinline)) geo_prep geo_prep_of(double lat, double lon)
{
    return (geo_prep){sin(lat * (0.5 * GEO_DEG)), sin(lon * (0.5 * GEO_DEG))};
}

__attribute__((noinline)) geo_full geo_full_of(const geo_prep *p)
{
    geo_full f;
    f.sp = p->sp;
    f.sl = p->sl;
    f.cp = sqrt(1.0 - p->sp * p->sp);
    f.cl = sqrt(1.0 - p->sl * p->sl);
    f.cos_lat = (f.cp - f.sp) * (f.cp + f.sp);
    return f;
}

/* Haversine: hav(d/R) = sin^2(dlat/2) + cos(lat1) cos(lat2) sin^2(dlon/2),
 * with sin(dlat/2) and sin(dlon/2) from the angle difference identity and
 * cos(lat) = cos^2(lat/2) - sin^2(lat/2), so that no trigonometric call is
 * left per point but the asin. a is the query, b the point. */
__attribute__((noinline)) double geo_dist_exact(const geo_full *a, const geo_prep *b)
{
    double bcp = sqrt(1.0 - b->sp * b->sp), bcl = sqrt(1.0 - b->sl * b->sl);
    double s1 = b->sp * a->cp - bcp * a->sp;
    double s2 = b->sl * a->cl - bcl * a->sl;
    double cb = (bcp - b->sp) * (bcp + b->sp);
    double h = s1 * s1 + (a->cos_lat * cb) * (s2 * s2);
    if (h > 1.0)
        h = 1.0;
    return (2.0 * GEO_EARTH_RADIUS_KM) * asin(sqrt(h));
}

double geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    geo_prep a = geo_prep_of(lat1, lon1), b = geo_prep_of(lat2, lon2);
    geo_full fa = geo_full_of(&a);
    return geo_dist_exact(&fa, &b);
}

/* Inserts h into the sorted out[0..*count) keeping at most k entries. */
static void hit_insert(geo_hit *out, size_t *count, size_t k, geo_hit h)
{
    size_t c = *count;
    if (c == k) {
        if (!hit_less(&h, &out[k - 1]))
            return;
        c--;
    }
    size_t i = c;
    while (i > 0 && hit_less(&h, &out[i - 1])) {
        out[i] = out[i - 1];
        i--;
    }
    out[i] = h;
    *count = c + 1;
}

/* ------------------------------------------------------------------------
 * Brute force
 * ------------------------------------------------------------------------ */

size_t geo_nearest_brute(const geo_point *pts, size_t n, double lat, double lon, double radius_km,
                         uint64_t need, geo_hit *out, size_t k)
{
    if (k == 0 || !coord_valid(lat, lon) || !(radius_km >= 0.0))
        return 0;
    geo_prep qp = geo_prep_of(lat, lon);
    geo_full q = geo_full_of(&qp);
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const geo_point *p = &pts[i];
        if ((p->bits & need) != need || !coord_valid(p->lat, p->lon))
            continue;
        geo_prep pp = geo_prep_of(p->lat, p->lon);
        double d = geo_dist_exact(&q, &pp);
        if (!(d <= radius_km))
            continue;
        hit_insert(out, &count, k, (geo_hit){p->id, d});
    }
    return count;
}

/* ------------------------------------------------------------------------
 * Publication
 * ------------------------------------------------------------------------ */

static pthread_mutex_t pub_lock = PTHREAD_MUTEX_INITIALIZER;
static geo_index *pub_current;      /* holds one reference of its own */

void geo_publish(geo_index *g)
{
    if (g)
        atomic_store_explicit(&g->refs, 1, memory_order_relaxed);
    pthread_mutex_lock(&pub_lock);
    geo_index *old = pub_current;
    pub_current = g;
    pthread_mutex_unlock(&pub_lock);
    geo_release(old);
}

geo_index *geo_acquire(void)
{
    pthread_mutex_lock(&pub_lock);
    geo_index *g = pub_current;
    if (g)
        atomic_fetch_add_explicit(&g->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&pub_lock);
    return g;
}

void geo_release(geo_index *g)
{
    if (g && atomic_fetch_sub_explicit(&g->refs, 1, memory_order_acq_rel) == 1)
        geo_free(g);
}
