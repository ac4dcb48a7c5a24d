/* throttle: slows down password guessing at /staff/login. After
 * THROTTLE_ACCOUNT failures for one account (by the email typed, whether
 * or not it exists) or THROTTLE_ADDRESS from one client address within
 * THROTTLE_WINDOW seconds, further tries wait: 60 s after the last
 * failure, doubling with each further failure, at most the window. Tries
 * that arrive while waiting are answered 429 and not counted, so the
 * owner is not locked out for ever by someone hammering. Account
 * failures are kept in the database (the owner is told at the next
 * sign-in); address failures only in memory, under a keyed hash of the
 * address, so no address is ever written down. */
#ifndef WP_THROTTLE_H
#define WP_THROTTLE_H

#include <sqlite3.h>
#include <stdint.h>

#define THROTTLE_WINDOW 900
#define THROTTLE_ACCOUNT 5
#define THROTTLE_ADDRESS 20

/* Seconds until a try for email from client may go ahead (0: now); -1 on
 * a database error. */
long throttle_wait(sqlite3 *db, const char *client, const char *email, int64_t now);
/* Counts one failed try (the account's row is written by the caller's
 * user_store_note_failure). */
void throttle_address_failed(const char *client, int64_t now);
/* The wait after n failures (n >= the limit), given the newest one's time. */
long throttle_delay(long n, long limit, int64_t last, int64_t now);
/* Forgets every address (for tests). */
void throttle_reset(void);

#endif
