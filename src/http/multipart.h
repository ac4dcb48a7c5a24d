/* multipart: the body of an HTML form sent as multipart/form-data (RFC
 * 7578), as a browser sends a form with a file field, parsed into the same
 * key/value list as a urlencoded form (http/params.h).
 *
 * The whole body is in memory already (the server reads it up to the
 * route's max_body), so this is a parser of one buffer, not a stream.
 * Each part needs `Content-Disposition: form-data; name="KEY"`; its value
 * is the part's bytes, which must be NUL-free UTF-8 text (a file field's
 * content included: the uploads Waypost takes are text). A part with a
 * filename also gives the key "KEY.filename" with the name the browser
 * sent (its folder part, if any, dropped). Keys the spec does not name are
 * dropped, as in params_parse_query; at most PARAMS_MAX pairs are kept.
 * Lines end in CRLF, as the RFC says; the preamble and epilogue are
 * ignored; a body that does not end with the closing delimiter is
 * refused. Memory comes from the arena. */
#ifndef WP_MULTIPART_H
#define WP_MULTIPART_H

#include "core/arena.h"
#include "http/params.h"

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */

/* The boundary of a "multipart/form-data; boundary=..." Content-Type
 * (quoted or not) into out; false when there is none or it is not one
 * RFC 2046 allows. */
bool multipart_boundary(const char *content_type, char out[MULTIPART_BOUNDARY_MAX + 1]);

/* Parses body (n bytes, not necessarily NUL-terminated) with the boundary
 * of content_type. PARAMS_BAD with a reason in why (no boundary, no
 * delimiter, a part without a name, headers too long, text that is not
 * UTF-8 or holds a NUL, too many parts, no closing delimiter). */
enum params_result multipart_parse(arena *a, const char *content_type, const char *body, size_t n,
                                   const param_spec *spec, params *out, const char **why);

/* The raw bytes of the first part named name (a file field whose content
 * need not be text, such as a photo: give the route's spec no entry for
 * it, so multipart_parse drops it before its text check), pointing into
 * body. False when the body is not multipart, is malformed or has no such
 * part. */
bool multipart_file(const char *content_type, const char *body, size_t n, const char *name, const char **data,
                    size_t *len);

/* A POST body by its Content-Type: application/x-www-form-urlencoded or
 * multipart/form-data into out; any other type leaves out empty (the
 * handler may read the raw body). */
enum params_result params_parse_body(arena *a, const char *content_type, const char *body, size_t n,
                                     const param_spec *spec, params *out, const char **why);

#endif
