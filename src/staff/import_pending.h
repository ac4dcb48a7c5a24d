/* import_pending: an upload kept between its preview and its confirmation.
 *
 * The portal converts an upload to HSDS text, shows a dry run of it, and
 * imports that same text only when the person confirms. The text waits
 * here, in the server's memory, under a random id (128 bits, hex) that
 * the confirm form carries: it is bound to the account that uploaded it
 * (nobody else can confirm it), kept for IMPORT_PENDING_SECONDS, one per
 * account (a new preview replaces the account's last one), and at most
 * IMPORT_PENDING_BYTES for all accounts together (the oldest goes first).
 * Nothing is written to disk or the database: a restart forgets pending
 * uploads, and the person uploads the file again. Thread-safe. */
#ifndef WP_IMPORT_PENDING_H
#define WP_IMPORT_PENDING_H

#include <stdbool.h>
#include <stddef.h>

#define IMPORT_PENDING_SECONDS (15 * 60)
#define IMPORT_PENDING_BYTES ((size_t)256 * 1024 * 1024)
#define IMPORT_PENDING_ID_CHARS 33 /* 32 hex digits and a NUL */

typedef struct import_upload {
    char *name;   /* the file's name, for messages and the audit row */
    char *format; /* "hsds", "findtreatment" or "csv" */
    char *text;   /* the HSDS text to import (NDJSON or JSON) */
    size_t len;
} import_upload;

/* Keeps u (its strings are copied) for user_id; false when it is larger
 * than IMPORT_PENDING_BYTES. id gets its id. */
bool import_pending_put(long user_id, const import_upload *u, char id[IMPORT_PENDING_ID_CHARS]);
/* Takes the upload id of user_id out (it cannot be confirmed twice): true
 * with *u filled (free it with import_upload_free), false when there is
 * none, it expired, or it is another account's. */
bool import_pending_take(long user_id, const char *id, import_upload *u);
void import_upload_free(import_upload *u);
/* Forgets every pending upload (at stop). */
void import_pending_clear(void);

#endif
