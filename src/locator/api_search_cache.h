/* api_search_cache: the matches of /api/v1/services?search= (a search and
 * no other filter), kept per worker thread. Under load that search ran at
 * 70 req/s although one FTS5 query takes about a millisecond: every
 * request counted the matches, then built a temporary table of every
 * match to sort them by id for one page. Now the first request for a
 * search stores its matches' rowids in id order; later pages and repeats
 * slice that list and read only their page's documents.
 *
 * Kept current exactly: each thread's list belongs to its connection's
 * state of the data, PRAGMA data_version (moves when another connection,
 * in this process or another, commits) and sqlite3_total_changes (this
 * connection's own writes); when either moves the thread's lists are
 * dropped. Bounded: at most API_SEARCH_CACHE_QUERIES searches and
 * API_SEARCH_CACHE_IDS rowids a thread (the least recently used search
 * goes first); a search with more matches than that is not kept. */
#ifndef WP_API_SEARCH_CACHE_H
#define WP_API_SEARCH_CACHE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define API_SEARCH_CACHE_QUERIES 64
#define API_SEARCH_CACHE_IDS 262144

/* The rowids of every service matching search, in id order, in *n: from
 * this thread's cache, or read and kept. NULL with *failed false when the
 * search has too many matches to keep (the caller reads it with SQL),
 * NULL with *failed true on a database error. The list stays valid until
 * this thread's next call. */
const uint32_t *api_search_cache_ids(sqlite3 *db, const char *search, size_t *n, bool *failed);

/* This thread's hits and misses since it started (tests, benchmarks). */
void api_search_cache_stats(unsigned long *hits, unsigned long *misses);

/* Lowers the rowids a thread may hold (tests; 0: API_SEARCH_CACHE_IDS). */
void api_search_cache_limit_ids(size_t ids);

/* Drops this thread's lists and frees its cache. */
void api_search_cache_clear(void);

#endif
