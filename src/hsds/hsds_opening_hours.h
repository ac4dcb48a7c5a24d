/* hsds_opening_hours: a subset of OpenStreetMap's opening_hours syntax
 * ("Mo-Fr 09:00-17:00; Sa 10:00-14:00") read into a week of opening
 * spans, for the CSV import's hours column. A pure parser: no I/O, no
 * state. The subset (README "The command line" documents it):
 *
 *   value   = rule *( ";" rule )        a trailing ";" is allowed
 *   rule    = "24/7" | [days] ( times | "off" | "closed" )
 *   days    = dayitem *( "," dayitem )  dayitem = Dd | Dd "-" Dd (may wrap: Sa-Mo)
 *   times   = span *( "," span )        span = HH:MM "-" HH:MM
 *
 * Day names are Mo Tu We Th Fr Sa Su (any case). A rule without days means
 * every day. A later rule replaces what earlier rules said about the days it
 * names (as in OpenStreetMap), so "Mo-Fr 09:00-17:00; We off" closes
 * Wednesday. Hours run 00-24; "24:00" only as a closing time; a closing time
 * before the opening time runs past midnight ("22:00-02:00"). */
#ifndef WP_HSDS_OPENING_HOURS_H
#define WP_HSDS_OPENING_HOURS_H

#include <stdbool.h>
#include <stddef.h>

#define OH_MAX_SPANS 8 /* per day */

/* Day 0 is Monday, 6 Sunday. Minutes since midnight; closes may be 1440. */
typedef struct oh_week {
    int nspans[7];
    struct {
        int opens, closes;
    } span[7][OH_MAX_SPANS];
} oh_week;

/* Parses text (any bytes, NUL-terminated) into w. False with err saying
 * which part was not understood ("\"9am-5pm\" is not a time range (HH:MM-HH:MM)"). */
bool oh_parse(const char *text, oh_week *w, char *err, size_t errlen);

/* The HSDS byday code of day d (0 = Monday): "MO" .. "SU". */
const char *oh_byday(int d);

#endif
