/* util: allocation that aborts on out-of-memory, and small string helpers.
 *
 * Out of memory is not a recoverable error in Waypost: xmalloc and friends
 * print one line and abort, so callers never check for NULL. */
#ifndef WP_UTIL_H
#define WP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
/* n bytes for a large array filled once through (from 4 MB: on a 2 MB
 * boundary with transparent huge pages asked for, so filling it takes a
 * few page faults per 2 MB instead of one per 4 KB; Linux); free() frees it. */
void *xmalloc_large(size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Copies at most size-1 bytes and always terminates; returns false when the
 * source did not fit (the copy is then truncated). */
bool str_copy(char *dst, size_t size, const char *src);

/* Parses a whole decimal string into a long within [min, max]; false on any
 * junk, overflow or range error. Replaces atoi. */
bool parse_long(const char *s, long min, long max, long *out);

/* Writes v in decimal (no sign, no terminator) into out, which holds at
 * least ULONG_DIGITS bytes; returns how many were written. For writers on
 * a hot path, where printf costs more than the rest of their work. */
#define ULONG_DIGITS 20
size_t ulong_digits(unsigned long v, char *out);

/* The FNV-1a hash of a C string: for small open-addressing tables. */
static inline uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        h = (h ^ *c) * 16777619u;
    return h;
}

/* ASCII letter or digit, whatever the locale. */
static inline bool isalnum_ascii(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ASCII lower case, whatever the locale; other bytes unchanged. */
static inline int tolower_ascii(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool str_has_prefix(const char *s, const char *prefix);
bool str_has_suffix(const char *s, const char *suffix);
bool str_eq_nocase(const char *a, const char *b);

/* True when [s, s+n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);

/* Reads a whole file into a NUL-terminated malloc'd string. Returns NULL and
 * leaves errno set on failure; refuses files larger than max. */
char *file_read(const char *path, size_t max, size_t *len);

/* Monotonic milliseconds, for timing. */
uint64_t now_ms(void);

#endif
