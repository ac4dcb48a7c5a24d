/* fuzz_urldecode: libFuzzer harness for url_decode (src/core/escape.c)
 * and utf8_valid (src/core/util.c).
 *
 * url_decode runs on the input with and without '+' as a space, into a
 * buffer of exactly the right size and into ones one byte too small and
 * tiny. Checks: the result is -1 or a length that fits, the output is
 * NUL-terminated with no NUL inside, never longer than the input; the
 * too-small buffer fails exactly when the right-sized one needs all of it;
 * with '+' as a space the result has no '+' unless the input had "%2B";
 * esc_url of the decoded bytes decodes back to them. utf8_valid is
 * compared with a straightforward reference decoder, and must agree on
 * every prefix cut at the end of the input. */
#include "core/buf.h"
#include "core/escape.h"
#include "core/util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Reference: decode code points one by one (RFC 3629). */
static bool ref_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], cp, len;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (unsigned k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

static void check_decode(const char *s, size_t n, bool plus)
{
    char *out = malloc(n + 1);
    long len = url_decode(s, n, out, n + 1, plus);
    if (len < -1 || len > (long)n)
        abort();
    if (len >= 0) {
        if (out[len] != '\0' || memchr(out, '\0', (size_t)len))
            abort();
        if (plus && memchr(out, '+', (size_t)len) && !memmem(s, n, "%2B", 3) && !memmem(s, n, "%2b", 3))
            abort();
        /* exactly the right size works, one byte less does not */
        char *tight = malloc((size_t)len + 1);
        if (url_decode(s, n, tight, (size_t)len + 1, plus) != len || memcmp(tight, out, (size_t)len + 1))
            abort();
        if (url_decode(s, n, tight, (size_t)len, plus) != -1)
            abort();
        free(tight);
        /* esc_url and back */
        buf b;
        buf_init(&b, 0);
        esc_url(&b, out, (size_t)len);
        char *back = malloc(b.len + 1);
        long blen = url_decode(buf_cstr(&b), b.len, back, b.len + 1, plus);
        if (blen != len || memcmp(back, out, (size_t)len))
            abort();
        free(back);
        buf_free(&b);
        if (utf8_valid(out, (size_t)len) != ref_utf8((const unsigned char *)out, (size_t)len))
            abort();
    }
    char tiny[4];
    long t = url_decode(s, n, tiny, sizeof(tiny), plus);
    if (t >= 0 && (t != len || t > 3 || memcmp(tiny, out, (size_t)t + 1)))
        abort();
    if (url_decode(s, n, tiny, 0, plus) != -1)
        abort();
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1); /* no NUL after it: ASan sees overreads */
    memcpy(s, data, size);
    check_decode(s, size, true);
    check_decode(s, size, false);
    for (size_t cut = size > 4 ? size - 4 : 0; cut <= size; cut++)
        if (utf8_valid(s, cut) != ref_utf8(data, cut))
            abort();
    free(s);
    return 0;
}
