/* test_combos_view: the /combos page's data made once per language when
 * the matrix loads (combos_view). With the shipped matrix and the Spanish
 * catalog: every pair of the view says what combos_check_lang says for
 * those two substances (level, texts, names, sources), in both languages;
 * the suggestions are every name in the language and every alias that is
 * not the name again, written as escaped <option>s; the levels come worst
 * first; a check's plan does not depend on the order of the names; and a
 * reload (combos_load again) replaces the views with the new matrix's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "substances/combos.h"
#include "substances/combos_view.h"
#include "wp_test.h"

static int load_spanish(void)
{
    FILE *f = fopen("po/es.po", "rb");
    if (!f)
        fail_msg("cannot open po/es.po");
    buf b = BUF_INIT;
    b.cap = 16u * 1024u * 1024u;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    char err[512] = "";
    i18n_unload();
    int es = i18n_add("es", "es.po", b.data, b.len, err, sizeof(err));
    buf_free(&b);
    if (es < 0)
        fail_msg("%s", err);
    return es;
}

static void load(const char *emergency)
{
    config cfg;
    config_defaults(&cfg);
    str_copy(cfg.emergency_number, sizeof(cfg.emergency_number), emergency);
    char err[1024] = "";
    if (!combos_load(&cfg, err, sizeof(err)))
        fail_msg("%s", err);
}

static const char *str_of(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s)
        fail_msg("no string \"%s\"", key);
    return s;
}

/* The view's pair a, b against the checker's answer for their slugs. */
static void same_as_checker(const matrix *m, const combos_view *v, int lang, int a, int b)
{
    char q[2][128];
    snprintf(q[0], sizeof(q[0]), "%s", m->subs[b].slug); /* the other order: the view's pair has a <= b */
    snprintf(q[1], sizeof(q[1]), "%s", m->subs[a].slug);
    combo_error e;
    json_t *r = combos_check_lang(m, lang, q, 2, &e);
    assert_non_null(r);
    json_t *want = json_array_get(json_object_get(r, "pairs"), 0), *got = combos_view_pair(v, b, a);
    static const char *const keys[] = {"a", "b", "level", "summary", "advice"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (strcmp(str_of(want, keys[k]), str_of(got, keys[k])))
            fail_msg("%s + %s (%d): %s \"%s\" in the view, \"%s\" checked", m->subs[a].slug, m->subs[b].slug, lang,
                     keys[k], str_of(got, keys[k]), str_of(want, keys[k]));
    assert_true(json_equal(json_object_get(want, "same"), json_object_get(got, "same")));
    assert_true(json_equal(json_object_get(want, "sources"), json_object_get(got, "sources")));
    assert_int_equal(json_is_true(json_object_get(got, "has_sources")),
                     json_array_size(json_object_get(want, "sources")) > 0);
    json_t *subs = json_object_get(r, "substances");
    assert_string_equal(str_of(got, "a_name"), str_of(json_array_get(subs, 1), "name"));
    assert_string_equal(str_of(got, "b_name"), str_of(json_array_get(subs, 0), "name"));
    buf lv = BUF_INIT;
    matrix_text(m, lang, m->levels[matrix_level(m, str_of(want, "level"))].name_src, &lv);
    assert_string_equal(str_of(got, "level_name"), buf_cstr(&lv));
    buf_free(&lv);
    assert_contains(str_of(got, "icon_url"), "levels/");
    json_decref(r);
}

static void pairs_say_what_the_checker_says(void **state)
{
    (void)state;
    int es = load_spanish();
    load("112");
    const matrix *m = combos_matrix();
    for (int lang = 0; lang <= es; lang++) {
        const combos_view *v = combos_view_of(lang);
        assert_non_null(v);
        for (int a = 0; a < m->nsubs; a++)
            for (int b = a; b < m->nsubs; b++)
                same_as_checker(m, v, lang, a, b);
    }
    /* the Spanish view is Spanish: the level names differ from English */
    const combos_view *en = combos_view_of(I18N_SOURCE), *sp = combos_view_of(es);
    int x = matrix_resolve(m, "xanax"), f = matrix_resolve(m, "fentanyl");
    assert_string_not_equal(str_of(combos_view_pair(en, x, f), "summary"),
                            str_of(combos_view_pair(sp, x, f), "summary"));
    assert_null(combos_view_of(es + 1));
    combos_unload();
    i18n_unload();
}

static void suggestions_and_levels(void **state)
{
    (void)state;
    int es = load_spanish();
    load("911");
    const matrix *m = combos_matrix();
    for (int lang = 0; lang <= es; lang++) {
        const combos_view *v = combos_view_of(lang);
        size_t want = 0;
        for (int i = 0; i < m->nsubs; i++) {
            buf name = BUF_INIT;
            matrix_text(m, lang, m->subs[i].name_src, &name);
            assert_string_equal(json_string_value(json_array_get(v->datalist, want)), buf_cstr(&name));
            want++;
            char shown[128], key[128];
            matrix_normalise(buf_cstr(&name), shown, sizeof(shown));
            for (int k = 0; k < m->subs[i].naliases; k++) {
                matrix_normalise(m->subs[i].aliases[k], key, sizeof(key));
                if (lang == I18N_SOURCE || strcmp(key, shown))
                    assert_string_equal(json_string_value(json_array_get(v->datalist, want++)), m->subs[i].aliases[k]);
            }
            buf_free(&name);
        }
        assert_int_equal(json_array_size(v->datalist), want);
        /* one <option> each, in order */
        const char *html = json_string_value(v->datalist_html), *p = html;
        size_t count = 0;
        while ((p = strstr(p, "<option value=\"")) != NULL)
            count++, p++;
        assert_int_equal(count, want);
        assert_true(strstr(html, "\"></option>") != NULL);
        int prev = -1;
        for (size_t i = 0; i < json_array_size(v->levels); i++) {
            int sev = m->levels[matrix_level(m, str_of(json_array_get(v->levels, i), "id"))].severity;
            assert_true(sev >= prev);
            prev = sev;
        }
        assert_int_equal(json_array_size(v->levels), m->nlevels);
    }
    /* Spanish leaves out an alias that is the shown name again: fewer options */
    assert_true(json_array_size(combos_view_of(es)->datalist) <= json_array_size(combos_view_of(0)->datalist));
    combos_unload();
    i18n_unload();
}

/* Escaping: a name with markup characters comes out as text. */
static void options_are_escaped(void **state)
{
    (void)state;
    json_t *list = json_pack("[ss]", "a<b", "\"q\"&");
    buf b = BUF_INIT;
    combos_datalist_html(list, &b);
    assert_string_equal(buf_cstr(&b), "<option value=\"a&lt;b\"></option><option value=\"&quot;q&quot;&amp;\"></option>");
    buf_free(&b);
    json_decref(list);
}

static void plan_ignores_order_and_repeats(void **state)
{
    (void)state;
    load("911");
    const matrix *m = combos_matrix();
    char one[3][128] = {"xanax", "alcohol", "fentanyl"}, two[4][128] = {"Fentanyl", "booze", "xanax", "alprazolam"};
    combo_plan p1, p2;
    combo_error e;
    assert_true(combos_plan_lang(m, I18N_SOURCE, one, 3, &p1, &e));
    assert_true(combos_plan_lang(m, I18N_SOURCE, two, 4, &p2, &e));
    assert_int_equal(p1.npairs, 3);
    assert_int_equal(p2.npairs, 4); /* xanax twice adds its self cell */
    int k = 0;
    for (int i = 0; i < p2.npairs; i++) {
        if (p2.pairs[i].a == p2.pairs[i].b)
            continue;
        assert_int_equal(p1.pairs[k].a, p2.pairs[i].a);
        assert_int_equal(p1.pairs[k].b, p2.pairs[i].b);
        k++;
    }
    assert_int_equal(k, 3);
    for (int i = 1; i < p1.npairs; i++)
        assert_true(p1.pairs[i - 1].severity <= p1.pairs[i].severity);
    char bad[2][128] = {"xanax", "nothing-like-it"};
    assert_false(combos_plan_lang(m, I18N_SOURCE, bad, 2, &p1, &e));
    assert_string_equal(e.unknown, "nothing-like-it");
    combos_unload();
}

/* A reload makes new views from the new matrix: the texts say the new number. */
static void reload_replaces_the_views(void **state)
{
    (void)state;
    load("911");
    const matrix *m = combos_matrix();
    int x = matrix_resolve(m, "xanax"), f = matrix_resolve(m, "fentanyl");
    const char *advice = str_of(combos_view_pair(combos_view_of(0), x, f), "advice");
    assert_contains(advice, "911");
    load("112");
    m = combos_matrix();
    advice = str_of(combos_view_pair(combos_view_of(0), x, f), "advice");
    assert_contains(advice, "112");
    assert_null(strstr(advice, "911"));
    combos_unload();
    assert_null(combos_view_of(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs_say_what_the_checker_says),
        cmocka_unit_test(suggestions_and_levels),
        cmocka_unit_test(options_are_escaped),
        cmocka_unit_test(plan_ignores_order_and_repeats),
        cmocka_unit_test(reload_replaces_the_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
