/* subs_staff: /staff/webhooks (admins): partner organisations' webhooks,
 * to which every published, updated or withdrawn alert is POSTed as
 * signed JSON with its CAP document, and how many people subscribe (counts
 * only: addresses are never shown). Adding and removing a webhook is CSRF
 * checked by the guard and writes an audit row. The staff page frame
 * (staff_data) is handed in by app.c, since features never include each
 * other.
 *
 *   GET  /staff/webhooks               the list, the counts and the form
 *   POST /staff/webhooks               csrf, name, url: add (303 back; 400 naming the field)
 *   POST /staff/webhooks/:id/delete    csrf: remove */
#ifndef WP_SUBS_STAFF_H
#define WP_SUBS_STAFF_H

#include "http/http.h"

#include <jansson.h>

typedef json_t *(*subs_staff_data_fn)(request *rq, const char *title);
void subs_set_staff_data(subs_staff_data_fn fn);

void subs_staff_page(request *rq, response *rs);
void subs_staff_add(request *rq, response *rs);
void subs_staff_delete(request *rq, response *rs);

#endif
