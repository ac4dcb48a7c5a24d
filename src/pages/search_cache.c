/* search_cache: site search answers by query and page, for one generation
 * of the content index. See search_cache.h. */
#include "pages/search_cache.h"
#include "content/content_store.h"
#include "core/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *fts; /* NULL: empty */
    long page;
    long generation;
    json_t *results;
    int total;
} slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot slots[SEARCH_CACHE_SLOTS];

static size_t slot_of(const char *fts, long pageno)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)fts; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    h = (h ^ (uint64_t)pageno) * 1099511628211ull;
    return (size_t)(h % SEARCH_CACHE_SLOTS);
}

static void slot_free(slot *s)
{
    free(s->fts);
    json_decref(s->results);
    memset(s, 0, sizeof(*s));
}

bool search_cache_get(const char *fts, long pageno, json_t **results, int *total)
{
    long gen = content_store_generation();
    pthread_mutex_lock(&lock);
    slot *s = &slots[slot_of(fts, pageno)];
    bool hit = s->fts && s->page == pageno && s->generation == gen && !strcmp(s->fts, fts);
    if (hit) {
        *results = json_incref(s->results);
        *total = s->total;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void search_cache_put(const char *fts, long pageno, json_t *results, int total)
{
    long gen = content_store_generation();
    pthread_mutex_lock(&lock);
    slot *s = &slots[slot_of(fts, pageno)];
    slot_free(s);
    s->fts = xstrdup(fts);
    s->page = pageno;
    s->generation = gen;
    s->results = json_incref(results);
    s->total = total;
    pthread_mutex_unlock(&lock);
}

void search_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < SEARCH_CACHE_SLOTS; i++)
        slot_free(&slots[i]);
    pthread_mutex_unlock(&lock);
}
