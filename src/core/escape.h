/* escape: writers that escape by context. Every byte of user data that
 * reaches HTML, an attribute, a URL or JSON goes through one of these.
 * Each appends to a buf and returns false only when the buf overflowed. */
#ifndef WP_ESCAPE_H
#define WP_ESCAPE_H

#include "buf.h"

/* HTML text and attribute values: & < > " ' are replaced by entities. */
bool esc_html(buf *b, const char *s, size_t n);
bool esc_html_str(buf *b, const char *s);

/* A query-string component: everything except unreserved characters
 * (A-Z a-z 0-9 - . _ ~) is percent-encoded; space becomes %20. */
bool esc_url(buf *b, const char *s, size_t n);

/* The inside of a JSON string (no surrounding quotes). */
bool esc_json(buf *b, const char *s, size_t n);

/* Decodes %XX and (when plus_is_space) '+' in place-independent fashion into
 * out (cap bytes including the NUL). Returns the decoded length, or -1 when
 * the encoding is malformed, the result contains a NUL byte, or does not fit. */
long url_decode(const char *s, size_t n, char *out, size_t cap, bool plus_is_space);

#endif
