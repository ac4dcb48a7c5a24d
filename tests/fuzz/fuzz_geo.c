/* fuzz_geo: libFuzzer harness for the geographic index (src/locator/geo.c).
 *
 * The input describes points and queries. Header: a point count (2 bytes,
 * up to 600) and a query count (1 byte, up to 16). Then each point is a
 * coordinate pair and a bits byte, and each query a centre, a radius, a
 * need mask and k. A coordinate is chosen by a kind byte: a raw 8-byte
 * double (so NaN, infinities and out-of-range values appear), one of a
 * table of special values (poles, the antimeridian, just inside and outside
 * the valid range), a uniform value from 4 bytes, or (for points and query
 * centres) a tiny offset from an earlier point, which makes exact and near
 * ties. Points the input runs out of are made by a generator seeded from
 * the input, clustered around the earlier ones, so deep trees are covered.
 *
 * For every query geo_nearest must return exactly what geo_nearest_brute
 * does (count, ids, order, km to the bit), with hits ordered by (km, id)
 * and within the radius; anything else aborts. */
#include "locator/geo.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 600
#define MAX_QUERIES 16
#define MAX_K 80

typedef struct input {
    const uint8_t *p;
    size_t n, pos;
    uint64_t rng;                   /* used once the input is exhausted */
} input;

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t take(input *in, size_t bytes)
{
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; i++) {
        uint8_t b = in->pos < in->n ? in->p[in->pos++] : (uint8_t)mix(&in->rng);
        v = v << 8 | b;
    }
    return v;
}

static double unit(input *in)
{
    return (double)take(in, 4) / 4294967295.0;
}

static const double special_lat[] = {
    0, 90, -90, 89.999999, -89.999999, 90.0000001, -90.0000001, 45, 1e-300, -0.0, 71.29, 13.44, 21.3,
};
static const double special_lon[] = {
    0, 180, -180, 179.999999, -179.999999, 180.0000001, -180.0000001, 179.9, -179.9, 90, -0.0, 144.79, -157.86,
};

/* kind: 0 raw, 1 special, 2 near an earlier point, otherwise uniform. */
static double coord(input *in, bool is_lat, const geo_point *pts, size_t npts)
{
    uint8_t kind = (uint8_t)take(in, 1) % 8;
    double lim = is_lat ? 90.0 : 180.0;
    if (kind == 0) {
        uint64_t bits = take(in, 8);
        double d;
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    if (kind == 1) {
        size_t i = (size_t)take(in, 1);
        return is_lat ? special_lat[i % (sizeof special_lat / sizeof special_lat[0])]
                      : special_lon[i % (sizeof special_lon / sizeof special_lon[0])];
    }
    if ((kind == 2 || kind == 3) && npts > 0) {
        const geo_point *p = &pts[take(in, 2) % npts];
        double base = is_lat ? p->lat : p->lon;
        if (!(base >= -lim && base <= lim))
            base = 0;
        /* 0, or up to about 0.1 degrees either way, in steps that make ties */
        double off = (double)((int)(take(in, 1) % 21) - 10) * (kind == 2 ? 1e-7 : 1e-2);
        double v = base + off;
        return v > lim ? lim : v < -lim ? -lim : v;
    }
    return -lim + 2.0 * lim * unit(in);
}

static const double radii[] = {0, 1e-9, 0.001, 1, 11.1, 25, 100, 500, 5000, 10007.5, 20015.086, 20016, INFINITY,
                               -1, NAN};

static double radius(input *in)
{
    uint8_t kind = (uint8_t)take(in, 1) % 4;
    if (kind == 0) {
        uint64_t bits = take(in, 8);
        double d;
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    if (kind == 1)
        return radii[take(in, 1) % (sizeof radii / sizeof radii[0])];
    return exp(unit(in) * log(21000.0));
}

static uint64_t bits_from(uint8_t b)
{
    /* 7 low bits and the top bit */
    return (uint64_t)(b & 0x7f) | ((uint64_t)(b & 0x80) << 56);
}

static void check(const geo_index *g, const geo_point *pts, size_t n, double lat, double lon, double r,
                  uint64_t need, size_t k)
{
    static geo_hit a[MAX_K], b[MAX_K];
    size_t na = geo_nearest(g, lat, lon, r, need, a, k);
    size_t nb = geo_nearest_brute(pts, n, lat, lon, r, need, b, k);
    if (na != nb || na > k)
        abort();
    for (size_t i = 0; i < na; i++) {
        if (a[i].id != b[i].id || memcmp(&a[i].km, &b[i].km, sizeof a[i].km) != 0)
            abort();
        if (!(a[i].km <= r) || a[i].km < 0)
            abort();
        if (i > 0 && !(a[i - 1].km < a[i].km || (a[i - 1].km == a[i].km && a[i - 1].id <= a[i].id)))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static geo_point pts[MAX_POINTS];
    input in = {data, size, 0, 0};
    for (size_t i = 0; i < size; i++)
        in.rng = in.rng * 31 + data[i];
    size_t n = (size_t)take(&in, 2) % (MAX_POINTS + 1);
    size_t nq = 1 + (size_t)take(&in, 1) % MAX_QUERIES;
    for (size_t i = 0; i < n; i++) {
        pts[i].lat = coord(&in, true, pts, i);
        pts[i].lon = coord(&in, false, pts, i);
        pts[i].bits = bits_from((uint8_t)take(&in, 1));
        pts[i].id = (uint32_t)(take(&in, 1) % 4 == 0 ? take(&in, 1) : i);
    }
    geo_index *g = geo_build(pts, n);
    size_t valid = 0;
    for (size_t i = 0; i < n; i++)
        valid += pts[i].lat >= -90 && pts[i].lat <= 90 && pts[i].lon >= -180 && pts[i].lon <= 180;
    if (geo_count(g) != valid)
        abort();
    for (size_t q = 0; q < nq; q++) {
        double lat = coord(&in, true, pts, n);
        double lon = coord(&in, false, pts, n);
        double r = radius(&in);
        uint8_t nb = (uint8_t)take(&in, 1);
        uint64_t need = nb % 3 == 0 ? 0 : bits_from((uint8_t)(take(&in, 1) & take(&in, 1)));
        size_t k = (size_t)take(&in, 1) % MAX_K;
        check(g, pts, n, lat, lon, r, need, k);
    }
    geo_free(g);
    return 0;
}
