/* checkin_pages: the check-in timer's HTML, usable in seconds on an old
 * phone without JavaScript.
 *   GET  /checkin                  the form (how long, where, whom to alert)
 *   POST /checkin                  starts it; 303 to the private page
 *   GET  /checkin/{token}          the person's page (time left, I'm OK, add
 *                                  5 minutes, cancel, what was sent) or a
 *                                  contact's page (where to go, I'm on my way)
 *   POST /checkin/{token}/{action} ok, extend, cancel, ack; 303 back
 * Without JavaScript the private page refreshes itself; with it
 * (static/js/checkin.js) it counts down, vibrates and sounds a minute
 * before the end and keeps the screen awake where the browser allows. */
#ifndef WP_CHECKIN_PAGES_H
#define WP_CHECKIN_PAGES_H

#include "http/http.h"

void checkin_form_page(request *rq, response *rs);
void checkin_form_submit(request *rq, response *rs);
void checkin_private_page(request *rq, response *rs);
void checkin_private_action(request *rq, response *rs);

#endif
