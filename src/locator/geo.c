/* geo: the in-memory geographic index (see geo.h).
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
 * function geo_nearest_brute and geo_distance_km use (dist_exact), keeps
 * the ones with distance <= radius_km and orders them by (distance, id). So
 * both give the same ids, order and km, bit for bit.
 *
 * Publication: one slot holding the current index, behind a mutex held only
 * to read or swap the pointer and take a reference; references are atomic
 * counts and the slot holds one of its own. */
#include "locator/geo.h"

#include "core/util.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __SSE__
#include <xmmintrin.h>
#endif

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

/* ------------------------------------------------------------------------
 * Distance
 * ------------------------------------------------------------------------ */

static inline bool coord_valid(double lat, double lon)
{
    /* false for NaN too */
    return lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}

/* prep, full and dist_exact are the one haversine every path uses (the
 * index, the brute force, geo_distance_km); they are kept out of line so
 * that every caller runs the same instructions and gets the same bits. */
__attribute__((noinline)) static geo_prep prep(double lat, double lon)
{
    return (geo_prep){sin(lat * (0.5 * GEO_DEG)), sin(lon * (0.5 * GEO_DEG))};
}

__attribute__((noinline)) static geo_full full(const geo_prep *p)
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
__attribute__((noinline)) static double dist_exact(const geo_full *a, const geo_prep *b)
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
    geo_prep a = prep(lat1, lon1), b = prep(lat2, lon2);
    geo_full fa = full(&a);
    return dist_exact(&fa, &b);
}

static void unit_vector(const geo_full *p, float v[3])
{
    double sin_lat = 2.0 * p->sp * p->cp;
    double cos_lon = (p->cl - p->sl) * (p->cl + p->sl), sin_lon = 2.0 * p->sl * p->cl;
    v[0] = (float)(p->cos_lat * cos_lon);
    v[1] = (float)(p->cos_lat * sin_lon);
    v[2] = (float)sin_lat;
}

/* (a, id) order: nearer first, then smaller id. */
static inline bool hit_less(const geo_hit *a, const geo_hit *b)
{
    return a->km < b->km || (a->km == b->km && a->id < b->id);
}

static int hit_cmp(const void *pa, const void *pb)
{
    const geo_hit *a = pa, *b = pb;
    return hit_less(a, b) ? -1 : hit_less(b, a) ? 1 : 0;
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
    geo_prep qp = prep(lat, lon);
    geo_full q = full(&qp);
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const geo_point *p = &pts[i];
        if ((p->bits & need) != need || !coord_valid(p->lat, p->lon))
            continue;
        geo_prep pp = prep(p->lat, p->lon);
        double d = dist_exact(&q, &pp);
        if (!(d <= radius_km))
            continue;
        hit_insert(out, &count, k, (geo_hit){p->id, d});
    }
    return count;
}

/* ------------------------------------------------------------------------
 * Build
 * ------------------------------------------------------------------------ */

typedef struct build_pt {
    float v[3];
    uint32_t src;                   /* index into the caller's array */
} build_pt;

static inline void bp_swap(build_pt *a, build_pt *b)
{
    build_pt t = *a;
    *a = *b;
    *b = t;
}

/* Rearranges a[lo, hi) so that a[nth] holds the value it would have if the
 * range were sorted on axis d, with nothing greater before it and nothing
 * smaller after it (nth_element). */
static void select_nth(build_pt *a, size_t lo, size_t hi, size_t nth, int d)
{
    while (hi - lo > 12) {
        size_t mid = lo + (hi - lo - 1) / 2;
        /* median of three, also leaving sentinels at both ends */
        if (a[mid].v[d] < a[lo].v[d])
            bp_swap(&a[mid], &a[lo]);
        if (a[hi - 1].v[d] < a[lo].v[d])
            bp_swap(&a[hi - 1], &a[lo]);
        if (a[hi - 1].v[d] < a[mid].v[d])
            bp_swap(&a[hi - 1], &a[mid]);
        float p = a[mid].v[d];
        /* Hoare partition: afterwards [lo, j] <= p <= [j + 1, hi) */
        size_t i = lo, j = hi - 1;
        for (;;) {
            while (a[i].v[d] < p)
                i++;
            while (a[j].v[d] > p)
                j--;
            if (i >= j)
                break;
            bp_swap(&a[i], &a[j]);
            i++;
            j--;
        }
        if (nth <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
    for (size_t i = lo + 1; i < hi; i++) {
        build_pt t = a[i];
        size_t j = i;
        while (j > lo && a[j - 1].v[d] > t.v[d]) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = t;
    }
}

/* Bounding box of bp[lo, hi) (not empty); bits are filled in later. */
static geo_box box_of(const build_pt *bp, size_t lo, size_t hi)
{
    geo_box r;
    for (int d = 0; d < 3; d++)
        r.lo[d] = r.hi[d] = bp[lo].v[d];
    for (size_t i = lo + 1; i < hi; i++) {
        for (int d = 0; d < 3; d++) {
            float v = bp[i].v[d];
            if (v < r.lo[d])
                r.lo[d] = v;
            if (v > r.hi[d])
                r.hi[d] = v;
        }
    }
    r.bits = 0;
    return r;
}

static int widest_axis(const geo_box *r)
{
    int axis = 0;
    for (int d = 1; d < 3; d++) {
        if (r->hi[d] - r->lo[d] > r->hi[axis] - r->lo[axis])
            axis = d;
    }
    return axis;
}

/* Splits the internal node covering bp[lo, hi) (box: its own box) and
 * fills in its children's boxes, then their subtrees. */
static void build_node(geo_index *g, build_pt *bp, size_t node, uint32_t lo, uint32_t hi, const geo_box *box)
{
    uint32_t m = lo + (hi - lo) / 2;
    select_nth(bp, lo, hi, m, widest_axis(box));
    geo_box half = box_of(bp, lo, m);
    select_nth(bp, lo, m, lo + (m - lo) / 2, widest_axis(&half));
    half = box_of(bp, m, hi);
    select_nth(bp, m, hi, m + (hi - m) / 2, widest_axis(&half));
    uint32_t e[5];
    split4(lo, hi, e);
    geo_node *nd = &g->nodes[node];
    for (int c = 0; c < 4; c++) {
        geo_box cb = box_of(bp, e[c], e[c + 1]);
        for (int d = 0; d < 3; d++) {
            nd->lo[d][c] = cb.lo[d];
            nd->hi[d][c] = cb.hi[d];
        }
        size_t child = 4 * node + 1 + (size_t)c;
        if (child < g->ninner)
            build_node(g, bp, child, e[c], e[c + 1], &cb);
    }
}

/* Writes the leaves of the subtree of node (covering [lo, hi) of bp, in
 * tree order) and fills in its bits; returns their OR. */
static uint64_t fill_leaves(geo_index *g, const build_pt *bp, const geo_point *pts, size_t node, uint32_t lo,
                            uint32_t hi)
{
    uint64_t all = 0;
    if (node >= g->ninner) {
        geo_quad *q = &g->quads[(node - g->ninner) * g->quads_per_leaf];
        for (size_t j = 0; j < 4 * g->quads_per_leaf; j++) {
            geo_quad *qd = &q[j / 4];
            size_t lane = j % 4;
            if (lo + j < hi) {
                uint64_t bits = pts[bp[lo + j].src].bits;
                qd->x[lane] = bp[lo + j].v[0];
                qd->y[lane] = bp[lo + j].v[1];
                qd->z[lane] = bp[lo + j].v[2];
                qd->bits[lane] = (uint32_t)bits;
                all |= bits;
            } else {
                qd->x[lane] = qd->y[lane] = qd->z[lane] = GEO_FAR;
                qd->bits[lane] = 0;
            }
        }
        return all;
    }
    uint32_t e[5];
    split4(lo, hi, e);
    for (int c = 0; c < 4; c++) {
        uint64_t b = fill_leaves(g, bp, pts, 4 * node + 1 + (size_t)c, e[c], e[c + 1]);
        g->nodes[node].bits[c] = b;
        all |= b;
    }
    return all;
}

/* Memory on a 128-byte boundary (a pair of cache lines, which Intel cores
 * fetch together). Large arrays go on 2 MB boundaries and ask for
 * transparent huge pages, which saves most TLB misses of a search (Linux;
 * elsewhere a no-op). */
static size_t lines_size(size_t n)
{
    size_t align = n >= GEO_HUGE ? GEO_HUGE : 128;
    return n == 0 ? align : (n + align - 1) / align * align;
}

static void *alloc_lines(size_t n)
{
    size_t align = n >= GEO_HUGE ? GEO_HUGE : 128;
    size_t size = lines_size(n);
    void *p = aligned_alloc(align, size);
    if (!p) {
        fprintf(stderr, "waypost: out of memory (asked for %zu bytes)\n", size);
        abort();
    }
#ifdef MADV_HUGEPAGE
    if (align == GEO_HUGE)
        (void)madvise(p, size, MADV_HUGEPAGE);
#endif
    return p;
}

geo_index *geo_build(const geo_point *pts, size_t n)
{
    geo_index *g = xcalloc(1, sizeof *g);
    atomic_init(&g->refs, 0);
    size_t valid = 0;
    for (size_t i = 0; i < n; i++)
        valid += coord_valid(pts[i].lat, pts[i].lon);
    if (valid == 0)
        return g;
    if (valid > GEO_MAX_POINTS || n > UINT32_MAX) {
        fprintf(stderr, "geo_build: too many points (%zu)\n", n);
        abort();
    }
    build_pt *bp = xmalloc(valid * sizeof *bp);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (!coord_valid(pts[i].lat, pts[i].lon))
            continue;
        geo_prep pp = prep(pts[i].lat, pts[i].lon);
        geo_full pf = full(&pp);
        unit_vector(&pf, bp[j].v);
        bp[j].src = (uint32_t)i;
        j++;
    }
    /* the fewest levels with at most GEO_LEAF points per leaf */
    size_t leaves = 1, ninner = 0;
    while ((valid + leaves - 1) / leaves > GEO_LEAF) {
        ninner += leaves;
        leaves *= 4;
    }
    g->n = valid;
    g->ninner = ninner;
    g->quads_per_leaf = ((valid + leaves - 1) / leaves + 3) / 4;
    g->root = box_of(bp, 0, valid);
    if (ninner > 0) {
        g->nodes = alloc_lines(ninner * sizeof *g->nodes);
        build_node(g, bp, 0, 0, (uint32_t)valid, &g->root);
    }
    g->quads = alloc_lines(leaves * g->quads_per_leaf * sizeof *g->quads);
    g->root.bits = fill_leaves(g, bp, pts, 0, 0, (uint32_t)valid);
    g->cold = alloc_lines(valid * sizeof *g->cold);
    g->ids = alloc_lines(valid * sizeof *g->ids);
    g->bits_hi = alloc_lines(valid * sizeof *g->bits_hi);
    for (size_t i = 0; i < valid; i++) {
        const geo_point *p = &pts[bp[i].src];
        g->cold[i] = prep(p->lat, p->lon);
        g->ids[i] = p->id;
        g->bits_hi[i] = (uint32_t)(p->bits >> 32);
    }
    free(bp);
    return g;
}

void geo_free(geo_index *g)
{
    if (!g)
        return;
    free(g->nodes);
    free(g->quads);
    free(g->cold);
    free(g->ids);
    free(g->bits_hi);
    free(g);
}

size_t geo_count(const geo_index *g)
{
    return g ? g->n : 0;
}

size_t geo_bytes(const geo_index *g)
{
    if (!g)
        return 0;
    size_t bytes = sizeof *g;
    if (g->n == 0)
        return bytes;
    size_t leaves = 3 * g->ninner + 1;
    if (g->ninner > 0)
        bytes += lines_size(g->ninner * sizeof *g->nodes);
    bytes += lines_size(leaves * g->quads_per_leaf * sizeof *g->quads);
    bytes += lines_size(g->n * sizeof *g->cold) + lines_size(g->n * sizeof *g->ids) +
             lines_size(g->n * sizeof *g->bits_hi);
    return bytes;
}

/* ------------------------------------------------------------------------
 * Query
 * ------------------------------------------------------------------------ */

typedef struct cand {
    float c2;                       /* float squared chord */
    uint32_t pos;                   /* index into cold */
} cand;

typedef struct walk {
    uint32_t node, lo, hi;
    float d2;                       /* float squared chord to the node's box */
} walk;

/* Lane-wise maximum, and whether any lane of a comparison result is set;
 * SSE where there is SSE, plain vector code elsewhere. */
#ifdef __SSE__
static inline v4f vmax(v4f a, v4f b)
{
    return (v4f)_mm_max_ps((__m128)a, (__m128)b);
}

static inline bool vany(v4i m)
{
    return _mm_movemask_ps((__m128)m) != 0;
}
#else
static inline v4f vmax(v4f a, v4f b)
{
    v4i m = a > b;
    return (v4f)((m & (v4i)a) | (~m & (v4i)b));
}

static inline bool vany(v4i m)
{
    return (m[0] | m[1] | m[2] | m[3]) != 0;
}
#endif

static inline float box_d2(const geo_box *r, const float q[3])
{
    float s = 0.0f;
    for (int d = 0; d < 3; d++) {
        float a = r->lo[d] - q[d], b = q[d] - r->hi[d];
        float t = a > b ? a : b;
        t = t > 0.0f ? t : 0.0f;
        s += t * t;
    }
    return s;
}

/* The bound that keeps every point which can still beat the k-th best float
 * chord once rounding is allowed for: (sqrt(c2) + 2 * slack)^2. */
static inline float widen(float c2)
{
    float c = sqrtf(c2) + (float)(2.0 * GEO_SLACK);
    return c * c;
}

/* Max-heap of floats. */
static void heap_down(float *h, size_t n, size_t i)
{
    float v = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1] > h[c])
            c++;
        if (!(h[c] > v))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
}

static void heap_up(float *h, size_t i)
{
    float v = h[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!(h[p] < v))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = v;
}

typedef struct query {
    v4f qx, qy, qz;                 /* the query's unit vector, in every lane */
    uint64_t need;
    float bound;                    /* current pruning bound on c2 */
    float *heap;                    /* k best c2 so far */
    size_t nheap, k;
    cand *cands;
    size_t ncands, cap;
    cand *cands_stack;              /* the initial buffer, not to be freed */
} query;

static void cands_add(query *s, float c2, uint32_t pos)
{
    if (s->ncands == s->cap) {
        size_t w = 0;
        for (size_t i = 0; i < s->ncands; i++) {
            if (s->cands[i].c2 <= s->bound)
                s->cands[w++] = s->cands[i];
        }
        s->ncands = w;
        if (w > s->cap / 2) {
            size_t ncap = s->cap * 2;
            cand *nc = xmalloc(ncap * sizeof *nc);
            memcpy(nc, s->cands, w * sizeof *nc);
            if (s->cands != s->cands_stack)
                free(s->cands);
            s->cands = nc;
            s->cap = ncap;
        }
    }
    s->cands[s->ncands++] = (cand){c2, pos};
}

static void offer(query *s, float c2, uint32_t pos)
{
    cands_add(s, c2, pos);
    if (s->nheap < s->k) {
        s->heap[s->nheap++] = c2;
        heap_up(s->heap, s->nheap - 1);
        if (s->nheap < s->k)
            return;
    } else if (c2 < s->heap[0]) {
        s->heap[0] = c2;
        heap_down(s->heap, s->nheap, 0);
    } else {
        return;
    }
    float b = widen(s->heap[0]);
    if (b < s->bound)
        s->bound = b;
}

static inline void prefetch_range(const void *from, const void *to)
{
    for (const char *a = from, *b = to; a < b; a += 64)
        __builtin_prefetch(a);
}

static inline const geo_quad *leaf_quads(const geo_index *g, uint32_t node)
{
    return &g->quads[(node - g->ninner) * g->quads_per_leaf];
}

/* Scans the leaf node holding the points [lo, hi), four at a time. */
static void scan_leaf(const geo_index *g, query *s, uint32_t node, uint32_t lo, uint32_t hi)
{
    const geo_quad *q = leaf_quads(g, node);
    const uint32_t need_lo = (uint32_t)s->need, need_hi = (uint32_t)(s->need >> 32);
    const v4u need4 = {need_lo, need_lo, need_lo, need_lo};
    for (uint32_t base = lo; base < hi; base += 4, q++) {
        v4f dx = q->x - s->qx, dy = q->y - s->qy, dz = q->z - s->qz;
        v4f c2 = dx * dx + dy * dy + dz * dz;
        v4f b = {s->bound, s->bound, s->bound, s->bound};
        v4i ok = (c2 <= b) & (v4i)((q->bits & need4) == need4);
        if (!vany(ok))
            continue;
        for (int l = 0; l < 4; l++) {
            uint32_t pos = base + (uint32_t)l;
            if (!ok[l] || c2[l] > s->bound)
                continue;
            if (need_hi && (g->bits_hi[pos] & need_hi) != need_hi)
                continue;
            __builtin_prefetch(&g->cold[pos]);
            __builtin_prefetch(&g->ids[pos]);
            offer(s, c2[l], pos);
        }
    }
}

size_t geo_nearest(const geo_index *g, double lat, double lon, double radius_km, uint64_t need,
                   geo_hit *out, size_t k)
{
    if (!g || g->n == 0 || k == 0 || !coord_valid(lat, lon) || !(radius_km >= 0.0))
        return 0;
    if (k > g->n)
        k = g->n;

    /* the radius as a chord on the unit sphere, widened by the slack (for
     * small radii 2 * half, which is at least 2 sin(half), so still an upper
     * bound, and within 4e-7 of it) */
    double half = radius_km / (2.0 * GEO_EARTH_RADIUS_KM);
    double chord = half >= GEO_HALF_PI ? 2.0 : half < 0.01 ? 2.0 * half : 2.0 * sin(half);
    double lim = (chord + GEO_SLACK) * (chord + GEO_SLACK);

    float heap_stack[64];
    cand cand_stack[256];
    query s;
    geo_prep qprep = prep(lat, lon);
    geo_full qp = full(&qprep);
    float q[3];
    unit_vector(&qp, q);
    s.qx = (v4f){q[0], q[0], q[0], q[0]};
    s.qy = (v4f){q[1], q[1], q[1], q[1]};
    s.qz = (v4f){q[2], q[2], q[2], q[2]};
    s.need = need;
    s.bound = nextafterf((float)lim, INFINITY);
    s.k = k;
    s.nheap = 0;
    s.heap = k <= 64 ? heap_stack : xmalloc(k * sizeof *s.heap);
    s.cands_stack = cand_stack;
    s.cands = cand_stack;
    s.ncands = 0;
    s.cap = 256;

    walk stack[GEO_STACK];
    size_t top = 0;
    const geo_node *nodes = g->nodes;
    const uint32_t ninner = (uint32_t)g->ninner;
    if ((g->root.bits & need) == need)
        stack[top++] = (walk){0, 0, (uint32_t)g->n, box_d2(&g->root, q)};
    while (top > 0) {
        walk w = stack[--top];
        if (w.d2 > s.bound)
            continue;
        if (w.node >= ninner) {
            scan_leaf(g, &s, w.node, w.lo, w.hi);
            continue;
        }
        const geo_node *nd = &nodes[w.node];
        /* the four box distances at once: max(lo - q, q - hi, 0) per axis */
        const v4f zero = {0, 0, 0, 0};
        v4f tx = vmax(vmax(nd->lo[0] - s.qx, s.qx - nd->hi[0]), zero);
        v4f ty = vmax(vmax(nd->lo[1] - s.qy, s.qy - nd->hi[1]), zero);
        v4f tz = vmax(vmax(nd->lo[2] - s.qz, s.qz - nd->hi[2]), zero);
        v4f d2 = tx * tx + ty * ty + tz * tz;
        uint32_t e[5];
        split4(w.lo, w.hi, e);
        /* the children worth a visit, farthest first */
        walk kids[4];
        int nk = 0;
        for (int c = 0; c < 4; c++) {
            if (d2[c] <= s.bound && (nd->bits[c] & need) == need)
                kids[nk++] = (walk){4 * w.node + 1 + (uint32_t)c, e[c], e[c + 1], d2[c]};
        }
        for (int i = 1; i < nk; i++) {
            walk t = kids[i];
            int j = i;
            for (; j > 0 && kids[j - 1].d2 < t.d2; j--)
                kids[j] = kids[j - 1];
            kids[j] = t;
        }
        for (int i = 0; i < nk; i++) {
            /* start loading what the visit will read: the child node or
             * leaf; and for the nearest children above the leaves, all
             * their leaves too, since most of them will be scanned */
            uint32_t c = kids[i].node;
            if (c >= ninner) {
                const geo_quad *lq = leaf_quads(g, c);
                prefetch_range(lq, lq + g->quads_per_leaf);
            } else {
                prefetch_range(&nodes[c], &nodes[c + 1]);
                if (4 * c + 1 >= ninner && i >= nk - GEO_AHEAD) {
                    const geo_quad *lq = leaf_quads(g, 4 * c + 1);
                    prefetch_range(lq, lq + 4 * g->quads_per_leaf);
                }
            }
            stack[top++] = kids[i];
        }
    }

    /* exact distances for the candidates still within the final bound */
    geo_hit hit_stack[256];
    geo_hit *hits = s.ncands <= 256 ? hit_stack : xmalloc(s.ncands * sizeof *hits);
    size_t nh = 0;
    for (size_t i = 0; i < s.ncands; i++) {
        if (s.cands[i].c2 > s.bound)
            continue;
        uint32_t pos = s.cands[i].pos;
        double d = dist_exact(&qp, &g->cold[pos]);
        if (d <= radius_km)
            hits[nh++] = (geo_hit){g->ids[pos], d};
    }
    if (nh <= 32) {
        for (size_t i = 1; i < nh; i++) {
            geo_hit t = hits[i];
            size_t j = i;
            while (j > 0 && hit_less(&t, &hits[j - 1])) {
                hits[j] = hits[j - 1];
                j--;
            }
            hits[j] = t;
        }
    } else {
        qsort(hits, nh, sizeof *hits, hit_cmp);
    }
    size_t count = nh < k ? nh : k;
    if (count > 0)
        memcpy(out, hits, count * sizeof *out);

    if (hits != hit_stack)
        free(hits);
    if (s.cands != cand_stack)
        free(s.cands);
    if (s.heap != heap_stack)
        free(s.heap);
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
