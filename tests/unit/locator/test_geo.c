/* test_geo: unit tests for src/locator/geo.c, the geographic index.
 *
 * Distances against known city pairs (WGS84 geodesic lengths, within 0.5%),
 * the edge cases (empty index, k = 0, radius 0, invalid coordinates and
 * radii, the antimeridian, the poles, bit filters, ties broken by id), then
 * the main check: every ZIP code centroid of data/geo/zcta2020_centroids.csv
 * as a point with pseudo-random bits, and 10,000 random queries (fixed seed)
 * whose answers from geo_nearest must equal geo_nearest_brute's: same count,
 * same ids, same order, same km to the bit. A second random check does the
 * same over points spread over the whole globe (poles and antimeridian
 * included), and the last test publishes snapshots from one thread while
 * four others acquire, query and release them. Run from the repository
 * root. */
#include "locator/geo.h"

#include "core/csv.h"
#include "core/util.h"

#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define ZCTA_CSV "data/geo/zcta2020_centroids.csv"
#define ZCTA_ROWS 33791

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

/* splitmix64: a small deterministic generator. */
typedef struct rng { uint64_t s; } rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double rng_range(rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

static size_t rng_below(rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

/* 8 bits, each with its own density: bit 0 half the points, bit 7 0.5%. */
static const double bit_density[8] = {0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005};

static uint64_t random_bits(rng *r)
{
    uint64_t bits = 0;
    for (int b = 0; b < 8; b++) {
        if (rng_unit(r) < bit_density[b])
            bits |= (uint64_t)1 << b;
    }
    return bits;
}

/* 0 (any), or one to three of the 8 bits. */
static uint64_t random_need(rng *r)
{
    size_t kind = rng_below(r, 20);
    if (kind < 5)
        return 0;
    uint64_t need = (uint64_t)1 << rng_below(r, 8);
    if (kind >= 13)
        need |= (uint64_t)1 << rng_below(r, 8);
    if (kind >= 18)
        need |= (uint64_t)1 << rng_below(r, 4);
    return need;
}

/* Compares the index with the brute force for one query; prints the query
 * and the first difference and returns false when they differ. */
static bool same_answer(const geo_index *g, const geo_point *pts, size_t n, double lat, double lon,
                        double radius, uint64_t need, size_t k)
{
    geo_hit *a = xcalloc(k ? k : 1, sizeof *a);
    geo_hit *b = xcalloc(k ? k : 1, sizeof *b);
    size_t na = geo_nearest(g, lat, lon, radius, need, a, k);
    size_t nb = geo_nearest_brute(pts, n, lat, lon, radius, need, b, k);
    bool ok = na == nb;
    size_t bad = 0;
    for (size_t i = 0; ok && i < na; i++) {
        if (a[i].id != b[i].id || a[i].km != b[i].km) {
            ok = false;
            bad = i;
        }
    }
    if (!ok) {
        print_error("query lat=%.17g lon=%.17g radius=%.17g need=%#llx k=%zu: index %zu hits, brute %zu\n",
                    lat, lon, radius, (unsigned long long)need, k, na, nb);
        if (na == nb)
            print_error("  hit %zu: index id %u km %.17g, brute id %u km %.17g\n", bad, a[bad].id, a[bad].km,
                        b[bad].id, b[bad].km);
    }
    free(a);
    free(b);
    return ok;
}

/* Checks that hits are nearest first, ties by id, all within the radius. */
static void assert_ordered(const geo_hit *h, size_t n, double radius)
{
    for (size_t i = 0; i < n; i++) {
        assert_true(h[i].km <= radius);
        if (i > 0)
            assert_true(h[i - 1].km < h[i].km || (h[i - 1].km == h[i].km && h[i - 1].id < h[i].id));
    }
}

/* ------------------------------------------------------------------------
 * Distance
 * ------------------------------------------------------------------------ */

typedef struct city_pair {
    const char *name;
    double lat1, lon1, lat2, lon2;
    double km;                      /* WGS84 geodesic length */
} city_pair;

static void test_distance_known(void **state)
{
    (void)state;
    static const city_pair pairs[] = {
        {"New York - Los Angeles", 40.7128, -74.0060, 34.0522, -118.2437, 3944.4},
        {"London - Paris", 51.5074, -0.1278, 48.8566, 2.3522, 343.9},
        {"Anchorage - Honolulu", 61.2181, -149.9003, 21.3069, -157.8583, 4475.7},
        {"Guam - Honolulu", 13.4443, 144.7937, 21.3069, -157.8583, 6125.3},
        {"Chicago - Miami", 41.8781, -87.6298, 25.7617, -80.1918, 1913.7},
        {"Seattle - Boston", 47.6062, -122.3321, 42.3601, -71.0589, 4011.0},
        {"San Juan - Anchorage", 18.4655, -66.1057, 61.2181, -149.9003, 7893.3},
        {"Sydney - Santiago", -33.8688, 151.2093, -33.4489, -70.6693, 11369.0},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const city_pair *p = &pairs[i];
        double d = geo_distance_km(p->lat1, p->lon1, p->lat2, p->lon2);
        double back = geo_distance_km(p->lat2, p->lon2, p->lat1, p->lon1);
        if (fabs(d - p->km) > 0.005 * p->km)
            print_error("%s: %.1f km, expected %.1f\n", p->name, d, p->km);
        assert_true(fabs(d - p->km) <= 0.005 * p->km);
        assert_true(fabs(d - back) <= 1e-9);
    }
    double half = M_PI * GEO_EARTH_RADIUS_KM;
    assert_true(geo_distance_km(12.5, 33.25, 12.5, 33.25) == 0.0);
    assert_true(fabs(geo_distance_km(0, 0, 0, 180) - half) < 1e-6);
    assert_true(fabs(geo_distance_km(90, 0, -90, 0) - half) < 1e-6);
    assert_true(fabs(geo_distance_km(90, 0, 0, 123) - half / 2) < 1e-6);
    /* one degree of longitude at the equator, across the antimeridian */
    assert_true(fabs(geo_distance_km(0, 179.5, 0, -179.5) - half / 180) < 1e-6);
    /* every longitude is the same place at a pole */
    assert_true(geo_distance_km(90, 10, 90, -170) < 1e-9);
    assert_true(isnan(geo_distance_km(NAN, 0, 0, 0)));
}

/* ------------------------------------------------------------------------
 * Edge cases
 * ------------------------------------------------------------------------ */

static void test_empty(void **state)
{
    (void)state;
    geo_hit out[4];
    geo_index *g = geo_build(NULL, 0);
    assert_non_null(g);
    assert_int_equal(geo_count(g), 0);
    assert_true(geo_bytes(g) > 0);
    assert_int_equal(geo_nearest(g, 40, -75, 1e9, 0, out, 4), 0);
    assert_int_equal(geo_nearest(g, 40, -75, INFINITY, 0, out, 4), 0);
    assert_int_equal(geo_nearest_brute(NULL, 0, 40, -75, 1e9, 0, out, 4), 0);
    geo_free(g);

    /* only invalid points: nothing indexed, nothing found either way */
    geo_point bad[] = {{NAN, 0, 0, 1}, {91, 0, 0, 2}, {0, 180.5, 0, 3}, {-90.001, 0, 0, 4}};
    g = geo_build(bad, 4);
    assert_int_equal(geo_count(g), 0);
    assert_int_equal(geo_nearest(g, 0, 0, INFINITY, 0, out, 4), 0);
    assert_int_equal(geo_nearest_brute(bad, 4, 0, 0, INFINITY, 0, out, 4), 0);
    geo_free(g);
    geo_free(NULL);
}

static void test_one_point(void **state)
{
    (void)state;
    geo_point p = {39.9526, -75.1652, 5, 77};
    geo_hit out[3];
    geo_index *g = geo_build(&p, 1);
    assert_int_equal(geo_count(g), 1);
    assert_int_equal(geo_nearest(g, 40.0, -75.0, 50, 0, out, 3), 1);
    assert_int_equal(out[0].id, 77);
    assert_true(out[0].km == geo_distance_km(40.0, -75.0, p.lat, p.lon));
    assert_int_equal(geo_nearest(g, 40.0, -75.0, 50, 4, out, 3), 1);
    assert_int_equal(geo_nearest(g, 40.0, -75.0, 50, 2, out, 3), 0);
    assert_int_equal(geo_nearest(g, 40.0, -75.0, 10, 0, out, 3), 0);
    geo_free(g);
}

static void test_k_zero(void **state)
{
    (void)state;
    geo_point pts[] = {{40, -75, 1, 1}, {40.01, -75, 1, 2}};
    geo_index *g = geo_build(pts, 2);
    assert_int_equal(geo_nearest(g, 40, -75, 100, 0, NULL, 0), 0);
    assert_int_equal(geo_nearest_brute(pts, 2, 40, -75, 100, 0, NULL, 0), 0);
    /* k larger than the index: every match, no more */
    geo_hit out[2];
    assert_int_equal(geo_nearest(g, 40, -75, 100, 0, out, SIZE_MAX), 2);
    assert_int_equal(out[0].id, 1);
    assert_int_equal(out[1].id, 2);
    assert_int_equal(geo_nearest_brute(pts, 2, 40, -75, 100, 0, out, SIZE_MAX), 2);
    geo_free(g);
}

static void test_radius_zero(void **state)
{
    (void)state;
    geo_point pts[] = {{47.25, -122.5, 0, 9}, {47.25, -122.5, 0, 3}, {47.2500001, -122.5, 0, 1}};
    geo_index *g = geo_build(pts, 3);
    geo_hit out[3];
    size_t n = geo_nearest(g, 47.25, -122.5, 0.0, 0, out, 3);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, 3);
    assert_int_equal(out[1].id, 9);
    assert_true(out[0].km == 0.0 && out[1].km == 0.0);
    assert_true(same_answer(g, pts, 3, 47.25, -122.5, 0.0, 0, 3));
    assert_int_equal(geo_nearest(g, 47.26, -122.5, 0.0, 0, out, 3), 0);
    geo_free(g);
}

static void test_invalid(void **state)
{
    (void)state;
    geo_point pts[] = {{0, 0, 0, 1}, {90, 0, 0, 2}, {-90, 0, 0, 3}, {0, 180, 0, 4}, {0, -180, 0, 5},
                       {NAN, 0, 0, 6}, {0, NAN, 0, 7}, {95, 0, 0, 8}, {0, -200, 0, 9}, {INFINITY, 0, 0, 10}};
    size_t n = sizeof pts / sizeof pts[0];
    geo_index *g = geo_build(pts, n);
    assert_int_equal(geo_count(g), 5);
    geo_hit out[10];
    static const double bad[][2] = {{NAN, 0}, {0, NAN}, {90.0001, 0}, {-91, 0}, {0, 180.0001},
                                    {0, -181}, {INFINITY, 0}, {0, -INFINITY}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(geo_nearest(g, bad[i][0], bad[i][1], INFINITY, 0, out, 10), 0);
        assert_int_equal(geo_nearest_brute(pts, n, bad[i][0], bad[i][1], INFINITY, 0, out, 10), 0);
    }
    /* NaN and negative radii find nothing; an infinite one everything valid */
    assert_int_equal(geo_nearest(g, 0, 0, NAN, 0, out, 10), 0);
    assert_int_equal(geo_nearest(g, 0, 0, -1, 0, out, 10), 0);
    assert_int_equal(geo_nearest_brute(pts, n, 0, 0, NAN, 0, out, 10), 0);
    assert_int_equal(geo_nearest_brute(pts, n, 0, 0, -1, 0, out, 10), 0);
    assert_int_equal(geo_nearest(g, 0, 0, INFINITY, 0, out, 10), 5);
    assert_int_equal(out[0].id, 1);
    assert_ordered(out, 5, INFINITY);
    for (size_t i = 0; i < 5; i++)
        assert_true(out[i].id <= 5);
    /* the edges of the valid range are valid queries */
    assert_true(same_answer(g, pts, n, 90, 0, INFINITY, 0, 10));
    assert_true(same_answer(g, pts, n, -90, 180, 20000, 0, 10));
    assert_true(same_answer(g, pts, n, 0, -180, 1, 0, 10));
    assert_true(same_answer(g, pts, n, 0, 180, 30000, 0, 10));
    geo_free(g);
}

static void test_antimeridian(void **state)
{
    (void)state;
    geo_point pts[] = {
        {0, 179.9, 0, 1},  {0, -179.9, 0, 2},   {0, 179.0, 0, 3},  {0, -179.0, 0, 4},
        {51.9, 179.95, 0, 5}, {51.9, -179.95, 0, 6}, {52.0, 177.5, 0, 7}, {13.4443, 144.7937, 0, 8},
        {0, 180, 0, 9},    {0, -180, 0, 10},
    };
    size_t n = sizeof pts / sizeof pts[0];
    geo_index *g = geo_build(pts, n);
    geo_hit out[10];

    assert_true(geo_distance_km(0, 179.9, 0, -179.9) < 22.3);
    /* from just east of the line: both sides, nearest first */
    size_t got = geo_nearest(g, 0, -179.97, 25, 0, out, 10);
    assert_int_equal(got, 4);
    /* 180 and -180 are the same place (equally far up to rounding) */
    assert_true((out[0].id == 9 && out[1].id == 10) || (out[0].id == 10 && out[1].id == 9));
    assert_true(fabs(out[0].km - out[1].km) < 1e-9);
    assert_int_equal(out[2].id, 2);
    assert_int_equal(out[3].id, 1);
    assert_true(out[3].km < 15);
    assert_ordered(out, got, 25);

    /* from the west side */
    got = geo_nearest(g, 0, 179.93, 25, 0, out, 10);
    assert_int_equal(got, 4);
    assert_int_equal(out[0].id, 1);
    assert_int_equal(out[3].id, 2);
    assert_ordered(out, got, 25);

    /* the Aleutians, across the line */
    got = geo_nearest(g, 51.9, -179.99, 10, 0, out, 10);
    assert_int_equal(got, 2);
    assert_int_equal(out[0].id, 6);
    assert_int_equal(out[1].id, 5);

    for (double lon = -180; lon <= 180; lon += 0.37) {
        assert_true(same_answer(g, pts, n, 0.01, lon, 150, 0, 3));
        assert_true(same_answer(g, pts, n, 51.9, lon, 300, 0, 10));
    }
    geo_free(g);
}

static void test_poles(void **state)
{
    (void)state;
    geo_point pts[80];
    size_t n = 0;
    for (int i = 0; i < 36; i++) {
        pts[n] = (geo_point){89.9, -180 + 10.0 * i, 0, (uint32_t)(100 + i)};
        n++;
        pts[n] = (geo_point){-89.5, -175 + 10.0 * i, 0, (uint32_t)(200 + i)};
        n++;
    }
    pts[n++] = (geo_point){90, 0, 0, 1};
    pts[n++] = (geo_point){-90, 45, 0, 2};
    pts[n++] = (geo_point){71.29, -156.79, 0, 3}; /* Utqiagvik, Alaska */
    geo_index *g = geo_build(pts, n);
    geo_hit out[40];

    /* from the north pole: the pole point, then the whole ring (equally far
     * up to rounding) */
    size_t got = geo_nearest(g, 90, 77, 12, 0, out, 40);
    assert_int_equal(got, 37);
    assert_int_equal(out[0].id, 1);
    assert_true(out[0].km < 1e-9);
    for (size_t i = 1; i < got; i++) {
        assert_true(fabs(out[i].km - 11.12) < 0.01);
        assert_true(out[i].km >= out[i - 1].km);
    }
    assert_true(same_answer(g, pts, n, 90, 77, 12, 0, 40));

    /* across the pole: a point at longitude 0 is near one at 180 */
    got = geo_nearest(g, 89.9, 0, 25, 0, out, 3);
    assert_int_equal(got, 3);
    assert_ordered(out, got, 25);
    assert_true(same_answer(g, pts, n, 89.9, 0, 25, 0, 40));

    /* the south pole and the southern ring */
    got = geo_nearest(g, -90, -3, 60, 0, out, 40);
    assert_int_equal(got, 37);
    assert_int_equal(out[0].id, 2);
    for (double lat = 85; lat <= 90; lat += 0.25) {
        for (double lon = -180; lon <= 180; lon += 7.5) {
            assert_true(same_answer(g, pts, n, lat, lon, 100, 0, 5));
            assert_true(same_answer(g, pts, n, -lat, lon, 100, 0, 5));
            assert_true(same_answer(g, pts, n, lat, lon, 2500, 0, 40));
        }
    }
    geo_free(g);
}

static void test_bits(void **state)
{
    (void)state;
    geo_point pts[] = {
        {40.000, -75, 0x1, 1}, {40.001, -75, 0x3, 2}, {40.002, -75, 0x2, 3},
        {40.003, -75, 0x7, 4}, {40.004, -75, 0x0, 5}, {40.005, -75, 1ull << 63, 6},
        {40.006, -75, (1ull << 63) | 0x4, 7},
    };
    size_t n = sizeof pts / sizeof pts[0];
    geo_index *g = geo_build(pts, n);
    geo_hit out[8];
    struct { uint64_t need; size_t count; uint32_t ids[7]; } cases[] = {
        {0, 7, {1, 2, 3, 4, 5, 6, 7}},
        {0x1, 3, {1, 2, 4}},
        {0x2, 3, {2, 3, 4}},
        {0x3, 2, {2, 4}},
        {0x4, 2, {4, 7}},
        {0x7, 1, {4}},
        {0x8, 0, {0}},
        {1ull << 63, 2, {6, 7}},
        {(1ull << 63) | 0x4, 1, {7}},
        {UINT64_MAX, 0, {0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t got = geo_nearest(g, 39.99, -75, 10, cases[c].need, out, 8);
        assert_int_equal(got, cases[c].count);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(out[i].id, cases[c].ids[i]);
        assert_true(same_answer(g, pts, n, 39.99, -75, 10, cases[c].need, 8));
        assert_true(same_answer(g, pts, n, 40.01, -75, 10, cases[c].need, 2));
    }

    /* a rare bit among many points: the subtree skipping must not lose it */
    rng r = {42};
    size_t big = 5000;
    geo_point *many = xmalloc(big * sizeof *many);
    for (size_t i = 0; i < big; i++)
        many[i] = (geo_point){rng_range(&r, 30, 45), rng_range(&r, -100, -80), 0x1, (uint32_t)i};
    many[1234].bits = 0x3;
    many[4321].bits = 0x5;
    geo_index *g2 = geo_build(many, big);
    assert_int_equal(geo_nearest(g2, 0, 0, INFINITY, 0x2, out, 8), 1);
    assert_int_equal(out[0].id, 1234);
    assert_int_equal(geo_nearest(g2, 37, -90, INFINITY, 0x4, out, 8), 1);
    assert_int_equal(out[0].id, 4321);
    assert_int_equal(geo_nearest(g2, 37, -90, INFINITY, 0x6, out, 8), 0);
    assert_true(same_answer(g2, many, big, 37, -90, 500, 0x2, 5));
    assert_true(same_answer(g2, many, big, 37, -90, 5000, 0x4, 5));
    geo_free(g2);
    free(many);
    geo_free(g);
}

static void test_ties(void **state)
{
    (void)state;
    /* exactly symmetric points around the query, and duplicates, with ids
     * given in no particular order */
    geo_point pts[] = {
        {0, 1, 0, 50}, {0, -1, 0, 7}, {1, 0, 0, 31}, {-1, 0, 0, 12},
        {0, 0.5, 0, 99}, {0, 0.5, 0, 4}, {0, 0.5, 0, 60}, {0, -0.5, 0, 5},
    };
    size_t n = sizeof pts / sizeof pts[0];
    geo_index *g = geo_build(pts, n);
    geo_hit out[8];
    size_t got = geo_nearest(g, 0, 0, 200, 0, out, 8);
    assert_int_equal(got, 8);
    /* four exactly tied at 0.5 degrees, then four exactly tied at 1 degree
     * (cos(0) is 1, so the equator and meridian pairs give the same bits) */
    static const uint32_t want[] = {4, 5, 60, 99, 7, 12, 31, 50};
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(out[i].id, want[i]);
        assert_true(out[i].km == out[i < 4 ? 0 : 4].km);
    }
    assert_true(out[0].km < out[4].km);
    /* k cuts a tie by id */
    got = geo_nearest(g, 0, 0, 200, 0, out, 2);
    assert_int_equal(got, 2);
    assert_int_equal(out[0].id, 4);
    assert_int_equal(out[1].id, 5);
    for (size_t k = 1; k <= 8; k++)
        assert_true(same_answer(g, pts, n, 0, 0, 200, 0, k));

    /* many duplicates at one place: the candidate buffer must grow */
    size_t big = 3000;
    geo_point *dup = xmalloc(big * sizeof *dup);
    for (size_t i = 0; i < big; i++)
        dup[i] = (geo_point){35.0, -106.6, i % 3, (uint32_t)(big - i)};
    geo_index *g2 = geo_build(dup, big);
    geo_hit *hits = xmalloc(big * sizeof *hits);
    got = geo_nearest(g2, 35.01, -106.6, 5, 0, hits, big);
    assert_int_equal(got, big);
    for (size_t i = 0; i < got; i++)
        assert_int_equal(hits[i].id, i + 1);
    assert_true(same_answer(g2, dup, big, 35.01, -106.6, 5, 0, 10));
    assert_true(same_answer(g2, dup, big, 35.01, -106.6, 5, 2, 700));
    assert_true(same_answer(g2, dup, big, 35.0, -106.6, 0, 1, big));
    free(hits);
    geo_free(g2);
    free(dup);
    geo_free(g);
}

/* ------------------------------------------------------------------------
 * Random queries against the brute force
 * ------------------------------------------------------------------------ */

/* Reads the ZIP centroids as points with id = the ZIP code. */
static geo_point *load_zcta(size_t *count)
{
    size_t len = 0;
    char *text = file_read(ZCTA_CSV, 16u << 20, &len);
    if (!text) {
        print_error("cannot read %s (run from the repository root)\n", ZCTA_CSV);
        return NULL;
    }
    csv_reader r;
    csv_init(&r, text, len);
    geo_point *pts = NULL;
    size_t n = 0, cap = 0;
    int lat_col = -1, lon_col = -1, zip_col = -1;
    rng bits = {20200401};
    int rc;
    while ((rc = csv_next_row(&r)) == 1) {
        if (r.row == 1) {
            zip_col = csv_find(&r, "zcta");
            lat_col = csv_find(&r, "lat");
            lon_col = csv_find(&r, "lon");
            if (zip_col < 0 || lat_col < 0 || lon_col < 0)
                break;
            continue;
        }
        char *end1, *end2;
        long zip;
        double lat = strtod(r.fields[lat_col], &end1);
        double lon = strtod(r.fields[lon_col], &end2);
        if (*end1 || *end2 || !parse_long(r.fields[zip_col], 0, 99999, &zip)) {
            print_error("%s row %ld: bad values\n", ZCTA_CSV, r.row);
            rc = -1;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            pts = xrealloc(pts, cap * sizeof *pts);
        }
        pts[n++] = (geo_point){lat, lon, random_bits(&bits), (uint32_t)zip};
    }
    if (rc < 0 && r.error[0])
        print_error("%s: %s\n", ZCTA_CSV, r.error);
    csv_free(&r);
    free(text);
    if (rc != 0 || zip_col < 0) {
        free(pts);
        return NULL;
    }
    *count = n;
    return pts;
}

static void test_zcta_random(void **state)
{
    (void)state;
    size_t n = 0;
    geo_point *pts = load_zcta(&n);
    assert_non_null(pts);
    assert_int_equal(n, ZCTA_ROWS);
    geo_index *g = geo_build(pts, n);
    assert_int_equal(geo_count(g), n);
    assert_true(geo_bytes(g) >= n * 40);

    rng r = {4242};
    size_t failures = 0, nonempty = 0, full = 0;
    for (int q = 0; q < 10000; q++) {
        double lat, lon;
        size_t kind = rng_below(&r, 10);
        if (kind < 6) {
            /* near a real point */
            const geo_point *p = &pts[rng_below(&r, n)];
            double j = kind == 0 ? 0.0 : kind < 3 ? 0.05 : 0.5;
            lat = p->lat + rng_range(&r, -j, j);
            lon = p->lon + rng_range(&r, -j, j);
            if (lat > 90)
                lat = 90;
            if (lat < -90)
                lat = -90;
            if (lon > 180)
                lon -= 360;
            if (lon < -180)
                lon += 360;
        } else if (kind < 9) {
            /* somewhere in or around the United States and territories */
            lat = rng_range(&r, 10, 72);
            lon = rng_range(&r, -180, -60);
            if (rng_below(&r, 8) == 0)
                lon = rng_range(&r, 140, 180);
        } else {
            /* anywhere, uniformly on the sphere */
            lat = asin(rng_range(&r, -1, 1)) * 180.0 / M_PI;
            lon = rng_range(&r, -180, 180);
        }
        /* radii 1 to 500 km, more of them small */
        double radius = exp(rng_range(&r, 0, log(500.0)));
        if (rng_below(&r, 50) == 0)
            radius = rng_below(&r, 2) ? 0.0 : 20100.0;
        size_t k = 1 + rng_below(&r, 50);
        uint64_t need = random_need(&r);
        geo_hit out[50];
        size_t got = geo_nearest(g, lat, lon, radius, need, out, k);
        nonempty += got > 0;
        full += got == k;
        if (!same_answer(g, pts, n, lat, lon, radius, need, k) && ++failures >= 10)
            break;
    }
    print_message("zcta: 10000 queries, %zu with hits, %zu with k hits\n", nonempty, full);
    assert_int_equal(failures, 0);
    /* the queries must exercise both empty and full answers */
    assert_true(nonempty > 3000);
    assert_true(nonempty < 9000);
    assert_true(full > 1000);
    geo_free(g);
    free(pts);
}

static void test_global_random(void **state)
{
    (void)state;
    rng r = {777};
    size_t n = 6000;
    geo_point *pts = xmalloc(n * sizeof *pts);
    for (size_t i = 0; i < n; i++) {
        double lat, lon;
        size_t kind = rng_below(&r, 4);
        if (kind == 0) {
            lat = rng_range(&r, 85, 90) * (rng_below(&r, 2) ? 1 : -1);
            lon = rng_range(&r, -180, 180);
        } else if (kind == 1) {
            lat = rng_range(&r, -70, 70);
            lon = rng_below(&r, 2) ? rng_range(&r, 178, 180) : rng_range(&r, -180, -178);
        } else {
            lat = asin(rng_range(&r, -1, 1)) * 180.0 / M_PI;
            lon = rng_range(&r, -180, 180);
        }
        /* a few exact duplicates and exact repeats of ids */
        if (i > 0 && rng_below(&r, 30) == 0) {
            lat = pts[i - 1].lat;
            lon = pts[i - 1].lon;
        }
        pts[i] = (geo_point){lat, lon, random_bits(&r), (uint32_t)(rng_below(&r, 2) ? i : rng_below(&r, n))};
    }
    geo_index *g = geo_build(pts, n);
    size_t failures = 0;
    for (int q = 0; q < 3000 && failures < 10; q++) {
        double lat, lon;
        if (rng_below(&r, 2)) {
            const geo_point *p = &pts[rng_below(&r, n)];
            lat = fmin(90, fmax(-90, p->lat + rng_range(&r, -0.1, 0.1)));
            lon = p->lon + rng_range(&r, -0.3, 0.3);
            lon = lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
        } else {
            lat = rng_range(&r, -90, 90);
            lon = rng_range(&r, -180, 180);
        }
        double radius = exp(rng_range(&r, 0, log(21000.0)));
        size_t k = 1 + rng_below(&r, 60);
        if (!same_answer(g, pts, n, lat, lon, radius, random_need(&r), k))
            failures++;
    }
    assert_int_equal(failures, 0);
    geo_free(g);
    free(pts);
}

/* 100,000 points: past GEO_PARALLEL_MIN, so the root's quarters are built
 * by two threads; the answers must still be the brute force's. */
static void test_large_built_in_two_threads(void **state)
{
    (void)state;
    rng r = {31337};
    size_t n = 100000;
    geo_point *pts = xmalloc(n * sizeof *pts);
    for (size_t i = 0; i < n; i++) {
        double lat = asin(rng_range(&r, -1, 1)) * 180.0 / M_PI, lon = rng_range(&r, -180, 180);
        pts[i] = (geo_point){lat, lon, random_bits(&r), (uint32_t)i};
    }
    geo_index *g = geo_build(pts, n);
    assert_int_equal(geo_count(g), n);
    size_t failures = 0;
    for (int q = 0; q < 400 && failures < 10; q++) {
        const geo_point *p = &pts[rng_below(&r, n)];
        double radius = exp(rng_range(&r, 0, log(3000.0)));
        if (!same_answer(g, pts, n, p->lat, p->lon, radius, random_need(&r), 1 + rng_below(&r, 30)))
            failures++;
    }
    assert_int_equal(failures, 0);
    geo_free(g);
    free(pts);
}

/* ------------------------------------------------------------------------
 * Publication
 * ------------------------------------------------------------------------ */

static void test_acquire_before_publish(void **state)
{
    (void)state;
    assert_null(geo_acquire());
    geo_release(NULL);
    geo_point p = {1, 2, 3, 4};
    geo_publish(geo_build(&p, 1));
    geo_index *g = geo_acquire();
    assert_non_null(g);
    assert_int_equal(geo_count(g), 1);
    /* replaced while held: stays usable until released */
    geo_publish(geo_build(NULL, 0));
    geo_hit out[1];
    assert_int_equal(geo_nearest(g, 1, 2, 1, 0, out, 1), 1);
    assert_int_equal(out[0].id, 4);
    geo_release(g);
    g = geo_acquire();
    assert_int_equal(geo_count(g), 0);
    geo_release(g);
    geo_publish(NULL);
    assert_null(geo_acquire());
}

#define SNAPSHOTS 300
#define READERS 4

/* Snapshot v holds v + 1 points, all with id v, around (40, -100). */
static geo_index *snapshot(uint32_t v)
{
    size_t n = v + 1;
    geo_point *pts = xmalloc(n * sizeof *pts);
    for (size_t i = 0; i < n; i++)
        pts[i] = (geo_point){40 + 0.001 * (double)i, -100, 1, v};
    geo_index *g = geo_build(pts, n);
    free(pts);
    return g;
}

typedef struct reader_job {
    atomic_bool *stop;
    size_t reads, bad, last;
} reader_job;

static void *reader(void *arg)
{
    reader_job *j = arg;
    geo_hit out[3];
    while (!atomic_load(j->stop) || j->reads < 1000) {
        geo_index *g = geo_acquire();
        if (!g) {
            j->bad++;
            break;
        }
        size_t n = geo_count(g);
        size_t got = geo_nearest(g, 40, -100, 1000, 1, out, 3);
        uint32_t v = (uint32_t)(n - 1);
        if (got != (n < 3 ? n : 3) || (got > 0 && out[0].id != v) || v < j->last)
            j->bad++;
        j->last = v;
        geo_release(g);
        j->reads++;
    }
    return NULL;
}

static void *publisher(void *arg)
{
    (void)arg;
    for (uint32_t v = 1; v < SNAPSHOTS; v++)
        geo_publish(snapshot(v));
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    atomic_bool stop;
    atomic_init(&stop, false);
    geo_publish(snapshot(0));
    pthread_t th[READERS], pub;
    reader_job jobs[READERS];
    for (int i = 0; i < READERS; i++) {
        jobs[i] = (reader_job){&stop, 0, 0, 0};
        assert_int_equal(pthread_create(&th[i], NULL, reader, &jobs[i]), 0);
    }
    assert_int_equal(pthread_create(&pub, NULL, publisher, NULL), 0);
    assert_int_equal(pthread_join(pub, NULL), 0);
    atomic_store(&stop, true);
    for (int i = 0; i < READERS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(jobs[i].bad, 0);
        assert_true(jobs[i].reads >= 1000);
    }
    geo_index *g = geo_acquire();
    assert_int_equal(geo_count(g), SNAPSHOTS);
    geo_release(g);
    geo_publish(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance_known),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_one_point),
        cmocka_unit_test(test_k_zero),
        cmocka_unit_test(test_radius_zero),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_antimeridian),
        cmocka_unit_test(test_poles),
        cmocka_unit_test(test_bits),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_zcta_random),
        cmocka_unit_test(test_global_random),
        cmocka_unit_test(test_large_built_in_two_threads),
        cmocka_unit_test(test_acquire_before_publish),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
