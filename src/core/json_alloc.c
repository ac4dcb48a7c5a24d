/* json_alloc: jansson's allocator for the server (json_alloc.h). A page
 * builds and frees a few hundred small jansson values; glibc's per-thread
 * cache keeps only seven blocks of a size, so most of them went through
 * its slower bins (a fifth of a finder page's instructions). Each thread
 * here keeps up to KEEP freed blocks in each of a few size classes and
 * hands them out again; larger blocks go straight to malloc. A block's
 * class comes from malloc_usable_size, so a block needs no header. Under
 * AddressSanitizer a kept block is poisoned, so a use after free is still
 * caught. */
#include "core/json_alloc.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CLASSES 8
#define KEEP 512 /* blocks kept per class and thread: at most 512 KB a thread */

static const size_t class_size[CLASSES] = {16, 32, 48, 64, 96, 128, 192, 256};

typedef struct kept {
    struct kept *next;
} kept;

typedef struct cache {
    kept *head[CLASSES];
    unsigned count[CLASSES];
    bool registered;
} cache;

static _Thread_local cache tc;
static pthread_key_t exit_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* The class that serves a request of n bytes, or -1. */
static int class_for_request(size_t n)
{
    for (int c = 0; c < CLASSES; c++)
        if (n <= class_size[c])
            return c;
    return -1;
}

/* The class a block of usable bytes can serve, or -1. */
static int class_for_block(size_t usable)
{
    for (int c = CLASSES - 1; c >= 0; c--)
        if (usable >= class_size[c])
            return usable <= class_size[CLASSES - 1] * 2 ? c : -1;
    return -1;
}

static void drain(cache *t)
{
    for (int c = 0; c < CLASSES; c++) {
        while (t->head[c]) {
            kept *k = t->head[c];
            UNPOISON(k, malloc_usable_size(k));
            t->head[c] = k->next;
            free(k);
        }
        t->count[c] = 0;
    }
}

static void on_thread_exit(void *p)
{
    drain(p);
}

static void make_key(void)
{
    pthread_key_create(&exit_key, on_thread_exit);
}

/* So that a thread's kept blocks are freed when it ends. */
static void register_thread(void)
{
    pthread_once(&key_once, make_key);
    pthread_setspecific(exit_key, &tc);
    tc.registered = true;
}

void *json_alloc_malloc(size_t n)
{
    int c = class_for_request(n);
    if (c < 0)
        return malloc(n);
    kept *k = tc.head[c];
    if (!k)
        return malloc(class_size[c]);
    UNPOISON(k, class_size[c]);
    tc.head[c] = k->next;
    tc.count[c]--;
    return k;
}

void json_alloc_free(void *p)
{
    if (!p)
        return;
    size_t usable = malloc_usable_size(p);
    int c = class_for_block(usable);
    if (c < 0 || tc.count[c] >= KEEP) {
        free(p);
        return;
    }
    if (!tc.registered)
        register_thread();
    kept *k = p;
    k->next = tc.head[c];
    tc.head[c] = k;
    tc.count[c]++;
    POISON((char *)p + sizeof(kept), usable - sizeof(kept));
    POISON(k, sizeof(kept));
}

void json_alloc_release(void)
{
    drain(&tc);
}

size_t json_alloc_kept(void)
{
    size_t n = 0;
    for (int c = 0; c < CLASSES; c++)
        n += tc.count[c];
    return n;
}

/* At exit, what the main thread keeps is freed (so LeakSanitizer, which
 * cannot see thread-local storage on this glibc, finds no leak). */
static void release_at_exit(void)
{
    json_alloc_release();
}

void json_alloc_use(void)
{
    json_set_alloc_funcs(json_alloc_malloc, json_alloc_free);
    atexit(release_at_exit);
}
