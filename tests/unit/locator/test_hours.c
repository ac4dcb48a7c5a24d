/* test_hours: unit tests for src/locator/hours.c.
 *
 * Exact status texts and next-change instants for weekday hours, noon and
 * midnight wording, overnight hours, all-day places, the New York DST days
 * (a place open 01:00-04:00, a 24-hour place), rules valid between dates,
 * closures (single days, ranges, long ones, and overnight openings next to
 * a closed date), waits of several days, London across its DST change and
 * UTC; HSDS parsing (accepted forms and every refusal, which must add
 * nothing); limits; and the week summary lines. Uses the system's tzdata. */
#include "locator/hours.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const tz *ny;

/* The UTC instant of a New York wall-clock time. */
static int64_t nyt(int y, int mo, int d, int h, int mi)
{
    return tz_utc(ny, y, mo, d, h, mi);
}

static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return tz_utc(NULL, y, mo, d, h, mi);
}

static void add(hours *h, const char *json)
{
    json_error_t jerr;
    json_t *o = json_loads(json, 0, &jerr);
    char err[160] = "";
    if (!o)
        fail_msg("bad test JSON %s: %s", json, jerr.text);
    if (!hours_add_hsds(h, o, err, sizeof err))
        fail_msg("refused %s: %s", json, err);
    json_decref(o);
}

/* Weekly rule on byday from opens to closes. */
static void rule(hours *h, const char *byday, const char *opens, const char *closes)
{
    char json[200];
    snprintf(json, sizeof json, "{\"freq\": \"WEEKLY\", \"byday\": \"%s\", \"opens_at\": \"%s\", \"closes_at\": \"%s\"}",
             byday, opens, closes);
    add(h, json);
}

static void closure(hours *h, const char *from, const char *to)
{
    char json[200];
    if (to)
        snprintf(json, sizeof json, "{\"valid_from\": \"%s\", \"valid_to\": \"%s\"}", from, to);
    else
        snprintf(json, sizeof json, "{\"valid_from\": \"%s\"}", from);
    add(h, json);
}

static void expect(const hours *h, int64_t now, enum hours_state state, const char *text, int64_t next)
{
    hours_status st;
    hours_status_at(h, now, &st);
    if (st.state != state || strcmp(st.text, text) != 0 || st.next_change != next)
        fail_msg("at %lld: got (%d, \"%s\", %lld), want (%d, \"%s\", %lld)", (long long)now, (int)st.state, st.text,
                 (long long)st.next_change, (int)state, text, (long long)next);
}

static void expect_summary(const hours *h, int64_t now, int max, const char *const *want, int nwant)
{
    char lines[7][64];
    int n = hours_week_summary_at(h, now, lines, max);
    for (int i = 0; i < n && i < nwant; i++)
        if (strcmp(lines[i], want[i]) != 0)
            fail_msg("summary line %d: \"%s\", want \"%s\"", i, lines[i], want[i]);
    assert_int_equal(n, nwant);
}

static int setup(void **state)
{
    (void)state;
    ny = tz_get("America/New_York");
    return ny ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tz_cache_free();
    return 0;
}

/* ------------------------------------------------------------------------
 * Status
 * ------------------------------------------------------------------------ */

/* Week of Monday 3 June 2024. */
static void test_weekdays(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "MO,TU,WE,TH,FR", "09:00", "17:00");
    expect(&h, nyt(2024, 6, 5, 10, 0), HOURS_OPEN, "Open now, closes 5 pm", nyt(2024, 6, 5, 17, 0));
    expect(&h, nyt(2024, 6, 5, 16, 59), HOURS_OPEN, "Open now, closes 5 pm", nyt(2024, 6, 5, 17, 0));
    expect(&h, nyt(2024, 6, 5, 9, 0), HOURS_OPEN, "Open now, closes 5 pm", nyt(2024, 6, 5, 17, 0));
    expect(&h, nyt(2024, 6, 5, 8, 0), HOURS_CLOSED, "Closed, opens 9 am", nyt(2024, 6, 5, 9, 0));
    expect(&h, nyt(2024, 6, 5, 17, 0), HOURS_CLOSED, "Closed, opens Thu 9 am", nyt(2024, 6, 6, 9, 0));
    expect(&h, nyt(2024, 6, 7, 18, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 6, 10, 9, 0));
    expect(&h, nyt(2024, 6, 8, 12, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 6, 10, 9, 0));
    expect(&h, nyt(2024, 6, 9, 23, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 6, 10, 9, 0));
    expect(&h, nyt(2024, 6, 10, 0, 30), HOURS_CLOSED, "Closed, opens 9 am", nyt(2024, 6, 10, 9, 0));
}

static void test_wording(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "MO", "08:30", "12:00");
    rule(&h, "TU", "12:00", "12:30");
    rule(&h, "WE", "00:30", "00:00");
    rule(&h, "TH", "00:00", "24:00");
    rule(&h, "FR", "13:15", "23:59");
    rule(&h, "SA", "19:00", "00:30");
    /* Sunday 2 June 2024 */
    expect(&h, nyt(2024, 6, 2, 12, 0), HOURS_CLOSED, "Closed, opens Mon 8:30 am", nyt(2024, 6, 3, 8, 30));
    expect(&h, nyt(2024, 6, 3, 8, 0), HOURS_CLOSED, "Closed, opens 8:30 am", nyt(2024, 6, 3, 8, 30));
    expect(&h, nyt(2024, 6, 3, 11, 0), HOURS_OPEN, "Open now, closes noon", nyt(2024, 6, 3, 12, 0));
    expect(&h, nyt(2024, 6, 3, 13, 0), HOURS_CLOSED, "Closed, opens Tue noon", nyt(2024, 6, 4, 12, 0));
    expect(&h, nyt(2024, 6, 4, 12, 10), HOURS_OPEN, "Open now, closes 12:30 pm", nyt(2024, 6, 4, 12, 30));
    expect(&h, nyt(2024, 6, 4, 13, 0), HOURS_CLOSED, "Closed, opens Wed 12:30 am", nyt(2024, 6, 5, 0, 30));
    expect(&h, nyt(2024, 6, 5, 0, 10), HOURS_CLOSED, "Closed, opens 12:30 am", nyt(2024, 6, 5, 0, 30));
    /* Wednesday's closing at midnight runs on into Thursday's all-day opening */
    expect(&h, nyt(2024, 6, 5, 0, 30), HOURS_OPEN, "Open now, closes Thu midnight", nyt(2024, 6, 7, 0, 0));
    expect(&h, nyt(2024, 6, 5, 20, 0), HOURS_OPEN, "Open now, closes Thu midnight", nyt(2024, 6, 7, 0, 0));
    expect(&h, nyt(2024, 6, 6, 0, 0), HOURS_OPEN, "Open 24 hours", nyt(2024, 6, 7, 0, 0));
    expect(&h, nyt(2024, 6, 6, 10, 0), HOURS_OPEN, "Open now, closes midnight", nyt(2024, 6, 7, 0, 0));
    expect(&h, nyt(2024, 6, 7, 12, 0), HOURS_CLOSED, "Closed, opens 1:15 pm", nyt(2024, 6, 7, 13, 15));
    expect(&h, nyt(2024, 6, 7, 23, 0), HOURS_OPEN, "Open now, closes midnight", nyt(2024, 6, 8, 0, 0));
    expect(&h, nyt(2024, 6, 8, 23, 0), HOURS_OPEN, "Open now, closes 12:30 am", nyt(2024, 6, 9, 0, 30));
    expect(&h, nyt(2024, 6, 9, 0, 15), HOURS_OPEN, "Open now, closes 12:30 am", nyt(2024, 6, 9, 0, 30));
}

static void test_midnight_opening(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "WE", "00:00", "06:00");
    /* "Tue midnight" is the midnight that ends Tuesday */
    expect(&h, nyt(2024, 6, 4, 22, 0), HOURS_CLOSED, "Closed, opens midnight", nyt(2024, 6, 5, 0, 0));
    expect(&h, nyt(2024, 6, 3, 22, 0), HOURS_CLOSED, "Closed, opens Tue midnight", nyt(2024, 6, 5, 0, 0));
    expect(&h, nyt(2024, 6, 5, 3, 0), HOURS_OPEN, "Open now, closes 6 am", nyt(2024, 6, 5, 6, 0));
}

static void test_overnight(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "FR", "22:00", "06:00");
    expect(&h, nyt(2024, 6, 8, 3, 0), HOURS_OPEN, "Open now, closes 6 am", nyt(2024, 6, 8, 6, 0));
    expect(&h, nyt(2024, 6, 7, 23, 0), HOURS_OPEN, "Open now, closes 6 am", nyt(2024, 6, 8, 6, 0));
    expect(&h, nyt(2024, 6, 7, 21, 0), HOURS_CLOSED, "Closed, opens 10 pm", nyt(2024, 6, 7, 22, 0));
    expect(&h, nyt(2024, 6, 8, 6, 0), HOURS_CLOSED, "Closed, opens Fri 10 pm", nyt(2024, 6, 14, 22, 0));
    expect(&h, nyt(2024, 6, 6, 23, 0), HOURS_CLOSED, "Closed, opens Fri 10 pm", nyt(2024, 6, 7, 22, 0));
}

static void test_all_day(void **state)
{
    (void)state;
    const char *forms[][2] = {{"00:00", "23:59"}, {"00:00", "24:00"}, {"00:00", "00:00"}, {"0:00", "23:59:59"}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        hours h;
        hours_init(&h, ny);
        rule(&h, "MO,TU,WE,TH,FR,SA,SU", forms[i][0], forms[i][1]);
        expect(&h, nyt(2024, 6, 5, 10, 0), HOURS_OPEN, "Open 24 hours", 0);
        /* both DST days, either side of the change */
        expect(&h, utc(2024, 3, 10, 5, 0), HOURS_OPEN, "Open 24 hours", 0);
        expect(&h, utc(2024, 3, 10, 6, 30), HOURS_OPEN, "Open 24 hours", 0);
        expect(&h, utc(2024, 3, 10, 7, 30), HOURS_OPEN, "Open 24 hours", 0);
        expect(&h, utc(2024, 11, 3, 5, 30), HOURS_OPEN, "Open 24 hours", 0);
        expect(&h, utc(2024, 11, 3, 6, 30), HOURS_OPEN, "Open 24 hours", 0);
        expect(&h, nyt(2024, 11, 3, 23, 59), HOURS_OPEN, "Open 24 hours", 0);
    }
}

static void test_all_day_weekdays(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "MO,TU,WE,TH,FR", "00:00", "24:00");
    expect(&h, nyt(2024, 6, 3, 10, 0), HOURS_OPEN, "Open 24 hours", nyt(2024, 6, 8, 0, 0));
    expect(&h, nyt(2024, 6, 6, 23, 0), HOURS_OPEN, "Open 24 hours", nyt(2024, 6, 8, 0, 0));
    expect(&h, nyt(2024, 6, 7, 10, 0), HOURS_OPEN, "Open now, closes midnight", nyt(2024, 6, 8, 0, 0));
    expect(&h, nyt(2024, 6, 8, 10, 0), HOURS_CLOSED, "Closed, opens Sun midnight", nyt(2024, 6, 10, 0, 0));
    /* opening at 9 am and running on through an all-day Tuesday */
    hours_init(&h, ny);
    rule(&h, "MO", "09:00", "24:00");
    rule(&h, "TU", "00:00", "24:00");
    expect(&h, nyt(2024, 6, 3, 10, 0), HOURS_OPEN, "Open now, closes Tue midnight", nyt(2024, 6, 5, 0, 0));
    expect(&h, nyt(2024, 6, 4, 10, 0), HOURS_OPEN, "Open now, closes midnight", nyt(2024, 6, 5, 0, 0));
}

/* Sunday 10 March 2024 (spring forward at 02:00 EST) and Sunday 3 November
 * 2024 (fall back at 02:00 EDT) in New York. */
static void test_dst_days(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "SU", "01:00", "04:00");
    expect(&h, utc(2024, 3, 10, 5, 30), HOURS_CLOSED, "Closed, opens 1 am", utc(2024, 3, 10, 6, 0));
    expect(&h, utc(2024, 3, 10, 6, 30), HOURS_OPEN, "Open now, closes 4 am", utc(2024, 3, 10, 8, 0));
    expect(&h, utc(2024, 3, 10, 7, 30), HOURS_OPEN, "Open now, closes 4 am", utc(2024, 3, 10, 8, 0));
    expect(&h, utc(2024, 3, 10, 8, 0), HOURS_CLOSED, "Closed, opens Sun 1 am", utc(2024, 3, 17, 5, 0));
    /* fall back: 01:00 EDT to 04:00 EST is four real hours */
    expect(&h, utc(2024, 11, 3, 5, 0), HOURS_OPEN, "Open now, closes 4 am", utc(2024, 11, 3, 9, 0));
    expect(&h, utc(2024, 11, 3, 6, 30), HOURS_OPEN, "Open now, closes 4 am", utc(2024, 11, 3, 9, 0));
    expect(&h, utc(2024, 11, 3, 4, 30), HOURS_CLOSED, "Closed, opens 1 am", utc(2024, 11, 3, 5, 0));
}

static void test_dst_gap_times(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    /* 02:00-03:00 does not exist on 10 March: no opening that day */
    rule(&h, "SU", "02:00", "03:00");
    expect(&h, utc(2024, 3, 10, 6, 30), HOURS_CLOSED, "Closed, opens Sun 2 am", utc(2024, 3, 17, 6, 0));
    /* a closing time in the gap is taken with the EST offset: 03:30 EDT */
    hours_init(&h, ny);
    rule(&h, "SU", "00:00", "02:30");
    expect(&h, utc(2024, 3, 10, 6, 0), HOURS_OPEN, "Open now, closes 3:30 am", utc(2024, 3, 10, 7, 30));
}

static void test_valid_dates(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    add(&h, "{\"byday\": \"MO,TU,WE,TH,FR\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\","
            " \"valid_to\": \"2024-05-31\"}");
    add(&h, "{\"byday\": \"MO,TU,WE,TH,FR\", \"opens_at\": \"10:00\", \"closes_at\": \"16:00\","
            " \"valid_from\": \"2024-06-01\", \"valid_to\": \"2024-08-31\"}");
    add(&h, "{\"byday\": \"MO,TU,WE,TH,FR\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\","
            " \"valid_from\": \"2024-09-01\"}");
    expect(&h, nyt(2024, 5, 31, 16, 30), HOURS_OPEN, "Open now, closes 5 pm", nyt(2024, 5, 31, 17, 0));
    expect(&h, nyt(2024, 5, 31, 18, 0), HOURS_CLOSED, "Closed, opens Mon 10 am", nyt(2024, 6, 3, 10, 0));
    expect(&h, nyt(2024, 6, 3, 9, 30), HOURS_CLOSED, "Closed, opens 10 am", nyt(2024, 6, 3, 10, 0));
    expect(&h, nyt(2024, 8, 30, 15, 0), HOURS_OPEN, "Open now, closes 4 pm", nyt(2024, 8, 30, 16, 0));
    expect(&h, nyt(2024, 8, 30, 16, 30), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 9, 2, 9, 0));
    const char *june[] = {"Mon-Fri 10 am-4 pm", "Sat-Sun closed"};
    expect_summary(&h, nyt(2024, 6, 5, 12, 0), 7, june, 2);
    const char *late_august[] = {"Mon-Wed 9 am-5 pm", "Thu-Fri 10 am-4 pm", "Sat-Sun closed"};
    expect_summary(&h, nyt(2024, 8, 29, 12, 0), 7, late_august, 3);
}

static void test_expired_rules(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    add(&h, "{\"byday\": \"MO\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\", \"valid_to\": \"2024-01-31\"}");
    expect(&h, nyt(2024, 6, 5, 12, 0), HOURS_CLOSED, "Closed, opening hours not known", 0);
    expect_summary(&h, nyt(2024, 6, 5, 12, 0), 7, NULL, 0);
    /* not yet valid: the first opening is eight days away at most */
    hours_init(&h, ny);
    add(&h, "{\"byday\": \"MO\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\", \"valid_from\": \"2024-06-10\"}");
    expect(&h, nyt(2024, 6, 1, 12, 0), HOURS_CLOSED, "Closed, opening hours not known", 0);
    expect(&h, nyt(2024, 6, 3, 12, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 6, 10, 9, 0));
}

static void test_closures(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "MO,TU,WE,TH,FR", "09:00", "17:00");
    closure(&h, "2024-07-04", NULL);
    closure(&h, "2024-12-24", "2024-12-26");
    expect(&h, nyt(2024, 7, 4, 10, 0), HOURS_CLOSED, "Closed today", nyt(2024, 7, 5, 9, 0));
    expect(&h, nyt(2024, 7, 3, 18, 0), HOURS_CLOSED, "Closed, opens Fri 9 am", nyt(2024, 7, 5, 9, 0));
    expect(&h, nyt(2024, 7, 5, 10, 0), HOURS_OPEN, "Open now, closes 5 pm", nyt(2024, 7, 5, 17, 0));
    expect(&h, nyt(2024, 12, 23, 18, 0), HOURS_CLOSED, "Closed, opens Fri 9 am", nyt(2024, 12, 27, 9, 0));
    expect(&h, nyt(2024, 12, 25, 12, 0), HOURS_CLOSED, "Closed today", nyt(2024, 12, 27, 9, 0));
    expect(&h, nyt(2024, 12, 26, 23, 59), HOURS_CLOSED, "Closed today", nyt(2024, 12, 27, 9, 0));
    expect(&h, nyt(2024, 12, 27, 0, 0), HOURS_CLOSED, "Closed, opens 9 am", nyt(2024, 12, 27, 9, 0));
    /* closed for all of August */
    closure(&h, "2024-08-01", "2024-08-31");
    expect(&h, nyt(2024, 7, 31, 18, 0), HOURS_CLOSED, "Closed, opening hours not known", 0);
    expect(&h, nyt(2024, 8, 5, 12, 0), HOURS_CLOSED, "Closed today", 0);
    expect(&h, nyt(2024, 8, 28, 12, 0), HOURS_CLOSED, "Closed today", nyt(2024, 9, 2, 9, 0));
    /* the regular hours are still the summary */
    const char *lines[] = {"Mon-Fri 9 am-5 pm", "Sat-Sun closed"};
    expect_summary(&h, nyt(2024, 8, 5, 12, 0), 7, lines, 2);
}

/* A closure closes the openings that start on its dates: Friday night's
 * opening still runs into a closed Saturday; a closed Friday has no
 * Friday-night opening at all. */
static void test_overnight_and_closures(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "FR", "22:00", "06:00");
    closure(&h, "2024-06-08", NULL);
    expect(&h, nyt(2024, 6, 8, 3, 0), HOURS_OPEN, "Open now, closes 6 am", nyt(2024, 6, 8, 6, 0));
    expect(&h, nyt(2024, 6, 8, 7, 0), HOURS_CLOSED, "Closed today", nyt(2024, 6, 14, 22, 0));
    hours_init(&h, ny);
    rule(&h, "FR", "22:00", "06:00");
    closure(&h, "2024-06-07", NULL);
    expect(&h, nyt(2024, 6, 7, 23, 0), HOURS_CLOSED, "Closed today", nyt(2024, 6, 14, 22, 0));
    expect(&h, nyt(2024, 6, 8, 3, 0), HOURS_CLOSED, "Closed, opens Fri 10 pm", nyt(2024, 6, 14, 22, 0));
}

static void test_long_waits(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    rule(&h, "MO", "09:00", "17:00");
    expect(&h, nyt(2024, 6, 4, 12, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 6, 10, 9, 0));
    expect(&h, nyt(2024, 6, 3, 18, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 6, 10, 9, 0));
    expect(&h, nyt(2024, 6, 9, 8, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", nyt(2024, 6, 10, 9, 0));
}

static void test_no_rules(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    expect(&h, nyt(2024, 6, 5, 12, 0), HOURS_UNKNOWN, "Hours not listed", 0);
    closure(&h, "2024-06-05", NULL);
    expect(&h, nyt(2024, 6, 5, 12, 0), HOURS_UNKNOWN, "Hours not listed", 0);
    char lines[7][64];
    assert_int_equal(hours_week_summary_at(&h, nyt(2024, 6, 5, 12, 0), lines, 7), 0);
    assert_int_equal(hours_week_summary(&h, lines, 7), 0);
}

/* London changes to BST on Sunday 31 March 2024 at 01:00 UTC. */
static void test_london(void **state)
{
    (void)state;
    const tz *lon = tz_get("Europe/London");
    assert_non_null(lon);
    hours h;
    hours_init(&h, lon);
    rule(&h, "MO,TU,WE,TH,FR", "09:00", "17:30");
    expect(&h, utc(2024, 3, 29, 17, 0), HOURS_OPEN, "Open now, closes 5:30 pm", utc(2024, 3, 29, 17, 30));
    expect(&h, utc(2024, 3, 30, 12, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", utc(2024, 4, 1, 8, 0));
    expect(&h, utc(2024, 4, 1, 7, 30), HOURS_CLOSED, "Closed, opens 9 am", utc(2024, 4, 1, 8, 0));
    expect(&h, utc(2024, 4, 1, 16, 0), HOURS_OPEN, "Open now, closes 5:30 pm", utc(2024, 4, 1, 16, 30));
    expect(&h, utc(2024, 4, 1, 16, 30), HOURS_CLOSED, "Closed, opens Tue 9 am", utc(2024, 4, 2, 8, 0));
    /* the same instant in New York is still Sunday night */
    hours_init(&h, ny);
    rule(&h, "MO,TU,WE,TH,FR", "09:00", "17:30");
    expect(&h, utc(2024, 4, 1, 2, 0), HOURS_CLOSED, "Closed, opens Mon 9 am", utc(2024, 4, 1, 13, 0));
}

static void test_other_zones(void **state)
{
    (void)state;
    const tz *lh = tz_get("Australia/Lord_Howe"), *guam = tz_get("Pacific/Guam");
    assert_non_null(lh);
    assert_non_null(guam);
    hours h;
    hours_init(&h, lh);
    rule(&h, "MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00");
    /* Lord Howe's 23.5-hour day, 6 October 2024 */
    expect(&h, utc(2024, 10, 5, 15, 15), HOURS_OPEN, "Open 24 hours", 0);
    expect(&h, utc(2024, 10, 5, 15, 45), HOURS_OPEN, "Open 24 hours", 0);
    hours_init(&h, guam);
    rule(&h, "SA", "10:00", "14:00");
    /* Friday 23:00 UTC is Saturday 09:00 in Guam */
    expect(&h, utc(2024, 6, 7, 23, 0), HOURS_CLOSED, "Closed, opens 10 am", utc(2024, 6, 8, 0, 0));
    hours_init(&h, NULL); /* UTC */
    rule(&h, "SA", "10:00", "14:00");
    expect(&h, utc(2024, 6, 7, 23, 0), HOURS_CLOSED, "Closed, opens Sat 10 am", utc(2024, 6, 8, 10, 0));
}

/* ------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------ */

static void test_accepted_forms(void **state)
{
    (void)state;
    hours h;
    hours_init(&h, ny);
    add(&h, "{\"byday\": \"1MO,-1fr, +2We \", \"opens_at\": \"9:00\", \"closes_at\": \"17:30:00\","
            " \"freq\": \"weekly\", \"interval\": 1}");
    assert_int_equal(h.nrules, 3);
    assert_int_equal(h.rules[0].wday, 1);
    assert_int_equal(h.rules[1].wday, 3);
    assert_int_equal(h.rules[2].wday, 5);
    assert_int_equal(h.rules[0].opens, 540);
    assert_int_equal(h.rules[0].closes, 1050);
    assert_string_equal(h.rules[0].valid_from, "");
    add(&h, "{\"byday\": \"SA\", \"opens_at\": \"22:00\", \"closes_at\": \"02:00\", \"valid_from\": null,"
            " \"valid_to\": \"\", \"dtstart\": \"2005-01-01\", \"description\": \"x\"}");
    assert_int_equal(h.rules[3].wday, 6);
    assert_int_equal(h.rules[3].opens, 1320);
    assert_int_equal(h.rules[3].closes, 120);
    /* the HSDS example schedule, with all its iCal fields */
    add(&h, "{\"id\": \"48102e86-bb50-41c4-8f1e-e269368c41d1\", \"valid_from\": \"2005-01-01\","
            " \"valid_to\": \"2005-01-01\", \"dtstart\": \"2005-01-01\", \"timezone\": 3,"
            " \"until\": \"2005-01-01\", \"count\": 3, \"wkst\": \"TU\", \"freq\": \"WEEKLY\", \"interval\": 1,"
            " \"byday\": \"TH,FR\", \"byweekno\": \"41,42\", \"bymonthday\": \"2,3,4\", \"byyearday\": \"2,3,4\","
            " \"opens_at\": \"10:00\", \"closes_at\": \"18:00\"}");
    assert_int_equal(h.nrules, 6);
    assert_string_equal(h.rules[4].valid_from, "2005-01-01");
    assert_string_equal(h.rules[5].valid_to, "2005-01-01");
    add(&h, "{\"valid_from\": \"2024-12-25\", \"opens_at\": \"\", \"closes_at\": null}");
    assert_int_equal(h.nclosures, 1);
    assert_string_equal(h.closures[0].from, "2024-12-25");
    assert_string_equal(h.closures[0].to, "2024-12-25");
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"[]", "not an object"},
        {"{}", "no opens_at, closes_at or valid_from"},
        {"{\"valid_to\": \"2024-01-01\"}", "no opens_at, closes_at or valid_from"},
        {"{\"byday\": \"MO\", \"closes_at\": \"17:00\"}", "closes_at without opens_at"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00\"}", "opens_at without closes_at"},
        {"{\"opens_at\": \"09:00\", \"closes_at\": \"17:00\"}", "byday is missing"},
        {"{\"byday\": \"MO\", \"opens_at\": \"25:00\", \"closes_at\": \"17:00\"}", "opens_at \"25:00\" is not a time"},
        {"{\"byday\": \"MO\", \"opens_at\": \"24:00\", \"closes_at\": \"17:00\"}", "is not a time"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:60\", \"closes_at\": \"17:00\"}", "is not a time"},
        {"{\"byday\": \"MO\", \"opens_at\": \"9am\", \"closes_at\": \"17:00\"}", "is not a time"},
        {"{\"byday\": \"MO\", \"opens_at\": \"009:00\", \"closes_at\": \"17:00\"}", "is not a time"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00\", \"closes_at\": \"24:01\"}", "closes_at \"24:01\" is not a time"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00:0\"}", "is not a time"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00\", \"closes_at\": \"\\u00317:00\"}", NULL},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00Z\", \"closes_at\": \"17:00\"}", "time zone suffix"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00-05:00\", \"closes_at\": \"17:00\"}", "time zone suffix"},
        {"{\"byday\": \"MO\", \"opens_at\": 9, \"closes_at\": \"17:00\"}", "opens_at is not a string"},
        {"{\"byday\": \"XX\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\"}", "bad day code"},
        {"{\"byday\": \"MO,\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\"}", "bad day code"},
        {"{\"byday\": \"MO;TU\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\"}", "bad day code"},
        {"{\"byday\": \"MON\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\"}", "bad day code"},
        {"{\"byday\": \"MO\", \"freq\": \"MONTHLY\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\"}",
         "freq \"MONTHLY\" is not supported"},
        {"{\"byday\": \"MO\", \"interval\": 2, \"opens_at\": \"09:00\", \"closes_at\": \"17:00\"}",
         "interval other than 1"},
        {"{\"valid_from\": \"2024-02-30\"}", "valid_from \"2024-02-30\" is not a date"},
        {"{\"valid_from\": \"2023-02-29\"}", "is not a date"},
        {"{\"valid_from\": \"2024-1-01\"}", "is not a date"},
        {"{\"valid_from\": \"2024-03-01\", \"valid_to\": \"2024-02-01\"}", "valid_to is before valid_from"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00\", \"closes_at\": \"17:00\", \"valid_to\": \"soon\"}",
         "valid_to \"soon\" is not a date"},
        {"{\"byday\": \"MO\", \"opens_at\": \"09:00\\u0000\", \"closes_at\": \"17:00\"}", "NUL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hours h;
        hours_init(&h, ny);
        rule(&h, "SU", "10:00", "11:00");
        json_error_t jerr;
        json_t *o = json_loads(cases[i][0], JSON_ALLOW_NUL, &jerr);
        char err[160] = "";
        if (!o)
            fail_msg("bad test JSON %s", cases[i][0]);
        bool ok = hours_add_hsds(&h, o, err, sizeof err);
        json_decref(o);
        if (!cases[i][1]) { /* "\u00317:00" is "17:00": accepted */
            assert_true(ok);
            continue;
        }
        if (ok || !strstr(err, cases[i][1]))
            fail_msg("%s: ok=%d err \"%s\", want \"%s\"", cases[i][0], ok, err, cases[i][1]);
        assert_int_equal(h.nrules, 1);
        assert_int_equal(h.nclosures, 0);
    }
    hours h;
    hours_init(&h, ny);
    assert_false(hours_add_hsds(&h, NULL, NULL, 0)); /* no err buffer is fine */
}

static void test_limits(void **state)
{
    (void)state;
    hours h;
    char err[160];
    hours_init(&h, ny);
    for (int i = 0; i < 9; i++)
        rule(&h, "MO,TU,WE,TH,FR,SA,SU", "09:00", "10:00");
    assert_int_equal(h.nrules, 63);
    json_t *two = json_pack("{s:s, s:s, s:s}", "byday", "MO,TU", "opens_at", "11:00", "closes_at", "12:00");
    assert_false(hours_add_hsds(&h, two, err, sizeof err));
    assert_non_null(strstr(err, "too many opening rules"));
    assert_int_equal(h.nrules, 63);
    json_decref(two);
    rule(&h, "MO", "11:00", "12:00");
    assert_int_equal(h.nrules, HOURS_MAX_RULES);
    for (int i = 0; i < HOURS_MAX_CLOSURES; i++)
        closure(&h, "2024-01-01", NULL);
    json_t *c = json_pack("{s:s}", "valid_from", "2024-01-02");
    assert_false(hours_add_hsds(&h, c, err, sizeof err));
    assert_non_null(strstr(err, "too many closures"));
    json_decref(c);
    /* the status with everything full still works: Monday 1 January 2024 is closed */
    expect(&h, nyt(2024, 1, 1, 9, 30), HOURS_CLOSED, "Closed today", nyt(2024, 1, 2, 9, 0));
}

/* ------------------------------------------------------------------------
 * Week summary
 * ------------------------------------------------------------------------ */

static void test_summary(void **state)
{
    (void)state;
    hours h;
    int64_t wed = nyt(2024, 6, 5, 12, 0);
    hours_init(&h, ny);
    rule(&h, "MO,TU,WE,TH,FR", "09:00", "17:00");
    rule(&h, "SA", "10:00", "14:00");
    const char *basic[] = {"Mon-Fri 9 am-5 pm", "Sat 10 am-2 pm", "Sun closed"};
    expect_summary(&h, wed, 7, basic, 3);
    expect_summary(&h, wed, 2, basic, 2);
    expect_summary(&h, wed, 0, basic, 0);
    rule(&h, "FR", "22:00", "06:00");
    rule(&h, "MO", "09:00", "17:00"); /* a duplicate is shown once */
    const char *night[] = {"Mon-Thu 9 am-5 pm", "Fri 9 am-5 pm, 10 pm-6 am", "Sat 10 am-2 pm", "Sun closed"};
    expect_summary(&h, wed, 7, night, 4);

    hours_init(&h, ny);
    rule(&h, "TU", "13:00", "17:00");
    rule(&h, "TU", "09:00", "12:00");
    rule(&h, "TH", "00:00", "12:30");
    rule(&h, "SU", "12:00", "24:00");
    const char *split[] = {"Mon closed", "Tue 9 am-noon, 1 pm-5 pm", "Wed closed", "Thu midnight-12:30 pm",
                           "Fri-Sat closed", "Sun noon-midnight"};
    expect_summary(&h, wed, 7, split, 6);

    hours_init(&h, ny);
    rule(&h, "MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59");
    const char *always[] = {"Mon-Sun open 24 hours"};
    expect_summary(&h, wed, 7, always, 1);

    hours_init(&h, ny);
    for (int i = 0; i < 8; i++) {
        char o[16], c[16];
        snprintf(o, sizeof o, "%02d:15", 8 + i);
        snprintf(c, sizeof c, "%02d:45", 8 + i);
        rule(&h, "WE", o, c);
    }
    char lines[7][64];
    assert_int_equal(hours_week_summary_at(&h, wed, lines, 7), 3);
    assert_string_equal(lines[1], "Wed 8:15 am-8:45 am, 9:15 am-9:45 am, 10:15 am-10:45 am, ...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_wording),
        cmocka_unit_test(test_midnight_opening),
        cmocka_unit_test(test_overnight),
        cmocka_unit_test(test_all_day),
        cmocka_unit_test(test_all_day_weekdays),
        cmocka_unit_test(test_dst_days),
        cmocka_unit_test(test_dst_gap_times),
        cmocka_unit_test(test_valid_dates),
        cmocka_unit_test(test_expired_rules),
        cmocka_unit_test(test_closures),
        cmocka_unit_test(test_overnight_and_closures),
        cmocka_unit_test(test_long_waits),
        cmocka_unit_test(test_no_rules),
        cmocka_unit_test(test_london),
        cmocka_unit_test(test_other_zones),
        cmocka_unit_test(test_accepted_forms),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
