/* checkin_store: the check-in timers' SQL (tables checkin, checkin_link,
 * checkin_event; migration 0010). Times are Unix milliseconds, 0 for NULL.
 * The caller owns transactions. */
#ifndef WP_CHECKIN_STORE_H
#define WP_CHECKIN_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ck_row {
    int64_t id;
    char state[12]; /* running, ok, cancelled, alerted, escalated */
    int64_t version;
    int64_t created_at, due_at, warn_at, escalate_at, next_at, ended_at, acked_at;
    bool responder;
    unsigned char *secret; /* malloc'd sealed JSON (ck_row_free) */
    size_t secret_len;
} ck_row;

void ck_row_free(ck_row *r);

/* Inserts r (its id and version are ignored); *id gets the new row's. */
bool ck_insert(sqlite3 *db, const ck_row *r, int64_t *id);
/* Writes r's state and times, and adds one to its version, only when the
 * stored version is still r->version: 1 written, 0 changed meanwhile, -1
 * database error. */
int ck_update(sqlite3 *db, const ck_row *r);
/* 1 found (r filled), 0 none, -1 error. */
int ck_load(sqlite3 *db, int64_t id, ck_row *r);
bool ck_link_add(sqlite3 *db, const unsigned char *hash, size_t hash_len, int64_t id, const char *role);
/* The check-in a token hash opens and the link's role (at least 12 bytes):
 * 1 found, 0 none, -1 error. */
int ck_link_find(sqlite3 *db, const unsigned char *hash, size_t hash_len, int64_t *id, char *role, size_t rolelen);
bool ck_event_add(sqlite3 *db, int64_t id, int64_t at, const char *kind, const char *detail);

/* Up to max ids whose next step is due at now, earliest first; the count
 * or -1. */
int ck_due(sqlite3 *db, int64_t now, int64_t *ids, int max);
/* The earliest next step of any check-in, or -1 when none. */
int64_t ck_next_at(sqlite3 *db);
/* Deletes up to max check-ins that ended before cutoff, with their links,
 * events and outbox messages; the number deleted or -1. */
int ck_purge(sqlite3 *db, int64_t cutoff, int max);

/* Read callbacks for the page: each event, each message of the check-in. */
typedef void (*ck_event_fn)(void *ud, int64_t at, const char *kind, const char *detail);
typedef void (*ck_message_fn)(void *ud, const char *kind, const char *channel, const char *state, int attempts,
                              int64_t sent_at);
bool ck_events(sqlite3 *db, int64_t id, ck_event_fn fn, void *ud);
bool ck_messages(sqlite3 *db, int64_t id, ck_message_fn fn, void *ud);
/* Counts by state (for /metrics): running, alerted + escalated. */
bool ck_counts(sqlite3 *db, long *running, long *alerted);

/* For the staff page: check-ins made since (ms) by state — running, ok,
 * cancelled, alerted, escalated, in that order. */
bool ck_state_counts(sqlite3 *db, int64_t since, long counts[5]);
/* Up to max ids of check-ins that escalated to the responder since (ms),
 * newest first; the count or -1. */
int ck_escalated_ids(sqlite3 *db, int64_t since, int64_t *ids, int max);

/* Contacts that confirmed they want check-in messages, by keyed hash
 * (mac): recorded or refreshed at now (ms); whether one confirmed at or
 * after since (1 yes, 0 no, -1 database error); and the deletion of those
 * not confirmed since cutoff. */
bool ck_confirmed_add(sqlite3 *db, const unsigned char *mac, size_t mac_len, int64_t now);
int ck_confirmed_has(sqlite3 *db, const unsigned char *mac, size_t mac_len, int64_t since);
bool ck_confirmed_purge(sqlite3 *db, int64_t cutoff);

#endif
