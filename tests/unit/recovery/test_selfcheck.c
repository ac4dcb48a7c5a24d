/* test_selfcheck: scoring of the shipped questionnaires at every published
 * cut-off boundary (AUDIT-C 3/4 by sex, AUDIT 7|8, 15|16, 19|20, DAST-10
 * 0|1, 2|3, 5|6, 8|9, TAPS-1 any use), DAST-10's reverse-scored question,
 * and refusal of missing or out-of-range answers (never a wrong score);
 * the per-language "translations" notes (issue 16): which Spanish version
 * each check shows, and the loader refusing a note without a version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "recovery/selfcheck.h"
#include "wp_test.h"

static sc_set *set;

static int load(void **state)
{
    (void)state;
    char err[512];
    if (!sc_load("data/selfchecks.json", &set, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int unload(void **state)
{
    (void)state;
    sc_free(set);
    return 0;
}

static char values[SC_MAX_QUESTIONS][8];

/* Answers reaching exactly target: greedily the highest option that fits. */
static void answers_for(const sc_check *c, int target, const char **answers)
{
    int left = target;
    for (int i = 0; i < c->nquestions; i++) {
        int best = -1;
        for (int k = 0; k < c->questions[i].noptions; k++) {
            int s = c->questions[i].options[k].score;
            if (s <= left && (best < 0 || s > c->questions[i].options[best].score))
                best = k;
        }
        assert_true(best >= 0);
        left -= c->questions[i].options[best].score;
        snprintf(values[i], sizeof(values[i]), "%d", best);
        answers[i] = values[i];
    }
    assert_int_equal(left, 0);
}

static const char *level_at(const char *slug, int score, const char *sex, sc_result *r)
{
    const sc_check *c = sc_find(set, slug);
    assert_non_null(c);
    const char *answers[SC_MAX_QUESTIONS];
    answers_for(c, score, answers);
    assert_true(sc_score(c, answers, sex, r));
    assert_int_equal(r->score, score);
    assert_non_null(r->band);
    return r->band->level;
}

static void audit_boundaries(void **state)
{
    (void)state;
    sc_result r;
    static const struct { int score; const char *level; } cases[] = {
        {0, "lower risk"}, {7, "lower risk"}, {8, "increasing risk"}, {15, "increasing risk"},
        {16, "higher risk"}, {19, "higher risk"}, {20, "possible dependence"}, {40, "possible dependence"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_string_equal(level_at("audit", cases[i].score, NULL, &r), cases[i].level);
    assert_int_equal(r.max_score, 40);
}

static void audit_c_cutoffs_by_sex(void **state)
{
    (void)state;
    sc_result r;
    level_at("audit-c", 3, "male", &r);
    assert_false(r.positive);
    level_at("audit-c", 4, "male", &r);
    assert_true(r.positive);
    level_at("audit-c", 2, "female", &r);
    assert_false(r.positive);
    level_at("audit-c", 3, "female", &r);
    assert_true(r.positive);
    level_at("audit-c", 3, "other", &r);
    assert_true(r.positive);
    assert_int_equal(r.cutoff, 3);
    assert_int_equal(r.max_score, 12);
    /* AUDIT-C needs the sex question answered */
    const sc_check *c = sc_find(set, "audit-c");
    const char *answers[SC_MAX_QUESTIONS];
    answers_for(c, 4, answers);
    assert_false(sc_score(c, answers, NULL, &r));
    assert_true(r.sex_missing);
    assert_false(sc_score(c, answers, "robot", &r));
}

static void dast_boundaries_and_reverse_item(void **state)
{
    (void)state;
    sc_result r;
    static const struct { int score; const char *level; } cases[] = {
        {0, "no problems reported"}, {1, "low level"}, {2, "low level"}, {3, "moderate level"}, {5, "moderate level"},
        {6, "substantial level"}, {8, "substantial level"}, {9, "severe level"}, {10, "severe level"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_string_equal(level_at("dast-10", cases[i].score, NULL, &r), cases[i].level);
    const sc_check *c = sc_find(set, "dast-10");
    const sc_question *q3 = &c->questions[2];
    int yes = -1, no = -1;
    for (int k = 0; k < q3->noptions; k++) {
        if (!strcmp(q3->options[k].label, "Yes"))
            yes = k;
        if (!strcmp(q3->options[k].label, "No"))
            no = k;
    }
    assert_true(yes >= 0 && no >= 0);
    assert_int_equal(q3->options[yes].score, 0);
    assert_int_equal(q3->options[no].score, 1);
}

static void taps_flags_any_use(void **state)
{
    (void)state;
    const sc_check *c = sc_find(set, "taps-1");
    assert_non_null(c);
    const char *answers[SC_MAX_QUESTIONS] = {"0", "1", "0", "4"};
    sc_result r;
    assert_true(sc_score(c, answers, NULL, &r));
    assert_int_equal(r.npositives, 2);
    assert_int_equal(r.positives[0], 1);
    assert_int_equal(r.positives[1], 3);
    const char *none[SC_MAX_QUESTIONS] = {"0", "0", "0", "0"};
    assert_true(sc_score(c, none, NULL, &r));
    assert_int_equal(r.npositives, 0);
}

static void missing_or_bad_answers_are_refused(void **state)
{
    (void)state;
    const sc_check *c = sc_find(set, "audit");
    const char *answers[SC_MAX_QUESTIONS];
    answers_for(c, 10, answers);
    sc_result r;
    const char *keep = answers[4];
    answers[4] = NULL;
    assert_false(sc_score(c, answers, NULL, &r));
    assert_int_equal(r.nmissing, 1);
    assert_int_equal(r.missing[0], 4);
    static const char *const bad[] = {"5", "-1", "", "1x", "99999999999999999999", " 1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        answers[4] = bad[i];
        assert_false(sc_score(c, answers, NULL, &r));
        assert_int_equal(r.nmissing, 1);
    }
    answers[4] = keep;
    assert_true(sc_score(c, answers, NULL, &r));
}

static void translations_say_which_version(void **state)
{
    (void)state;
    static const struct { const char *slug; bool validated; const char *says; } cases[] = {
        {"audit-c", true, "versión en español de la OMS"},
        {"audit", true, "aún no la hemos comparado con el texto impreso"},
        {"dast-10", false, "Traducción de Waypost, no la versión validada"},
        {"taps-1", false, "Traducción de Waypost, no una versión validada"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const sc_check *c = sc_find(set, cases[i].slug);
        assert_non_null(c);
        const sc_translation *t = sc_translation_for(c, "es");
        assert_non_null(t);
        assert_int_equal(t->validated, cases[i].validated);
        assert_non_null(strstr(t->note, cases[i].says));
        assert_null(sc_translation_for(c, "fr"));
        assert_null(sc_translation_for(c, "en"));
    }
    /* every check of the shipped file says which version it shows in Spanish */
    for (int i = 0; i < set->nchecks; i++)
        assert_non_null(sc_translation_for(&set->checks[i], "es"));
}

static void bad_translations_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\"translations\": {\"es\": {\"note\": \"x\"}}",                          /* no version */
        "\"translations\": {\"es\": {\"version\": \"maybe\", \"note\": \"x\"}}",  /* unknown version */
        "\"translations\": {\"es\": {\"version\": \"waypost\", \"note\": \"\"}}", /* empty note */
        "\"translations\": [\"es\"]",                                              /* not an object */
    };
    static const char *const good = "\"translations\": {\"es\": {\"version\": \"waypost\", \"note\": \"n\"}}";
#define TR_FMT "{\"checks\": [{\"slug\": \"t\", %s, \"questions\": [{\"id\": \"q1\", \"text\": \"Q?\", " \
               "\"options\": [{\"label\": \"No\", \"score\": 0}, {\"label\": \"Yes\", \"score\": 1}]}]}]}"
    char json[1024], err[256];
    sc_set *s = NULL;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(json, sizeof(json), TR_FMT, bad[i]);
        assert_false(sc_parse(json, strlen(json), &s, err, sizeof(err)));
        assert_non_null(strstr(err, "translation"));
    }
    snprintf(json, sizeof(json), TR_FMT, good);
    assert_true(sc_parse(json, strlen(json), &s, err, sizeof(err)));
    const sc_translation *t = sc_translation_for(&s->checks[0], "es");
    assert_non_null(t);
    assert_false(t->validated);
    assert_string_equal(t->note, "n");
    sc_free(s);
#undef TR_FMT
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(audit_boundaries),
        cmocka_unit_test(audit_c_cutoffs_by_sex),
        cmocka_unit_test(dast_boundaries_and_reverse_item),
        cmocka_unit_test(taps_flags_any_use),
        cmocka_unit_test(missing_or_bad_answers_are_refused),
        cmocka_unit_test(translations_say_which_version),
        cmocka_unit_test(bad_translations_are_refused),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
