/* users_pages: /staff/users, where admins add staff accounts, change
 * roles, disable, reset and turn off two-factor; and /staff/settings,
 * the site's staff settings (two-factor for everyone). */
#ifndef WP_USERS_PAGES_H
#define WP_USERS_PAGES_H

#include "http/http.h"

void staff_users(request *rq, response *rs);
void staff_users_add(request *rq, response *rs);
void staff_users_change(request *rq, response *rs);
void staff_settings(request *rq, response *rs);
void staff_settings_save(request *rq, response *rs);

#endif
