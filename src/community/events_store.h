/* events_store: the SQL of the spike detector (migration 0012): daily
 * counts, per-kind settings and the flags found, plus the count of
 * reviewed community reports per day and area from community_report
 * (migration 0011) when that table exists. */
#ifndef WP_EVENTS_STORE_H
#define WP_EVENTS_STORE_H

#include "community/ears.h"
#include "community/events.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* Stores one count (replacing a stored one): 1 replaced, 0 added, -1 on
 * a database error. */
int events_store_put(sqlite3 *db, const event_row *r, const char *source, const char *who, int64_t now);
/* The stored count of (kind, area, day): 1 with *count, 0 none, -1 error. */
int events_store_get(sqlite3 *db, const char *kind, const char *area, const char *day, long *count);

/* Each stored count with from <= day <= to (kind NULL: every kind),
 * ordered by kind, area, day. False on a database error. */
typedef void (*events_row_fn)(void *ud, const char *kind, const char *area, const char *day, long count);
bool events_store_window(sqlite3 *db, const char *kind, const char *from, const char *to, events_row_fn fn,
                         void *ud);
/* The same for the reviewed community reports (kind community-reports),
 * ordered by area, day; nothing when community_report does not exist. */
bool events_store_reports_window(sqlite3 *db, const char *from, const char *to, events_row_fn fn, void *ud);

/* Every kind with counts or settings, and the kind of reports when its
 * table exists, in order. fn is called once per kind. */
typedef void (*events_kind_fn)(void *ud, const char *kind);
bool events_store_kinds(sqlite3 *db, events_kind_fn fn, void *ud);

/* A kind's settings: 1 stored (p filled), 0 none (p left alone), -1 error. */
int spikes_store_setting(sqlite3 *db, const char *kind, ears_params *p);
bool spikes_store_setting_put(sqlite3 *db, const char *kind, const ears_params *p, const char *who, int64_t now);

/* A stored flag. */
typedef struct spike_row {
    long id;
    char day[11], area[64], kind[EVENTS_KIND_MAX], method[16], level[8];
    double count, expected, threshold, stat;
    int64_t found_at;
} spike_row;

/* Drops the flags of a day (before a new run of it). */
bool spikes_store_clear_day(sqlite3 *db, const char *day);
bool spikes_store_add(sqlite3 *db, const spike_row *r, long *id);
/* Flags with day >= since, newest day first (at most limit). */
typedef void (*spike_row_fn)(void *ud, const spike_row *r);
bool spikes_store_list(sqlite3 *db, const char *since, int limit, spike_row_fn fn, void *ud);
/* One flag: 1 found, 0 not, -1 error. */
int spikes_store_get(sqlite3 *db, long id, spike_row *r);

#endif
