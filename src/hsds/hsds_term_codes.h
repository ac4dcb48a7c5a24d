/* hsds_term_codes: the codes a listing's point carries (the terms of one
 * taxonomy its service is linked to, in code order, comma separated: what
 * hsds_cache_store.c's SQL reads back for a listing), made by an import
 * from the links it has just written instead of read back by a query per
 * listing (a fifth of the import's writing at a million services). Each
 * term row's code is read once and kept until a term is written; so is
 * the row number of each term id a record links to (a lookup a link). */
#ifndef WP_HSDS_TERM_CODES_H
#define WP_HSDS_TERM_CODES_H

#include "core/buf.h"

#include <sqlite3.h>
#include <stdbool.h>

typedef struct hsds_term_codes hsds_term_codes;

/* NULL when out of memory (the caller reads the codes back instead). */
hsds_term_codes *hsds_term_codes_new(const char *taxonomy_id);
void hsds_term_codes_free(hsds_term_codes *c);
/* A term row was written: its code and row number are read again when
 * next needed. */
void hsds_term_codes_forget(hsds_term_codes *c);
/* The row number of the term with this id (hsds_store_term_rowid), kept
 * from the last lookup until a term is written: 0 none, -1 an error. c
 * may be NULL (looked up every time). */
long long hsds_term_codes_rowid(hsds_term_codes *c, sqlite3 *db, const char *term_id);
/* A record's links follow (hsds_term_codes_link for each one written). */
void hsds_term_codes_begin(hsds_term_codes *c);
void hsds_term_codes_link(hsds_term_codes *c, long long term_rowid);
/* The codes of the record's links into out (emptied first; "" when none).
 * False when they cannot be made here (too many links, a code with a NUL
 * byte, a database error): the caller reads them back. */
bool hsds_term_codes_text(hsds_term_codes *c, sqlite3 *db, buf *out);

#endif
