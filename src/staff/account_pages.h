/* account_pages: /staff/account, where a signed-in person sees and ends
 * their sessions, changes their password, and turns on two-factor
 * sign-in (TOTP with a QR code, and ten single-use recovery codes). */
#ifndef WP_ACCOUNT_PAGES_H
#define WP_ACCOUNT_PAGES_H

#include "http/http.h"

void staff_account(request *rq, response *rs);
void staff_account_password(request *rq, response *rs);
void staff_account_sessions(request *rq, response *rs);
void staff_account_two_factor(request *rq, response *rs);

#endif
