/* throttle: per-account and per-address limits on sign-in tries. See
 * throttle.h. Address slots: a small table indexed by a keyed hash of the
 * address (a key made at start), guarded by one mutex; two addresses
 * that share a slot share a count, which can only make the limit
 * stricter for them. */
#include "auth/throttle.h"
#include "auth/user_store.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define SLOTS 1024

typedef struct slot {
    uint64_t tag; /* the keyed hash, to tell most collisions apart */
    int64_t first, last;
    long n;
} slot;

static slot slots[SLOTS];
static unsigned char key[crypto_shorthash_KEYBYTES];
static bool keyed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static slot *find(const char *client, int64_t now)
{
    if (!keyed) {
        randombytes_buf(key, sizeof(key));
        keyed = true;
    }
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)client, strlen(client), key);
    uint64_t tag;
    memcpy(&tag, h, sizeof(tag));
    slot *s = &slots[tag % SLOTS];
    if (s->tag != tag || now - s->first > THROTTLE_WINDOW) {
        memset(s, 0, sizeof(*s));
        s->tag = tag;
        s->first = now;
    }
    return s;
}

long throttle_delay(long n, long limit, int64_t last, int64_t now)
{
    if (n < limit)
        return 0;
    long shift = n - limit < 4 ? n - limit : 4;
    long wait = 60L << shift;
    if (wait > THROTTLE_WINDOW)
        wait = THROTTLE_WINDOW;
    long left = (long)(last + wait - now);
    return left > 0 ? left : 0;
}

long throttle_wait(sqlite3 *db, const char *client, const char *email, int64_t now)
{
    pthread_mutex_lock(&lock);
    slot *s = find(client, now);
    long by_address = throttle_delay(s->n, THROTTLE_ADDRESS, s->last, now);
    pthread_mutex_unlock(&lock);
    int64_t last = 0;
    long n = user_store_failures_since(db, email, now - THROTTLE_WINDOW, &last);
    if (n < 0)
        return -1;
    long by_account = throttle_delay(n, THROTTLE_ACCOUNT, last, now);
    return by_address > by_account ? by_address : by_account;
}

void throttle_address_failed(const char *client, int64_t now)
{
    pthread_mutex_lock(&lock);
    slot *s = find(client, now);
    s->n++;
    s->last = now;
    pthread_mutex_unlock(&lock);
}

void throttle_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(slots, 0, sizeof(slots));
    pthread_mutex_unlock(&lock);
}
