/* hsds_cache: keeps dir_sal_brief and dir_sal_point (migration 0004) up
 * to date: works off the dirty list the triggers keep, working out the
 * HSDS list object, point and Waypost codes of each listing on it. Imports
 * call it inside their transaction, before they commit; the server calls
 * it before it builds the geographic index, for changes other tools wrote
 * and for databases stored before the cache existed. */
#ifndef WP_HSDS_CACHE_H
#define WP_HSDS_CACHE_H

#include <sqlite3.h>
#include <stdbool.h>

/* Fills in what is missing, in the caller's transaction; *done is how
 * many listings were (re)worked. Shows progress on a terminal when
 * progress is true. False on a database error. */
bool hsds_cache_refresh(sqlite3 *db, bool progress, long *done);

#endif
