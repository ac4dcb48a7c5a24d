/* headers: what every response carries. server_csp (declared in server.h)
 * writes the Content-Security-Policy; headers_add_security adds it with
 * nosniff, no-referrer, the permissions and cross-origin policies,
 * X-Frame-Options on HTML and HSTS when configured.
 *
 * Adding a header can fail (libmicrohttpd out of memory, or a line break
 * in the value): both functions then return false, after logging, and a
 * response missing a header it should carry is not sent. */
#ifndef WP_HEADERS_H
#define WP_HEADERS_H

#include <microhttpd.h>
#include <stdbool.h>

bool headers_add(struct MHD_Response *r, const char *name, const char *value);
bool headers_add_security(struct MHD_Response *r, const char *csp, bool hsts, bool html);

#endif
