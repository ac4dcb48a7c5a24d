/* hsds_term_codes: the codes a listing's point carries (the terms of one
 * taxonomy its service is linked to, in code order, comma separated: what
 * hsds_cache_store.c's SQL reads back for a listing), made by an import
 * from the links it has just written instead of read back by a query per
 * listing (a fifth of the import's writing at a million services). Each
 * term row's code is read once and kept until a term is written. */
#ifndef WP_HSDS_TERM_CODES_H
#define WP_HSDS_TERM_CODES_H

#include "core/buf.h"

#include <sqlite3.h>
#include <stdbool.h>

typedef struct hsds_term_codes hsds_term_codes;

/* NULL when out of memory (the caller reads the codes back instead). */
hsds_term_codes *hsds_term_codes_new(const char *taxonomy_id);
void hsds_term_codes_free(hsds_term_codes *c);
/* A term row was written: its code is read again when next needed. */
void hsds_term_codes_forget(hsds_term_codes *c);
/* A record's links follow (hsds_term_codes_link for each one written). */
void hsds_term_codes_begin(hsds_term_codes *c);
void hsds_term_codes_link(hsds_term_codes *c, long long term_rowid);
/* The codes of the record's links into out (emptied first; "" when none).
 * False when they cannot be made here (too many links, a code with a NUL
 * byte, a database error): the caller reads them back. */
bool hsds_term_codes_text(hsds_term_codes *c, sqlite3 *db, buf *out);

#endif
