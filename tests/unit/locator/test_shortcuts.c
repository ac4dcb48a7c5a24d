/* test_shortcuts: the finder's quick searches from
 * data/vocab/finder-shortcuts.json: the bundled file loads in its order and
 * is found by slug and by code; each kind of bad entry (slug, title, a code
 * that is not a term of the taxonomy or is an attribute, a slug or code
 * twice) is refused with the file and the entry named, and the shortcuts
 * loaded before stay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/util.h"
#include "locator/locator.h"
#include "locator/shortcuts.h"
#include "wp_test.h"
#include "wp_tempdir.h"

static char dir[64];

static bool load_from(const char *data_dir, char *err, size_t errlen)
{
    config c;
    config_defaults(&c);
    str_copy(c.data_dir, sizeof(c.data_dir), data_dir);
    return shortcuts_load(&c, err, errlen);
}

static int setup(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[512];
    if (!locator_codes_load(&c, err, sizeof(err)) || !shortcuts_load(&c, err, sizeof(err)))
        fail_msg("%s", err);
    wp_temp_dir(dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    shortcuts_free();
    locator_codes_free();
    wp_remove_dir(dir);
    return 0;
}

static void bundled_shortcuts_load_in_order(void **state)
{
    (void)state;
    assert_int_equal(shortcuts_count(), 5);
    static const char *const slugs[] = {"naloxone", "syringes", "drug-checking", "treatment", "testing"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(shortcuts_at(i)->slug, slugs[i]);
    assert_null(shortcuts_at(5));
    assert_string_equal(shortcut_by_slug("syringes")->code, "syringe-services");
    assert_string_equal(shortcut_by_code("hiv-testing")->title, "Find HIV and hepatitis testing");
    assert_string_equal(shortcut_by_code("substance-use-treatment")->slug, "treatment");
    assert_null(shortcut_by_slug("syringe-services"));
    assert_null(shortcut_by_code("syringes"));
    assert_null(shortcut_by_code("free"));
    assert_null(shortcut_by_slug(NULL));
}

#define SC(slug, code, title) "{\"slug\": \"" slug "\", \"code\": \"" code "\", \"title\": \"" title "\"}"

static void a_good_file_replaces_the_shortcuts(void **state)
{
    (void)state;
    wp_write(dir, "vocab/finder-shortcuts.json",
             "{\"shortcuts\": [" SC("food", "food", "Find food") ", " SC("nalox", "naloxone", "Naloxone") "]}");
    char err[512] = "";
    if (!load_from(dir, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(shortcuts_count(), 2);
    assert_string_equal(shortcut_by_slug("food")->title, "Find food");
    assert_string_equal(shortcut_by_code("naloxone")->slug, "nalox");
    assert_null(shortcut_by_slug("naloxone"));
    assert_true(load_from("data", err, sizeof(err)));
    assert_int_equal(shortcuts_count(), 5);
}

static void bad_shortcuts_are_refused_by_name(void **state)
{
    (void)state;
    buf many = BUF_INIT;
    buf_puts(&many, "{\"shortcuts\": [");
    for (int i = 0; i < 33; i++)
        buf_printf(&many, "%s{\"slug\": \"s%d\", \"code\": \"food\", \"title\": \"T\"}", i ? ", " : "", i);
    buf_puts(&many, "]}");
    const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"shortcuts\": [{\"code\": \"food\", \"title\": \"T\"}]}",
         "vocab/finder-shortcuts.json: shortcuts[0]: the slug must be 1 to 47 of a-z, 0-9 and -"},
        {"{\"shortcuts\": [" SC("Food", "food", "T") "]}", "shortcuts[0] \"Food\": the slug must be"},
        {"{\"shortcuts\": [" SC("food/x", "food", "T") "]}", "shortcuts[0] \"food/x\": the slug must be"},
        {"{\"shortcuts\": [" SC("abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh", "food", "T") "]}",
         "the slug must be"},
        {"{\"shortcuts\": [" SC("food", "food", "") "]}", "shortcuts[0] \"food\": no title"},
        {"{\"shortcuts\": [{\"slug\": \"food\", \"title\": \"T\"}]}", "shortcuts[0] \"food\": no code"},
        {"{\"shortcuts\": [" SC("ok", "food", "T") ", " SC("syringes", "syringe-service", "T") "]}",
         "shortcuts[1] \"syringes\": the code \"syringe-service\" is not in the Waypost taxonomy"},
        {"{\"shortcuts\": [" SC("free", "free", "T") "]}",
         "shortcuts[0] \"free\": the code \"free\" is an attribute (a filter), not a term"},
        {"{\"shortcuts\": [" SC("food", "food", "T") ", " SC("food", "housing", "T") "]}",
         "shortcuts[1] \"food\": the slug is listed twice"},
        {"{\"shortcuts\": [" SC("food", "food", "T") ", " SC("meals", "food", "T") "]}",
         "shortcuts[1] \"meals\": the code \"food\" already has the shortcut \"food\""},
        {"{\"shortcuts\": []}", "vocab/finder-shortcuts.json: \"shortcuts\" must be a list of 1 to 32 entries"},
        {buf_cstr(&many), "\"shortcuts\" must be a list of 1 to 32 entries"},
        {"{\"shortcut\": []}", "\"shortcuts\" must be a list"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        wp_write(dir, "vocab/finder-shortcuts.json", cases[i].text);
        char err[512] = "";
        if (load_from(dir, err, sizeof(err)))
            fail_msg("case %zu loaded", i);
        assert_contains(err, dir);
        assert_contains(err, cases[i].want);
        assert_int_equal(shortcuts_count(), 5); /* the bundled ones stay */
    }
    buf_free(&many);
    wp_unlink(dir, "vocab/finder-shortcuts.json");
    char err[512];
    assert_false(load_from(dir, err, sizeof(err)));
    assert_contains(err, "cannot read ");
    assert_contains(err, "vocab/finder-shortcuts.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_shortcuts_load_in_order),
        cmocka_unit_test(a_good_file_replaces_the_shortcuts),
        cmocka_unit_test(bad_shortcuts_are_refused_by_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
