/* gz: gzip with zlib, and BLAKE2b-based ETags (libsodium). */
#include "core/gz.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

bool gz_compress(const void *p, size_t n, int level, buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    unsigned char chunk[16384];
    int rc;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        rc = deflate(&z, Z_FINISH);
        if (rc == Z_STREAM_ERROR)
            break;
        if (!buf_append(out, chunk, sizeof(chunk) - z.avail_out)) {
            rc = Z_MEM_ERROR;
            break;
        }
    } while (rc != Z_STREAM_END);
    deflateEnd(&z);
    return rc == Z_STREAM_END;
}

void etag_of(const void *p, size_t n, const char *suffix, char *out, size_t outlen)
{
    unsigned char h[10];
    crypto_generichash(h, sizeof(h), p, n, NULL, 0);
    char hex[21];
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    snprintf(out, outlen, "\"%s%s\"", hex, suffix ? suffix : "");
}

bool etag_matches(const char *inm, const char *etag)
{
    if (!inm || !*inm)
        return false;
    size_t elen = strlen(etag);
    const char *p = inm;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '*')
            return true;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        const char *e = end;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t)(e - p) == elen && memcmp(p, etag, elen) == 0)
            return true;
        p = end;
    }
    return false;
}
