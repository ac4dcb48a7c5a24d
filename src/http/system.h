/* system: the routes that are about the server itself: /healthz, /metrics,
 * static assets, and robots.txt. */
#ifndef WP_SYSTEM_H
#define WP_SYSTEM_H

#include "http/http.h"

void system_healthz(request *rq, response *rs);
void system_static(request *rq, response *rs);
void system_robots(request *rq, response *rs);

#endif
