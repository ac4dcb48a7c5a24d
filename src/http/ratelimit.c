/* ratelimit: per-client fixed windows in a table of hashed slots. See
 * ratelimit.h. */
#include "http/ratelimit.h"
#include "core/util.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

struct slot {
    uint64_t key;   /* the client's keyed hash; 0 for a free slot */
    time_t start;   /* when its window began */
    int count;
};

struct ratelimit {
    int limit, window;
    unsigned char hash_key[crypto_shorthash_KEYBYTES];
    pthread_mutex_t lock;
    struct slot slots[RATELIMIT_SLOTS];
};

ratelimit *ratelimit_new(int limit, int window_seconds)
{
    ratelimit *rl = xcalloc(1, sizeof(*rl));
    rl->limit = limit;
    rl->window = window_seconds;
    crypto_shorthash_keygen(rl->hash_key);
    rl->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER; /* cannot fail, as pthread_mutex_init can */
    return rl;
}

void ratelimit_free(ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    sodium_memzero(rl, sizeof(*rl));
    free(rl);
}

static uint64_t client_key(const ratelimit *rl, const char *client)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)client, strlen(client), rl->hash_key);
    uint64_t k;
    memcpy(&k, h, sizeof(k));
    return k ? k : 1;
}

/* The client's slot in its set of RATELIMIT_WAYS: its own, else a free or
 * finished one, else the one whose window began first (evicted). */
static struct slot *find_slot(ratelimit *rl, uint64_t k, time_t now)
{
    struct slot *set = &rl->slots[(k % (RATELIMIT_SLOTS / RATELIMIT_WAYS)) * RATELIMIT_WAYS], *pick = NULL;
    for (int i = 0; i < RATELIMIT_WAYS; i++)
        if (set[i].key == k)
            return &set[i];
    for (int i = 0; i < RATELIMIT_WAYS; i++) {
        struct slot *s = &set[i];
        if (!s->key || now - s->start >= rl->window)
            return s;
        if (!pick || s->start < pick->start)
            pick = s;
    }
    return pick;
}

bool ratelimit_allow(ratelimit *rl, const char *client, time_t now, int *retry_after)
{
    uint64_t k = client_key(rl, client);
    pthread_mutex_lock(&rl->lock);
    struct slot *s = find_slot(rl, k, now);
    if (s->key != k || now - s->start >= rl->window || now < s->start) {
        s->key = k;
        s->start = now;
        s->count = 0;
    }
    bool ok = s->count < rl->limit;
    if (ok)
        s->count++;
    int wait = (int)(s->start + rl->window - now);
    pthread_mutex_unlock(&rl->lock);
    if (!ok && retry_after)
        *retry_after = wait > 0 ? wait : 1;
    return ok;
}
