/* report_store: the SQL of "report a problem" (dir_report, migration 0003;
 * indexes in 0006). Reports are written by request threads while an
 * import may hold the write lock, so a write waits a fraction of a second,
 * not the usual busy timeout, and says so when it could not write. */
#ifndef WP_REPORT_STORE_H
#define WP_REPORT_STORE_H

#include <sqlite3.h>

enum report_result { REPORT_SAVED, REPORT_BUSY, REPORT_FAILED };

#define REPORT_BUSY_MS 250

enum report_result report_store_add(sqlite3 *db, const char *service_id, const char *kind, const char *note);
/* Reports since (an ISO 8601 UTC time) for one listing, or for the whole
 * site when service_id is NULL; -1 on a database error. */
long report_store_count_since(sqlite3 *db, const char *service_id, const char *since);

#endif
