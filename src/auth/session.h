/* session: staff sign-in sessions. A session is a random 256-bit token in
 * the cookie __Host-waypost (Secure; HttpOnly; SameSite=Strict; Path=/);
 * the database keeps only its SHA-256. A session ends after
 * staff.session_idle_minutes without a request or staff.session_hours
 * after sign-in, at sign-out, and when its account is reset, disabled or
 * demoted. A new token is made at sign-in and at every change of
 * privilege (password step to full session). The cookie is read only by
 * the guard and the sign-in pages, which serve only staff routes. */
#ifndef WP_SESSION_H
#define WP_SESSION_H

#include "auth/session_store.h"
#include "http/http.h"

#include <sqlite3.h>
#include <stdbool.h>

#define SESSION_COOKIE "__Host-waypost"
#define TOKEN_CHARS 44 /* 32 random bytes as base64url, and a NUL */
#define HASH_HEX 65

/* A new random token (base64url, no padding). */
void auth_new_token(char out[TOKEN_CHARS]);
/* The SHA-256 of s as hex. */
void auth_hash(const char *s, char out[HASH_HEX]);
/* The first 12 characters of a hash: the id audit rows and pages show. */
const char *session_short(arena *a, const char *hash);

/* Starts a session for user_id at stage ("totp" or "full"), ending the
 * request's current session if any, and sets the cookie in rs; *csrf (may
 * be NULL) gets the new session's CSRF token. */
bool session_begin(sqlite3 *db, request *rq, response *rs, long user_id, const char *stage, const char **csrf);
/* The live session the request's cookie names: 1 (with *out, seen_at
 * moved on), 0 none or ended (an ended one is deleted), -1 a database
 * error. */
int session_current(sqlite3 *db, request *rq, session_row *out);
/* Ends the request's session (if any) and clears the cookie. */
bool session_end(sqlite3 *db, request *rq, response *rs);

#endif
