/* test_hsds_opening_hours: the OpenStreetMap opening_hours subset the CSV
 * import reads (src/hsds/hsds_opening_hours.c): day ranges and lists,
 * several time ranges a day, off, 24/7, later rules replacing earlier ones,
 * and errors that name the part not understood. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hsds/hsds_opening_hours.h"
#include "wp_test.h"

enum { MO, TU, WE, TH, FR, SA, SU };

static void span_is(const oh_week *w, int day, int i, int opens, int closes)
{
    assert_true(i < w->nspans[day]);
    assert_int_equal(w->span[day][i].opens, opens);
    assert_int_equal(w->span[day][i].closes, closes);
}

static void weekdays_and_saturday(void **state)
{
    (void)state;
    oh_week w;
    char err[200];
    assert_true(oh_parse("Mo-Fr 09:00-17:00; Sa 10:00-14:00", &w, err, sizeof err));
    for (int d = MO; d <= FR; d++) {
        assert_int_equal(w.nspans[d], 1);
        span_is(&w, d, 0, 540, 1020);
    }
    assert_int_equal(w.nspans[SA], 1);
    span_is(&w, SA, 0, 600, 840);
    assert_int_equal(w.nspans[SU], 0);
}

static void lists_split_days_off_and_wrap(void **state)
{
    (void)state;
    oh_week w;
    char err[200];
    assert_true(oh_parse(" mo,we , Fr 09:00-12:00, 13:00-17:00 ;Su off;", &w, err, sizeof err));
    assert_int_equal(w.nspans[MO], 2);
    span_is(&w, MO, 1, 780, 1020);
    assert_int_equal(w.nspans[TU], 0);
    assert_int_equal(w.nspans[FR], 2);
    /* a later rule replaces the days it names */
    assert_true(oh_parse("Mo-Fr 09:00-17:00; We off", &w, err, sizeof err));
    assert_int_equal(w.nspans[WE], 0);
    assert_int_equal(w.nspans[TH], 1);
    /* a range may wrap past Sunday; a closing time may be past midnight */
    assert_true(oh_parse("Sa-Mo 22:00-02:00", &w, err, sizeof err));
    assert_int_equal(w.nspans[SA] + w.nspans[SU] + w.nspans[MO], 3);
    assert_int_equal(w.nspans[TU], 0);
    span_is(&w, SU, 0, 1320, 120);
    /* times alone mean every day; 24:00 closes at midnight */
    assert_true(oh_parse("8:30-24:00", &w, err, sizeof err));
    for (int d = 0; d < 7; d++)
        span_is(&w, d, 0, 510, 1440);
}

static void always_open(void **state)
{
    (void)state;
    oh_week w;
    char err[200];
    assert_true(oh_parse("24/7", &w, err, sizeof err));
    for (int d = 0; d < 7; d++)
        span_is(&w, d, 0, 0, 1440);
    assert_true(oh_parse("24/7; Su off", &w, err, sizeof err));
    assert_int_equal(w.nspans[SU], 0);
    assert_string_equal(oh_byday(MO), "MO");
    assert_string_equal(oh_byday(SU), "SU");
}

static void errors_name_the_part(void **state)
{
    (void)state;
    struct {
        const char *text, *want;
    } cases[] = {
        {"Mo-Fr 9am-5pm", "\"9am-5pm\" is not a time range"},
        {"Mo-Fx 09:00-17:00", "\"Mo-Fx\" is not a day range"},
        {"PH off", "\"PH\" is not understood"},
        {"Monday 09:00-17:00", "\"Monday\" is not understood"},
        {"Mo-Fr", "no times"},
        {"Mo 09:00-17:00 open", "\"open\" is not understood"},
        {"Mo 24:00-25:00", "\"24:00-25:00\" is not a time range"},
        {"Mo 09:60-10:00", "\"09:60-10:00\""},
        {"Mo 10:00-10:00", "same time"},
        {"", "no opening hours"},
        {";", "no rule"},
        {"Mo 01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00,06:00-07:00,07:00-08:00,08:00-09:00,"
         "09:00-10:00",
         "more than 8"},
        {"Jan-Mar Mo 09:00-17:00", "\"Jan-Mar\" is not understood"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oh_week w;
        char err[200] = "";
        if (oh_parse(cases[i].text, &w, err, sizeof err))
            fail_msg("case %zu (%s) was accepted", i, cases[i].text);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weekdays_and_saturday),
        cmocka_unit_test(lists_split_days_off_and_wrap),
        cmocka_unit_test(always_open),
        cmocka_unit_test(errors_name_the_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
