/* spikes: the spike detector over the stored counts. For a day it reads,
 * for every kind and area, the series of the SPIKES_WINDOW days ending
 * that day (the counts of community_event, and the reviewed community
 * reports as the kind community-reports), runs the kind's methods
 * (community/ears.h with its settings, or the defaults) on the day, and
 * stores what flagged, replacing that day's earlier flags. Nothing is
 * published: a flag is for staff to look at.
 *
 * A series starts at its first stored day in the window; after that a day
 * without a row counts 0, and a method whose baseline would reach before
 * the start is skipped, so a new kind does not flag on an empty past.
 *
 * The nightly run is a thread started with the server (spikes_load): it
 * sleeps until five minutes after midnight in the site's time zone
 * (config `timezone`) and runs yesterday. */
#ifndef WP_SPIKES_H
#define WP_SPIKES_H

#include "community/ears.h"
#include "community/events_store.h"
#include "core/config.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define SPIKES_WINDOW 100 /* >= the longest history ears_history allows, plus the day */
#define SPIKES_PREVIEW_DAYS 365
#define SPIKES_MAX_FLAGS 2000

/* The settings of kind: stored, else the defaults. False on an error. */
bool spikes_params(sqlite3 *db, const char *kind, ears_params *p);

/* Runs the detector for day (YYYY-MM-DD) in one write transaction and
 * stores its flags; *flags (malloc'd, free it) gets them, with ids,
 * *n how many. False with err. */
bool spikes_run(sqlite3 *db, const char *day, spike_row **flags, int *n, char *err, size_t errlen);
/* The same, calling then(ud, db, nflags) inside the transaction after the
 * flags are stored (a staff run writes its audit row there); a false from
 * it rolls everything back. */
typedef bool (*spikes_then_fn)(void *ud, sqlite3 *db, int nflags);
bool spikes_run_then(sqlite3 *db, const char *day, spikes_then_fn then, void *ud, spike_row **flags, int *n,
                     char *err, size_t errlen);

/* How often p would have flagged kind on each of the days days ending on
 * day `to`, over every area. */
typedef struct spikes_preview_out {
    long areas, days_checked;
    long flagged_days;             /* (area, day) pairs with any flag */
    long red, yellow;              /* pairs by their highest level */
    long by_method[EARS_NMETHODS]; /* pairs each method flagged */
} spikes_preview_out;
bool spikes_preview(sqlite3 *db, const char *kind, const ears_params *p, const char *to, int days,
                    spikes_preview_out *out);

/* The counts of (kind, area) for the ndays days ending on `to` into y
 * (0 for a day without a row). False on an error. */
bool spikes_series(sqlite3 *db, const char *kind, const char *area, const char *to, int ndays, double *y);

/* Yesterday's date in zone zone at unix time at. */
void spikes_yesterday(const char *zone, int64_t at, char out[11]);

/* The nightly run (a thread), and its stop. */
bool spikes_load(const config *cfg, char *err, size_t errlen);
void spikes_unload(void);

#endif
