/* listings: the staff side of the directory, shared by the listings pages
 * and the staff API: what it loads at start (the Waypost codes the form
 * offers, and the ZIP centre lookup the app hands in, since a feature
 * never includes another: app.c passes the locator's), and saving or
 * removing one service in one transaction with its audit row.
 *
 * A save goes through hsds_import_service, so it writes exactly what an
 * import writes (dir_service.raw, the dir_* index, the hsds_* tables, the
 * listing cache) and a running server's watcher rebuilds the map within
 * about a second. The audit row (auth/audit.h) holds the top-level fields
 * that changed, before and after; when it cannot be written the change is
 * rolled back. */
#ifndef WP_LISTINGS_H
#define WP_LISTINGS_H

#include "auth/guard.h"
#include "core/config.h"
#include "hsds/hsds_store.h"
#include "staff/listing_form.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Reads data_dir/taxonomy/waypost.json and keeps zip (may be NULL).
 * False with err naming the file. Call before serving. */
bool listings_load(const config *cfg, listing_zip_fn zip, char *err, size_t errlen);
void listings_unload(void);
/* What listings_load kept (read-only while serving). */
const listing_vocab *listings_vocab(void);
listing_zip_fn listings_zip(void);

/* Today's date in UTC, "YYYY-MM-DD". */
void listings_today(char out[11]);

enum listings_outcome {
    LISTINGS_SAVED,   /* *result says added, updated or unchanged */
    LISTINGS_REFUSED, /* the document is not valid HSDS: field and what say why */
    LISTINGS_FAILED,  /* the database or the audit log failed; nothing changed */
};

/* Stores doc (the whole service document) and its audit row (action,
 * target = the service id; before/after from old, the stored document or
 * NULL) in one transaction. */
enum listings_outcome listings_save(sqlite3 *db, const staff_who *who, const char *action, json_t *doc, json_t *old,
                                    enum hsds_upsert *result, char *field, size_t fieldlen, char *what,
                                    size_t whatlen);
/* Removes service id and writes its audit row in one transaction: 1
 * removed, 0 no such service (nothing written), -1 failed. */
int listings_delete(sqlite3 *db, const staff_who *who, const char *action, const char *id);
/* An audit row on its own, for a staff API use that changed nothing (a
 * refused document, an unknown id). False when it could not be written. */
bool listings_audit_refusal(sqlite3 *db, const staff_who *who, const char *action, const char *target,
                            json_t *detail);

#endif
