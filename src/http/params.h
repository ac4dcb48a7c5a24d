/* params: parsing of query strings, form bodies and Cookie headers into
 * key/value lists, with validation.
 *
 * Keys and values are percent-decoded (and '+' is a space in queries and
 * forms). Input is refused as a whole (PARAMS_BAD) when an escape is
 * malformed, a decoded byte is NUL, or the result is not valid UTF-8; the
 * caller answers 400. When `allowed` is non-NULL (a comma-separated list of
 * keys) other keys are dropped silently, as kcgi does. At most PARAMS_MAX
 * pairs are kept; more is PARAMS_BAD. All memory comes from the arena. */
#ifndef WP_PARAMS_H
#define WP_PARAMS_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

#define PARAMS_MAX 64

typedef struct param {
    const char *key;
    const char *value;
} param;

typedef struct params {
    param items[PARAMS_MAX];
    size_t count;
} params;

enum params_result { PARAMS_OK, PARAMS_BAD };

/* query or application/x-www-form-urlencoded body: a=1&b=2 */
enum params_result params_parse_query(arena *a, const char *s, size_t n, const char *allowed, params *out,
                                      const char **why);
/* Cookie header: a=1; b=2 (values are not percent-decoded, as RFC 6265) */
enum params_result params_parse_cookie(arena *a, const char *s, size_t n, params *out, const char **why);

/* First value for key, or NULL. */
const char *params_get(const params *p, const char *key);
/* Number of values for key (repeatable keys such as ?s=a&s=b). */
size_t params_count(const params *p, const char *key);
/* The i-th value for key, or NULL. */
const char *params_get_nth(const params *p, const char *key, size_t i);

/* True when key appears in the comma-separated list. */
bool params_key_allowed(const char *allowed, const char *key, size_t keylen);

#endif
