/* report_store: the SQL of community drug reports (table community_report,
 * migration 0011). Only the public side lives here (storing a report);
 * the staff queue reads and decides them from src/staff/reports_store.c,
 * which may not include this feature. */
#ifndef WP_REPORT_STORE_H
#define WP_REPORT_STORE_H

#include "community/report.h"

#include <sqlite3.h>
#include <stdint.h>

/* Stores one checked report (status 'new') made at created_at; its id in
 * *id. One statement, so it commits on its own. False on a database error. */
bool report_store_save(sqlite3 *db, const report_clean *c, int64_t created_at, long *id);

#endif
