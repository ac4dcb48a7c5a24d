/* arena: a per-request bump allocator.
 *
 * Each HTTP request gets one arena; everything a handler allocates for the
 * request comes from it and is released at once by arena_free() when the
 * response has been sent (libmicrohttpd's completion callback). Nothing
 * allocated from an arena may outlive it. Blocks grow as needed up to a cap;
 * past the cap arena_alloc aborts through xmalloc's out-of-memory path
 * (requests are bounded long before that by the request limits). */
#ifndef WP_ARENA_H
#define WP_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t total;
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);              /* 16-byte aligned, zeroed */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);

#endif
