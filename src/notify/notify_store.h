/* notify_store: the outbox's SQL (table notify_outbox, migration 0010).
 * Every function runs on the connection it is given; the caller owns the
 * transaction except where a function says it makes its own. */
#ifndef WP_NOTIFY_STORE_H
#define WP_NOTIFY_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One claimed message; the sealed columns are malloc'd copies
 * (outbox_item_free). */
typedef struct outbox_item {
    int64_t id;
    char idem_key[40];
    char channel[12];
    char route[40]; /* where it goes: "sms", "email" or "webhook:<hash of the URL's origin>" */
    unsigned char *dest, *subject, *body, *unsubscribe; /* unsubscribe: email's List-Unsubscribe URL or NULL */
    size_t dest_len, subject_len, body_len, unsubscribe_len;
    int attempts; /* including this one */
    int64_t due_at;
    bool probe; /* claimed as a down route's probe (set by the caller) */
} outbox_item;

void outbox_item_free(outbox_item *it);

/* One message to queue; the sealed columns as secret_seal made them. */
typedef struct outbox_row {
    const char *idem_key, *channel, *route; /* route NULL: the channel's name */
    const unsigned char *dest, *subject, *body, *unsub;
    size_t dest_len, subject_len, body_len, unsub_len;
    const char *ref, *kind;
    int64_t due_at, now;
} outbox_row;

/* Inserts one queued message (ready at once). */
bool outbox_insert(sqlite3 *db, const outbox_row *row);
/* Claims the ready message with the earliest due time (its own write
 * transaction), leaving out the routes in skip, a JSON array of strings
 * (NULL: none): 1 claimed into *it, 0 none ready, -1 database error. */
int outbox_claim(sqlite3 *db, int64_t now, const char *skip, outbox_item *it);
/* Claims a down route's probe: its queued message with the earliest due
 * time, ready or not, message last_id (0: none) only when no other is
 * queued. Same results as outbox_claim. */
int outbox_claim_probe(sqlite3 *db, const char *route, int64_t last_id, outbox_item *it);
/* The earliest next_at of an unclaimed queued message outside the routes
 * in skip (a JSON array; NULL: none), or -1 when none. */
int64_t outbox_next_at(sqlite3 *db, const char *skip);
bool outbox_mark_sent(sqlite3 *db, int64_t id, int64_t now);
bool outbox_mark_retry(sqlite3 *db, int64_t id, int64_t next_at, const char *error);
bool outbox_mark_failed(sqlite3 *db, int64_t id, const char *error);
/* After a delivery worked on route: messages of that route waiting out a
 * backoff become ready now, so a destination that comes back gets the
 * backlog in order of due time rather than in order of backoff. */
bool outbox_wake_route(sqlite3 *db, const char *route, int64_t now);
/* At start: claims left by a process that died become ready again. */
bool outbox_release_claims(sqlite3 *db);
/* Deletes every message of ref (when its cause is deleted). */
bool outbox_delete_ref(sqlite3 *db, const char *ref);

/* The outbox by state, for the staff page: queued, sent, failed, and the
 * due time (ms) of the oldest message still queued (0: none). */
bool outbox_counts(sqlite3 *db, long *queued, long *sent, long *failed, int64_t *oldest_queued);

#endif
