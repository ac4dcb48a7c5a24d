/* bench/geo_index: micro-benchmark of the in-memory geographic index
 * (src/locator/geo.c). Run it through bench/geo_index.sh.
 *
 * It makes POINTS synthetic locations spread like the real ones: copies of
 * the ZIP code centroids (data/geo/zcta2020_centroids.csv), each moved by up
 * to JITTER_KM in a random direction, with 8 random bits of different
 * densities (50%, 30%, 20%, 10%, 5%, 2%, 1%, 0.5%), and reports:
 *   - the index build time and heap bytes per location;
 *   - the time per query for k = 10 within 25 km with one bit filter, over
 *     QUERIES queries centred near random real centroids (up to JITTER_KM
 *     away), timed one by one with clock_gettime: mean, p50, p99; for a bit
 *     picked at random per query, then for the commonest and a rare bit and
 *     with no filter;
 *   - the same query by brute force over BRUTE queries, whose answers are
 *     also compared with the index's (any difference is reported and makes
 *     the exit status 1).
 * Usage: geo_index [csv [points [queries [brute_queries]]]] */
#include "locator/geo.h"

#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JITTER_KM 5.0
#define K 10
#define RADIUS_KM 25.0
#define NBITS 8

static const double bit_density[NBITS] = {0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005};

typedef struct rng { uint64_t s; } rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

typedef struct centroid { double lat, lon; } centroid;

static centroid *load(const char *path, size_t *count)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    char line[256];
    size_t n = 0, cap = 0;
    centroid *c = NULL;
    bool header = true;
    while (fgets(line, sizeof line, f)) {
        if (header) {
            header = false;
            if (strncmp(line, "zcta,lat,lon", 12) != 0) {
                fprintf(stderr, "%s: unexpected header\n", path);
                break;
            }
            continue;
        }
        char *p = strchr(line, ',');
        if (!p)
            continue;
        char *end;
        double lat = strtod(p + 1, &end);
        if (*end != ',')
            continue;
        double lon = strtod(end + 1, &end);
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            c = xrealloc(c, cap * sizeof *c);
        }
        c[n++] = (centroid){lat, lon};
    }
    fclose(f);
    *count = n;
    return c;
}

/* A random spot up to km away from (lat, lon), uniform over the disc. */
static void jitter(rng *r, double lat, double lon, double km, double *olat, double *olon)
{
    double d = km * sqrt(rng_unit(r)), a = 2 * M_PI * rng_unit(r);
    double la = lat + d * cos(a) / 111.195;
    double cl = cos(lat * M_PI / 180.0);
    double lo = lon + d * sin(a) / (111.195 * (cl < 0.01 ? 0.01 : cl));
    if (la > 90)
        la = 180 - la;
    if (la < -90)
        la = -180 - la;
    if (lo > 180)
        lo -= 360;
    if (lo < -180)
        lo += 360;
    *olat = la;
    *olon = lo;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct query { double lat, lon; uint64_t need; } query;

typedef struct stats { double mean_us, p50_us, p99_us, hits; } stats;

static stats summarize(uint64_t *ns, size_t n, size_t hits)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)ns[i];
    qsort(ns, n, sizeof *ns, cmp_u64);
    stats s = {sum / (double)n / 1000.0, (double)ns[n / 2] / 1000.0, (double)ns[(n * 99) / 100] / 1000.0,
               (double)hits / (double)n};
    return s;
}

/* Times every query through the index. bit: -1 for each query's own random
 * bit, NBITS for no filter, else that bit for every query. */
static stats run_index(const geo_index *g, const query *qs, size_t nq, int bit)
{
    uint64_t *ns = xmalloc(nq * sizeof *ns);
    geo_hit out[K];
    size_t hits = 0;
    for (size_t i = 0; i < nq; i++) {
        uint64_t need = bit < 0 ? qs[i].need : bit == NBITS ? 0 : (uint64_t)1 << bit;
        uint64_t t0 = now_ns();
        size_t got = geo_nearest(g, qs[i].lat, qs[i].lon, RADIUS_KM, need, out, K);
        uint64_t t1 = now_ns();
        ns[i] = t1 - t0;
        hits += got;
    }
    stats s = summarize(ns, nq, hits);
    free(ns);
    return s;
}

static void row(const char *what, size_t n, stats s)
{
    printf("| %-34s | %9zu | %9.3f | %9.3f | %9.3f | %6.2f |\n", what, n, s.mean_us, s.p50_us, s.p99_us, s.hits);
}

int main(int argc, char **argv)
{
    const char *csv = argc > 1 ? argv[1] : "data/geo/zcta2020_centroids.csv";
    size_t npoints = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
    size_t nq = argc > 3 ? strtoul(argv[3], NULL, 10) : 100000;
    size_t nbrute = argc > 4 ? strtoul(argv[4], NULL, 10) : 1000;
    if (npoints == 0 || nq == 0 || nbrute == 0 || nbrute > nq) {
        fprintf(stderr, "usage: geo_index [csv [points [queries [brute_queries <= queries]]]]\n");
        return 2;
    }
    size_t nc = 0;
    centroid *cs = load(csv, &nc);
    if (!cs || nc == 0) {
        fprintf(stderr, "no centroids read from %s\n", csv);
        return 2;
    }

    rng r = {12345};
    geo_point *pts = xmalloc(npoints * sizeof *pts);
    for (size_t i = 0; i < npoints; i++) {
        const centroid *c = &cs[rng_next(&r) % nc];
        jitter(&r, c->lat, c->lon, JITTER_KM, &pts[i].lat, &pts[i].lon);
        uint64_t bits = 0;
        for (int b = 0; b < NBITS; b++) {
            if (rng_unit(&r) < bit_density[b])
                bits |= (uint64_t)1 << b;
        }
        pts[i].bits = bits;
        pts[i].id = (uint32_t)i;
    }

    query *qs = xmalloc(nq * sizeof *qs);
    for (size_t i = 0; i < nq; i++) {
        const centroid *c = &cs[rng_next(&r) % nc];
        jitter(&r, c->lat, c->lon, JITTER_KM, &qs[i].lat, &qs[i].lon);
        qs[i].need = (uint64_t)1 << (rng_next(&r) % NBITS);
    }

    double t0 = now_s();
    geo_index *g = geo_build(pts, npoints);
    double build_s = now_s() - t0;

    printf("geo index: %zu points (jittered copies of %zu ZIP centroids, up to %.0f km), "
           "k = %d within %.0f km\n\n", npoints, nc, JITTER_KM, K, RADIUS_KM);
    printf("| build | %.3f s | %.1f bytes per location | %.1f MB |\n\n", build_s,
           (double)geo_bytes(g) / (double)npoints, (double)geo_bytes(g) / 1e6);
    printf("| %-34s | %9s | %9s | %9s | %9s | %6s |\n", "query (k = 10, 25 km)", "queries", "mean us",
           "p50 us", "p99 us", "hits");
    printf("|%s|%s|%s|%s|%s|%s|\n", "------------------------------------", "-----------", "-----------",
           "-----------", "-----------", "--------");

    /* warm up the caches and the branch predictors a little */
    run_index(g, qs, nq < 10000 ? nq : 10000, -1);

    char label[64];
    row("index, one random bit of 8", nq, run_index(g, qs, nq, -1));
    snprintf(label, sizeof label, "index, bit 0 (%.1f%% of points)", 100 * bit_density[0]);
    row(label, nq, run_index(g, qs, nq, 0));
    snprintf(label, sizeof label, "index, bit 3 (%.1f%% of points)", 100 * bit_density[3]);
    row(label, nq, run_index(g, qs, nq, 3));
    snprintf(label, sizeof label, "index, bit 7 (%.1f%% of points)", 100 * bit_density[7]);
    row(label, nq, run_index(g, qs, nq, 7));
    row("index, no filter", nq, run_index(g, qs, nq, NBITS));

    /* brute force on the first queries, checking the answers as well */
    uint64_t *ns = xmalloc(nbrute * sizeof *ns);
    geo_hit a[K], b[K];
    size_t hits = 0, diffs = 0;
    for (size_t i = 0; i < nbrute; i++) {
        uint64_t s0 = now_ns();
        size_t nb = geo_nearest_brute(pts, npoints, qs[i].lat, qs[i].lon, RADIUS_KM, qs[i].need, b, K);
        ns[i] = now_ns() - s0;
        hits += nb;
        size_t na = geo_nearest(g, qs[i].lat, qs[i].lon, RADIUS_KM, qs[i].need, a, K);
        bool same = na == nb;
        for (size_t j = 0; same && j < na; j++)
            same = a[j].id == b[j].id && a[j].km == b[j].km;
        diffs += !same;
    }
    stats bs = summarize(ns, nbrute, hits);
    row("brute force, one random bit of 8", nbrute, bs);
    free(ns);
    stats is = run_index(g, qs, nbrute, -1);
    printf("\nspeed-up over brute force (mean, same %zu queries): %.0fx\n", nbrute, bs.mean_us / is.mean_us);
    printf("index and brute force answers: %s (%zu of %zu differ)\n", diffs ? "DIFFERENT" : "identical", diffs,
           nbrute);

    geo_free(g);
    free(qs);
    free(pts);
    free(cs);
    return diffs ? 1 : 0;
}
