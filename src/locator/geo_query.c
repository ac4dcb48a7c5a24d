/* geo_query: geo_nearest, the k nearest points within a radius whose bits
 * contain the needed ones: a depth-first walk of the tree of geo_int.h on
 * float squared chords, nearest child first, loading nodes and leaves
 * ahead, then the exact haversine for the surviving candidates. The hot
 * path of the locator (bench/geo_index.sh measures it). */
#include "locator/geo_int.h"

#include "core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE__
#include <xmmintrin.h>
#endif

static int hit_cmp(const void *pa, const void *pb)
{
    const geo_hit *a = pa, *b = pb;
    return hit_less(a, b) ? -1 : hit_less(b, a) ? 1 : 0;
}

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

/* The radius as a bound on the squared chord on the unit sphere, widened by
 * the slack (for small radii 2 * half, which is at least 2 sin(half), so
 * still an upper bound, and within 4e-7 of it). */
static inline float radius_bound(double radius_km)
{
    double half = radius_km / (2.0 * GEO_EARTH_RADIUS_KM);
    double chord = half >= GEO_HALF_PI ? 2.0 : half < 0.01 ? 2.0 * half : 2.0 * sin(half);
    double lim = (chord + GEO_SLACK) * (chord + GEO_SLACK);
    return nextafterf((float)lim, INFINITY);
}

/* The children of the internal node w worth a visit (box within the bound,
 * every needed bit below them), into kids farthest first; returns how many. */
static inline int near_kids(const geo_node *nd, const query *s, walk w, walk kids[4])
{
    /* the four box distances at once: max(lo - q, q - hi, 0) per axis */
    const v4f zero = {0, 0, 0, 0};
    v4f tx = vmax(vmax(nd->lo[0] - s->qx, s->qx - nd->hi[0]), zero);
    v4f ty = vmax(vmax(nd->lo[1] - s->qy, s->qy - nd->hi[1]), zero);
    v4f tz = vmax(vmax(nd->lo[2] - s->qz, s->qz - nd->hi[2]), zero);
    v4f d2 = tx * tx + ty * ty + tz * tz;
    uint32_t e[5];
    split4(w.lo, w.hi, e);
    int nk = 0;
    for (int c = 0; c < 4; c++) {
        if (d2[c] <= s->bound && (nd->bits[c] & s->need) == s->need)
            kids[nk++] = (walk){4 * w.node + 1 + (uint32_t)c, e[c], e[c + 1], d2[c]};
    }
    for (int i = 1; i < nk; i++) {
        walk t = kids[i];
        int j = i;
        for (; j > 0 && kids[j - 1].d2 < t.d2; j--)
            kids[j] = kids[j - 1];
        kids[j] = t;
    }
    return nk;
}

/* Pushes kids[0, nk) (farthest first, so the nearest is popped first) and
 * starts loading what their visits will read: the child node or leaf; and
 * for the nearest children above the leaves, all their leaves too, since
 * most of them will be scanned. Returns the new stack top. */
static inline size_t push_kids(const geo_index *g, const geo_node *nodes, uint32_t ninner,
                               const walk kids[4], int nk, walk *stack, size_t top)
{
    for (int i = 0; i < nk; i++) {
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
    return top;
}

/* The walk: depth first, nearest child first, scanning every leaf that
 * may still hold a point within the bound; fills s's candidates. q is the
 * query's unit vector. */
static inline void search(const geo_index *g, query *s, const float q[3])
{
    walk stack[GEO_STACK];
    size_t top = 0;
    const geo_node *nodes = g->nodes;
    const uint32_t ninner = (uint32_t)g->ninner;
    if ((g->root.bits & s->need) == s->need)
        stack[top++] = (walk){0, 0, (uint32_t)g->n, box_d2(&g->root, q)};
    while (top > 0) {
        walk w = stack[--top];
        if (w.d2 > s->bound)
            continue;
        if (w.node >= ninner) {
            scan_leaf(g, s, w.node, w.lo, w.hi);
            continue;
        }
        walk kids[4];
        int nk = near_kids(&nodes[w.node], s, w, kids);
        top = push_kids(g, nodes, ninner, kids, nk, stack, top);
    }
}

/* Sorts hits[0, nh) in (km, id) order. */
static inline void sort_hits(geo_hit *hits, size_t nh)
{
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
}

/* The exact distances of the candidates still within the final bound:
 * writes the nearest s->k of those within radius_km to out, in (km, id)
 * order, and returns how many. qp is the query point. */
static inline size_t finish(const geo_index *g, const query *s, const geo_full *qp, double radius_km,
                            geo_hit *out)
{
    geo_hit hit_stack[256];
    geo_hit *hits = s->ncands <= 256 ? hit_stack : xmalloc(s->ncands * sizeof *hits);
    size_t nh = 0;
    for (size_t i = 0; i < s->ncands; i++) {
        if (s->cands[i].c2 > s->bound)
            continue;
        uint32_t pos = s->cands[i].pos;
        double d = geo_dist_exact(qp, &g->cold[pos]);
        if (d <= radius_km)
            hits[nh++] = (geo_hit){g->ids[pos], d};
    }
    sort_hits(hits, nh);
    size_t count = nh < s->k ? nh : s->k;
    if (count > 0)
        memcpy(out, hits, count * sizeof *out);
    if (hits != hit_stack)
        free(hits);
    return count;
}

/* See geo.h. Sets up the query, walks the tree on float chords (search),
 * then orders the survivors by exact distance (finish). */
size_t geo_nearest(const geo_index *g, double lat, double lon, double radius_km, uint64_t need,
                   geo_hit *out, size_t k)
{
    if (!g || g->n == 0 || k == 0 || !coord_valid(lat, lon) || !(radius_km >= 0.0))
        return 0;
    if (k > g->n)
        k = g->n;

    float heap_stack[64];
    cand cand_stack[256];
    geo_prep qprep = geo_prep_of(lat, lon);
    geo_full qp = geo_full_of(&qprep);
    float q[3];
    unit_vector(&qp, q);
    query s;
    s.qx = (v4f){q[0], q[0], q[0], q[0]};
    s.qy = (v4f){q[1], q[1], q[1], q[1]};
    s.qz = (v4f){q[2], q[2], q[2], q[2]};
    s.need = need;
    s.bound = radius_bound(radius_km);
    s.k = k;
    s.nheap = 0;
    s.heap = k <= 64 ? heap_stack : xmalloc(k * sizeof *s.heap);
    s.cands_stack = cand_stack;
    s.cands = cand_stack;
    s.ncands = 0;
    s.cap = 256;

    search(g, &s, q);
    size_t count = finish(g, &s, &qp, radius_km, out);

    if (s.cands != cand_stack)
        free(s.cands);
    if (s.heap != heap_stack)
        free(s.heap);
    return count;
}
