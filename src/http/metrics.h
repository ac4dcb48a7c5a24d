/* metrics: counters for /metrics in the Prometheus text format: requests by
 * route and status, a latency histogram, requests in flight, database
 * errors. All counters are atomics; no lock on the request path. */
#ifndef WP_METRICS_H
#define WP_METRICS_H

#include "core/buf.h"

#include <stdint.h>

void metrics_init(int nroutes);
/* route: index in the route table, or -1 for requests that matched none. */
void metrics_request_start(void);
void metrics_request_done(int route, int status, uint64_t micros);
/* A request that began (its target was read) but never reached a handler:
 * the connection closed first. Leaves the counts alone. */
void metrics_request_abandoned(void);
long metrics_in_flight(void);
/* Writes the exposition text; route_names[i] names route i. */
void metrics_write(buf *out, const char *const *route_names, int nroutes);

#endif
