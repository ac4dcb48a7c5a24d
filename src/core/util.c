/* util: allocation, bounded string helpers, UTF-8 validation, file reading. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static void oom(size_t n)
{
    fprintf(stderr, "waypost: out of memory (asked for %zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xmalloc_large(size_t n)
{
    const size_t huge = (size_t)2 << 20;
    if (n < 2 * huge || n > SIZE_MAX - huge)
        return xmalloc(n);
    size_t size = (n + huge - 1) & ~(huge - 1);
    void *p = aligned_alloc(huge, size);
    if (!p)
        oom(n);
#ifdef MADV_HUGEPAGE
    madvise(p, size, MADV_HUGEPAGE); /* a hint: refused or ignored is fine */
#endif
    return p;
}

void *xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p)
        oom(count * n);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

bool str_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return false;
    size_t n = strlen(src);
    bool fits = n < size;
    if (!fits)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return fits;
}

size_t ulong_digits(unsigned long v, char *out)
{
    char rev[ULONG_DIGITS];
    size_t k = 0;
    do {
        rev[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < k; i++)
        out[i] = rev[k - 1 - i];
    return k;
}

bool parse_long(const char *s, long min, long max, long *out)
{
    /* strtol would skip leading white space and accept '+': a whole decimal
     * string starts with a digit or a minus sign. */
    if (!s || !((*s >= '0' && *s <= '9') || *s == '-'))
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end != '\0' || end == s || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool str_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

bool str_eq_nocase(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

bool utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t need;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1; min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2; min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3; min = 0x10000;
        } else {
            return false;
        }
        if (n - i <= need)
            return false;
        unsigned cp = c & (0x3F >> need);
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}

char *file_read(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size > max) {
        fclose(f);
        errno = EFBIG;
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    char *p = xmalloc(n + 1);
    size_t got = fread(p, 1, n, f);
    fclose(f);
    if (got != n) {
        free(p);
        errno = EIO;
        return NULL;
    }
    p[n] = '\0';
    if (len)
        *len = n;
    return p;
}

uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
