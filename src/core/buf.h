/* buf: a growable byte buffer with a hard size cap.
 *
 * Ownership: a buf owns its data; buf_free() releases it and leaves the buf
 * empty and reusable. The data is always NUL-terminated (data[len] == 0) once
 * anything has been written, so buf_cstr() is safe to pass to C string
 * functions. Pointers into data are invalidated by any write.
 *
 * Every buf has a maximum size (cap). A write that would pass it fails,
 * sets buf->overflow and leaves the contents as they were; callers check
 * buf->overflow once at the end rather than after every write. Out of memory
 * aborts (see xmalloc in util.h). */
#ifndef WP_BUF_H
#define WP_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define BUF_DEFAULT_CAP (64u * 1024u * 1024u)

typedef struct buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap;     /* maximum len; 0 means BUF_DEFAULT_CAP */
    bool overflow;  /* a write was refused because it would pass cap */
} buf;

#define BUF_INIT {NULL, 0, 0, 0, false}

void buf_init(buf *b, size_t cap);
void buf_free(buf *b);
void buf_reset(buf *b);                       /* len = 0, keeps memory */
/* Makes room for n more bytes (at most up to the cap) so the writes that
 * follow need not grow it step by step; writes nothing. */
void buf_reserve(buf *b, size_t n);
bool buf_append_grow(buf *b, const void *p, size_t n);

/* Appends n bytes. The common case (a small piece, room already there) is
 * inline: a page is written in thousands of small pieces. */
#define BUF_INLINE_MAX 65536u

static inline bool buf_append(buf *b, const void *p, size_t n)
{
    size_t cap = b->cap ? b->cap : BUF_DEFAULT_CAP;
    if (n == 0 || n > BUF_INLINE_MAX || n >= b->alloc - b->len || b->len + n > cap)
        return buf_append_grow(b, p, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}
bool buf_puts(buf *b, const char *s);
static inline bool buf_putc(buf *b, char c)
{
    return buf_append(b, &c, 1);
}
bool buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
const char *buf_cstr(const buf *b);          /* "" when empty */
char *buf_detach(buf *b, size_t *len);        /* caller frees; buf is reset */

#endif
