/* json_span: byte ranges of the parts of a JSON text the importer dumped
 * itself (compact, keys sorted: hsds_prepare_dump). A stored service's
 * organization, its locations and the pieces of each listing's brief are
 * all parts of the service's own dump, byte for byte; reading their
 * ranges out of it costs a scan, where dumping each again cost a walk of
 * the parsed tree, a sort of every object's keys and an allocation per
 * piece (a fifth of an import's reader thread).
 *
 * The text must be compact JSON (no white space), as jansson's compact
 * dump writes it; anything else gives -1 or false, never a read past the
 * range. */
#ifndef WP_JSON_SPAN_H
#define WP_JSON_SPAN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct json_span {
    const char *p;
    size_t n;
} json_span;

typedef struct json_member {
    json_span key;   /* as written, quotes included: "name" */
    json_span value; /* as written */
} json_member;

/* The members of the object o, in the order written (at most max): their
 * count, or -1 when o is not an object or has more than max. */
int json_span_members(json_span o, json_member *out, int max);
/* The elements of the array a (at most max): their count, or -1. */
int json_span_elements(json_span a, json_span *out, int max);
/* The value of o's member named key (a plain key: no character that
 * needs escaping): false when o is not an object or has no such member. */
bool json_span_get(json_span o, const char *key, json_span *value);
/* The same among members already found (json_span_members). */
bool json_span_member(const json_member *m, int n, const char *key, json_span *value);
/* Whether the member's key is key (plain, as above). */
bool json_span_key_is(const json_member *m, const char *key);

#endif
