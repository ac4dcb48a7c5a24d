/* user_store: the SQL of staff accounts (migration 0008): staff_user,
 * their one-time setup links, two-factor recovery codes, failed sign-ins
 * and the site's staff settings. Reads return 1 found, 0 not found, -1 a
 * database error; writes return false on a database error. Times are unix
 * seconds. Nothing here hashes or checks: callers pass hashes. */
#ifndef WP_USER_STORE_H
#define WP_USER_STORE_H

#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTP_KEY_MAX 64

typedef struct staff_user {
    long id;
    const char *email, *name;
    int role;                  /* auth/roles.h */
    const char *password_hash; /* NULL: no password yet */
    bool disabled;
    unsigned char totp[TOTP_KEY_MAX];
    size_t totp_len; /* 0: two-factor not enrolled */
    unsigned char pending[TOTP_KEY_MAX];
    size_t pending_len;
    int64_t totp_last_step;
    int64_t created_at, last_login_at;
    long failed_unseen;
} staff_user;

int user_store_by_email(sqlite3 *db, arena *a, const char *email, staff_user *out);
int user_store_by_id(sqlite3 *db, arena *a, long id, staff_user *out);
/* Every account, by email; the count, or -1. */
int user_store_list(sqlite3 *db, arena *a, staff_user **out);
/* The new account's id, 0 when the email is taken, -1 on an error. */
long user_store_add(sqlite3 *db, const char *email, const char *name, int role, const char *hash, int64_t now);
bool user_store_set_password(sqlite3 *db, long id, const char *hash);
bool user_store_set_role(sqlite3 *db, long id, int role);
bool user_store_set_disabled(sqlite3 *db, long id, bool disabled);
/* Sets (len 0: clears) the enrolled secret, the pending one, or the last
 * used step. */
bool user_store_set_totp(sqlite3 *db, long id, const unsigned char *key, size_t len);
bool user_store_set_pending(sqlite3 *db, long id, const unsigned char *key, size_t len);
bool user_store_set_step(sqlite3 *db, long id, int64_t step);
/* A sign-in that worked: last_login_at = now. */
bool user_store_login_ok(sqlite3 *db, long id, int64_t now);
/* The failed sign-ins the owner has not been told of, set back to 0 (the
 * overview tells them once); -1 on an error. */
long user_store_take_failures(sqlite3 *db, long id);

/* Failed sign-ins, by the email typed (whether or not it exists). */
bool user_store_note_failure(sqlite3 *db, const char *email, int64_t now);
/* How many since `since`, and when the newest was (*last, may be NULL). */
long user_store_failures_since(sqlite3 *db, const char *email, int64_t since, int64_t *last);
/* Forgets failures older than before (kept small). */
bool user_store_forget_failures(sqlite3 *db, int64_t before);

/* One-time setup links: hash of the token, the account, when it ends. */
bool user_store_setup_add(sqlite3 *db, const char *token_hash, long user_id, int64_t expires);
/* The account a live link belongs to (1), 0 unknown or expired, -1. */
int user_store_setup_find(sqlite3 *db, const char *token_hash, int64_t now, long *user_id);
bool user_store_setup_clear(sqlite3 *db, long user_id);

/* Recovery codes (hashes): replaced ten at a time; use marks one used and
 * returns 1, or 0 when no unused code has that hash. */
bool user_store_recovery_replace(sqlite3 *db, long user_id, const char *const *hashes, int n);
int user_store_recovery_use(sqlite3 *db, long user_id, const char *hash, int64_t now);
long user_store_recovery_left(sqlite3 *db, long user_id);

/* Staff settings (staff_setting): the value, or NULL when unset. */
const char *user_store_setting(sqlite3 *db, arena *a, const char *key);
bool user_store_set_setting(sqlite3 *db, const char *key, const char *value);

#endif
