/* spikes_pages: the spike detector's staff pages. Moderators see; editors
 * change (routes.c says so, the guard checks it):
 *
 *   GET  /staff/spikes            the flags of the last 30 days, each with
 *                                 its series as an SVG chart, the method
 *                                 that flagged and why (count, expected,
 *                                 threshold) and, for editors, "draft an
 *                                 alert" (/staff/alerts/new filled in) and
 *                                 "run now"                      moderator
 *   POST /staff/spikes/run        runs the detector for a day     editor
 *   GET  /staff/spikes/settings?kind=K   a kind's settings with how
 *                                 often they would have flagged over the
 *                                 past year                        editor
 *   POST /staff/spikes/settings   action=preview shows the proposed
 *                                 settings' past year beside the saved
 *                                 ones; action=save stores them    editor
 *   GET  /staff/events, POST /staff/events   a day's count by hand editor
 *
 * The overview (/staff) shows the last week's flags through the page
 * hook "staff:home". Every change is one transaction with its audit row.
 * Nothing is published: an alert is drafted by an editor. The staff page
 * frame (staff_data) is handed in by app.c. */
#ifndef WP_SPIKES_PAGES_H
#define WP_SPIKES_PAGES_H

#include "http/http.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

typedef json_t *(*spikes_staff_data_fn)(request *rq, const char *title);
void spikes_pages_set_staff_data(spikes_staff_data_fn fn);
/* Registers the "staff:home" hook. */
bool spikes_pages_register(void);

void spikes_page(request *rq, response *rs);
void spikes_run_now(request *rq, response *rs);
void spikes_settings_page(request *rq, response *rs);
void spikes_settings_submit(request *rq, response *rs);
void events_page(request *rq, response *rs);
void events_submit(request *rq, response *rs);

/* Shared by the spikes pages (spikes_pages.c, spikes_tune.c,
 * events_pages.c). */
json_t *spikes_staff_data(request *rq, const char *title);
/* Writes the audit row of a change by whoever is signed in. */
bool spikes_audit(request *rq, sqlite3 *db, const char *action, const char *target, json_t *after);
/* Commits when ok, else rolls back and answers 500. True when committed. */
bool spikes_finish(request *rq, response *rs, sqlite3 *db, bool ok);
/* errors.FIELD and the error_list the staff layout shows. */
void spikes_field_error(json_t *d, const char *field, const char *message);
/* The signed-in account's email ("" when none). */
const char *spikes_who(const request *rq);
/* True when the signed-in account may change settings (editor or more). */
bool spikes_can_tune(const request *rq);

#endif
