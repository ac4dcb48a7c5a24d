/* test_areas: the site's named areas (data/vocab/areas.json). The bundled
 * empty list loads; a good list is read with its ZIP codes; each kind of
 * bad entry is refused with the file and the entry named and the areas
 * loaded before stay; what people type is checked into an area key (ZIP,
 * ZIP+4, a slug in any case, spaces around it) and anything else refused;
 * an area covers its own ZIP codes only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "community/areas.h"
#include "core/util.h"
#include "wp_test.h"
#include "wp_tempdir.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static char dir[64];

static void write_areas(const char *json)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/vocab", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/vocab/areas.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
}

static const char *good = "{\"areas\": [{\"slug\": \"downtown\", \"name\": \"Downtown\", \"zips\": [\"97204\", \"97205\"]},"
                          " {\"slug\": \"east-side\", \"name\": \"East side\", \"zips\": [\"97214\"]}]}";

static int setup(void **state)
{
    (void)state;
    wp_temp_dir(dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    areas_unload();
    wp_remove_dir(dir);
    return 0;
}

static void bundled_list_loads_empty(void **state)
{
    (void)state;
    char err[512];
    if (!areas_load_dir("data", err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(areas_count(), 0);
    char key[AREA_KEY_MAX];
    assert_true(areas_check("97214", key, sizeof(key)));
    assert_false(areas_check("downtown", key, sizeof(key)));
}

static void good_list_is_read(void **state)
{
    (void)state;
    char err[512];
    write_areas(good);
    if (!areas_load_dir(dir, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(areas_count(), 2);
    const area *a = areas_find("east-side");
    assert_non_null(a);
    assert_string_equal(a->name, "East side");
    assert_int_equal(a->nzips, 1);
    assert_string_equal(areas_at(0)->zips[1], "97205");
    assert_string_equal(areas_label("downtown"), "Downtown");
    assert_string_equal(areas_label("10001"), "10001");
}

static void check_normalises_what_people_type(void **state)
{
    (void)state;
    char err[512], key[AREA_KEY_MAX];
    write_areas(good);
    assert_true(areas_load_dir(dir, err, sizeof(err)));
    assert_true(areas_check("  97214 ", key, sizeof(key)));
    assert_string_equal(key, "97214");
    assert_true(areas_check("97214-1234", key, sizeof(key)));
    assert_string_equal(key, "97214");
    assert_true(areas_check("DownTown", key, sizeof(key)));
    assert_string_equal(key, "downtown");
    const char *bad[] = {"", "   ", "9721", "972145", "97214-12", "uptown", "97a14", "<b>", NULL};
    for (int i = 0; bad[i]; i++)
        assert_false(areas_check(bad[i], key, sizeof(key)));
    assert_false(areas_check(NULL, key, sizeof(key)));
}

static void covers_own_zips_only(void **state)
{
    (void)state;
    char err[512];
    write_areas(good);
    assert_true(areas_load_dir(dir, err, sizeof(err)));
    assert_true(areas_covers("downtown", "97205"));
    assert_false(areas_covers("downtown", "97214"));
    assert_true(areas_covers("97214", "97214"));
    assert_false(areas_covers("97214", "97215"));
    assert_false(areas_covers("nowhere", "97214"));
}

static void bad_entries_are_refused_and_named(void **state)
{
    (void)state;
    char err[512];
    write_areas(good);
    assert_true(areas_load_dir(dir, err, sizeof(err)));
    struct {
        const char *json, *says;
    } cases[] = {
        {"{\"areas\": [{\"slug\": \"Down Town\", \"name\": \"x\", \"zips\": [\"97204\"]}]}", "areas[0]"},
        {"{\"areas\": [{\"slug\": \"97204\", \"name\": \"x\", \"zips\": [\"97204\"]}]}", "not a ZIP"},
        {"{\"areas\": [{\"slug\": \"a\", \"name\": \"x\", \"zips\": [\"97204\"]}, {\"slug\": \"a\", \"name\": \"y\", "
         "\"zips\": [\"97205\"]}]}",
         "used twice"},
        {"{\"areas\": [{\"slug\": \"a\", \"zips\": [\"97204\"]}]}", "\"name\""},
        {"{\"areas\": [{\"slug\": \"a\", \"name\": \"x\", \"zips\": []}]}", "\"zips\""},
        {"{\"areas\": [{\"slug\": \"a\", \"name\": \"x\", \"zips\": [\"9720\"]}]}", "zips[0]"},
        {"{\"areas\": \"downtown\"}", "\"areas\""},
        {"[1]", "areas.json"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        write_areas(cases[i].json);
        assert_false(areas_load_dir(dir, err, sizeof(err)));
        if (!strstr(err, cases[i].says) || !strstr(err, "areas.json"))
            fail_msg("case %zu: %s", i, err);
    }
    assert_int_equal(areas_count(), 2); /* the good list stays */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bundled_list_loads_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(good_list_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(check_normalises_what_people_type, setup, teardown),
        cmocka_unit_test_setup_teardown(covers_own_zips_only, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_entries_are_refused_and_named, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
