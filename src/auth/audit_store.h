/* audit_store: every SQL statement of the staff audit log (staff_audit,
 * migration 0008), all prepared through db_stmt. audit.c owns the chain
 * (hashing, the secret check, transactions' meaning); the audit pages read
 * rows through the list functions here.
 *
 * Row text handed to callbacks points into SQLite's own memory and is valid
 * only during the callback; copy what you keep. before and after are NULL
 * when the column is NULL (a row with no field changes), never "". */
#ifndef WP_AUDIT_STORE_H
#define WP_AUDIT_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

typedef struct audit_row {
    long id;
    const char *at, *actor, *session, *action, *target;
    const char *before, *after; /* NULL when the column is NULL */
    const char *prev_hash, *hash;
} audit_row;

/* Filters of the audit page and CSV; "" (or NULL) means "any". actor and
 * target match a part of the text, ignoring ASCII case; action matches
 * whole; from and to are YYYY-MM-DD days, both included. */
typedef struct audit_filter {
    const char *actor, *action, *target, *from, *to;
} audit_filter;

/* Called once per row; return false to stop early. */
typedef bool (*audit_row_fn)(const audit_row *r, void *ctx);

/* Opens the write scope of one audit row: BEGIN IMMEDIATE when own (no
 * transaction was open), otherwise SAVEPOINT audit_write inside the
 * caller's transaction. audit_store_close ends it: COMMIT or ROLLBACK when
 * own, RELEASE (after ROLLBACK TO on failure) otherwise. close returns
 * false when ok was false or the commit failed. */
bool audit_store_open(sqlite3 *db, bool own);
bool audit_store_close(sqlite3 *db, bool own, bool ok);

/* The hash of the newest row into out (65 bytes), or "" when the log is
 * empty. False on a database error. */
bool audit_store_last_hash(sqlite3 *db, char out[65]);
/* Inserts one row (r->id is ignored). */
bool audit_store_insert(sqlite3 *db, const audit_row *r);

/* Every row in id order (for verification). False on a database error;
 * a callback that stops the walk is not an error. */
bool audit_store_walk(sqlite3 *db, audit_row_fn fn, void *ctx);
/* How many rows the log holds (-1 on a database error). */
long audit_store_count_all(sqlite3 *db);

/* Rows matching f, newest first, skipping offset and at most limit of them.
 * False on a database error. */
bool audit_store_list(sqlite3 *db, const audit_filter *f, long offset, long limit, audit_row_fn fn, void *ctx);
/* How many rows match f (-1 on a database error). */
long audit_store_count(sqlite3 *db, const audit_filter *f);
/* The distinct actions present, in order, one callback each (the row has
 * only action set). */
bool audit_store_actions(sqlite3 *db, audit_row_fn fn, void *ctx);

#endif
