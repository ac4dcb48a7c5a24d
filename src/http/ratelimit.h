/* ratelimit: "at most N in W seconds per client", kept only in memory.
 *
 * A limiter is a fixed table of slots keyed by a keyed hash of the
 * client's address (libsodium's crypto_shorthash with a key made at start),
 * so the table never holds an address itself and a restart forgets
 * everything. The table is 4-way set associative: a client finds its own
 * slot among four; a new client takes a free or finished one, and only
 * when more than four clients of one set are inside their windows is the
 * oldest forgotten (memory stays fixed whatever the traffic). Safe from
 * many threads. */
#ifndef WP_RATELIMIT_H
#define WP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define RATELIMIT_SLOTS 4096
#define RATELIMIT_WAYS 4

typedef struct ratelimit ratelimit;

/* A limiter allowing limit events per window_seconds per client. */
ratelimit *ratelimit_new(int limit, int window_seconds);
void ratelimit_free(ratelimit *rl);
/* Counts one event for client at time now; true when it is within the
 * limit. When not, *retry_after (may be NULL) gets the seconds until the
 * client's window ends. */
bool ratelimit_allow(ratelimit *rl, const char *client, time_t now, int *retry_after);

#endif
