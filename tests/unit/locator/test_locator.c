/* test_locator: the locator's core (src/locator/locator.c): Waypost codes
 * and their index bits (read from data/taxonomy/waypost.json, bad entries
 * refused by name), "where" as a ZIP code or latitude,longitude (with the
 * bundled ZCTA centroids), and the index built from the bundled directory
 * giving the brute-force answer. */
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
#include "core/util.h"
#include "wp_test.h"
#include "wp_tempdir.h"

static void codes_have_distinct_bits(void **state)
{
    (void)state;
    assert_int_equal(loc_ncodes, 39);
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

/* The bundled taxonomy as the finder shows it: the file's order, names and
 * bits, terms before attributes. */
static void codes_come_from_the_taxonomy_file(void **state)
{
    (void)state;
    assert_string_equal(loc_codes[0].code, "naloxone");
    assert_string_equal(loc_codes[0].label, "Naloxone");
    assert_false(loc_codes[0].attribute);
    const loc_code *m = loc_code_find("methadone"), *id = loc_code_find("no-id-required");
    assert_string_equal(m->label, "Methadone (opioid treatment program)");
    assert_false(m->attribute);
    assert_string_equal(id->label, "No ID needed");
    assert_true(id->attribute);
    assert_string_equal(loc_code_find("mail-based-supplies")->label, "Supplies by mail");
    assert_true(loc_code_bit("reentry") == (uint64_t)1 << 38);
    bool seen_attribute = false;
    for (int i = 0; i < loc_ncodes; i++) {
        assert_false(seen_attribute && !loc_codes[i].attribute); /* terms first */
        seen_attribute |= loc_codes[i].attribute;
    }
}

static char tax_dir[64];

/* Writes text as tax_dir's taxonomy file and loads it. */
static bool load_taxonomy(const char *text, char *err, size_t errlen)
{
    wp_write(tax_dir, "taxonomy/waypost.json", text);
    config c;
    config_defaults(&c);
    str_copy(c.data_dir, sizeof(c.data_dir), tax_dir);
    return locator_codes_load(&c, err, errlen);
}

static void load_bundled_taxonomy(void)
{
    config c;
    config_defaults(&c);
    char err[512];
    if (!locator_codes_load(&c, err, sizeof(err)))
        fail_msg("%s", err);
}

#define TERM(code, name, bit) "{\"code\": \"" code "\", \"name\": \"" name "\", \"bit\": " bit "}"

/* The bit is the file's, not the entry's position. */
static void bits_are_taken_from_the_file(void **state)
{
    (void)state;
    char err[512] = "";
    wp_temp_dir(tax_dir);
    bool ok = load_taxonomy("{\"terms\": [" TERM("b", "Bee", "5") "], \"attributes\": [" TERM("a", "Ay", "2") "]}",
                            err, sizeof(err));
    if (!ok)
        fail_msg("%s", err);
    assert_int_equal(loc_ncodes, 2);
    assert_true(loc_code_bit("b") == (uint64_t)1 << 5);
    assert_true(loc_codes_bits("a,b") == (((uint64_t)1 << 2) | ((uint64_t)1 << 5)));
    assert_true(loc_code_find("a")->attribute);
    assert_string_equal(loc_code_find("b")->label, "Bee");
    load_bundled_taxonomy();
    wp_remove_dir(tax_dir);
}

/* Each kind of bad entry stops the load with the file, the list, the
 * entry and the reason; the codes loaded before stay. */
static void bad_taxonomy_entries_are_refused_by_name(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"terms\": [" TERM("ok", "Ok", "0") ", {\"name\": \"No code\", \"bit\": 1}], \"attributes\": []}",
         "taxonomy/waypost.json: terms[1]: the code must be 1 to 63 of a-z, 0-9 and -"},
        {"{\"terms\": [" TERM("Bad Code", "X", "0") "], \"attributes\": []}",
         "taxonomy/waypost.json: terms[0] \"Bad Code\": the code must be"},
        {"{\"terms\": [{\"code\": \"x\", \"bit\": 0}], \"attributes\": []}", "terms[0] \"x\": no name"},
        {"{\"terms\": [" TERM("x", "", "0") "], \"attributes\": []}", "terms[0] \"x\": no name"},
        {"{\"terms\": [{\"code\": \"x\", \"name\": \"X\"}], \"attributes\": []}",
         "terms[0] \"x\": \"bit\" must be a whole number from 0 to 63"},
        {"{\"terms\": [" TERM("x", "X", "64") "], \"attributes\": []}", "terms[0] \"x\": \"bit\" must be"},
        {"{\"terms\": [" TERM("x", "X", "-1") "], \"attributes\": []}", "terms[0] \"x\": \"bit\" must be"},
        {"{\"terms\": [" TERM("x", "X", "\"3\"") "], \"attributes\": []}", "terms[0] \"x\": \"bit\" must be"},
        {"{\"terms\": [" TERM("x", "X", "1.5") "], \"attributes\": []}", "terms[0] \"x\": \"bit\" must be"},
        {"{\"terms\": [" TERM("x", "X", "0") "], \"attributes\": [" TERM("x", "Also x", "1") "]}",
         "attributes[0] \"x\": the code is listed twice"},
        {"{\"terms\": [" TERM("x", "X", "7") ", " TERM("y", "Y", "7") "], \"attributes\": []}",
         "terms[1] \"y\": bit 7 is already the bit of \"x\""},
        {"{\"terms\": [], \"attributes\": []}", "taxonomy/waypost.json: \"terms\" must be a list of 1 to 64 entries"},
        {"{\"terms\": [" TERM("x", "X", "0") "]}", "\"attributes\" must be a list of 0 to 64 entries"},
        {"{\"terms\": [" TERM("x", "X", "0") "], \"attributes\": {}}", "\"attributes\" must be a list"},
        {"{\"terms\": [" TERM("x", "X", "0") ",]}", "taxonomy/waypost.json: line 1 column"},
    };
    wp_temp_dir(tax_dir);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[512] = "";
        if (load_taxonomy(cases[i].text, err, sizeof(err)))
            fail_msg("case %zu loaded: %s", i, cases[i].text);
        assert_contains(err, tax_dir);
        assert_contains(err, cases[i].want);
        assert_int_equal(loc_ncodes, 39); /* the bundled codes are still there */
        assert_non_null(loc_code_find("naloxone"));
    }
    wp_remove_dir(tax_dir);
    config c;
    config_defaults(&c);
    str_copy(c.data_dir, sizeof(c.data_dir), "/nonexistent");
    char err[512];
    assert_false(locator_codes_load(&c, err, sizeof(err)));
    assert_contains(err, "cannot read /nonexistent/taxonomy/waypost.json");
}

static int load_codes(void **state)
{
    (void)state;
    load_bundled_taxonomy();
    return 0;
}

static int free_codes(void **state)
{
    (void)state;
    locator_codes_free();
    return 0;
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
        cmocka_unit_test(codes_come_from_the_taxonomy_file),
        cmocka_unit_test(bits_are_taken_from_the_file),
        cmocka_unit_test(bad_taxonomy_entries_are_refused_by_name),
        cmocka_unit_test_setup_teardown(where_parses_zip_and_coordinates, load_zips, free_zips),
        cmocka_unit_test(index_matches_brute_force_on_bundled_data),
    };
    return cmocka_run_group_tests(tests, load_codes, free_codes);
}
