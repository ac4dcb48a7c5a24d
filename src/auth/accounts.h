/* accounts: the changes to staff accounts that both the command line
 * (`waypost user ...`) and /staff/users make. Each runs in one
 * transaction with its audit row (by `actor`), and every change of role,
 * disabling and reset ends the account's sessions. A new account without
 * a password, and a reset, get a one-time setup link valid 24 hours:
 * the token is written into setup (TOKEN_CHARS) and only its hash kept. */
#ifndef WP_ACCOUNTS_H
#define WP_ACCOUNTS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

enum account_result { ACC_OK, ACC_EXISTS, ACC_UNKNOWN, ACC_BAD, ACC_DB };

#define SETUP_SECONDS (24 * 3600)

typedef struct account_actor {
    const char *who;     /* the audit row's actor: an email, or "cli" */
    const char *session; /* its short session id, or "" */
} account_actor;

/* A plausible email: one @, something either side, a dot after it, no
 * spaces or control characters, at most 254 bytes. */
bool account_email_ok(const char *email);
/* ACC_BAD with a sentence in why (email, role, or the password policy). */
int account_add(sqlite3 *db, const account_actor *by, const char *email, const char *name, int role,
                const char *password, char *setup, char *why, size_t whylen);
int account_set_role(sqlite3 *db, const account_actor *by, const char *email, int role);
int account_set_disabled(sqlite3 *db, const account_actor *by, const char *email, bool disabled);
/* Clears the password, ends every session, and makes a new setup link. */
int account_reset(sqlite3 *db, const account_actor *by, const char *email, char *setup);
/* Turns two-factor sign-in off for the account (a lost phone). */
int account_clear_totp(sqlite3 *db, const account_actor *by, const char *email);

/* Staff API tokens: a new token for name (written into token, shown once;
 * only its hash is kept), or revoking one. Names: 1-64 of a-z 0-9 . _ -. */
int account_token_add(sqlite3 *db, const account_actor *by, const char *name, int role, char *token);
int account_token_revoke(sqlite3 *db, const account_actor *by, const char *name);

#endif
