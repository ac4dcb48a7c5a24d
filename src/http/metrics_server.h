/* metrics_server: /metrics on a listener of its own ([metrics] listen,
 * 127.0.0.1:9464 by default), so the public port shows no live usage
 * counts. One thread; it answers GET /metrics and 404 to anything else. */
#ifndef WP_METRICS_SERVER_H
#define WP_METRICS_SERVER_H

#include "http/http.h"

#include <stdbool.h>
#include <stddef.h>

/* Starts the listener at addr ("ADDR:PORT") naming the routes of table in
 * the counts; false with a sentence in err when it cannot listen. */
bool metrics_server_start(const char *addr, const route *table, int n, char *err, size_t errlen);
void metrics_server_stop(void);

#endif
