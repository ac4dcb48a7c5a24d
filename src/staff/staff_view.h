/* staff_view: what every staff page has. staff_data() starts the page data
 * (view_data plus who is signed in, their role, the CSRF token for forms
 * as {{csrf}}, and the staff menu with only the sections their role may
 * open); staff_page() renders a template under templates/staff/, which
 * extends templates/staff/layout.mustache. staff_form_error() gives a form
 * back with each problem named at its field (errors.FIELD in the data and
 * a list at the top). */
#ifndef WP_STAFF_VIEW_H
#define WP_STAFF_VIEW_H

#include "http/http.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

json_t *staff_data(request *rq, const char *title);
/* Renders tmpl with data (the reference is stolen) into rs as HTML. */
void staff_page(request *rq, response *rs, const char *tmpl, json_t *data);
/* Adds a problem with a field to data: data.errors.FIELD = message and an
 * entry {field, message} in data.error_list (has_errors set), and sets
 * the status to 422 when rs is given. */
void staff_field_error(json_t *data, const char *field, const char *message);

/* The 500 page of a staff change or read the database refused. */
void staff_server_error(request *rq, response *rs);
/* Ends a change's transaction: commits when ok, else (or when the commit
 * fails) rolls back, drops the headers the change set (a new cookie) and
 * answers 500. True when committed. */
bool staff_finish(request *rq, response *rs, sqlite3 *db, bool ok);

/* Writes the audit row of a change by whoever the guard says is asking
 * (rq->who; "" when nobody is signed in). Call inside the change's
 * transaction and roll back when it returns false. */
bool staff_log(request *rq, sqlite3 *db, const char *action, const char *target, json_t *before, json_t *after);
/* The same for a person not yet signed in (sign-in pages): actor given. */
bool staff_log_as(sqlite3 *db, const char *actor, const char *session, const char *action, const char *target);

/* snprintf of a translated format (TN/T of a literal) with one long. */
void staff_format_long(char *out, size_t n, const char *fmt, long v);

#endif
