/* map_cache: the finder's results maps kept for the latest searches. See
 * map_cache.h. */
#include "locator/map_cache.h"
#include "core/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    map_key key;
    char *svg; /* NULL: empty slot */
    size_t len;
    int drawn;
    unsigned long used; /* tick of the last use */
} slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot slots[MAP_CACHE_SLOTS];
static unsigned long tick;

static bool same_key(const map_key *a, const map_key *b)
{
    return a->generation == b->generation && a->lang == b->lang && a->lat == b->lat && a->lon == b->lon &&
           a->npins == b->npins && !memcmp(a->ids, b->ids, sizeof(uint32_t) * (size_t)a->npins);
}

static bool keepable(const map_key *k)
{
    return k->generation >= 0 && k->npins >= 0 && k->npins <= MAP_CACHE_PINS;
}

/* Under the lock: the slot holding k, or NULL. */
static slot *find_locked(const map_key *k)
{
    for (int i = 0; i < MAP_CACHE_SLOTS; i++)
        if (slots[i].svg && same_key(&slots[i].key, k))
            return &slots[i];
    return NULL;
}

bool map_cache_get(const map_key *k, buf *out, int *drawn)
{
    if (!keepable(k))
        return false;
    pthread_mutex_lock(&lock);
    slot *s = find_locked(k);
    if (s) {
        s->used = ++tick;
        buf_append(out, s->svg, s->len);
        *drawn = s->drawn;
    }
    pthread_mutex_unlock(&lock);
    return s != NULL;
}

void map_cache_put(const map_key *k, const char *svg, size_t len, int drawn)
{
    if (!keepable(k))
        return;
    char *copy = xmalloc(len + 1);
    memcpy(copy, svg, len);
    copy[len] = '\0';
    pthread_mutex_lock(&lock);
    slot *s = find_locked(k);
    if (!s) { /* an empty slot, else the least recently used */
        s = &slots[0];
        for (int i = 0; i < MAP_CACHE_SLOTS && s->svg; i++)
            if (!slots[i].svg || slots[i].used < s->used)
                s = &slots[i];
    }
    free(s->svg);
    s->key = *k;
    s->svg = copy;
    s->len = len;
    s->drawn = drawn;
    s->used = ++tick;
    pthread_mutex_unlock(&lock);
}

void map_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAP_CACHE_SLOTS; i++) {
        free(slots[i].svg);
        memset(&slots[i], 0, sizeof(slots[i]));
    }
    tick = 0;
    pthread_mutex_unlock(&lock);
}
