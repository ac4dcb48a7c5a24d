/* qr: a QR code drawn as inline SVG on the server (libqrencode), for the
 * two-factor enrolment page: the authenticator app scans the otpauth://
 * URI from it. No JavaScript, no image file, and no style attribute (the
 * CSP forbids inline style): colours are fill attributes. */
#ifndef WP_AUTH_QR_H
#define WP_AUTH_QR_H

#include "core/buf.h"

#include <stdbool.h>

#define QR_QUIET 4  /* light modules around the symbol, as ISO 18004 asks */
#define QR_PIXELS 4 /* default width/height attributes: CSS pixels a module */

/* Appends to out an SVG of text as a QR code (error correction level M,
 * 8-bit, case-sensitive):
 *
 *   <svg xmlns=... viewBox="0 0 N N" width=... height=... role="img"
 *        aria-label="LABEL"><rect width="N" height="N" fill="#fff"/>
 *   <path fill="#000" d="M4 4h7v1h-7z..."/></svg>
 *
 * N is the symbol's width plus the quiet zone on both sides; the viewBox
 * is in modules, one subpath per horizontal run of dark modules. LABEL is
 * label HTML-escaped ("QR code" when label is NULL or empty). The dark
 * modules are black on white whatever the page's colours, so the code
 * scans in a dark theme too. False, with out as it was, when text is NULL
 * or empty, too long for a QR code, or out overflowed its cap. */
bool qr_svg(const char *text, const char *label, buf *out);

#endif
