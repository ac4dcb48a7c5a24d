/* password: the rules a staff password must meet, the bundled list of
 * common passwords it must not be on, and storing and checking passwords
 * with Argon2id (libsodium's crypto_pwhash_str).
 *
 * Start-up: call auth_crypto_init() once (it starts libsodium and
 * computes the fixed hash password_dummy_verify uses), then
 * password_list_load() before the first password_policy_check. After
 * that every function here may be called from any thread; the list is
 * read-only until password_list_free(), which must not race with readers.
 *
 * Hashes are libsodium's encoded strings ("$argon2id$v=19$m=19456,t=2,
 * p=1$salt$hash"), NUL-terminated, at most crypto_pwhash_STRBYTES bytes
 * with the NUL: store them as text. */
#ifndef WP_AUTH_PASSWORD_H
#define WP_AUTH_PASSWORD_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

/* Argon2id cost: OWASP's minimum (19 MiB, 2 passes, 1 lane). The memory
 * limit is in bytes; the hash string shows it in KiB (m=19456). A stored
 * hash made with other values "needs rehash" and is replaced at login. */
#define PASSWORD_MEMLIMIT ((size_t)19 * 1024 * 1024)
#define PASSWORD_OPSLIMIT 2ULL

#define PASSWORD_MIN_CHARS 12   /* Unicode code points */
#define PASSWORD_MAX_BYTES 1024 /* UTF-8 bytes */

/* The list's place under the data folder (cfg->data_dir). */
#define PASSWORD_LIST_FILE "passwords/common.txt"

/* Starts libsodium and computes the dummy hash. Idempotent and safe to
 * call from several threads; false only when libsodium cannot start. */
bool auth_crypto_init(void);

/* Loads the list of common passwords (one a line, "\n" or "\r\n"; empty
 * lines ignored; ASCII letters folded to lower case), replacing any list
 * loaded before. False with err set ("cannot read PATH: ...", "PATH: line
 * N: ...", "PATH: no passwords") and the previous list kept. */
bool password_list_load(const char *path, char *err, size_t errlen);
/* The same for data_dir/PASSWORD_LIST_FILE. */
bool password_list_load_data(const char *data_dir, char *err, size_t errlen);
/* How many distinct entries are loaded (0 before a load). */
size_t password_list_count(void);
void password_list_free(void);

/* Whether pw (len bytes, not necessarily NUL-terminated) may be used as a
 * password: valid UTF-8 without NUL, at most PASSWORD_MAX_BYTES bytes, at
 * least PASSWORD_MIN_CHARS code points, not on the list (ASCII letters
 * compared without case). When false, why (if not NULL) gets one sentence
 * for the form. Fails closed: with no list loaded every password is
 * refused ("Passwords cannot be checked right now; try again later."). */
bool password_policy_check(const char *pw, size_t len, char *why, size_t whylen);

/* Hashes pw with Argon2id at PASSWORD_OPSLIMIT/PASSWORD_MEMLIMIT and a
 * random salt into out (NUL-terminated). False only when libsodium fails
 * (out of memory). The policy is not checked here. */
bool password_hash(const char *pw, size_t len, char out[crypto_pwhash_STRBYTES]);

/* True when pw matches hash (a NUL-terminated encoded string; anything
 * malformed gives false). Costs the hash's own parameters. */
bool password_verify(const char *hash, const char *pw, size_t len);

/* True when hash was made with other parameters than ours (or is not an
 * Argon2id string we understand): hash the password again at login. */
bool password_needs_rehash(const char *hash);

/* Spends the time of a password_verify against a real account (a verify
 * of pw against a fixed hash made once with our parameters), for logins
 * naming an account that does not exist. */
void password_dummy_verify(const char *pw, size_t len);

#endif
