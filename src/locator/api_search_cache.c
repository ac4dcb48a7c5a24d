/* api_search_cache: each worker thread's lists of the services matching an
 * API search, for one state of its connection's data. See
 * api_search_cache.h. */
#include "locator/api_search_cache.h"
#include "core/util.h"
#include "locator/locator_api_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *search; /* NULL: empty slot */
    uint32_t *ids;
    size_t n;
    unsigned long used; /* tick of the last hit */
} entry;

typedef struct cache {
    sqlite3 *db; /* the connection the lists were read on */
    int64_t version, changes;
    entry e[API_SEARCH_CACHE_QUERIES];
    size_t ids; /* rowids held by every entry */
    unsigned long tick, hits, misses;
    uint32_t *scratch; /* a fill's buffer, API_SEARCH_CACHE_IDS rowids */
} cache;

static pthread_key_t key;
static size_t max_ids = API_SEARCH_CACHE_IDS; /* tests lower it */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void drop_entries(cache *c)
{
    for (int i = 0; i < API_SEARCH_CACHE_QUERIES; i++) {
        free(c->e[i].search);
        free(c->e[i].ids);
        memset(&c->e[i], 0, sizeof(c->e[i]));
    }
    c->ids = 0;
}

static void cache_free(void *p)
{
    cache *c = p;
    if (!c)
        return;
    drop_entries(c);
    free(c->scratch);
    free(c);
}

static void make_key(void)
{
    pthread_key_create(&key, cache_free);
}

static cache *this_thread(void)
{
    pthread_once(&once, make_key);
    cache *c = pthread_getspecific(key);
    if (!c) {
        c = xcalloc(1, sizeof(*c));
        pthread_setspecific(key, c);
    }
    return c;
}

/* Drops the lists when the data may have changed since they were read. */
static bool check_current(cache *c, sqlite3 *db)
{
    int64_t version = 0, changes = sqlite3_total_changes64(db);
    if (!api_store_data_version(db, &version))
        return false;
    if (c->db != db || c->version != version || c->changes != changes) {
        drop_entries(c);
        c->db = db;
        c->version = version;
        c->changes = changes;
    }
    return true;
}

/* Room for n more rowids: the least recently used lists go. The slot to
 * fill, or NULL when n can never fit. */
static entry *make_room(cache *c, size_t n)
{
    if (n > max_ids)
        return NULL;
    for (;;) {
        entry *free_slot = NULL, *oldest = NULL;
        for (int i = 0; i < API_SEARCH_CACHE_QUERIES; i++) {
            entry *e = &c->e[i];
            if (!e->search)
                free_slot = free_slot ? free_slot : e;
            else if (!oldest || e->used < oldest->used)
                oldest = e;
        }
        if (free_slot && c->ids + n <= max_ids)
            return free_slot;
        c->ids -= oldest->n; /* oldest is set: a full cache has entries */
        free(oldest->search);
        free(oldest->ids);
        memset(oldest, 0, sizeof(*oldest));
    }
}

const uint32_t *api_search_cache_ids(sqlite3 *db, const char *search, size_t *n, bool *failed)
{
    cache *c = this_thread();
    *n = 0;
    *failed = !check_current(c, db);
    if (*failed)
        return NULL;
    c->tick++;
    for (int i = 0; i < API_SEARCH_CACHE_QUERIES; i++) {
        entry *e = &c->e[i];
        if (e->search && !strcmp(e->search, search)) {
            e->used = c->tick;
            c->hits++;
            *n = e->n;
            return e->ids;
        }
    }
    c->misses++;
    if (!c->scratch)
        c->scratch = xmalloc(sizeof(uint32_t) * API_SEARCH_CACHE_IDS);
    long got = api_store_search_rowids(db, search, c->scratch, (long)max_ids);
    *failed = got < 0;
    entry *e = got >= 0 ? make_room(c, (size_t)got) : NULL;
    if (!e)
        return NULL;
    e->search = xstrdup(search);
    e->ids = xmalloc(sizeof(uint32_t) * (got ? (size_t)got : 1));
    memcpy(e->ids, c->scratch, sizeof(uint32_t) * (size_t)got);
    e->n = (size_t)got;
    e->used = c->tick;
    c->ids += e->n;
    *n = e->n;
    return e->ids;
}

void api_search_cache_stats(unsigned long *hits, unsigned long *misses)
{
    cache *c = this_thread();
    *hits = c->hits;
    *misses = c->misses;
}

void api_search_cache_clear(void)
{
    pthread_once(&once, make_key);
    cache_free(pthread_getspecific(key));
    pthread_setspecific(key, NULL);
}

void api_search_cache_limit_ids(size_t ids)
{
    max_ids = ids && ids < API_SEARCH_CACHE_IDS ? ids : API_SEARCH_CACHE_IDS;
}
