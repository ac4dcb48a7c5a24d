/* test_map_snapshot: unit tests for src/locator/map_snapshot.c, the map
 * index's input points packed into one checked blob.
 *
 * Checks that points come back exactly (ids, coordinates to the bit, all
 * 64 bits, an empty list), that feeding a copy in pieces of any size gives
 * the same points as feeding it whole, and that anything else is refused
 * with nothing allocated: a short or long copy, another mark, version or
 * count, one flipped byte anywhere, more bytes fed than announced, a
 * reader never fed. */
#include "locator/map_snapshot.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define N 1000

static geo_point *sample(size_t n)
{
    geo_point *p = calloc(n ? n : 1, sizeof(geo_point));
    for (size_t i = 0; i < n; i++)
        p[i] = (geo_point){-89.9 + (double)i * 0.17, 179.99 - (double)i * 0.33, (uint64_t)i * 0x9e3779b97f4a7c15u,
                           (uint32_t)(i * 7 + 1)};
    if (n > 2) {
        p[1].lat = NAN; /* invalid points are kept as they are: geo_build drops them */
        p[2].bits = UINT64_MAX;
        p[2].id = UINT32_MAX;
    }
    return p;
}

static unsigned char *packed(const geo_point *p, size_t n, size_t *len)
{
    *len = map_snapshot_size(n);
    unsigned char *b = malloc(*len);
    map_snapshot_pack(p, n, b);
    return b;
}

static void assert_same_points(const geo_point *a, const geo_point *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_memory_equal(&a[i].lat, &b[i].lat, sizeof(double));
        assert_memory_equal(&a[i].lon, &b[i].lon, sizeof(double));
        assert_true(a[i].bits == b[i].bits);
        assert_int_equal(a[i].id, b[i].id);
    }
}

static void points_come_back_exactly(void **state)
{
    (void)state;
    geo_point *p = sample(N);
    size_t len;
    unsigned char *b = packed(p, N, &len);
    assert_int_equal(len, MAP_SNAPSHOT_HEADER + N * MAP_SNAPSHOT_POINT);
    geo_point *q;
    size_t n;
    assert_true(map_snapshot_unpack(b, len, &q, &n));
    assert_int_equal(n, N);
    assert_same_points(p, q, N);
    free(q);
    free(b);
    b = packed(p, 0, &len); /* no points at all */
    assert_true(map_snapshot_unpack(b, len, &q, &n));
    assert_int_equal(n, 0);
    free(q);
    free(b);
    free(p);
}

static void pieces_of_any_size_give_the_same_points(void **state)
{
    (void)state;
    geo_point *p = sample(50);
    size_t len;
    unsigned char *b = packed(p, 50, &len);
    size_t sizes[] = {1, 3, 15, 16, 17, 27, 28, 29, 100, 4096};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        map_snapshot_reader r;
        map_snapshot_read_begin(&r, len);
        for (size_t at = 0; at < len; at += sizes[s])
            map_snapshot_read_feed(&r, b + at, len - at < sizes[s] ? len - at : sizes[s]);
        geo_point *q;
        size_t n;
        assert_true(map_snapshot_read_end(&r, &q, &n));
        assert_int_equal(n, 50);
        assert_same_points(p, q, 50);
        free(q);
    }
    free(b);
    free(p);
}

static void refuse(const unsigned char *b, size_t len)
{
    geo_point *q = (geo_point *)1;
    size_t n = 99;
    assert_false(map_snapshot_unpack(b, len, &q, &n));
    assert_null(q);
    assert_int_equal(n, 0);
}

static void damaged_copies_are_refused(void **state)
{
    (void)state;
    geo_point *p = sample(20);
    size_t len;
    unsigned char *b = packed(p, 20, &len);
    refuse(NULL, 0);
    refuse(b, 0);
    refuse(b, MAP_SNAPSHOT_HEADER - 1);
    refuse(b, len - 1);            /* short */
    refuse(b, len - MAP_SNAPSHOT_POINT);
    unsigned char *longer = calloc(len + MAP_SNAPSHOT_POINT, 1);
    memcpy(longer, b, len);
    refuse(longer, len + MAP_SNAPSHOT_POINT); /* a point more than the count says */
    free(longer);
    for (size_t i = 0; i < len; i++) { /* one flipped byte anywhere: mark, version, count, CRC or a point */
        b[i] ^= 0x20;
        refuse(b, len);
        b[i] ^= 0x20;
    }
    geo_point *q;
    size_t n;
    assert_true(map_snapshot_unpack(b, len, &q, &n)); /* and put back, it reads again */
    free(q);
    free(b);
    free(p);
}

static void a_reader_fed_wrongly_gives_nothing(void **state)
{
    (void)state;
    geo_point *p = sample(5);
    size_t len;
    unsigned char *b = packed(p, 5, &len);
    geo_point *q;
    size_t n;
    map_snapshot_reader r;
    map_snapshot_read_begin(&r, len); /* more than announced */
    map_snapshot_read_feed(&r, b, len);
    map_snapshot_read_feed(&r, b, 1);
    assert_false(map_snapshot_read_end(&r, &q, &n));
    assert_null(q);
    map_snapshot_read_begin(&r, len); /* never fed */
    assert_false(map_snapshot_read_end(&r, &q, &n));
    map_snapshot_read_begin(&r, len); /* stopped part way (a failed database read) */
    map_snapshot_read_feed(&r, b, len / 2);
    assert_false(map_snapshot_read_end(&r, &q, &n));
    assert_int_equal(n, 0);
    free(b);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_come_back_exactly),
        cmocka_unit_test(pieces_of_any_size_give_the_same_points),
        cmocka_unit_test(damaged_copies_are_refused),
        cmocka_unit_test(a_reader_fed_wrongly_gives_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
