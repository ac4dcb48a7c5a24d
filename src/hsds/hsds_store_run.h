/* hsds_store_run: statement helpers shared by the directory's store files
 * (hsds_store.c, hsds_cache_store.c). Each runs a prepared statement of
 * the connection's cache to its end and notes a failure as what. */
#ifndef WP_HSDS_STORE_RUN_H
#define WP_HSDS_STORE_RUN_H

#include "hsds/hsds_store.h"

#include <sqlite3.h>
#include <stdbool.h>

/* sql with no parameters. */
bool hsds_run_plain(sqlite3 *db, const char *sql, const char *what);
/* sql with ?1 a row number. */
bool hsds_run_row(sqlite3 *db, const char *sql, long long rowid, const char *what);
/* sql with ?1 a row number, ?2 a small document as stored and (when
 * source > 0) ?3 source. */
bool hsds_run_doc(sqlite3 *db, const char *sql, long long rowid, hsds_doc raw, long long source, const char *what);

#endif
