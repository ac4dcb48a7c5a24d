/* gz: gzip with zlib, and fast content hashes for ETags. */
#include "core/gz.h"

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

/* A fast 64-bit hash of the bytes, 8 at a time (multiply and rotate, in
 * the manner of the well-known non-cryptographic hashes). ETags need to
 * change when the bytes change, not to resist an attacker, and the server
 * hashes every page it sends, so speed matters more than strength. */
static uint64_t hash64(const unsigned char *p, size_t n, uint64_t seed)
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ull, k2 = 0xC2B2AE3D27D4EB4Full;
    uint64_t h = seed ^ (n * k1), a = 0x165667B19E3779F9ull;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t w1, w2;
        memcpy(&w1, p + i, 8);
        memcpy(&w2, p + i + 8, 8);
        h = (h ^ (w1 * k2)) * k1;
        h = (h << 31) | (h >> 33);
        a = (a ^ (w2 * k1)) * k2;
        a = (a << 29) | (a >> 35);
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001B3ull;
    h ^= a * k1;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
}

void etag_of(const void *p, size_t n, const char *suffix, char *out, size_t outlen)
{
    uint64_t a = hash64(p, n, 0), b = hash64(p, n, 0x5bd1e995);
    snprintf(out, outlen, "\"%016llx%04llx%s\"", (unsigned long long)a, (unsigned long long)(b & 0xffff),
             suffix ? suffix : "");
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
