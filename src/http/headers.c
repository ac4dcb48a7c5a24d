/* headers: the headers every response carries (the Content-Security-
 * Policy, built once from the settings, and the other security headers),
 * and adding a header with its result checked. See headers.h. */
#include "http/headers.h"
#include "core/log.h"
#include "http/server.h"

#include <stdio.h>

/* The CSP is cut after img-src so a configured tile server's origin can be
 * added there (and only there); without tiles it is CSP_HEAD CSP_TAIL. */
#define CSP_HEAD "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'"
#define CSP_TAIL "; font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; " \
                 "base-uri 'none'; form-action 'self'"
#define PERMISSIONS "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()"

bool server_csp(const config *cfg, char *out, size_t outlen)
{
    char origin[300];
    int w;
    if (!cfg || !cfg->tiles[0])
        w = snprintf(out, outlen, "%s", CSP_HEAD CSP_TAIL);
    else if (config_tiles_origin(cfg->tiles, origin, sizeof(origin)))
        w = snprintf(out, outlen, "%s %s%s", CSP_HEAD, origin, CSP_TAIL);
    else
        return false;
    return w >= 0 && (size_t)w < outlen;
}

bool headers_add(struct MHD_Response *r, const char *name, const char *value)
{
    if (MHD_add_response_header(r, name, value) == MHD_YES)
        return true;
    log_error("could not add the %s header to a response", name);
    return false;
}

bool headers_add_security(struct MHD_Response *r, const char *csp, bool hsts, bool html)
{
    return headers_add(r, "Content-Security-Policy", csp) && headers_add(r, "X-Content-Type-Options", "nosniff") &&
           headers_add(r, "Referrer-Policy", "no-referrer") && headers_add(r, "Permissions-Policy", PERMISSIONS) &&
           headers_add(r, "Cross-Origin-Opener-Policy", "same-origin") &&
           headers_add(r, "Cross-Origin-Resource-Policy", "same-origin") &&
           (!html || headers_add(r, "X-Frame-Options", "DENY")) &&
           (!hsts || headers_add(r, "Strict-Transport-Security", "max-age=63072000; includeSubDomains"));
}
