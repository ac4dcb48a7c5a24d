/* checkin_api: the check-in timer as JSON, for scripts and tests.
 *   POST /api/v1/checkins                 {"seconds", "where", "name", "sms", "email",
 *                                          "own_sms", "own_email", "responder"}
 *                                         -> 201 {"token", "url", "due_at"}
 *   GET  /api/v1/checkins/{token}         -> its state, steps and messages
 *   POST /api/v1/checkins/{token}/ok      (also extend {"seconds": 300}, cancel, ack)
 * Errors are the API's JSON errors: 400 naming the "parameter", 403 (a
 * contact's link may only acknowledge), 404, 409 (not in this state), 429
 * with Retry-After, 500. */
#ifndef WP_CHECKIN_API_H
#define WP_CHECKIN_API_H

#include "http/http.h"

void checkin_api_start(request *rq, response *rs);
void checkin_api_get(request *rq, response *rs);
void checkin_api_action(request *rq, response *rs);

#endif
