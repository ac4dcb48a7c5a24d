/* guard: who may use a staff route. The server calls auth_guard before
 * the handler of every route whose guard is not 0 (routes.c), and the
 * table of routes with their least role is the one place that decides
 * access: a test walks it with every role.
 *
 * Under /api/ the guard reads only `Authorization: Bearer TOKEN` (a staff
 * API token); elsewhere only the session cookie, which no public route
 * ever reads. A state-changing request (POST) is refused with 403 when
 * Sec-Fetch-Site or Origin says another site sent it, and, with a session,
 * unless its form field `csrf` is the session's token. Without a session
 * a page answers by sending the person to /staff/login (303), the API
 * with 401. A role below the route's answers 403. */
#ifndef WP_GUARD_H
#define WP_GUARD_H

#include "http/http.h"

#include <stdbool.h>

/* Who is asking, for handlers and the audit log (in the request's arena). */
typedef struct staff_who {
    long user_id;       /* 0 for an API token */
    const char *email;  /* the account's email, or "token:NAME" */
    const char *name;   /* the account's display name ("" when none) */
    int role;           /* ROLE_MODERATOR .. ROLE_ADMIN (auth/roles.h) */
    const char *session; /* a short id of the session or token, for audit rows */
    const char *csrf;   /* the session's CSRF token, for the hidden field "csrf" */
    bool token;         /* true: a bearer token, not a browser session */
    bool totp;          /* the account has two-factor sign-in */
} staff_who;

bool auth_guard(request *rq, response *rs);
/* The guard's answer for this request: NULL on a GUARD_OPEN page without
 * a session, and on every public route. */
const staff_who *staff_who_of(const request *rq);

#endif
