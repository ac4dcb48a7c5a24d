/* mustache_int: the compiled form of a Mustache template, shared by the
 * three files of the engine and private to them (mustache.h is the public
 * contract):
 *   mustache_parse.c   template text -> node tree (mus_tmpl_compile)
 *   mustache.c         the named set of compiled templates
 *   mustache_render.c  node tree + jansson value -> output (mus_render)
 *
 * Whitespace rules, as the spec tests require them:
 *  - A tag alone on its line (only blanks around it) is "standalone": the
 *    whole line disappears from the output. Variables never are.
 *  - A parent {{<p}}...{{/p}} is judged as a pair: standalone when the open
 *    tag starts its line and the close tag ends its line, whatever lies
 *    between (text inside a parent is ignored anyway).
 *  - Directly inside a parent, a block's open tag only has to end its line
 *    and its close tag only has to start its line.
 *  - A standalone partial or parent indents every line it renders by the
 *    blanks that preceded its tag.
 *  - A block has an intrinsic indentation: the leading blanks of the line
 *    its content starts on. Override content loses its own intrinsic
 *    indentation and gains that of the block it replaces.
 * Indentation is applied while rendering: a text node knows whether it
 * starts a source line, and the render frame says what to add and what to
 * strip at each line start, so the shared tree is never modified. */
#ifndef WP_MUSTACHE_INT_H
#define WP_MUSTACHE_INT_H

#include "tmpl/mustache.h"

#include <stdbool.h>
#include <stddef.h>

enum kind {
    N_ROOT, N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED,
    N_PARTIAL, N_PARENT, N_BLOCK
};

typedef struct node {
    enum kind kind;
    bool bol;           /* TEXT: starts at the start of a source line */
    bool standalone;    /* PARTIAL, PARENT: indents what it renders */
    const char *str;    /* TEXT: the text; others: the tag name */
    size_t len;
    const char *ind;    /* PARTIAL, PARENT: blanks before the tag;
                           BLOCK: intrinsic indentation */
    size_t ind_len;
    size_t at;          /* source offset of the tag, for errors */
    struct node **kids;
    size_t nkids, cap;
} node;

typedef struct tmpl {
    char *name;
    size_t name_len;
    char *src;          /* every str and ind in the tree points in here */
    node *root;
} tmpl;

struct mus_set {
    tmpl **v;           /* sorted by name */
    size_t n, cap;
    unsigned long max_steps;
};

/* Compiles src[0, len) (NULL: empty) into a template called name. On a
 * syntax error writes "name:LINE:COL: what" into err and returns NULL. */
tmpl *mus_tmpl_compile(const char *name, const char *src, size_t len, char *err, size_t errlen);

/* Frees a template and its tree. NULL is allowed. */
void mus_tmpl_free(tmpl *t);

/* The template called name[0, len) in s, or NULL. */
const tmpl *mus_set_get(const mus_set *s, const char *name, size_t len);

#endif
