/* hsds_search_later: an import's new services held for the services'
 * search index, with the texts the index takes (name, alternate name,
 * description) from the parsed records, and indexed from them when the
 * import ends. The catch-up of migration 0019 reads every noted service's
 * stored document back, decompresses it and parses it twice in SQL: most
 * of that step at a million services.
 *
 * A held service is in neither the index nor dir_fts_pending, so the
 * importer must hand it back (hsds_search_later_take, then note it in
 * dir_fts_pending) before it changes that service's row again: the
 * services' update trigger takes the old words out of the index unless
 * the row is pending. */
#ifndef WP_HSDS_SEARCH_LATER_H
#define WP_HSDS_SEARCH_LATER_H

#include <sqlite3.h>
#include <stdbool.h>

typedef struct hsds_search_later hsds_search_later;

hsds_search_later *hsds_search_later_new(void);
void hsds_search_later_free(hsds_search_later *s);
/* Holds a service just inserted (rowid above every one held before);
 * false when out of memory or out of order (the caller notes it in
 * dir_fts_pending instead). alt and desc may be NULL (""). */
bool hsds_search_later_add(hsds_search_later *s, long long rowid, const char *name, const char *alt,
                           const char *desc);
/* Whether rowid was held; it is not any more. */
bool hsds_search_later_take(hsds_search_later *s, long long rowid);
/* Indexes what is held, in row order, and empties the list: false on a
 * database error (noted). After hsds_store_search_catch_up. */
bool hsds_search_later_index(hsds_search_later *s, sqlite3 *db);

#endif
