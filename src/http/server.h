/* server: libmicrohttpd glue. Owns the listening socket, the limits
 * (431/414/413/408/503), per-request state and arena, dispatch through the
 * route table, the finishing of responses (security headers, ETag and 304,
 * gzip, HEAD), the access log, metrics, and graceful shutdown.
 *
 * server_run blocks until SIGINT or SIGTERM, then stops accepting, lets the
 * requests in flight finish (up to 10 s), stops the workers and returns. */
#ifndef WP_SERVER_H
#define WP_SERVER_H

#include "core/config.h"
#include "http/http.h"

#include <stdbool.h>
#include <stddef.h>

/* Renders an error page for status into rs (set by the view layer; the
 * default is plain text). */
typedef void (*error_renderer)(request *rq, response *rs, int status, const char *message);
void server_set_error_renderer(error_renderer fn);

/* Decides whether a request may use a staff route (route.guard != 0): true
 * to run the handler (it may set rq->who), false with the answer (401,
 * 403, 429 ...) already in rs. Without a guard, staff routes answer 403. */
typedef bool (*guard_fn)(request *rq, response *rs);
void server_set_guard(guard_fn fn);

/* Binds, serves the routes of table (n rows, first match wins) until a
 * stop signal, and returns true after a clean stop; false with a sentence
 * in err when it cannot start (port in use ...). Handlers find the
 * settings in rq->cfg. */
bool server_run(const config *cfg, const route *table, int n, char *err, size_t errlen);
/* server_run in two halves, for a process that serves while it does
 * something else (the whole-request fuzz harness): start serving, and
 * stop (false when requests were still running after drain_seconds; the
 * server is then left running). */
bool server_start(const config *cfg, const route *table, int n, char *err, size_t errlen);
bool server_stop(void);
/* The route table the server runs (for /metrics); NULL before server_run. */
const route *server_routes(int *n);

/* Writes the Content-Security-Policy every response carries: everything
 * from this site only; with map.tiles set, img-src also names the tile
 * server's origin (config_tiles_origin), and nothing else changes. False
 * when out is too small or the tile template has no usable origin. */
bool server_csp(const config *cfg, char *out, size_t outlen);

/* Finishes a response the way the server would (headers aside): used by
 * tests through the handlers. Exposed for unit tests of the policy. */
bool server_should_gzip(const response *rs, bool accept_gzip);

#endif
