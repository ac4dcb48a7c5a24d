/* i18n_int: what the i18n files share, private to src/core/i18n*.c: a PO
 * entry as the reader hands it over, and the plural expression evaluator. */
#ifndef WP_I18N_INT_H
#define WP_I18N_INT_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

#define PO_MAX_FORMS 6

typedef struct po_entry {
    buf ctx, id, plural;
    buf str[PO_MAX_FORMS];
    bool str_set[PO_MAX_FORMS];
    int nstr;
    bool fuzzy, c_format;
    int line; /* where the entry ended */
} po_entry;

/* Called for each complete entry; false (with err) stops the parse. */
typedef bool (*po_entry_fn)(void *ctx, const po_entry *e, char *err, size_t errlen);

/* Reads a PO file's text, calling fn for each entry (the header, msgid "",
 * included). False with "line N: what" in err. */
bool po_parse(const char *src, size_t len, po_entry_fn fn, void *ctx, char *err, size_t errlen);

/* Evaluates a Plural-Forms "plural=" expression for n: the form's index,
 * or -1 when the expression is malformed. */
long plural_eval(const char *expr, unsigned long n);

#endif
