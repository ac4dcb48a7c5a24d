/* hsds_term_codes: a record's point codes from its links (hsds_term_codes.h). */
#include "hsds/hsds_term_codes.h"
#include "hsds/hsds_store.h"
#include "core/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CODE_SLOTS 1024 /* term rows whose codes are kept (open addressing) */
#define LINKS_MAX 64    /* links of one record made into codes here */
#define ID_SLOTS 1024   /* term ids whose row numbers are kept (open addressing) */

struct hsds_term_codes {
    char *taxonomy_id;
    long long rowid[CODE_SLOTS]; /* 0: a free slot */
    char *code[CODE_SLOTS];      /* NULL: not a term of the taxonomy */
    size_t kept;
    char *id[ID_SLOTS]; /* NULL: a free slot */
    long long id_rowid[ID_SLOTS];
    size_t ids;
    long long linked[LINKS_MAX];
    size_t nlinked;
    bool too_many;
};

hsds_term_codes *hsds_term_codes_new(const char *taxonomy_id)
{
    hsds_term_codes *c = calloc(1, sizeof(*c));
    if (c && !(c->taxonomy_id = strdup(taxonomy_id))) {
        free(c);
        c = NULL;
    }
    return c;
}

void hsds_term_codes_forget(hsds_term_codes *c)
{
    if (c && c->kept) {
        for (size_t i = 0; i < CODE_SLOTS; i++) {
            free(c->code[i]);
            c->code[i] = NULL;
            c->rowid[i] = 0;
        }
        c->kept = 0;
    }
    if (c && c->ids) {
        for (size_t i = 0; i < ID_SLOTS; i++) {
            free(c->id[i]);
            c->id[i] = NULL;
        }
        c->ids = 0;
    }
}

long long hsds_term_codes_rowid(hsds_term_codes *c, sqlite3 *db, const char *term_id)
{
    if (!c)
        return hsds_store_term_rowid(db, term_id);
    size_t at = str_hash(term_id) % ID_SLOTS;
    while (c->id[at] && strcmp(c->id[at], term_id))
        at = (at + 1) % ID_SLOTS;
    if (c->id[at])
        return c->id_rowid[at];
    long long rowid = hsds_store_term_rowid(db, term_id);
    /* kept half full at most (short probes); a term not found is not kept */
    if (rowid > 0 && c->ids < ID_SLOTS / 2 && (c->id[at] = strdup(term_id))) {
        c->id_rowid[at] = rowid;
        c->ids++;
    }
    return rowid;
}

void hsds_term_codes_free(hsds_term_codes *c)
{
    if (!c)
        return;
    hsds_term_codes_forget(c);
    free(c->taxonomy_id);
    free(c);
}

void hsds_term_codes_begin(hsds_term_codes *c)
{
    if (!c)
        return;
    c->nlinked = 0;
    c->too_many = false;
}

void hsds_term_codes_link(hsds_term_codes *c, long long term_rowid)
{
    if (!c)
        return;
    if (c->nlinked < LINKS_MAX)
        c->linked[c->nlinked++] = term_rowid;
    else
        c->too_many = true;
}

/* The slot of rowid: the one holding it, or the free one it would take
 * (NULL when the table is full and rowid is not in it). */

static long long *slot_of(hsds_term_codes *c, long long rowid, size_t *at)
{
    size_t h = (size_t)(rowid * 2654435761u) % CODE_SLOTS;
    for (size_t n = 0; n < CODE_SLOTS; n++, h = (h + 1) % CODE_SLOTS) {
        if (c->rowid[h] == rowid || c->rowid[h] == 0) {
            *at = h;
            return &c->rowid[h];
        }
    }
    return NULL;
}

/* The code of a term row: 1 (*code, kept here; NULL when the row is not a
 * term of the taxonomy), 0 when it cannot be made here. */
static int code_of(hsds_term_codes *c, sqlite3 *db, long long rowid, const char **code)
{
    size_t at = 0;
    long long *slot = slot_of(c, rowid, &at);
    if (slot && *slot == rowid) {
        *code = c->code[at];
        return 1;
    }
    char *found = NULL;
    int rc = hsds_store_term_code(db, rowid, c->taxonomy_id, &found);
    if (rc < 0)
        return 0;
    if (slot && c->kept < CODE_SLOTS / 2) { /* kept half full: short probes */
        *slot = rowid;
        c->code[at] = found;
        c->kept++;
        *code = found;
        return 1;
    }
    free(found);
    return 0;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool hsds_term_codes_text(hsds_term_codes *c, sqlite3 *db, buf *out)
{
    buf_reset(out);
    if (!c || c->too_many)
        return false;
    const char *codes[LINKS_MAX] = {NULL};
    size_t n = 0;
    for (size_t i = 0; i < c->nlinked; i++) {
        const char *code = NULL;
        if (!code_of(c, db, c->linked[i], &code))
            return false;
        if (code)
            codes[n++] = code;
    }
    if (n > 1)
        qsort(codes, n, sizeof(codes[0]), by_code);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, ',');
        buf_puts(out, codes[i]);
    }
    return !out->overflow;
}
