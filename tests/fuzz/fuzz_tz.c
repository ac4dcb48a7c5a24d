/* fuzz_tz: libFuzzer harness for the TZif reader (src/core/tz.c).
 *
 * The input is parsed as a TZif file with tz_parse. When accepted, a fixed
 * set of instants (and a few spelled by the input's last bytes) is queried.
 * Checks: offsets within RFC 8536's range; tz_local fields in range; and a
 * round trip: for an instant whose local time falls on a whole minute,
 * tz_utc of that wall clock must give an instant no later than it with the
 * same wall clock (the earliest one). tz_utc of arbitrary fields must not
 * crash either. */
#include "core/tz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT ((int64_t)1 << 50)

static bool tm_ok(const struct tm *tm)
{
    return tm->tm_mon >= 0 && tm->tm_mon <= 11 && tm->tm_mday >= 1 && tm->tm_mday <= 31 && tm->tm_hour >= 0 &&
           tm->tm_hour <= 23 && tm->tm_min >= 0 && tm->tm_min <= 59 && tm->tm_sec >= 0 && tm->tm_sec <= 59 &&
           tm->tm_wday >= 0 && tm->tm_wday <= 6 && tm->tm_yday >= 0 && tm->tm_yday <= 365 &&
           (tm->tm_isdst == 0 || tm->tm_isdst == 1);
}

static bool same_wall(const struct tm *a, const struct tm *b)
{
    return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
           a->tm_hour == b->tm_hour && a->tm_min == b->tm_min && a->tm_sec == b->tm_sec;
}

static void round_trip(const tz *z, int64_t t)
{
    struct tm a, b;
    tz_local(z, t, &a);
    t -= a.tm_sec;
    tz_local(z, t, &a);
    if (a.tm_sec != 0)
        return; /* a transition within that minute: the minute is not a wall-clock time */
    int64_t u = tz_utc(z, a.tm_year + 1900, a.tm_mon + 1, a.tm_mday, a.tm_hour, a.tm_min);
    tz_local(z, u, &b);
    if (u > t || !same_wall(&a, &b))
        abort();
}

static void check(const tz *z, int64_t t)
{
    struct tm tm;
    long off = tz_offset(z, t);
    if (off < -89999 || off > 93599)
        abort();
    tz_local(z, t, &tm);
    if (!tm_ok(&tm))
        abort();
    if (t > -LIMIT && t < LIMIT)
        round_trip(z, t);
}

static int64_t tail64(const uint8_t *data, size_t size, size_t back)
{
    uint64_t v = 0;
    if (size < back + 8)
        return 0;
    for (size_t i = 0; i < 8; i++)
        v = v << 8 | data[size - back - 8 + i];
    return (int64_t)(v % (2 * (uint64_t)LIMIT)) - LIMIT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t fixed[] = {INT64_MIN, -LIMIT, -2208988800LL, -1, 0, 1, 1710053999, 1710054000,
                                    1710055800, 1730613599, 1730613600, 1730617200, 2147483647, 2215062000LL,
                                    4102444800LL, LIMIT, INT64_MAX};
    tz *z = tz_parse(data, size, "fuzz");
    if (!z)
        return 0;
    if (strcmp(tz_name(z), "fuzz") != 0)
        abort();
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check(z, fixed[i]);
    for (size_t back = 0; back < 24; back += 8)
        check(z, tail64(data, size, back));
    (void)tz_utc(z, 2024, 3, 10, 2, 30);
    (void)tz_utc(z, -2147483647 - 1, -2147483647 - 1, -2147483647 - 1, -2147483647 - 1, -2147483647 - 1);
    (void)tz_utc(z, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647);
    tz_free(z);
    return 0;
}
