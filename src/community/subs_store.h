/* subs_store: the SQL of alert subscriptions (migration 0013: tables
 * sub_subscriber, sub_pending, sub_webhook; 0016: their lang). Every function runs on the
 * connection it is given; the caller owns the transaction. Hashes are
 * SUBS_HASH_BYTES long; sealed secrets are copied in and out as given. */
#ifndef WP_SUBS_STORE_H
#define WP_SUBS_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUBS_HASH_BYTES 32

/* One pending confirmation; secret is a malloc'd copy (subs_pending_free). */
typedef struct sub_pending {
    long id;
    char channel[8];
    unsigned char addr_hash[SUBS_HASH_BYTES];
    unsigned char code_hash[SUBS_HASH_BYTES];
    bool has_code;
    int tries;
    int64_t expires_at;
    unsigned char *secret;
    size_t secret_len;
    char lang[8]; /* the language of the page it was asked on: "en", "es" */
} sub_pending;

void subs_pending_free(sub_pending *p);

bool subs_store_pending_add(sqlite3 *db, const unsigned char *token_hash, const unsigned char *addr_hash,
                            const char *channel, const unsigned char *secret, size_t slen,
                            const unsigned char *code_hash, int64_t expires_at, const char *lang);
/* The pending row with this token hash, unexpired at now: 1 found, 0 not, -1 error. */
int subs_store_pending_by_token(sqlite3 *db, const unsigned char *token_hash, int64_t now, sub_pending *out);
/* The newest unexpired pending row of this address: 1, 0 or -1. */
int subs_store_pending_by_addr(sqlite3 *db, const unsigned char *addr_hash, int64_t now, sub_pending *out);
bool subs_store_pending_tried(sqlite3 *db, long id);
/* Deletes every pending row of the address (after confirming or STOP). */
bool subs_store_pending_delete_addr(sqlite3 *db, const unsigned char *addr_hash);
/* Deletes the rows expired by now. */
bool subs_store_pending_expire(sqlite3 *db, int64_t now);

/* Adds the subscriber, or replaces the areas and language of the one with
 * this address (created_at and id then stay). *id gets its id. */
bool subs_store_upsert(sqlite3 *db, const unsigned char *addr_hash, const char *channel, const unsigned char *secret,
                       size_t slen, int64_t now, const char *lang, long *id);
/* A subscriber's created_at: 1 found, 0 not, -1 error. */
int subs_store_created(sqlite3 *db, long id, int64_t *created_at);
/* Deletes subscriber id; *deleted says whether there was one. */
bool subs_store_delete(sqlite3 *db, long id, bool *deleted);
bool subs_store_delete_addr(sqlite3 *db, const unsigned char *addr_hash, bool *deleted);

/* Calls fn for every subscriber with its language code (stops early when
 * fn returns false, which counts as a failure). */
typedef bool (*subs_each_fn)(void *ud, long id, const char *channel, const void *secret, size_t slen,
                             int64_t created_at, const char *lang);
bool subs_store_each(sqlite3 *db, subs_each_fn fn, void *ud);
/* How many subscribers by channel. */
bool subs_store_counts(sqlite3 *db, long *sms, long *email);

/* A savepoint around the listener's messages inside the caller's
 * transaction: all of them are queued, or (ok false) none. */
bool subs_store_savepoint(sqlite3 *db);
bool subs_store_savepoint_end(sqlite3 *db, bool ok);

/* Partner webhooks. */
typedef bool (*subs_hook_fn)(void *ud, long id, const char *name, const char *url, int64_t created_at,
                             const char *created_by);
bool subs_store_hook_add(sqlite3 *db, const char *name, const char *url, int64_t now, const char *by, long *id);
/* Deletes hook id: 1 deleted, 0 none such, -1 error; name/url (may be NULL) get what it was. */
int subs_store_hook_delete(sqlite3 *db, long id);
bool subs_store_hooks(sqlite3 *db, subs_hook_fn fn, void *ud);

#endif
