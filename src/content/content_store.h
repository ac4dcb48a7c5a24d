/* content_store: the SQL of the content feature. Keeps content_pages and
 * the FTS5 index content_fts in step with the loaded pages, and runs site
 * search (prefix matching, bm25 ranking, highlighted snippets). */
#ifndef WP_CONTENT_STORE_H
#define WP_CONTENT_STORE_H

#include "content/content.h"
#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>

/* Replaces lang's index ("en", "es") with the pages of c, in one
 * transaction; English also fills content_pages. A language without an
 * index table of its own is left out (true). */
bool content_store_index(sqlite3 *db, const char *lang, const content_set *c);
/* Whether lang has a search index of its own (else search uses English). */
bool content_store_has_index(const char *lang);
/* A number that changes each time this process indexes the content again
 * (search answers kept for an older one are stale). */
long content_store_generation(void);

typedef struct search_hit {
    const char *path, *title, *summary;
    const char *snippet; /* plain text; \x01 and \x02 mark highlight start and end */
} search_hit;

/* Turns what a person typed into an FTS5 query: each word (letters and
 * digits) becomes a quoted prefix term; all must match. Returns false when
 * there is no word at all. */
bool content_fts_query(const char *typed, char *out, size_t outlen);

/* Runs a search; hits are allocated in a. Returns the number of hits
 * written (at most max), or -1 on a database error; *total gets the number
 * of all matches. */
int content_store_search(sqlite3 *db, const char *lang, arena *a, const char *fts_query, int offset, int max,
                         search_hit *hits, int *total);

#endif
