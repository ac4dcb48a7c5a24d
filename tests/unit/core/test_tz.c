/* test_tz: unit tests for src/core/tz.c.
 *
 * Offsets on both sides of real transitions (New York 2024 and 2025,
 * Anchorage, London, Lord Howe's 30-minute DST) and in zones without DST
 * (Phoenix, Honolulu, Guam); 2040, past the files' transition tables, so
 * the footer rule decides; tz_local fields; tz_utc in gaps and overlaps and
 * round trips; the POSIX footer forms; hand-built version 1 and 2 files;
 * refused names, junk files under a temporary $TZDIR and leap-second
 * files; the cache from several threads. Uses the system's tzdata. */
#include "core/tz.h"

#include "core/util.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define H 3600

/* A UTC instant from its calendar fields. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static const tz *zone(const char *name)
{
    const tz *z = tz_get(name);
    if (!z)
        fail_msg("zone %s did not load", name);
    return z;
}

static void expect_offset(const tz *z, int64_t t, long want)
{
    long got = tz_offset(z, t);
    if (got != want)
        fail_msg("%s at %lld: offset %ld, want %ld", tz_name(z), (long long)t, got, want);
}

/* ------------------------------------------------------------------------
 * Calendar helpers
 * ------------------------------------------------------------------------ */

static void test_civil(void **state)
{
    (void)state;
    assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(tz_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(tz_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(tz_days_from_civil(2024, 3, 10), 19792);
    assert_int_equal(tz_days_from_civil(1900, 1, 1), -25567);
    assert_int_equal(tz_days_from_civil(1600, 2, 29), -135081);
    assert_int_equal(tz_days_from_civil(2024, 13, 1), tz_days_from_civil(2025, 1, 1));
    assert_int_equal(tz_days_from_civil(2024, 0, 1), tz_days_from_civil(2023, 12, 1));
    assert_int_equal(tz_days_from_civil(2024, 2, 30), tz_days_from_civil(2024, 3, 1));
    for (int64_t days = -800000; days < 800000; days += 37) {
        int64_t y;
        int m, d;
        tz_civil_from_days(days, &y, &m, &d);
        assert_int_equal(tz_days_from_civil(y, m, d), days);
        assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
    }
}

/* ------------------------------------------------------------------------
 * Offsets
 * ------------------------------------------------------------------------ */

static void test_new_york(void **state)
{
    (void)state;
    const tz *ny = zone("America/New_York");
    assert_string_equal(tz_name(ny), "America/New_York");
    expect_offset(ny, utc(2024, 1, 15, 12, 0, 0), -5 * H);
    expect_offset(ny, utc(2024, 3, 10, 6, 59, 59), -5 * H);
    expect_offset(ny, utc(2024, 3, 10, 7, 0, 0), -4 * H);
    expect_offset(ny, utc(2024, 7, 4, 12, 0, 0), -4 * H);
    expect_offset(ny, utc(2024, 11, 3, 5, 59, 59), -4 * H);
    expect_offset(ny, utc(2024, 11, 3, 6, 0, 0), -5 * H);
    expect_offset(ny, utc(2025, 3, 9, 6, 59, 59), -5 * H);
    expect_offset(ny, utc(2025, 3, 9, 7, 0, 0), -4 * H);
    expect_offset(ny, utc(2025, 11, 2, 5, 59, 59), -4 * H);
    expect_offset(ny, utc(2025, 11, 2, 6, 0, 0), -5 * H);
    /* 1883 local mean time, before the first transition: -4:56:02 */
    expect_offset(ny, utc(1800, 1, 1, 0, 0, 0), -(4 * H + 56 * 60 + 2));
}

static void test_no_dst_zones(void **state)
{
    (void)state;
    const tz *phx = zone("America/Phoenix"), *hnl = zone("Pacific/Honolulu"), *guam = zone("Pacific/Guam");
    int64_t when[] = {utc(2024, 1, 1, 0, 0, 0), utc(2024, 3, 10, 7, 0, 0), utc(2024, 7, 1, 12, 0, 0),
                      utc(2024, 11, 3, 6, 0, 0), utc(2040, 7, 1, 0, 0, 0)};
    for (size_t i = 0; i < sizeof when / sizeof when[0]; i++) {
        expect_offset(phx, when[i], -7 * H);
        expect_offset(hnl, when[i], -10 * H);
        expect_offset(guam, when[i], 10 * H);
    }
}

static void test_anchorage_london(void **state)
{
    (void)state;
    const tz *anc = zone("America/Anchorage"), *lon = zone("Europe/London");
    expect_offset(anc, utc(2024, 3, 10, 10, 59, 59), -9 * H);
    expect_offset(anc, utc(2024, 3, 10, 11, 0, 0), -8 * H);
    expect_offset(anc, utc(2024, 11, 3, 9, 59, 59), -8 * H);
    expect_offset(anc, utc(2024, 11, 3, 10, 0, 0), -9 * H);
    expect_offset(lon, utc(2024, 3, 31, 0, 59, 59), 0);
    expect_offset(lon, utc(2024, 3, 31, 1, 0, 0), H);
    expect_offset(lon, utc(2024, 10, 27, 0, 59, 59), H);
    expect_offset(lon, utc(2024, 10, 27, 1, 0, 0), 0);
}

static void test_lord_howe(void **state)
{
    (void)state;
    const tz *lh = zone("Australia/Lord_Howe");
    long std = 10 * H + 30 * 60, dst = 11 * H;
    expect_offset(lh, utc(2024, 4, 6, 14, 59, 59), dst);
    expect_offset(lh, utc(2024, 4, 6, 15, 0, 0), std);
    expect_offset(lh, utc(2024, 10, 5, 15, 29, 59), std);
    expect_offset(lh, utc(2024, 10, 5, 15, 30, 0), dst);
    /* 2040 from the footer "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0": the
     * southern rule, where DST spans the new year */
    expect_offset(lh, utc(2040, 1, 1, 0, 0, 0), dst);
    expect_offset(lh, utc(2040, 3, 31, 14, 59, 59), dst);
    expect_offset(lh, utc(2040, 3, 31, 15, 0, 0), std);
    expect_offset(lh, utc(2040, 10, 6, 15, 29, 59), std);
    expect_offset(lh, utc(2040, 10, 6, 15, 30, 0), dst);
    expect_offset(lh, utc(2040, 12, 31, 23, 0, 0), dst);
}

static void test_far_future(void **state)
{
    (void)state;
    const tz *ny = zone("America/New_York"), *lon = zone("Europe/London");
    /* 2040: DST from Sunday 11 March to Sunday 4 November */
    expect_offset(ny, utc(2040, 3, 11, 6, 59, 59), -5 * H);
    expect_offset(ny, utc(2040, 3, 11, 7, 0, 0), -4 * H);
    expect_offset(ny, utc(2040, 11, 4, 5, 59, 59), -4 * H);
    expect_offset(ny, utc(2040, 11, 4, 6, 0, 0), -5 * H);
    /* London 2040: last Sundays, 25 March and 28 October, at 01:00 UTC */
    expect_offset(lon, utc(2040, 3, 25, 0, 59, 59), 0);
    expect_offset(lon, utc(2040, 3, 25, 1, 0, 0), H);
    expect_offset(lon, utc(2040, 10, 28, 0, 59, 59), H);
    expect_offset(lon, utc(2040, 10, 28, 1, 0, 0), 0);
    /* far outside any table: still the rule, and no overflow */
    expect_offset(ny, utc(9999, 7, 1, 0, 0, 0), -4 * H);
    expect_offset(ny, INT64_MAX, tz_offset(ny, INT64_MAX - 1));
    (void)tz_offset(ny, INT64_MIN);
}

static void test_null_is_utc(void **state)
{
    (void)state;
    struct tm tm;
    assert_int_equal(tz_offset(NULL, 1234567890), 0);
    assert_string_equal(tz_name(NULL), "UTC");
    assert_int_equal(tz_utc(NULL, 2009, 2, 13, 23, 31), 1234567860);
    tz_local(NULL, -1, &tm);
    assert_int_equal(tm.tm_year, 69);
    assert_int_equal(tm.tm_mon, 11);
    assert_int_equal(tm.tm_mday, 31);
    assert_int_equal(tm.tm_hour, 23);
    assert_int_equal(tm.tm_sec, 59);
    assert_int_equal(tm.tm_wday, 3);
    assert_int_equal(tm.tm_yday, 364);
}

/* ------------------------------------------------------------------------
 * tz_local and tz_utc
 * ------------------------------------------------------------------------ */

static void expect_tm(const struct tm *tm, int y, int mo, int d, int h, int mi, int wday, int isdst)
{
    assert_int_equal(tm->tm_year + 1900, y);
    assert_int_equal(tm->tm_mon + 1, mo);
    assert_int_equal(tm->tm_mday, d);
    assert_int_equal(tm->tm_hour, h);
    assert_int_equal(tm->tm_min, mi);
    assert_int_equal(tm->tm_wday, wday);
    assert_int_equal(tm->tm_isdst, isdst);
}

static void test_local(void **state)
{
    (void)state;
    const tz *ny = zone("America/New_York"), *lh = zone("Australia/Lord_Howe");
    struct tm tm;
    tz_local(ny, utc(2024, 3, 10, 6, 59, 59), &tm);
    expect_tm(&tm, 2024, 3, 10, 1, 59, 0, 0);
    assert_int_equal(tm.tm_sec, 59);
    assert_int_equal(tm.tm_yday, 69);
    tz_local(ny, utc(2024, 3, 10, 7, 0, 0), &tm);
    expect_tm(&tm, 2024, 3, 10, 3, 0, 0, 1);
    tz_local(ny, utc(2025, 1, 1, 4, 59, 0), &tm);
    expect_tm(&tm, 2024, 12, 31, 23, 59, 2, 0);
    assert_int_equal(tm.tm_yday, 365);
    tz_local(lh, utc(2024, 10, 5, 15, 30, 0), &tm);
    expect_tm(&tm, 2024, 10, 6, 2, 30, 0, 1);
    tz_local(ny, utc(2040, 7, 4, 16, 0, 0), &tm);
    expect_tm(&tm, 2040, 7, 4, 12, 0, 3, 1);
}

static void test_utc_plain(void **state)
{
    (void)state;
    const tz *ny = zone("America/New_York"), *guam = zone("Pacific/Guam");
    assert_int_equal(tz_utc(ny, 2024, 7, 4, 9, 0), utc(2024, 7, 4, 13, 0, 0));
    assert_int_equal(tz_utc(ny, 2024, 1, 4, 9, 0), utc(2024, 1, 4, 14, 0, 0));
    assert_int_equal(tz_utc(ny, 2040, 7, 4, 9, 0), utc(2040, 7, 4, 13, 0, 0));
    assert_int_equal(tz_utc(guam, 2024, 1, 1, 0, 0), utc(2023, 12, 31, 14, 0, 0));
    /* normalised fields */
    assert_int_equal(tz_utc(ny, 2024, 12, 32, 0, 0), tz_utc(ny, 2025, 1, 1, 0, 0));
    assert_int_equal(tz_utc(ny, 2024, 3, 9, 24, 0), tz_utc(ny, 2024, 3, 10, 0, 0));
    assert_int_equal(tz_utc(ny, 2024, 3, 10, 0, 90), tz_utc(ny, 2024, 3, 10, 1, 30));
}

static void test_utc_gap(void **state)
{
    (void)state;
    const tz *ny = zone("America/New_York"), *lh = zone("Australia/Lord_Howe");
    assert_int_equal(tz_utc(ny, 2024, 3, 10, 1, 59), utc(2024, 3, 10, 6, 59, 0));
    /* 02:00 and 02:30 do not exist: the EST offset gives 03:00 and 03:30 EDT */
    assert_int_equal(tz_utc(ny, 2024, 3, 10, 2, 0), utc(2024, 3, 10, 7, 0, 0));
    assert_int_equal(tz_utc(ny, 2024, 3, 10, 2, 30), utc(2024, 3, 10, 7, 30, 0));
    assert_int_equal(tz_utc(ny, 2024, 3, 10, 3, 0), utc(2024, 3, 10, 7, 0, 0));
    assert_int_equal(tz_utc(ny, 2040, 3, 11, 2, 30), utc(2040, 3, 11, 7, 30, 0));
    /* Lord Howe skips 02:00-02:30: 02:15 is taken at +10:30, i.e. 02:45 */
    assert_int_equal(tz_utc(lh, 2024, 10, 6, 2, 15), utc(2024, 10, 5, 15, 45, 0));
    struct tm tm;
    tz_local(lh, tz_utc(lh, 2024, 10, 6, 2, 15), &tm);
    expect_tm(&tm, 2024, 10, 6, 2, 45, 0, 1);
}

static void test_utc_overlap(void **state)
{
    (void)state;
    const tz *ny = zone("America/New_York"), *lh = zone("Australia/Lord_Howe");
    /* 01:00-02:00 happens twice on 3 November 2024: the EDT one first */
    assert_int_equal(tz_utc(ny, 2024, 11, 3, 0, 59), utc(2024, 11, 3, 4, 59, 0));
    assert_int_equal(tz_utc(ny, 2024, 11, 3, 1, 0), utc(2024, 11, 3, 5, 0, 0));
    assert_int_equal(tz_utc(ny, 2024, 11, 3, 1, 30), utc(2024, 11, 3, 5, 30, 0));
    assert_int_equal(tz_utc(ny, 2024, 11, 3, 2, 0), utc(2024, 11, 3, 7, 0, 0));
    assert_int_equal(tz_utc(ny, 2040, 11, 4, 1, 30), utc(2040, 11, 4, 5, 30, 0));
    /* Lord Howe repeats 01:30-02:00 on 7 April 2024 */
    assert_int_equal(tz_utc(lh, 2024, 4, 7, 1, 45), utc(2024, 4, 6, 14, 45, 0));
    assert_int_equal(tz_utc(lh, 2024, 4, 7, 2, 0), utc(2024, 4, 6, 15, 30, 0));
}

/* Every 10 minutes of a year: local time and back gives the same instant,
 * or, in a repeated hour, the earlier instant with the same wall clock. */
static void round_trip_year(const tz *z, int year)
{
    int64_t from = utc(year, 1, 1, 0, 0, 0), to = utc(year + 1, 1, 1, 0, 0, 0);
    for (int64_t t = from; t < to; t += 600) {
        struct tm a, b;
        tz_local(z, t, &a);
        int64_t back = tz_utc(z, a.tm_year + 1900, a.tm_mon + 1, a.tm_mday, a.tm_hour, a.tm_min);
        if (back == t)
            continue;
        tz_local(z, back, &b);
        if (back > t || t - back > 3 * H || b.tm_hour != a.tm_hour || b.tm_min != a.tm_min)
            fail_msg("%s: %lld round-trips to %lld", tz_name(z), (long long)t, (long long)back);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"America/New_York", "Australia/Lord_Howe", "Europe/London", "America/Anchorage",
                           "Pacific/Guam", "America/Santiago", "Asia/Kolkata"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        round_trip_year(zone(names[i]), 2024);
        round_trip_year(zone(names[i]), 2040);
    }
}

/* ------------------------------------------------------------------------
 * Hand-built files
 * ------------------------------------------------------------------------ */

typedef struct tzif {
    unsigned char data[1024];
    size_t len;
} tzif;

static void put(tzif *f, const void *p, size_t n)
{
    if (n == 0)
        return;
    assert_true(f->len + n <= sizeof f->data);
    memcpy(f->data + f->len, p, n);
    f->len += n;
}

static void put32(tzif *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    put(f, b, 4);
}

static void put_header(tzif *f, char version, uint32_t ntimes, uint32_t ntypes)
{
    static const unsigned char zero[15];
    put(f, "TZif", 4);
    put(f, &version, 1);
    put(f, zero, 15);
    put32(f, 0);          /* isut */
    put32(f, 0);          /* isstd */
    put32(f, 0);          /* leap */
    put32(f, ntimes);     /* time */
    put32(f, ntypes);     /* type */
    put32(f, 4 * ntypes); /* chars */
}

/* A file with transitions times[i] to type idx[i]; types (off, isdst) named
 * "AAA", "BBB", ...; a version 2 file repeats it with 64-bit times and
 * adds the footer. */
static void build(tzif *f, char version, const int64_t *times, const uint8_t *idx, uint32_t n, const int32_t *offs,
                  const uint8_t *dst, uint32_t ntypes, const char *footer)
{
    f->len = 0;
    for (int pass = 0; pass < (version ? 2 : 1); pass++) {
        put_header(f, version, n, ntypes);
        for (uint32_t i = 0; i < n; i++) {
            if (pass)
                put32(f, (uint32_t)((uint64_t)times[i] >> 32));
            put32(f, (uint32_t)times[i]);
        }
        put(f, idx, n);
        for (uint32_t i = 0; i < ntypes; i++) {
            unsigned char rest[2] = {dst[i], (unsigned char)(4 * i)};
            put32(f, (uint32_t)offs[i]);
            put(f, rest, 2);
        }
        for (uint32_t i = 0; i < ntypes; i++) {
            char abbr[4] = {(char)('A' + i), (char)('A' + i), (char)('A' + i), 0};
            put(f, abbr, 4);
        }
    }
    if (version) {
        put(f, "\n", 1);
        put(f, footer, strlen(footer));
        put(f, "\n", 1);
    }
}

static void test_version1(void **state)
{
    (void)state;
    int64_t times[] = {1000000, 2000000, 3000000};
    uint8_t idx[] = {1, 0, 1};
    int32_t offs[] = {-3600, 7200};
    uint8_t dst[] = {0, 1};
    tzif f;
    build(&f, 0, times, idx, 3, offs, dst, 2, "");
    tz *z = tz_parse(f.data, f.len, "Test/V1");
    assert_non_null(z);
    assert_string_equal(tz_name(z), "Test/V1");
    assert_int_equal(tz_offset(z, 0), -3600);
    assert_int_equal(tz_offset(z, 999999), -3600);
    assert_int_equal(tz_offset(z, 1000000), 7200);
    assert_int_equal(tz_offset(z, 2500000), -3600);
    assert_int_equal(tz_offset(z, 3000000), 7200);
    assert_int_equal(tz_offset(z, 1LL << 40), 7200); /* no footer: the last type stays */
    struct tm tm;
    tz_local(z, 1000000, &tm);
    assert_int_equal(tm.tm_isdst, 1);
    tz_free(z);
    /* truncated anywhere: refused */
    for (size_t n = 0; n < f.len; n++)
        assert_null(tz_parse(f.data, n, "Test/V1"));
}

static void test_version2(void **state)
{
    (void)state;
    int64_t times[] = {-5000000000LL, 5000000000LL};
    uint8_t idx[] = {1, 0};
    int32_t offs[] = {0, 3600};
    uint8_t dst[] = {0, 0};
    tzif f;
    build(&f, '2', times, idx, 2, offs, dst, 2, "AAA0");
    tz *z = tz_parse(f.data, f.len, "Test/V2");
    assert_non_null(z);
    assert_int_equal(tz_offset(z, -6000000000LL), 0);
    assert_int_equal(tz_offset(z, 0), 3600);    /* 64-bit times were used */
    assert_int_equal(tz_offset(z, 6000000000LL), 0);
    tz_free(z);
    for (size_t n = 0; n < f.len; n++)
        assert_null(tz_parse(f.data, n, "Test/V2"));
    /* transitions out of order, a bad type index */
    int64_t unordered[] = {5, 5};
    build(&f, '2', unordered, idx, 2, offs, dst, 2, "AAA0");
    assert_null(tz_parse(f.data, f.len, "x"));
    uint8_t bad_idx[] = {1, 2};
    build(&f, '2', times, bad_idx, 2, offs, dst, 2, "AAA0");
    assert_null(tz_parse(f.data, f.len, "x"));
    int32_t bad_off[] = {0, 100000};
    build(&f, '2', times, idx, 2, bad_off, dst, 2, "AAA0");
    assert_null(tz_parse(f.data, f.len, "x"));
}

/* A version 3 file with no transitions: only the footer speaks. */
static tz *footer_zone(const char *footer)
{
    int32_t offs[] = {0};
    uint8_t dst[] = {0};
    tzif f;
    build(&f, '3', NULL, NULL, 0, offs, dst, 1, footer);
    return tz_parse(f.data, f.len, footer);
}

static void test_footers(void **state)
{
    (void)state;
    tz *z = footer_zone("EST5EDT"); /* no dates: the US rule */
    assert_non_null(z);
    assert_int_equal(tz_offset(z, utc(2030, 3, 10, 6, 59, 59)), -5 * H);
    assert_int_equal(tz_offset(z, utc(2030, 3, 10, 7, 0, 0)), -4 * H);
    tz_free(z);
    z = footer_zone("<+0330>-3:30");
    assert_int_equal(tz_offset(z, 0), 3 * H + 30 * 60);
    tz_free(z);
    z = footer_zone("EST5EDT,0/0,J365/25"); /* all year DST (version 3) */
    assert_int_equal(tz_offset(z, utc(2030, 1, 1, 5, 0, 0)), -4 * H);
    assert_int_equal(tz_offset(z, utc(2030, 7, 1, 0, 0, 0)), -4 * H);
    assert_int_equal(tz_offset(z, utc(2030, 12, 31, 23, 0, 0)), -4 * H);
    tz_free(z);
    /* Julian days (never counting 29 February): 1 March at 01:00 and 27
     * October at -1:00, that is 23:00 on the 26th */
    z = footer_zone("AAA3BBB2,J60/1,J300/-1");
    assert_int_equal(tz_offset(z, utc(2028, 3, 1, 3, 59, 0)), -3 * H);
    assert_int_equal(tz_offset(z, utc(2028, 3, 1, 4, 0, 0)), -2 * H);
    assert_int_equal(tz_offset(z, utc(2028, 10, 27, 0, 59, 0)), -2 * H);
    assert_int_equal(tz_offset(z, utc(2028, 10, 27, 1, 0, 0)), -3 * H);
    tz_free(z);
    z = footer_zone("AAA3BBB2,59/1,M10.5.0"); /* zero-based day 59 of a leap year: 29 February */
    assert_int_equal(tz_offset(z, utc(2028, 2, 29, 4, 0, 0)), -2 * H);
    assert_int_equal(tz_offset(z, utc(2028, 10, 29, 3, 59, 0)), -2 * H); /* last Sunday, 29 October */
    assert_int_equal(tz_offset(z, utc(2028, 10, 29, 4, 0, 0)), -3 * H);
    tz_free(z);
    /* start and end swap order from year to year, so the rule also switches
     * at new year (found by the fuzzer: tz_utc missed that switch) */
    z = footer_zone("AAA0BBB,M2.1.1,M2.1.0");
    assert_int_equal(tz_offset(z, utc(2026, 12, 31, 23, 59, 59)), H);
    assert_int_equal(tz_offset(z, utc(2027, 1, 1, 0, 0, 0)), 0);
    for (int y = 2024; y <= 2030; y++)
        round_trip_year(z, y);
    tz_free(z);
    z = footer_zone(""); /* empty footer: type 0 */
    assert_non_null(z);
    assert_int_equal(tz_offset(z, utc(2030, 1, 1, 0, 0, 0)), 0);
    tz_free(z);
    const char *bad[] = {"EST", "E5", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "EST5EDT,M3.0.0,M11.1.0",
                         "EST25", "EST5EDT,J0,J100", "EST5EDT,M3.2.0,M11.1.0,", "<AB>5", "<ABC5", "EST5EDT4x",
                         "EST5EDT,M3.2.0/168,M11.1.0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if ((z = footer_zone(bad[i])) != NULL)
            fail_msg("footer \"%s\" was accepted", bad[i]);
}

/* ------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------ */

static void test_invalid_names(void **state)
{
    (void)state;
    char longname[400];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    const char *names[] = {"../etc/passwd", "", "Nope/Nowhere", "/etc/passwd", "America/../../etc/passwd",
                           "America/New York", "America", "America/", "zone.tab", "America/New_York\n",
                           longname, "right/America/New_York" /* leap seconds */};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (tz_get(names[i]))
            fail_msg("tz_get(\"%s\") loaded", names[i]);
    assert_null(tz_get(NULL));
    assert_non_null(tz_get("UTC"));
    assert_non_null(tz_get("Etc/GMT+5"));
    assert_int_equal(tz_offset(tz_get("Etc/GMT+5"), 0), -5 * H);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_malformed_files(void **state)
{
    (void)state;
    size_t len;
    char *ny = file_read("/usr/share/zoneinfo/America/New_York", 1 << 20, &len);
    assert_non_null(ny);
    char dir[] = "/tmp/test_tz.XXXXXX";
    assert_non_null(mkdtemp(dir));
    tz_cache_free(); /* so America/New_York is looked up again, in dir */
    write_file(dir, "Junk", "this is not a zone\n", 19);
    write_file(dir, "Empty", "", 0);
    write_file(dir, "Trunc", ny, 100);
    write_file(dir, "Nofooter", ny, len - 1);
    char *bad_footer = xmalloc(len);
    memcpy(bad_footer, ny, len);
    memcpy(bad_footer + len - 8, "M13.1.0\n", 8); /* "...,M11.1.0\n" becomes "...,M13.1.0\n" */
    write_file(dir, "Badfooter", bad_footer, len);
    write_file(dir, "Copy", ny, len);
    assert_int_equal(setenv("TZDIR", dir, 1), 0);
    const char *bad[] = {"Junk", "Empty", "Trunc", "Nofooter", "Badfooter", "America/New_York"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (tz_get(bad[i]))
            fail_msg("%s/%s loaded", dir, bad[i]);
    const tz *copy = tz_get("Copy");
    assert_non_null(copy);
    assert_int_equal(tz_offset(copy, utc(2024, 3, 10, 7, 0, 0)), -4 * H);
    assert_int_equal(unsetenv("TZDIR"), 0);
    assert_ptr_equal(tz_get("Copy"), copy); /* cached by name */
    assert_null(tz_get("Junk"));
    const char *names[] = {"Junk", "Empty", "Trunc", "Nofooter", "Badfooter", "Copy"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        assert_int_equal(unlink(path), 0);
    }
    assert_int_equal(rmdir(dir), 0);
    free(bad_footer);
    free(ny);
}

static void *get_many(void *arg)
{
    const tz **out = arg;
    const char *names[] = {"America/Chicago", "America/Denver", "Europe/Paris", "Asia/Tokyo"};
    for (int i = 0; i < 200; i++)
        out[i % 4] = tz_get(names[i % 4]);
    return NULL;
}

static void test_cache_threads(void **state)
{
    (void)state;
    tz_cache_free();
    pthread_t th[8];
    const tz *got[8][4];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, get_many, got[i]), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) {
            assert_non_null(got[i][j]);
            assert_ptr_equal(got[i][j], got[0][j]);
        }
    assert_string_equal(tz_name(got[3][3]), "Asia/Tokyo");
    assert_int_equal(tz_offset(got[3][3], 0), 9 * H);
}

static int teardown(void **state)
{
    (void)state;
    tz_cache_free();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil),
        cmocka_unit_test(test_new_york),
        cmocka_unit_test(test_no_dst_zones),
        cmocka_unit_test(test_anchorage_london),
        cmocka_unit_test(test_lord_howe),
        cmocka_unit_test(test_far_future),
        cmocka_unit_test(test_null_is_utc),
        cmocka_unit_test(test_local),
        cmocka_unit_test(test_utc_plain),
        cmocka_unit_test(test_utc_gap),
        cmocka_unit_test(test_utc_overlap),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_version1),
        cmocka_unit_test(test_version2),
        cmocka_unit_test(test_footers),
        cmocka_unit_test(test_invalid_names),
        cmocka_unit_test(test_malformed_files),
        cmocka_unit_test(test_cache_threads),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
