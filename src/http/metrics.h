/* metrics: counters for /metrics in the Prometheus text format: requests by
 * route and status, a latency histogram, requests in flight, database
 * errors. All counters are atomics; no lock on the request path. */
#ifndef WP_METRICS_H
#define WP_METRICS_H

#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>

void metrics_init(int nroutes);
/* route: index in the route table, or -1 for requests that matched none. */
void metrics_request_start(void);
void metrics_request_done(int route, int status, uint64_t micros);
/* A request that began (its target was read) but never reached a handler:
 * the connection closed first. Leaves the counts alone. */
void metrics_request_abandoned(void);
long metrics_in_flight(void);
/* A module below or beside http (the outbox, the check-in timers) adds its
 * own series: fn appends Prometheus text (its own HELP/TYPE lines) and
 * must be safe from any thread. Register at start, before serving; at most
 * METRICS_WRITERS_MAX (false when full). metrics_clear_writers at stop. */
#define METRICS_WRITERS_MAX 8
typedef void (*metrics_writer)(buf *out);
bool metrics_add_writer(metrics_writer fn);
void metrics_clear_writers(void);
/* Writes the exposition text; route_names[i] names route i; then the
 * registered writers' series. */
void metrics_write(buf *out, const char *const *route_names, int nroutes);

#endif
