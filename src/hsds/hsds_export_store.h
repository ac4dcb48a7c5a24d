/* hsds_export_store: the SQL that `waypost export hsds` reads with:
 * every stored service's raw HSDS JSON (ordered by id), and the raw JSON
 * of every taxonomy and taxonomy term. Each call walks the rows with a
 * callback; the text passed is valid only during the call. */
#ifndef WP_HSDS_EXPORT_STORE_H
#define WP_HSDS_EXPORT_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

/* Return false from the callback to stop; the walk then returns false. */
typedef bool (*hsds_export_raw_fn)(void *ctx, const char *raw);

bool hsds_export_store_services(sqlite3 *db, hsds_export_raw_fn fn, void *ctx);
bool hsds_export_store_taxonomies(sqlite3 *db, hsds_export_raw_fn fn, void *ctx);
bool hsds_export_store_terms(sqlite3 *db, hsds_export_raw_fn fn, void *ctx);

#endif
