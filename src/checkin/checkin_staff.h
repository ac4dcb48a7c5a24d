/* checkin_staff: /staff/checkins, what the program's staff may know about
 * the check-in timer: counts (by state, over a day and a week) and the
 * outbox's health (queued, sent, failed, the oldest still queued), never
 * a check-in's contents, except for those that escalated to the program's
 * responder, whose where-to-go text, name and steps are shown so the
 * program can follow up; each such view is an audit row. The staff page
 * frame (staff_data) is handed in by app.c, since features never include
 * each other. */
#ifndef WP_CHECKIN_STAFF_H
#define WP_CHECKIN_STAFF_H

#include "http/http.h"

#include <jansson.h>

typedef json_t *(*checkin_staff_data_fn)(request *rq, const char *title);
void checkin_set_staff_data(checkin_staff_data_fn fn);

void checkin_staff_page(request *rq, response *rs);

#endif
