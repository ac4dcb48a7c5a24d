/* json_alloc: a per-thread cache of small blocks for jansson.
 *
 * json_alloc_use() makes jansson allocate through it; it must be called
 * before any other jansson function (main does it first), since a value
 * must be freed by the allocator that made it. Blocks freed by one thread
 * may be handed out by another; each thread keeps a bounded number, and
 * what a thread keeps is freed when it ends. */
#ifndef WP_JSON_ALLOC_H
#define WP_JSON_ALLOC_H

#include <stddef.h>

void json_alloc_use(void);

/* The allocator itself (for tests). */
void *json_alloc_malloc(size_t n);
void json_alloc_free(void *p);
size_t json_alloc_kept(void);    /* blocks this thread keeps */
void json_alloc_release(void);   /* frees them */

#endif
