/* arena: bump allocator freed all at once. See arena.h. */
#include "arena.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#define ARENA_BLOCK 8192u

struct arena_block {
    arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void arena_init(arena *a)
{
    a->head = NULL;
    a->total = 0;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena_init(a);
}

#define ARENA_CAP ((size_t)1 << 30) /* 1 GiB: far past any request's needs */

void *arena_alloc(arena *a, size_t n)
{
    if (n > ARENA_CAP || a->total > ARENA_CAP - n) {
        fprintf(stderr, "waypost: a request asked for more than %zu bytes of memory\n", ARENA_CAP);
        abort();
    }
    n = (n + 15u) & ~(size_t)15u;
    arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = xmalloc(sizeof(*b) + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
        a->total += size;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}
