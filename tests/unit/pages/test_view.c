/* test_view: the menu from data/vocab/navigation.json: the bundled file
 * loads, every page's data carries it in order with the current item
 * marked (its own path and the paths under it); each kind of bad item (an
 * href that is not a path on this site, no label, an href or label twice,
 * too many or no items) is refused with the file and the item named, and
 * the menu loaded before stays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/util.h"
#include "pages/view.h"
#include "wp_test.h"
#include "wp_tempdir.h"

static char dir[64];
static config cfg;

static bool load_from(const char *data_dir, char *err, size_t errlen)
{
    config c;
    config_defaults(&c);
    str_copy(c.data_dir, sizeof(c.data_dir), data_dir);
    return view_nav_load(&c, err, errlen);
}

static int setup(void **state)
{
    (void)state;
    config_defaults(&cfg);
    char err[512];
    if (!view_nav_load(&cfg, err, sizeof(err)))
        fail_msg("%s", err);
    wp_temp_dir(dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    view_nav_free();
    wp_remove_dir(dir);
    return 0;
}

/* The menu in the data of a page at path: "label*" for the current item. */
static void menu_of(const char *path, char *out, size_t outlen)
{
    request rq;
    memset(&rq, 0, sizeof(rq));
    rq.path = path;
    rq.cfg = &cfg;
    json_t *d = view_data(&rq, "T");
    size_t i, n = 0;
    json_t *item;
    out[0] = '\0';
    json_array_foreach(json_object_get(d, "nav"), i, item)
    {
        bool cur = json_is_true(json_object_get(item, "current"));
        n += (size_t)snprintf(out + n, outlen - n, "%s%s=%s%s", i ? "|" : "",
                              json_string_value(json_object_get(item, "href")),
                              json_string_value(json_object_get(item, "label")), cur ? "*" : "");
        assert_true(n < outlen);
    }
    json_decref(d);
}

static void bundled_menu_marks_the_current_item(void **state)
{
    (void)state;
    char menu[512];
    menu_of("/find/naloxone", menu, sizeof(menu));
    assert_string_equal(menu, "/overdose=Overdose help|/find=Find services*|/harm-reduction=Harm reduction|"
                              "/substances=Drugs|/combos=Mixing|/recovery=Recovery");
    menu_of("/recovery", menu, sizeof(menu));
    assert_contains(menu, "/recovery=Recovery*");
    assert_not_contains(menu, "Find services*");
    menu_of("/findings", menu, sizeof(menu)); /* a prefix of the path is not enough */
    assert_not_contains(menu, "*");
    menu_of("/", menu, sizeof(menu));
    assert_not_contains(menu, "*");
}

#define ITEM(href, label) "{\"href\": \"" href "\", \"label\": \"" label "\"}"

static void a_good_file_replaces_the_menu(void **state)
{
    (void)state;
    wp_write(dir, "vocab/navigation.json",
             "{\"items\": [" ITEM("/", "Home") ", " ITEM("/harm-reduction/moud", "MOUD") "]}");
    char err[512] = "";
    if (!load_from(dir, err, sizeof(err)))
        fail_msg("%s", err);
    char menu[512];
    menu_of("/harm-reduction/moud", menu, sizeof(menu));
    assert_string_equal(menu, "/=Home|/harm-reduction/moud=MOUD*");
    menu_of("/", menu, sizeof(menu));
    assert_string_equal(menu, "/=Home*|/harm-reduction/moud=MOUD");
    assert_true(load_from("data", err, sizeof(err)));
}

static void bad_items_are_refused_by_name(void **state)
{
    (void)state;
    const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"items\": [{\"label\": \"Find\"}]}", "vocab/navigation.json: items[0]: href must be a path on this site"},
        {"{\"items\": [" ITEM("find", "Find") "]}", "items[0] \"find\": href must be a path"},
        {"{\"items\": [" ITEM("https://example.org/", "Out") "]}", "items[0] \"https://example.org/\": href must be"},
        {"{\"items\": [" ITEM("//example.org", "Out") "]}", "items[0] \"//example.org\": href must be"},
        {"{\"items\": [" ITEM("/find/", "Find") "]}", "items[0] \"/find/\": href must be"},
        {"{\"items\": [" ITEM("/find?what=x", "Find") "]}", "items[0] \"/find?what=x\": href must be"},
        {"{\"items\": [" ITEM("/Find", "Find") "]}", "items[0] \"/Find\": href must be"},
        {"{\"items\": [" ITEM("/find", "") "]}", "items[0] \"/find\": no label"},
        {"{\"items\": [{\"href\": \"/find\", \"label\": 3}]}", "items[0] \"/find\": no label"},
        {"{\"items\": [" ITEM("/find", "Find") ", " ITEM("/find", "Again") "]}",
         "items[1] \"/find\": the href is listed twice"},
        {"{\"items\": [" ITEM("/find", "Find") ", " ITEM("/combos", "Find") "]}",
         "items[1] \"/combos\": the label \"Find\" is also the label of /find"},
        {"{\"items\": []}", "vocab/navigation.json: \"items\" must be a list of 1 to 12 entries"},
        {"{\"items\": [" ITEM("/a", "A") "," ITEM("/b", "B") "," ITEM("/c", "C") "," ITEM("/d", "D") ","
         ITEM("/e", "E") "," ITEM("/f", "F") "," ITEM("/g", "G") "," ITEM("/h", "H") "," ITEM("/i", "I") ","
         ITEM("/j", "J") "," ITEM("/k", "K") "," ITEM("/l", "L") "," ITEM("/m", "M") "]}",
         "\"items\" must be a list of 1 to 12 entries"},
        {"{\"items\": [" ITEM("/find", "Find") "],}", "vocab/navigation.json: line 1 column"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        wp_write(dir, "vocab/navigation.json", cases[i].text);
        char err[512] = "";
        if (load_from(dir, err, sizeof(err)))
            fail_msg("case %zu loaded", i);
        assert_contains(err, dir);
        assert_contains(err, cases[i].want);
    }
    char menu[512];
    menu_of("/combos", menu, sizeof(menu)); /* the bundled menu stays */
    assert_contains(menu, "/overdose=Overdose help|");
    assert_contains(menu, "/combos=Mixing*");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_menu_marks_the_current_item),
        cmocka_unit_test(a_good_file_replaces_the_menu),
        cmocka_unit_test(bad_items_are_refused_by_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
