/* mail_store: the SQL of the finder's "by mail" listings (see mail.h):
 * the active services linked to one Waypost term. */
#ifndef WP_MAIL_STORE_H
#define WP_MAIL_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

/* Called with each service's id and HSDS JSON (valid during the call
 * only); return false to stop. */
typedef bool (*mail_row_fn)(void *ctx, const char *service_id, const char *raw);

/* Every active service linked to the term with this code in the taxonomy
 * (by name, then id). False on a database error. */
bool mail_store_each(sqlite3 *db, const char *taxonomy_id, const char *code, mail_row_fn fn, void *ctx);

#endif
