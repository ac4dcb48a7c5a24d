/* mustache: Waypost's Mustache template engine.
 *
 * Implements the Mustache spec modules interpolation, sections, inverted,
 * comments, partials, delimiters and the optional ~inheritance module
 * (parents {{<x}} and blocks {{$x}}). Lambdas are not supported.
 *
 * Data is a jansson value. {{x}} is HTML-escaped (& < > " '); {{{x}}} and
 * {{&x}} are not. Integers and reals print as the spec expects (85, 1.21),
 * true/false print as "true"/"false", null and missing names print nothing,
 * objects and arrays print nothing. For sections, false, null, [] and ""
 * are falsey; everything else (including 0 and {}) is truthy.
 *
 * Templates are compiled once into a node tree by mus_set_add; rendering
 * walks the tree and never re-parses template text. */
#ifndef WP_MUSTACHE_H
#define WP_MUSTACHE_H

#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Nesting of partials, parents and block overrides allowed in one render. */
#define MUS_MAX_DEPTH 64
/* Sections, parents and blocks open at once inside one template. */
#define MUS_MAX_NEST 64
/* Default bound on the nodes one render may visit (see mus_set_max_steps). */
#define MUS_DEFAULT_MAX_STEPS 10000000UL

/* A named set of compiled templates. Built once (single-threaded), then
 * immutable: mus_render may be called from many threads at once. */
typedef struct mus_set mus_set;

/* Returns a new empty set. Never NULL (out of memory aborts). */
mus_set *mus_set_new(void);

/* Frees the set and every template in it. NULL is allowed. */
void mus_set_free(mus_set *s);

/* Compiles src (len bytes, need not be NUL-terminated; NULL is an empty
 * template) and adds it under name, replacing any template of that name.
 * On a syntax error returns false and writes "name:LINE:COL: what is wrong"
 * into err (errlen bytes, always NUL-terminated when errlen > 0); the set is
 * unchanged. LINE and COL are 1-based; COL counts bytes. */
bool mus_set_add(mus_set *s, const char *name, const char *src, size_t len,
                 char *err, size_t errlen);

/* True when a template called name is in the set. */
bool mus_set_has(const mus_set *s, const char *name);

/* Bounds the number of template nodes one mus_render call may visit, so that
 * exponential templates (nested loops over the same list, say) fail instead
 * of hanging. Default MUS_DEFAULT_MAX_STEPS. Call while building the set. */
void mus_set_max_steps(mus_set *s, unsigned long max_steps);

/* Renders template `name` with ctx (any json_t; NULL means an empty object),
 * appending to out. Partials {{>x}} and parents {{<x}} are looked up by name
 * in the same set; a missing partial or parent renders as nothing. Returns
 * false when name is not in the set, out overflowed, partial/parent nesting
 * passed MUS_MAX_DEPTH, or the step bound was hit; out then holds partial
 * output that the caller should discard. Recursion never crashes or hangs.
 * ctx is only read (no reference counts change). */
bool mus_render(const mus_set *s, const char *name, json_t *ctx, buf *out);

#endif
