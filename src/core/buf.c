/* buf: growable byte buffer with a cap. See buf.h for the contract. */
#include "buf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap ? cap : BUF_DEFAULT_CAP;
    b->overflow = false;
}

void buf_free(buf *b)
{
    size_t cap = b->cap;
    free(b->data);
    buf_init(b, cap);
}

void buf_reset(buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    b->overflow = false;
}

/* Makes room for n more bytes plus the terminating NUL. */
static bool buf_grow(buf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : BUF_DEFAULT_CAP;
    if (n > cap || b->len > cap - n) {
        b->overflow = true;
        return false;
    }
    size_t want = b->len + n + 1;
    if (want <= b->alloc)
        return true;
    size_t alloc = b->alloc ? b->alloc : 64;
    while (alloc < want)
        alloc *= 2;
    b->data = xrealloc(b->data, alloc);
    b->alloc = alloc;
    return true;
}

void buf_reserve(buf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : BUF_DEFAULT_CAP;
    if (b->len >= cap)
        return;
    if (n > cap - b->len)
        n = cap - b->len;
    size_t want = b->len + n + 1;
    if (want <= b->alloc)
        return;
    b->data = xrealloc(b->data, want);
    if (b->len == 0)
        b->data[0] = '\0';
    b->alloc = want;
}

/* buf_append (buf.h) when there may not be room. */
bool buf_append_grow(buf *b, const void *p, size_t n)
{
    if (n == 0)
        return !b->overflow;
    if (!buf_grow(b, n))
        return false;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool buf_puts(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

bool buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !buf_grow(b, (size_t)n))
        return false;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

const char *buf_cstr(const buf *b)
{
    return b->data ? b->data : "";
}

char *buf_detach(buf *b, size_t *len)
{
    char *d = b->data;
    if (!d)
        d = xstrdup("");
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->overflow = false;
    return d;
}
