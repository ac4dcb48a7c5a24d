/* test_report: the check and the masking of community drug reports
 * (src/community/report.c). Masking: phone numbers in their usual shapes
 * and email addresses become placeholders; dates, times, ZIP codes, doses,
 * pill stamps and short numbers stay; text around them is kept byte for
 * byte. The check: a good report is cleaned (trimmed, masked, effects in
 * the form's order, the area key, the day from "when" in the site's zone);
 * each field over its limit (in characters), an unknown choice, a bad area
 * or when, a control character and an empty report are named by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "community/report.h"
#include "core/i18n.h"
#include "wp_test.h"

#include <stdlib.h>
#include <string.h>

static void masked_is(const char *in, const char *want)
{
    char *got = report_mask(in, strlen(in));
    if (strcmp(got, want))
        fail_msg("mask(\"%s\")\n got \"%s\"\nwant \"%s\"", in, got, want);
    free(got);
}

static void masks_phone_numbers(void **state)
{
    (void)state;
    masked_is("call 503-555-0100 now", "call [phone removed] now");
    masked_is("(503) 555-0100", "[phone removed]");
    masked_is("+1 503 555 0100.", "[phone removed].");
    masked_is("5035550100", "[phone removed]");
    masked_is("503.555.0100 or 555-0101", "[phone removed] or [phone removed]"); /* 7 digits: a local number */
    masked_is("2 or 3  4 5 6 7 8", "2 or 3  4 5 6 7 8"); /* digits apart: not one number */
    masked_is("+44 20 7946 0958", "[phone removed]");
    masked_is("555-1234567", "[phone removed]");
}

static void keeps_numbers_that_are_not_phones(void **state)
{
    (void)state;
    masked_is("on 2026-12-04 at 10:30", "on 2026-12-04 at 10:30");
    masked_is("04.12.2026", "04.12.2026");
    masked_is("zip 97204, 2 pills, M 30, 30mg", "zip 97204, 2 pills, M 30, 30mg");
    masked_is("took 0.5 g of 3", "took 0.5 g of 3");
    masked_is("12345678901234567890", "12345678901234567890"); /* 20 digits: not a phone */
    masked_is("batch A5035550100", "batch A5035550100");       /* part of a word */
    masked_is("", "");
}

static void masks_email_addresses(void **state)
{
    (void)state;
    masked_is("mail sam.x+1@example.org.", "mail [email removed].");
    masked_is("a@b.co and c_d@mail.example.com", "[email removed] and [email removed]");
    masked_is("me @ home, @handle, x@y, x@y.z1", "me @ home, @handle, x@y, x@y.z1");
    masked_is("name@sub-domain.org: 503-555-0100", "[email removed]: [phone removed]");
}

static void mask_is_utf8_safe_and_total(void **state)
{
    (void)state;
    masked_is("café 503-555-0100 ñ", "café [phone removed] ñ");
    const char with_nul[] = {'a', '\0', 'b'};
    char *got = report_mask(with_nul, sizeof(with_nul));
    assert_string_equal(got, "a b");
    free(got);
}

static report_in sample(void)
{
    static const char *const eff[] = {"seizure", "passed-out"};
    return (report_in){.sold_as = "  oxy 30s ", .seemed = "fentanyl", .note = "call me 503-555-0100\nthanks",
                       .area = " 97204-1234", .when = "yesterday", .looked = "blue", .effects = eff,
                       .neffects = 2, .staff = true};
}

#define NOON_UTC_2026_12_04 1796385600

static void good_report_is_cleaned(void **state)
{
    (void)state;
    report_in in = sample();
    report_clean c;
    report_problems pr;
    assert_true(report_check(&in, NOON_UTC_2026_12_04, NULL, &c, &pr));
    assert_int_equal(pr.n, 0);
    assert_string_equal(c.sold_as, "oxy 30s");
    assert_string_equal(c.note, "call me [phone removed]\nthanks");
    assert_string_equal(c.area, "97204");
    assert_string_equal(c.day, "2026-12-03");
    assert_string_equal(c.effects, "passed-out,seizure"); /* the form's order */
    assert_true(c.staff);
    report_clean_free(&c);
    in.when = "this-week";
    assert_true(report_check(&in, NOON_UTC_2026_12_04, NULL, &c, &pr));
    assert_string_equal(c.day, "2026-11-30");
    report_clean_free(&c);
    in.when = "today";
    in.neffects = 0;
    in.sold_as = in.seemed = in.looked = NULL;
    assert_true(report_check(&in, NOON_UTC_2026_12_04, NULL, &c, &pr)); /* the note alone is enough */
    assert_string_equal(c.day, "2026-12-04");
    assert_string_equal(c.sold_as, "");
    report_clean_free(&c);
}

static const char *problem_of(const report_problems *pr, const char *field)
{
    for (int i = 0; i < pr->n; i++)
        if (!strcmp(pr->items[i].field, field))
            return pr->items[i].message;
    return NULL;
}

static void refused(report_in in, const char *field, const char *needle)
{
    report_clean c;
    report_problems pr;
    assert_false(report_check(&in, NOON_UTC_2026_12_04, NULL, &c, &pr));
    const char *m = problem_of(&pr, field);
    if (!m || (needle && !strstr(m, needle)))
        fail_msg("%s: %s", field, m ? m : "(not named)");
    report_clean_free(&c);
}

static char *repeat(const char *unit, size_t n);

/* A report sent from a Spanish page (issue 16) names its problems in
 * Spanish, the field's name in them too; the choices' labels translate. */
static void problems_in_the_form_language(void **state)
{
    (void)state;
    static const char po[] =
        "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
        "msgid \"Choose when: today, yesterday or earlier this week.\"\n"
        "msgstr \"Elija cuándo: hoy, ayer u otro día de esta semana.\"\n\n"
        "#, c-format\nmsgid \"%s is %zu characters long; at most %zu, please shorten it.\"\n"
        "msgstr \"%s tiene %zu caracteres; el máximo es %zu. Acórtelo, por favor.\"\n\n"
        "msgid \"\\\"Sold as\\\"\"\nmsgstr \"\\\"Se vendía como\\\"\"\n\n"
        "msgid \"Seizure\"\nmsgstr \"Convulsión\"\n";
    char err[200];
    int es = i18n_add("es", "es.po", po, sizeof(po) - 1, err, sizeof(err));
    assert_true(es > 0);
    report_in in = sample();
    in.lang = es;
    in.when = "someday";
    char *long_text = repeat("x", REPORT_SOLD_AS_MAX + 1);
    in.sold_as = long_text;
    report_clean c;
    report_problems pr;
    assert_false(report_check(&in, NOON_UTC_2026_12_04, NULL, &c, &pr));
    assert_string_equal(problem_of(&pr, "when"), "Elija cuándo: hoy, ayer u otro día de esta semana.");
    assert_non_null(strstr(problem_of(&pr, "sold_as"), "\"Se vendía como\" tiene "));
    report_clean_free(&c);
    free(long_text);
    assert_string_equal(i18n_tr(es, report_effect_label("seizure")), "Convulsión");
    in.lang = 0; /* English as before */
    in.sold_as = "oxy";
    assert_false(report_check(&in, NOON_UTC_2026_12_04, NULL, &c, &pr));
    assert_string_equal(problem_of(&pr, "when"), "Choose when: today, yesterday or earlier this week.");
    report_clean_free(&c);
    i18n_unload();
}

static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

static void each_limit_is_named_in_characters(void **state)
{
    (void)state;
    struct {
        const char *field;
        size_t most;
    } limits[] = {{"sold_as", REPORT_SOLD_AS_MAX}, {"seemed", REPORT_SEEMED_MAX}, {"looked", REPORT_LOOKED_MAX},
                  {"note", REPORT_NOTE_MAX}};
    for (size_t i = 0; i < 4; i++) {
        for (int over = 0; over <= 1; over++) {
            char *text = repeat("é", limits[i].most + (size_t)over); /* two bytes each */
            report_in in = sample();
            const char **slot = !strcmp(limits[i].field, "sold_as")  ? &in.sold_as
                                : !strcmp(limits[i].field, "seemed") ? &in.seemed
                                : !strcmp(limits[i].field, "looked") ? &in.looked
                                                                     : &in.note;
            *slot = text;
            if (over) {
                refused(in, limits[i].field, "characters");
            } else {
                report_clean c;
                report_problems pr;
                assert_true(report_check(&in, NOON_UTC_2026_12_04, NULL, &c, &pr));
                report_clean_free(&c);
            }
            free(text);
        }
    }
}

static void bad_fields_are_named(void **state)
{
    (void)state;
    report_in in = sample();
    in.area = "Main Street 12";
    refused(in, "area", "ZIP");
    in.area = "";
    refused(in, "area", NULL);
    in = sample();
    in.when = "last-year";
    refused(in, "when", NULL);
    in.when = NULL;
    refused(in, "when", NULL);
    in = sample();
    static const char *const bad[] = {"passed-out", "explode"};
    in.effects = bad;
    refused(in, "effects", NULL);
    in.neffects = REPORT_EFFECTS_MAX + 1;
    refused(in, "effects", "Too many");
    in = sample();
    in.sold_as = "a\x01z";
    refused(in, "sold_as", "character");
    in = sample();
    in.looked = "line\nbreak"; /* one-line fields take no newline; the note does */
    refused(in, "looked", "character");
    in = (report_in){.area = "97204", .when = "today", .sold_as = "   "};
    refused(in, "sold_as", "at least one thing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(masks_phone_numbers),
        cmocka_unit_test(keeps_numbers_that_are_not_phones),
        cmocka_unit_test(masks_email_addresses),
        cmocka_unit_test(mask_is_utf8_safe_and_total),
        cmocka_unit_test(good_report_is_cleaned),
        cmocka_unit_test(each_limit_is_named_in_characters),
        cmocka_unit_test(bad_fields_are_named),
        cmocka_unit_test(problems_in_the_form_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
