/* test_locator: the locator's core (src/locator/locator.c): Waypost codes
 * and their index bits, "where" as a ZIP code or latitude,longitude (with
 * the bundled ZCTA centroids), and the index built from the bundled
 * directory giving the brute-force answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "hsds/hsds_import.h"
#include "locator/locator.h"
#include "hsds/hsds_store.h"
#include "locator/geo.h"
#include "wp_test.h"

static void codes_have_distinct_bits(void **state)
{
    (void)state;
    assert_true(loc_ncodes <= 64);
    uint64_t all = 0;
    for (int i = 0; i < loc_ncodes; i++) {
        uint64_t b = loc_code_bit(loc_codes[i].code);
        assert_true(b != 0 && (all & b) == 0);
        all |= b;
    }
    assert_int_equal(loc_code_bit("nope"), 0);
    assert_true(loc_codes_bits("naloxone,free,unknown") == (loc_code_bit("naloxone") | loc_code_bit("free")));
    assert_true(loc_codes_bits("") == 0);
}

static int load_zips(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256];
    if (!locator_zips_load(&c, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int free_zips(void **state)
{
    (void)state;
    locator_zips_free();
    return 0;
}

static void where_parses_zip_and_coordinates(void **state)
{
    (void)state;
    double lat, lon;
    assert_int_equal(locator_where("10001", &lat, &lon), 0);
    assert_true(fabs(lat - 40.75) < 0.1 && fabs(lon + 73.99) < 0.1);
    assert_int_equal(locator_where(" 10001-1234 ", &lat, &lon), 0);
    assert_int_equal(locator_where("00000", &lat, &lon), 1);
    assert_int_equal(locator_where("40.5,-73.9", &lat, &lon), 0);
    assert_true(lat == 40.5 && lon == -73.9);
    assert_int_equal(locator_where("91,0", &lat, &lon), 2);
    assert_int_equal(locator_where("0,181", &lat, &lon), 2);
    assert_int_equal(locator_where("nan,0", &lat, &lon), 3);
    assert_int_equal(locator_where("somewhere", &lat, &lon), 3);
    assert_int_equal(locator_where("1e999,0", &lat, &lon), 3);
    assert_int_equal(locator_where("", &lat, &lon), 3);
}

static sqlite3 *temp_db(void)
{
    char path[64];
    sqlite3 *db = wp_temp_db(path);
    unlink(path); /* the open connection keeps it */
    return db;
}

struct pts {
    geo_point p[40000];
    size_t n;
};

static void collect(void *ctx, uint32_t id, double lat, double lon, const char *codes)
{
    struct pts *ps = ctx;
    if (ps->n < 40000)
        ps->p[ps->n++] = (geo_point){lat, lon, loc_codes_bits(codes), id};
}

/* The index gives the brute-force answer on the bundled directory itself:
 * 10,000 random queries (centres near real listings and anywhere in the
 * US, radii 1-300 km, k 1-40, filters from the services' own codes). */
static void index_matches_brute_force_on_bundled_data(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512];
    assert_true(hsds_import_path(db, "data/taxonomy/waypost.json", &c, err, sizeof(err)));
    assert_true(hsds_import_path(db, "data/directory/samhsa-otp-2017.ndjson.gz", &c, err, sizeof(err)));
    assert_true(hsds_import_path(db, "data/directory/samhsa-moud-2020.ndjson.gz", &c, err, sizeof(err)));
    static struct pts ps;
    ps.n = 0;
    assert_true(hsds_store_each_point(db, collect, &ps));
    assert_true(ps.n > 7000);
    geo_index *g = geo_build(ps.p, ps.n);
    uint64_t seed = 42;
    geo_hit a[40], b[40];
    for (int q = 0; q < 10000; q++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        const geo_point *near = &ps.p[(seed >> 33) % ps.n];
        double lat = (q % 2) ? near->lat + (double)((seed >> 13) % 2000) / 10000.0 - 0.1
                             : 25.0 + (double)((seed >> 7) % 2400) / 100.0;
        double lon = (q % 2) ? near->lon + (double)((seed >> 23) % 2000) / 10000.0 - 0.1
                             : -124.0 + (double)((seed >> 17) % 5700) / 100.0;
        double radius = 1.0 + (double)((seed >> 40) % 300);
        size_t k = 1 + (seed >> 50) % 40;
        uint64_t need = (q % 3 == 0) ? 0 : (near->bits & ((uint64_t)1 << ((seed >> 5) % 24)));
        size_t n1 = geo_nearest(g, lat, lon, radius, need, a, k);
        size_t n2 = geo_nearest_brute(ps.p, ps.n, lat, lon, radius, need, b, k);
        assert_int_equal(n1, n2);
        for (size_t i = 0; i < n1; i++)
            assert_int_equal(a[i].id, b[i].id);
    }
    geo_free(g);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_have_distinct_bits),
        cmocka_unit_test_setup_teardown(where_parses_zip_and_coordinates, load_zips, free_zips),
        cmocka_unit_test(index_matches_brute_force_on_bundled_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
