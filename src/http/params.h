/* params: parsing of query strings, form bodies and Cookie headers into
 * key/value lists, and their check against a route's typed spec.
 *
 * Keys and values are percent-decoded (and '+' is a space in queries and
 * forms). Input is refused as a whole (PARAMS_BAD) when an escape is
 * malformed, a decoded byte is NUL, or the result is not valid UTF-8; the
 * caller answers 400. When a spec is given, keys it does not name are
 * dropped silently, as kcgi does. At most PARAMS_MAX pairs are kept; more
 * is PARAMS_BAD. All memory comes from the arena.
 *
 * A spec (kcgi's struct kvalid, typed) lists every key a route reads: its
 * name (a final '*' matches any key with that prefix: "q*" takes q1, q2
 * ...), its type and range, its default, and how many values it may have.
 * params_check tests the kept values against it before the handler runs,
 * and the handler reads them typed (req_int, req_num, req_bool, req_str in
 * http.h), so the route table is the one list of what a route accepts. */
#ifndef WP_PARAMS_H
#define WP_PARAMS_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

#define PARAMS_MAX 128

enum param_type {
    PT_TEXT,   /* any text up to max bytes */
    PT_INT,    /* a whole number from min to max */
    PT_NUM,    /* a finite number from min to max */
    PT_CHOICE, /* one of the words in choices ("json|ndjson") */
};

typedef struct param_spec {
    const char *name;    /* the key, or a prefix ending in '*'; NULL ends a spec */
    enum param_type type;
    double min, max;     /* PT_INT, PT_NUM: the range; PT_TEXT: max is the most bytes */
    const char *choices; /* PT_CHOICE: the words, separated by '|' */
    const char *def;     /* the value when the key is absent, or NULL */
    int most;            /* how many values it may have (0 means 1) */
    bool blank;          /* an empty value counts as absent (an HTML form's empty field) */
} param_spec;

typedef struct param {
    const char *key;
    const char *value;
} param;

typedef struct params {
    param items[PARAMS_MAX];
    size_t count;
} params;

enum params_result { PARAMS_OK, PARAMS_BAD };

/* query or application/x-www-form-urlencoded body: a=1&b=2; keys spec
 * does not name are dropped (spec NULL keeps every key). */
enum params_result params_parse_query(arena *a, const char *s, size_t n, const param_spec *spec, params *out,
                                      const char **why);
/* Cookie header: a=1; b=2 (values are not percent-decoded, as RFC 6265) */
enum params_result params_parse_cookie(arena *a, const char *s, size_t n, params *out, const char **why);

/* First value for key, or NULL. */
const char *params_get(const params *p, const char *key);
/* Number of values for key (repeatable keys such as ?s=a&s=b). */
size_t params_count(const params *p, const char *key);
/* The i-th value for key, or NULL. */
const char *params_get_nth(const params *p, const char *key, size_t i);

/* The spec entry for key (exact, or the longest matching prefix*), or NULL. */
const param_spec *param_spec_find(const param_spec *spec, const char *key, size_t keylen);
/* Checks every value in p against spec. False with *bad_key set and a
 * sentence naming it in why when one is wrong. */
bool params_check(const params *p, const param_spec *spec, const char **bad_key, char *why, size_t whylen);
/* The same with why in lang (the sentence a person reads on the 400 page). */
bool params_check_lang(int lang, const params *p, const param_spec *spec, const char **bad_key, char *why,
                       size_t whylen);

#endif
