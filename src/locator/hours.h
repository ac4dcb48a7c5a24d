/* hours: a location's opening hours, from HSDS 3.0 schedules, and what to
 * say about them ("Open now, closes 5 pm", "Closed, opens Mon 9 am").
 *
 * Rules are weekly openings in the location's own time zone; closures are
 * dates on which the place is shut. All computation is in that zone's wall
 * clock: an opening at 01:00-04:00 on the spring-forward day opens at 01:00
 * and closes at 04:00 local (two real hours); a wall-clock time that does
 * not exist is taken as tz_utc() does (02:30 in the gap is 03:30).
 *
 * Conventions (see hours_add_hsds for the input side):
 * - An opening belongs to the date it starts on. A closure removes the
 *   openings that start on its dates; an overnight opening that started the
 *   evening before a closed date runs to its end (Fri 10 pm - Sat 6 am still
 *   happens when Saturday is closed), and one starting on a closed date does
 *   not happen at all, even the part after midnight.
 * - closes_at "23:59" (or 23:59:xx) and "24:00" mean midnight at the end of
 *   the day; opens and closes both "00:00" mean all day.
 * - Openings that touch or overlap are one stretch (Mon all day + Tue all
 *   day is open from Monday 00:00 to Wednesday 00:00).
 * - A NULL zone means UTC. The structs are plain data: no cleanup needed,
 *   and an hours may be read from several threads at once. */
#ifndef WP_HOURS_H
#define WP_HOURS_H

#include "core/tz.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOURS_MAX_RULES 64
#define HOURS_MAX_CLOSURES 64

typedef struct hours_rule {
    int wday;          /* 0 = Sunday .. 6 = Saturday */
    int opens, closes; /* minutes from local midnight; closes <= opens means it runs past midnight into
                        * the next day; opens 0 closes 1440 = all day */
    char valid_from[11], valid_to[11]; /* "YYYY-MM-DD" or "" */
} hours_rule;

typedef struct hours_closure {
    char from[11], to[11]; /* closed on these dates, inclusive */
} hours_closure;

typedef struct hours {
    const tz *zone;
    hours_rule rules[HOURS_MAX_RULES];
    int nrules;
    hours_closure closures[HOURS_MAX_CLOSURES];
    int nclosures;
} hours;

enum hours_state { HOURS_UNKNOWN, HOURS_OPEN, HOURS_CLOSED };

typedef struct hours_status {
    enum hours_state state;
    int64_t next_change; /* UTC: when it closes (open) or next opens (closed); 0 if none within 8 days */
    char text[80];
} hours_status;

void hours_init(hours *h, const tz *zone);

/* Adds one HSDS schedule object: freq "WEEKLY" (or absent) with byday
 * ("MO,TU,WE"; "1MO"-style prefixes ignored; case-insensitive), opens_at /
 * closes_at ("09:00", "09:00:00", "9:00", "17:30"), valid_from / valid_to
 * ("YYYY-MM-DD"). A schedule with no opens_at and no closes_at but with
 * valid_from (and optionally valid_to) means closed on those dates (a
 * single day when valid_to is absent). Null and "" values count as absent;
 * dtstart, until, count, wkst, byweekno, bymonthday, byyearday, timezone
 * and the free-text fields are ignored.
 *
 * Returns false (adding nothing) with a reason in err when the object is
 * malformed (bad time or date, bad day code, closes_at without opens_at or
 * the reverse, valid_to before valid_from, no byday), says something this
 * model cannot express (freq other than WEEKLY, interval other than 1, a
 * time with a zone suffix such as "09:00Z" or "09:00-05:00": times are the
 * location's wall clock), or would pass HOURS_MAX_RULES or
 * HOURS_MAX_CLOSURES. */
bool hours_add_hsds(hours *h, json_t *schedule, char *err, size_t errlen);

/* Status at the UTC instant now; text is one of
 *   "Open now, closes 5 pm"       closing within 24 hours ("closes 12:30 am"
 *                                 after midnight, "closes noon", "closes midnight")
 *   "Open now, closes Wed 5 pm"   closing 24 hours or more from now
 *   "Open 24 hours"               open all of today's date and not closing within the
 *                                 next 24 hours, or not closing within 8 days
 *   "Closed, opens 9 am"          opening later on today's date
 *   "Closed, opens Mon 9 am"      opening on a later date ("Tue 8:30 am")
 *   "Closed today"                today's date is a closure (next_change still
 *                                 says when it next opens, if within 8 days)
 *   "Closed, opening hours not known"  no opening within 8 days
 *   "Hours not listed"            no rules (state HOURS_UNKNOWN)
 * Times are in the location's zone, 12-hour clock. "<Day> midnight" is the
 * midnight that ends that day ("closes Tue midnight" = Wednesday 00:00), so
 * a place opening at Monday 00:00 "opens Sun midnight" (or "opens midnight"
 * on Sunday). */
void hours_status_at(const hours *h, int64_t now, hours_status *out);
/* The same with the text in language lang (core/i18n.h). */
void hours_status_lang(const hours *h, int64_t now, int lang, hours_status *out);

/* A week's summary lines for the listing page, Monday first, consecutive
 * days with the same hours grouped: "Mon-Fri 9 am-5 pm", "Sat 10 am-2 pm",
 * "Sun closed", "Mon-Sun open 24 hours", "Fri 10 pm-6 am",
 * "Tue 9 am-noon, 1 pm-5 pm". Each weekday uses the rules valid on its
 * next date from today (today included); closures are not shown (the status
 * line covers them). Writes up to max lines (each up to 64 bytes, cut with
 * "..." if longer) and returns how many; 0 when no rule applies in the
 * coming week. hours_week_summary uses the current time. */
int hours_week_summary(const hours *h, char lines[][64], int max);
int hours_week_summary_at(const hours *h, int64_t now, char lines[][64], int max);
int hours_week_summary_lang(const hours *h, int64_t now, int lang, char lines[][64], int max);

#endif
