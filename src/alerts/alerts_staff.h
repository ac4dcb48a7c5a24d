/* alerts_staff: the staff pages of local drug alerts (editors and admins;
 * the guard checks the role and CSRF token before any handler runs):
 *
 *   GET  /staff/alerts               every alert with its state
 *   GET  /staff/alerts/new           a blank form, or ?template=SLUG
 *   POST /staff/alerts               create (action=draft or publish)
 *   GET  /staff/alerts/:id           edit, with history and actions
 *   POST /staff/alerts/:id           save (a draft) or update (published)
 *   GET  /staff/alerts/:id/preview   exactly the public page, marked preview
 *   POST /staff/alerts/:id/publish | expire | withdraw (reason) | photo
 *
 * A form with problems comes back (422) with each named at its field and
 * nothing saved. Every change is one transaction with its audit row.
 * The staff page frame (menu, who is signed in, CSRF token) belongs to the
 * staff feature, which this one may not include: the top level hands it
 * in with alerts_set_staff_data. */
#ifndef WP_ALERTS_STAFF_H
#define WP_ALERTS_STAFF_H

#include "http/http.h"

#include <jansson.h>

typedef json_t *(*alerts_staff_data_fn)(request *rq, const char *title);
void alerts_set_staff_data(alerts_staff_data_fn fn);

void alerts_staff_list(request *rq, response *rs);
void alerts_staff_new(request *rq, response *rs);
void alerts_staff_create(request *rq, response *rs);
void alerts_staff_edit(request *rq, response *rs);
void alerts_staff_save(request *rq, response *rs);
void alerts_staff_preview(request *rq, response *rs);
void alerts_staff_publish(request *rq, response *rs);
void alerts_staff_expire(request *rq, response *rs);
void alerts_staff_withdraw(request *rq, response *rs);
void alerts_staff_photo(request *rq, response *rs);

#endif
