/* tz: time zones read from the system's compiled tz database (TZif files).
 *
 * Zones are loaded from $TZDIR (read again at every load), else
 * /usr/share/zoneinfo, and parsed here: TZif versions 1 to 4, the 64-bit
 * data block when there is one, and the POSIX TZ string in the footer
 * (e.g. "EST5EDT,M3.2.0,M11.1.0") for instants after the last transition.
 * Nothing here calls setenv("TZ"), tzset or localtime, so every function is
 * safe to call from any thread.
 *
 * A NULL zone means UTC in every function below.
 *
 * Files with leap-second records (the "right/" zones) are refused: Waypost
 * counts POSIX time, which has no leap seconds. */
#ifndef WP_TZ_H
#define WP_TZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct tz tz;

/* Loads a zone by IANA name ("America/New_York"); cached (thread-safe,
 * loaded once per name); NULL when the name is not a valid zone name (only
 * letters, digits, '/', '_', '-', '+'; no "..", no leading '/', at most 255
 * bytes) or the file is missing or malformed. Failures are not cached, so a
 * name that failed is looked up again next time. The returned pointer stays
 * valid until tz_cache_free(). */
const tz *tz_get(const char *name);
void tz_cache_free(void);

/* Seconds east of UTC at that instant. */
long tz_offset(const tz *z, int64_t utc);

/* Local broken-down time: every field of struct tm is set, including
 * tm_wday, tm_yday and tm_isdst (1 in daylight saving time, else 0). */
void tz_local(const tz *z, int64_t utc, struct tm *out);

/* The UTC instant of a local wall-clock time. Fields are normalised the way
 * mktime does (day 32 is the 1st of the next month, hour 24 is the next
 * midnight). In a DST gap (02:30 on the spring-forward day) the offset from
 * before the gap is used, so 02:30 maps to 03:30 local; in an overlap (fall
 * back) the first (earlier) instant is returned. */
int64_t tz_utc(const tz *z, int year, int month, int day, int hour, int minute);

/* The name the zone was loaded by; "UTC" for NULL. */
const char *tz_name(const tz *z);

/* Parses a TZif file held in memory (for tests and the fuzz harness; does
 * not touch the cache). NULL when malformed. Free with tz_free(). */
tz *tz_parse(const unsigned char *data, size_t len, const char *name);
void tz_free(tz *z);

/* Proleptic Gregorian calendar helpers: days since 1970-01-01 and back. */
int64_t tz_days_from_civil(int64_t year, int month, int day);
void tz_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

#endif
