/* gz: gzip compression (zlib) and content hashing for ETags. */
#ifndef WP_GZ_H
#define WP_GZ_H

#include "core/buf.h"

/* Appends the gzip encoding of [p, p+n) to out; false on a zlib error or
 * overflow (out is then unchanged in length or incomplete: discard it). */
bool gz_compress(const void *p, size_t n, int level, buf *out);

/* Writes a strong ETag for the bytes: 20 hex digits of a fast 80-bit hash,
 * with suffix appended inside the quotes (e.g. "-gz"). out needs 32 bytes. */
void etag_of(const void *p, size_t n, const char *suffix, char *out, size_t outlen);

/* True when the If-None-Match header value matches etag ("*" or a list). */
bool etag_matches(const char *if_none_match, const char *etag);

#endif
