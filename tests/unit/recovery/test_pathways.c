/* test_pathways: the /recovery table's filters from
 * data/vocab/pathway-filters.json: the bundled file loads with each
 * column's values in order; a good file replaces them; each kind of bad
 * filter (an unknown or repeated column, no label, values that are missing,
 * empty, repeated or hold a comma, a "ranked" that is not a boolean, too
 * many or no filters) is refused with the file and the filter named, and
 * the filters loaded before stay. Also the comma-separated list matching
 * the filters rely on, and its translation item by item (issue 16). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/i18n.h"
#include "core/util.h"
#include "recovery/pathways.h"
#include "wp_test.h"
#include "wp_tempdir.h"

static char dir[64];

static bool load_from(const char *data_dir, char *err, size_t errlen)
{
    config c;
    config_defaults(&c);
    str_copy(c.data_dir, sizeof(c.data_dir), data_dir);
    return pathways_load(&c, err, errlen);
}

static int setup(void **state)
{
    (void)state;
    char err[512];
    if (!load_from("data", err, sizeof(err)))
        fail_msg("%s", err);
    wp_temp_dir(dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pathways_unload();
    wp_remove_dir(dir);
    return 0;
}

/* The values of a column joined with "|", or "-" when it has no filter. */
static void values_of(const char *column, char *out, size_t outlen)
{
    const char *const *v = pathways_vocabulary(column);
    size_t n = (size_t)snprintf(out, outlen, "%s", v ? "" : "-");
    for (size_t i = 0; v && v[i]; i++)
        n += (size_t)snprintf(out + n, outlen - n, "%s%s", i ? "|" : "", v[i]);
    assert_true(n < outlen);
}

static void bundled_filters_load_in_order(void **state)
{
    (void)state;
    char got[512];
    values_of("type", got, sizeof(got));
    assert_string_equal(got, "peer support|therapy|medication|community|digital|self-guided");
    values_of("evidence", got, sizeof(got));
    assert_string_equal(got, "strong|moderate|emerging|limited");
    values_of("suits", got, sizeof(got));
    assert_string_equal(got, "adults|teens|families|women|LGBTQ+|veterans|people of faith|anyone");
    values_of("cost", got, sizeof(got));
    assert_string_equal(got, "free|donation|insurance|sliding fee|subscription|rent");
    values_of("duration", got, sizeof(got));
    assert_string_equal(got, "-");
}

static void a_good_file_replaces_the_filters(void **state)
{
    (void)state;
    wp_write(dir, "vocab/pathway-filters.json",
             "{\"filters\": [{\"column\": \"cost\", \"label\": \"Price\", \"ranked\": true,"
             " \"values\": [\"free\", \"low cost\"]},"
             " {\"column\": \"where\", \"label\": \"Where\", \"ranked\": false, \"values\": [\"online\"]}]}");
    char err[512] = "", got[256];
    if (!load_from(dir, err, sizeof(err)))
        fail_msg("%s", err);
    values_of("cost", got, sizeof(got));
    assert_string_equal(got, "free|low cost");
    values_of("type", got, sizeof(got));
    assert_string_equal(got, "-");
    assert_true(load_from("data", err, sizeof(err)));
    values_of("type", got, sizeof(got));
    assert_string_equal(got, "peer support|therapy|medication|community|digital|self-guided");
}

#define F(col, label, values) "{\"column\": \"" col "\", \"label\": \"" label "\", \"values\": " values "}"
#define FILE1(f) "{\"filters\": [" f "]}"

static void bad_filters_are_refused_by_name(void **state)
{
    (void)state;
    const struct {
        const char *text, *want;
    } cases[] = {
        {FILE1("{\"label\": \"Type\", \"values\": [\"a\"]}"),
         "vocab/pathway-filters.json: filters[0]: \"column\" must be one of type, format, evidence, cost, where, "
         "suits"},
        {FILE1(F("duration", "Duration", "[\"weeks\"]")), "filters[0] \"duration\": \"column\" must be one of"},
        {FILE1(F("type", "Type", "[\"a\"]") "," F("type", "Kind", "[\"b\"]")),
         "filters[1] \"type\": the column has two filters"},
        {FILE1(F("type", "", "[\"a\"]")), "filters[0] \"type\": no label"},
        {FILE1("{\"column\": \"type\", \"label\": \"Type\"}"),
         "filters[0] \"type\": \"values\" must be a list of 1 to 32 texts"},
        {FILE1(F("type", "Type", "[]")), "filters[0] \"type\": \"values\" must be a list"},
        {FILE1(F("type", "Type", "\"therapy\"")), "filters[0] \"type\": \"values\" must be a list"},
        {FILE1(F("type", "Type",
                 "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\","
                 "\"n\",\"o\",\"p\",\"q\",\"r\",\"s\",\"t\",\"u\",\"v\",\"w\",\"x\",\"y\",\"z\","
                 "\"aa\",\"bb\",\"cc\",\"dd\",\"ee\",\"ff\",\"gg\"]")),
         "\"values\" must be a list of 1 to 32 texts"},
        {FILE1(F("cost", "Cost", "[\"free\", \"sliding fee, income based\"]")),
         "filters[0] \"cost\": value 2 is not a text without commas and outer spaces"},
        {FILE1(F("cost", "Cost", "[\"free\", \"\"]")), "filters[0] \"cost\": value 2 is not a text"},
        {FILE1(F("cost", "Cost", "[\" free\"]")), "filters[0] \"cost\": value 1 is not a text"},
        {FILE1(F("cost", "Cost", "[\"free \"]")), "filters[0] \"cost\": value 1 is not a text"},
        {FILE1(F("cost", "Cost", "[\"free\", 3]")), "filters[0] \"cost\": value 2 is not a text"},
        {FILE1(F("cost", "Cost", "[\"free\", \"donation\", \"Free\"]")),
         "filters[0] \"cost\": the value \"Free\" is listed twice"},
        {FILE1("{\"column\": \"evidence\", \"label\": \"E\", \"ranked\": \"yes\", \"values\": [\"strong\"]}"),
         "filters[0] \"evidence\": \"ranked\" must be true or false"},
        {FILE1(""), "vocab/pathway-filters.json: \"filters\" must be a list of 1 to 6 entries"},
        {FILE1(F("type", "T", "[\"a\"]") "," F("format", "F", "[\"a\"]") "," F("evidence", "E", "[\"a\"]") ","
               F("cost", "C", "[\"a\"]") "," F("where", "W", "[\"a\"]") "," F("suits", "S", "[\"a\"]") ","
               F("type", "T", "[\"b\"]")),
         "\"filters\" must be a list of 1 to 6 entries"},
        {"{\"filters\": {}}", "\"filters\" must be a list"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        wp_write(dir, "vocab/pathway-filters.json", cases[i].text);
        char err[512] = "";
        if (load_from(dir, err, sizeof(err)))
            fail_msg("case %zu loaded", i);
        assert_contains(err, dir);
        assert_contains(err, cases[i].want);
        char got[512];
        values_of("format", got, sizeof(got)); /* the bundled filters stay */
        assert_string_equal(got, "in person|online|24/7|self-guided");
    }
}

static void lists_match_case_insensitively_between_commas(void **state)
{
    (void)state;
    assert_true(pathways_list_has("in person, online", "online"));
    assert_true(pathways_list_has("in person ,  Online ", "online"));
    assert_true(pathways_list_has("LGBTQ+", "lgbtq+"));
    assert_false(pathways_list_has("in person, online", "person"));
    assert_false(pathways_list_has("sliding fee", "sliding"));
    assert_false(pathways_list_has(NULL, "free"));
    assert_false(pathways_list_has("", "free"));
}

static void lists_translate_item_by_item(void **state)
{
    (void)state;
    static const char po[] = "msgid \"in person\"\nmsgstr \"en persona\"\n\n"
                             "msgid \"online\"\nmsgstr \"en línea\"\n\n"
                             "msgid \"sliding fee\"\nmsgstr \"tarifa según ingresos\"\n";
    char err[256];
    int es = i18n_add("es", "es.po", po, sizeof(po) - 1, err, sizeof(err));
    assert_true(es > 0);
    static const struct { int english; const char *in, *out; } cases[] = {
        {0, "in person, online", "en persona, en línea"},
        {0, " in person ,online , ", "en persona, en línea"},
        {0, "sliding fee,,insurance", "tarifa según ingresos, insurance"}, /* untranslated: the English */
        {0, "", ""},
        {1, "in person, online", "in person, online"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        buf b = BUF_INIT;
        pathways_tr_list(&b, cases[i].english ? I18N_SOURCE : es, cases[i].in);
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_free(&b);
    }
    i18n_unload();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_filters_load_in_order),
        cmocka_unit_test(a_good_file_replaces_the_filters),
        cmocka_unit_test(bad_filters_are_refused_by_name),
        cmocka_unit_test(lists_match_case_insensitively_between_commas),
        cmocka_unit_test(lists_translate_item_by_item),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
