/* json_load: JSON text to a jansson value, faster than jansson's own
 * parser and giving the same value.
 *
 * json_load_fast(text, len, err) returns exactly what
 * json_loadb(text, len, JSON_REJECT_DUPLICATES, err) returns: the same
 * tree (types, values, each object's keys in the order written), or NULL
 * with jansson's own error. It parses straight from the bytes (jansson
 * reads its input a character at a time through a callback, and copies
 * each character of a token into a buffer before making the value); any
 * input it does not take whole (anything jansson refuses, and a few
 * things it takes: nesting past 512 levels, a number of 64 or more
 * characters) goes to jansson, whose answer is returned. So a mistake
 * here could only make a tree jansson would not, and the tests
 * (tests/unit/core/test_json_load.c, tests/fuzz/fuzz_json_load.c)
 * compare the two on every JSON file in the repository and on generated
 * and mutated text. err is written only when NULL is returned. */
#ifndef WP_JSON_LOAD_H
#define WP_JSON_LOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

json_t *json_load_fast(const char *text, size_t len, json_error_t *err);

/* The value if this parser takes the text whole, else NULL (for tests:
 * NULL here is not an error, only "ask jansson"). */
json_t *json_load_fast_only(const char *text, size_t len);

#endif
