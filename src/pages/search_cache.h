/* search_cache: site search's answers kept in memory. The pages being
 * searched change only when the content is indexed again (at start-up or a
 * reload, content_store_generation), so the ranked hits of a query, with
 * their highlighted snippets and the count, are worked out once: making
 * the snippets was most of a search's time (FTS5 makes one for every
 * match before ranking). SEARCH_CACHE_SLOTS answers are kept, one per
 * slot, a new answer replacing an old one in its slot. Thread-safe. */
#ifndef WP_SEARCH_CACHE_H
#define WP_SEARCH_CACHE_H

#include <jansson.h>
#include <stdbool.h>

#define SEARCH_CACHE_SLOTS 256

/* The cached results (a new reference to a shared array that must not be
 * changed) and total for an FTS query and page, or false. */
bool search_cache_get(const char *fts, long pageno, json_t **results, int *total);
/* Keeps an answer (results is not taken: the cache adds its own reference;
 * the caller must not change it afterwards). */
void search_cache_put(const char *fts, long pageno, json_t *results, int total);
/* Forgets every answer (at shutdown; tests). */
void search_cache_clear(void);

#endif
