/* geo_build: builds the static k-d tree of geo_int.h from the caller's
 * points (unit vectors, median splits into a complete 4-ary tree, leaves of
 * padded quads, cold per-point arrays on 128-byte or huge-page boundaries),
 * and frees it and measures it. Runs once per snapshot, off the request
 * path. */
#include "locator/geo_int.h"

#include "core/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

/* From this many points the root's last two quarters are built in a
 * second thread (the quarters are independent: the same tree either way). */
#define GEO_PARALLEL_MIN 65536

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

static void build_node(geo_index *g, build_pt *bp, size_t node, uint32_t lo, uint32_t hi, const geo_box *box);

/* Some of a node's children, built by one thread. */
typedef struct children {
    geo_index *g;
    build_pt *bp;
    size_t node;
    const uint32_t *e;
    int from, to;
} children;

static void build_children(const children *k)
{
    geo_node *nd = &k->g->nodes[k->node];
    for (int c = k->from; c < k->to; c++) {
        geo_box cb = box_of(k->bp, k->e[c], k->e[c + 1]);
        for (int d = 0; d < 3; d++) {
            nd->lo[d][c] = cb.lo[d];
            nd->hi[d][c] = cb.hi[d];
        }
        size_t child = 4 * k->node + 1 + (size_t)c;
        if (child < k->g->ninner)
            build_node(k->g, k->bp, child, k->e[c], k->e[c + 1], &cb);
    }
}

static void *build_children_thread(void *arg)
{
    build_children(arg);
    return NULL;
}

/* Splits the internal node covering bp[lo, hi) (box: its own box) and
 * fills in its children's boxes, then their subtrees (at the root of a
 * large tree, half of them in a second thread). */
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
    children first = {g, bp, node, e, 0, 2}, second = {g, bp, node, e, 2, 4};
    pthread_t t;
    bool par = node == 0 && hi - lo >= GEO_PARALLEL_MIN && pthread_create(&t, NULL, build_children_thread, &second) == 0;
    build_children(&first);
    if (par)
        pthread_join(t, NULL);
    else
        build_children(&second);
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
        geo_prep pp = geo_prep_of(pts[i].lat, pts[i].lon);
        geo_full pf = geo_full_of(&pp);
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
        g->cold[i] = geo_prep_of(p->lat, p->lon);
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
