/* test_matrix: the interaction matrix behind /combos. The shipped file loads
 * (so it is complete, symmetric and sourced: matrix_parse refuses anything
 * else), every name and alias resolves to exactly one substance, and
 * crafted files with a missing pair, a duplicate pair, an unsourced risky
 * cell or an ambiguous alias are refused with the culprit named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "substances/combos.h"
#include "substances/matrix.h"
#include "wp_test.h"

static matrix *shipped(void)
{
    matrix *m = NULL;
    char err[512] = "";
    if (!matrix_load("data/interactions.json", &m, err, sizeof(err)))
        fail_msg("data/interactions.json: %s", err);
    return m;
}

static void shipped_matrix_is_complete_and_symmetric(void **state)
{
    (void)state;
    matrix *m = shipped();
    assert_true(m->nsubs >= 25);
    assert_int_equal(m->ncells, m->nsubs * (m->nsubs - 1) / 2);
    for (int a = 0; a < m->nsubs; a++)
        for (int b = 0; b < m->nsubs; b++) {
            const cell *x = matrix_cell(m, a, b), *y = matrix_cell(m, b, a);
            if (a == b) {
                assert_null(x);
                continue;
            }
            assert_non_null(x);
            assert_ptr_equal(x, y);
            if (m->levels[x->level].severity < 4)
                assert_true(x->nrefs > 0);
        }
    matrix_free(m);
}

static void every_name_and_alias_resolves_to_its_substance(void **state)
{
    (void)state;
    matrix *m = shipped();
    for (int i = 0; i < m->nsubs; i++) {
        assert_int_equal(matrix_resolve(m, m->subs[i].slug), i);
        assert_int_equal(matrix_resolve(m, m->subs[i].name), i);
        for (int k = 0; k < m->subs[i].naliases; k++)
            assert_int_equal(matrix_resolve(m, m->subs[i].aliases[k]), i);
    }
    static const char *const street[][2] = {{"molly", "mdma"}, {"tranq", "xylazine"}, {"xanax", "benzodiazepines"},
                                            {"bars", "benzodiazepines"}, {"percs", "prescription-opioids"},
                                            {"zoloft", "ssris-snris"}, {"adderall", "adhd-stimulants"},
                                            {"  Special   K ", "ketamine"}, {"XANAX", "benzodiazepines"}};
    for (size_t i = 0; i < sizeof(street) / sizeof(street[0]); i++) {
        int s = matrix_resolve(m, street[i][0]);
        assert_true(s >= 0);
        assert_string_equal(m->subs[s].slug, street[i][1]);
    }
    assert_int_equal(matrix_resolve(m, "no such drug"), -1);
    assert_int_equal(matrix_resolve(m, ""), -1);
    assert_int_equal(matrix_resolve(m, "!!!"), -1);
    matrix_free(m);
}

static void suggestions_for_misspellings(void **state)
{
    (void)state;
    matrix *m = shipped();
    int out[3];
    int n = matrix_suggest(m, "fentanil", out, 3);
    assert_true(n >= 1);
    assert_string_equal(m->subs[out[0]].slug, "fentanyl");
    n = matrix_suggest(m, "methadon", out, 3);
    assert_true(n >= 1);
    assert_string_equal(m->subs[out[0]].slug, "methadone");
    n = matrix_suggest(m, "zzzzzzzzzz", out, 3);
    assert_int_equal(n, 0);
    matrix_free(m);
}

static void checker_orders_worst_first(void **state)
{
    (void)state;
    matrix *m = shipped();
    char q[4][128] = {"cannabis", "fentanyl", "xanax", "psychedelics"};
    combo_error e;
    json_t *r = combos_check(m, q, 4, &e);
    assert_non_null(r);
    json_t *pairs = json_object_get(r, "pairs");
    assert_int_equal(json_array_size(pairs), 6);
    int last = -1;
    for (size_t i = 0; i < json_array_size(pairs); i++) {
        const char *lv = json_string_value(json_object_get(json_array_get(pairs, i), "level"));
        int sev = m->levels[matrix_level(m, lv)].severity;
        assert_true(sev >= last);
        last = sev;
    }
    json_decref(r);
    char one[1][128] = {"fentanyl"};
    assert_null(combos_check(m, one, 1, &e));
    assert_contains(e.message, "2 to 6");
    char same[2][128] = {"molly", "MDMA"};
    assert_null(combos_check(m, same, 2, &e));
    assert_contains(e.message, "same substance");
    matrix_free(m);
}

/* A three-substance matrix with the given aliases for a and c, and pairs. */
static bool parse_variant(const char *alias_a, const char *alias_c, const char *pairs, char *err, size_t errlen)
{
    buf b = BUF_INIT;
    buf_puts(&b, "{\"levels\":[{\"id\":\"dangerous\",\"name\":\"D\",\"rank\":1,\"definition\":\"d\"},"
                 "{\"id\":\"low-risk-no-synergy\",\"name\":\"L\",\"rank\":6,\"definition\":\"l\"}],"
                 "\"sources\":{\"s1\":{\"title\":\"T\",\"url\":\"https://example.org\"}},"
                 "\"substances\":[{\"slug\":\"a\",\"name\":\"Alpha\",\"group\":\"opioids\",\"aliases\":[");
    buf_puts(&b, alias_a);
    buf_puts(&b, "]},{\"slug\":\"b\",\"name\":\"Beta\",\"group\":\"other\",\"aliases\":[]},"
                 "{\"slug\":\"c\",\"name\":\"Gamma\",\"group\":\"other\",\"aliases\":[");
    buf_puts(&b, alias_c);
    buf_puts(&b, "]}],\"pairs\":[");
    buf_puts(&b, pairs);
    buf_puts(&b, "]}");
    matrix *m = NULL;
    bool ok = matrix_parse(b.data, b.len, &m, err, errlen);
    matrix_free(m);
    buf_free(&b);
    return ok;
}

#define PAIR(a, b, lv, src) "{\"a\":\"" a "\",\"b\":\"" b "\",\"level\":\"" lv "\",\"summary\":\"s\",\"advice\":\"x\",\"sources\":[" src "]}"

static void crafted_files_are_refused(void **state)
{
    (void)state;
    char err[512];
    const char *ab = PAIR("a", "b", "dangerous", "\"s1\""), *ac = PAIR("a", "c", "low-risk-no-synergy", ""),
               *bc = PAIR("b", "c", "low-risk-no-synergy", "");
    char all[1024];
    snprintf(all, sizeof(all), "%s,%s,%s", ab, ac, bc);
    assert_true(parse_variant("", "", all, err, sizeof(err)));

    char missing[1024];
    snprintf(missing, sizeof(missing), "%s,%s", ab, ac);
    assert_false(parse_variant("", "", missing, err, sizeof(err)));
    assert_contains(err, "b + c");

    char dup[1400];
    snprintf(dup, sizeof(dup), "%s,%s,%s,%s", ab, ac, bc, PAIR("b", "a", "dangerous", "\"s1\""));
    assert_false(parse_variant("", "", dup, err, sizeof(err)));
    assert_contains(err, "twice");

    char unsourced[1024];
    snprintf(unsourced, sizeof(unsourced), "%s,%s,%s", PAIR("a", "b", "dangerous", ""), ac, bc);
    assert_false(parse_variant("", "", unsourced, err, sizeof(err)));
    assert_contains(err, "cites no source");

    assert_false(parse_variant("\"Zed\"", "\"z e d\"", all, err, sizeof(err)));
    assert_contains(err, "could mean");

    char badsrc[1024];
    snprintf(badsrc, sizeof(badsrc), "%s,%s,%s", PAIR("a", "b", "dangerous", "\"nope\""), ac, bc);
    assert_false(parse_variant("", "", badsrc, err, sizeof(err)));
    assert_contains(err, "unknown source");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_matrix_is_complete_and_symmetric),
        cmocka_unit_test(every_name_and_alias_resolves_to_its_substance),
        cmocka_unit_test(suggestions_for_misspellings),
        cmocka_unit_test(checker_orders_worst_first),
        cmocka_unit_test(crafted_files_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
