/* session_store: the SQL of staff sessions and API tokens (migration
 * 0008). Only SHA-256 hashes of tokens are stored. Reads return 1 found,
 * 0 not found, -1 a database error; writes false on an error. */
#ifndef WP_SESSION_STORE_H
#define WP_SESSION_STORE_H

#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct session_row {
    const char *hash; /* the token's hash (hex) */
    long user_id;
    const char *stage; /* "totp" or "full" */
    const char *csrf;
    int64_t created_at, seen_at;
    const char *agent;
} session_row;

bool session_store_add(sqlite3 *db, const session_row *s);
int session_store_get(sqlite3 *db, arena *a, const char *hash, session_row *out);
bool session_store_touch(sqlite3 *db, const char *hash, int64_t now);
bool session_store_delete(sqlite3 *db, const char *hash);
/* Ends every session of user_id except keep (NULL: all of them). */
bool session_store_delete_user(sqlite3 *db, long user_id, const char *keep);
/* Ends the session of user_id whose hash starts with the 12-character
 * short id: 1 ended, 0 none, -1 an error. */
int session_store_delete_short(sqlite3 *db, long user_id, const char *short_id);
/* Deletes sessions last seen before idle_before or made before old_before. */
bool session_store_expire(sqlite3 *db, int64_t idle_before, int64_t old_before);
/* A user's sessions, newest first: the count, or -1. */
int session_store_list(sqlite3 *db, arena *a, long user_id, session_row **out);

typedef struct token_row {
    long id;
    const char *name;
    int role;
    int64_t created_at, last_used_at;
    bool revoked;
} token_row;

/* The new token's id; 0 when the name is taken; -1 on an error. */
long token_store_add(sqlite3 *db, const char *name, int role, const char *hash, int64_t now);
/* The live (not revoked) token with this hash. */
int token_store_get(sqlite3 *db, arena *a, const char *hash, token_row *out);
bool token_store_touch(sqlite3 *db, long id, int64_t now);
/* Revokes the token called name: 1 done, 0 no such token, -1. */
int token_store_revoke(sqlite3 *db, const char *name);
int token_store_list(sqlite3 *db, arena *a, token_row **out);

#endif
