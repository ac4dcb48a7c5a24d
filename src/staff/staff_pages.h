/* staff_pages: signing in and out of the staff portal, the one-time setup
 * link where a new account chooses its password, and the overview at
 * /staff. */
#ifndef WP_STAFF_PAGES_H
#define WP_STAFF_PAGES_H

#include "http/http.h"

void staff_home(request *rq, response *rs);
void staff_login_page(request *rq, response *rs);
void staff_login_submit(request *rq, response *rs);
void staff_login_code(request *rq, response *rs);
void staff_logout(request *rq, response *rs);
void staff_setup_page(request *rq, response *rs);
void staff_setup_submit(request *rq, response *rs);

#endif
