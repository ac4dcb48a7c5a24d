/* audit: the staff audit log (staff_audit, migration 0008). Every staff
 * change writes one append-only row: when, who, from which session, what,
 * on what, and for edits the fields before and after. Each row's hash
 * covers the previous row's hash and its own fields, so a row changed or
 * removed behind the server's back breaks the chain, and audit_verify
 * names the first broken link. Never put a password, token or TOTP secret
 * in a row: callers pass only field values that are safe to show. */
#ifndef WP_AUDIT_H
#define WP_AUDIT_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct audit_entry {
    const char *actor;   /* an account's email, "token:NAME", "cli", or "" */
    const char *session; /* a short id of the session or token, or "" */
    const char *action;  /* "login", "login.failed", "user.add", "listing.save" ... */
    const char *target;  /* what it acted on, or "" */
    json_t *before;      /* the changed fields before (NULL: none); not stolen */
    json_t *after;       /* and after (NULL: none); not stolen */
} audit_entry;

/* Appends one row inside the caller's transaction (or on its own when
 * none is open), chained to the last row. False on a database error:
 * the caller must then roll its change back, since a change without its
 * audit row must not stand. */
bool audit_write(sqlite3 *db, const audit_entry *e);

/* Checks every link of the chain. Returns the id of the first row whose
 * hash does not match (or whose prev_hash is not the previous row's hash),
 * 0 when the whole chain holds, -1 on a database error; *rows gets the
 * number of rows read. */
long audit_verify(sqlite3 *db, long *rows);

/* audit_verify with more to tell, for `waypost audit verify`: set progress
 * (may be NULL) to be called every `every` rows (and after the last) with
 * the rows read so far. On return: rows read (up to and including the
 * broken one), broken (as audit_verify returns), and for a broken link
 * whether its prev_hash did not match the row before it (prev_id, 0 when
 * the broken row is the first) rather than its own fields. */
typedef struct audit_check {
    void (*progress)(long done, void *ctx);
    void *ctx;
    long every;
    long rows, broken, prev_id;
    bool bad_prev;
} audit_check;
long audit_verify_check(sqlite3 *db, audit_check *c);

/* The prev_hash of the first row: 64 zeros. */
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

#endif
