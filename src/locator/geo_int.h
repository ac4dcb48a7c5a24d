/* geo_int: the layout of the in-memory geographic index (geo.h), shared by
 * its three files and private to them:
 *   geo.c        the one haversine, the brute force, publication
 *   geo_build.c  points -> tree (geo_build, geo_free, geo_bytes)
 *   geo_query.c  the k nearest with bit filters (geo_nearest)
 *
 * Layout. Valid points are turned into unit vectors on the sphere (so the
 * antimeridian and the poles need no special cases) and put in a static
 * k-d tree with a fan-out of four: every internal node is two median splits
 * (on the axis of largest extent, by nth_element-style selection), so the
 * points below any node are one contiguous range of the point array and a
 * node covering [lo, hi) has the children [lo, m1), [m1, m), [m, m2) and
 * [m2, hi) with m = lo + (hi - lo) / 2, m1 = lo + (m - lo) / 2 and
 * m2 = m + (hi - m) / 2. The tree is complete and implicit: node i has
 * children 4i+1 to 4i+4, the internal nodes come first and the leaves are
 * all at the same depth, each holding at most GEO_LEAF points.
 *
 * An internal node holds its four children's bounding boxes (float, laid
 * out so that the four distances are computed at once with 4-wide vector
 * arithmetic) and the OR of the bits below each child: 128 bytes on a
 * 128-byte boundary, one memory round trip, and it tells the search which
 * children are too far away or have no point with every needed bit. A leaf
 * is a fixed number of "quads" of four points (x[4], y[4], z[4] and the low
 * 32 bits of each point's bits: one 64-byte cache line), padded with points
 * far off the sphere, so a leaf is scanned four points at a time. Per point
 * there are also cold arrays (the sines of half its latitude and half its
 * longitude in double, its id, its high 32 bits) read only for the final
 * candidates, and for the high bits when a query needs them: about 44
 * bytes per point in all. The search is depth first, nearest child first,
 * and starts loading a node or a leaf as soon as it decides to visit it;
 * large arrays ask for transparent huge pages. A search is limited by
 * memory latency more than by arithmetic, hence the cache-line layout.
 *
 * Exactness. The search works on squared chord lengths in float, which are
 * monotonic in great-circle distance but carry a rounding error far below
 * GEO_SLACK (on the unit sphere). Every bound is widened by that slack: the
 * search keeps every point whose float chord is within the radius plus the
 * slack and within the k-th best float chord plus twice the slack, then
 * computes the exact haversine distance for those candidates with the very
 * function geo_nearest_brute and geo_distance_km use (geo_dist_exact), keeps
 * the ones with distance <= radius_km and orders them by (distance, id). So
 * both give the same ids, order and km, bit for bit. */
#ifndef WP_GEO_INT_H
#define WP_GEO_INT_H

#include "locator/geo.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#ifndef GEO_LEAF
#define GEO_LEAF 16                 /* at most this many points per leaf */
#endif
#ifndef GEO_AHEAD
#define GEO_AHEAD 2                 /* nearest children whose leaves are fetched early */
#endif
#define GEO_SLACK 2e-6              /* float chord error allowance, unit sphere (~13 m) */
#define GEO_FAR 4.0f                /* padding coordinate: chord^2 >= 9, beyond any bound */
#define GEO_DEG (3.14159265358979323846 / 180.0)
#define GEO_HALF_PI 1.57079632679489661923
#define GEO_STACK 96                /* traversal stack: 3 per level and 4 more */
#define GEO_MAX_POINTS (UINT32_MAX / 8u)
#define GEO_HUGE ((size_t)2 << 20)  /* huge page size */

typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
typedef uint32_t v4u __attribute__((vector_size(16)));

/* What the exact distance keeps about a point: the sines of half its
 * latitude and half its longitude (the cosines follow, as both halves lie
 * within +-90 degrees). */
typedef struct geo_prep {
    double sp, sl;
} geo_prep;

/* ... and works out for the query point once. */
typedef struct geo_full {
    double sp, cp, sl, cl, cos_lat;
} geo_full;

/* Four points of a leaf: one cache line. */
typedef struct geo_quad {
    v4f x, y, z;                    /* unit vectors */
    v4u bits;                       /* the low 32 bits */
} geo_quad;

_Static_assert(sizeof(geo_quad) == 64, "a quad is one cache line");

/* An internal node: its four children's boxes and bits. */
typedef struct geo_node {
    v4f lo[3], hi[3];               /* lo[axis][child] */
    uint64_t bits[4];               /* OR of the bits of every point below */
} geo_node;

_Static_assert(sizeof(geo_node) == 128, "a node is two cache lines");

/* A box and bits while building. */
typedef struct geo_box {
    float lo[3], hi[3];
    uint64_t bits;
} geo_box;

struct geo_index {
    size_t n;                       /* valid points */
    size_t ninner;                  /* internal nodes = id of the first leaf */
    size_t quads_per_leaf;
    geo_box root;                   /* the root's box and bits */
    geo_node *nodes;                /* ninner */
    geo_quad *quads;                /* leaves * quads_per_leaf, leaf by leaf */
    geo_prep *cold;                 /* n, in tree order */
    uint32_t *ids;                  /* n, in tree order */
    uint32_t *bits_hi;              /* n, in tree order: the high 32 bits */
    atomic_size_t refs;             /* used once published */
};

/* The children's ranges of a node covering [lo, hi): e[0..4]. */
static inline void split4(uint32_t lo, uint32_t hi, uint32_t e[5])
{
    uint32_t m = lo + (hi - lo) / 2;
    e[0] = lo;
    e[1] = lo + (m - lo) / 2;
    e[2] = m;
    e[3] = m + (hi - m) / 2;
    e[4] = hi;
}

static inline bool coord_valid(double lat, double lon)
{
    /* false for NaN too */
    return lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}

/* geo_prep_of, geo_full_of and geo_dist_exact (in geo.c) are the one
 * haversine every path uses (the index, the brute force, geo_distance_km);
 * they are kept out of line so that every caller runs the same
 * instructions and gets the same bits. */
__attribute__((noinline)) geo_prep geo_prep_of(double lat, double lon);
__attribute__((noinline)) geo_full geo_full_of(const geo_prep *p);
/* The great-circle distance in km from the query a to the point b. */
__attribute__((noinline)) double geo_dist_exact(const geo_full *a, const geo_prep *b);

/* The float unit vector of a point, as the tree stores it. */
static inline void unit_vector(const geo_full *p, float v[3])
{
    double sin_lat = 2.0 * p->sp * p->cp;
    double cos_lon = (p->cl - p->sl) * (p->cl + p->sl), sin_lon = 2.0 * p->sl * p->cl;
    v[0] = (float)(p->cos_lat * cos_lon);
    v[1] = (float)(p->cos_lat * sin_lon);
    v[2] = (float)sin_lat;
}

/* (km, id) order: nearer first, then smaller id. */
static inline bool hit_less(const geo_hit *a, const geo_hit *b)
{
    return a->km < b->km || (a->km == b->km && a->id < b->id);
}

#endif
