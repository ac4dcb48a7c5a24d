/* json_canon: the canonical text of a JSON value, the form the directory
 * stores and compares: compact, each object's keys sorted by their bytes,
 * everything past ASCII written as \uXXXX. Byte for byte what jansson's
 * json_dumps gives with JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII
 * | JSON_ENCODE_ANY (tests/unit/core/test_json_canon.c and
 * tests/fuzz/fuzz_json_canon.c compare the two), written straight into
 * one buffer: jansson's writer goes through a callback per piece, decodes
 * every character on its way and sorts each object's keys through an
 * allocated array, and was a fifth of an import's reading thread. */
#ifndef WP_JSON_CANON_H
#define WP_JSON_CANON_H

#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>

/* Appends v's text to out: false when it cannot be written (nested deeper
 * than jansson parses, a string that is not UTF-8, out of room in out). */
bool json_canon_append(buf *out, const json_t *v);
/* v's text (malloc'd), or NULL. */
char *json_canon(const json_t *v);

#endif
