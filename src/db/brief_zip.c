/* brief_zip: UUIDs packed to 16 bytes, then LZ4 against an embedded
 * dictionary (brief_zip.h). The dictionary is digested into an LZ4 stream
 * once per process; each compression starts from a copy of that stream
 * (LZ4's state holds no pointer into itself, only to the dictionary), so
 * the dictionary is not hashed again for every brief. Reading unpacks in
 * place: the block is decompressed to the end of the room the text needs
 * and the UUIDs are written out from the front, which never passes the
 * bytes still to be read. */
#include "db/brief_zip.h"
#include "db/embedded.h"
#include "db/id_key.h"

#include <lz4.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CURRENT 1   /* the dictionary new briefs are written with */
#define MARK 0x01   /* a packed UUID follows */

static LZ4_stream_t dict_stream;
static bool dict_ready;
static pthread_once_t dict_once = PTHREAD_ONCE_INIT;

static void dict_load(void)
{
    if (bdicts_count < CURRENT || bdicts[CURRENT - 1].len > 65536)
        return;
    LZ4_initStream(&dict_stream, sizeof(dict_stream));
    LZ4_loadDict(&dict_stream, bdicts[CURRENT - 1].data, (int)bdicts[CURRENT - 1].len);
    dict_ready = true;
}

size_t brief_zip_pack(const char *t, size_t len, char *o)
{
    size_t j = 0;
    for (size_t i = 0; i < len;) {
        if (t[i] == '"' && len - i > ID_KEY_TEXT + 1 && t[i + ID_KEY_TEXT + 1] == '"' && id_key_is_uuid(t + i + 1, ID_KEY_TEXT)) {
            o[j++] = '"';
            o[j++] = MARK;
            id_key_pack(t + i + 1, (unsigned char *)o + j);
            j += ID_KEY_BYTES;
            i += ID_KEY_TEXT + 1;
        } else {
            o[j++] = t[i++];
        }
    }
    return j;
}

static size_t put_varint(unsigned char *p, size_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* Reads a varint of at most 3 bytes (up to 2 MB) at *p, moving *p on. */
static bool get_varint(const unsigned char **p, const unsigned char *end, size_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 21 && *p < end; shift += 7) {
        unsigned char c = *(*p)++;
        *v |= (size_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return true;
    }
    return false;
}

bool brief_zip(const char *text, size_t len, buf *out)
{
    pthread_once(&dict_once, dict_load);
    if (!dict_ready || len == 0 || len > BRIEF_ZIP_MAX || memchr(text, MARK, len))
        return false;
    char *packed = malloc(len);
    if (!packed)
        return false;
    size_t plen = brief_zip_pack(text, len, packed);
    size_t room = 1 + 3 + 3 + (size_t)LZ4_compressBound((int)plen), at = out->len;
    buf_reserve(out, room);
    bool ok = out->alloc >= at + room + 1;
    if (ok) {
        unsigned char *p = (unsigned char *)out->data + at;
        size_t h = 0;
        p[h++] = BRIEF_ZIP_KIND | CURRENT;
        h += put_varint(p + h, len);
        h += put_varint(p + h, plen);
        LZ4_stream_t s;
        memcpy(&s, &dict_stream, sizeof(s));
        int n = LZ4_compress_fast_continue(&s, packed, (char *)p + h, (int)plen, (int)(room - h), 1);
        ok = n > 0;
        if (ok) {
            out->len = at + h + (size_t)n;
            out->data[out->len] = '\0';
        }
    }
    free(packed);
    return ok;
}

/* Unpacks in place: the packed text is at base[slack, len) and the text
 * is written to base[0, len). False when they do not agree. */
static bool unpack_in_place(char *base, size_t slack, size_t len)
{
    size_t i = slack, j = 0;
    while (i < len) {
        const char *m = memchr(base + i, MARK, len - i);
        size_t run = m ? (size_t)(m - (base + i)) : len - i;
        memmove(base + j, base + i, run);
        i += run;
        j += run;
        if (!m)
            break;
        if (len - i < 1 + ID_KEY_BYTES)
            return false;
        unsigned char u[ID_KEY_BYTES];
        memcpy(u, base + i + 1, ID_KEY_BYTES);
        i += 1 + ID_KEY_BYTES;
        if (j + ID_KEY_TEXT > i)
            return false; /* would write over bytes not yet read */
        id_key_text(u, base + j);
        j += ID_KEY_TEXT;
    }
    return j == len;
}

bool brief_unzip_into(const void *stored, size_t n, buf *out)
{
    const unsigned char *p = stored, *end = p + n;
    size_t len, plen;
    if (n < 4 || p[0] != (BRIEF_ZIP_KIND | CURRENT) || bdicts_count < CURRENT)
        return false;
    p++;
    if (!get_varint(&p, end, &len) || !get_varint(&p, end, &plen) || len > BRIEF_ZIP_MAX || plen > len ||
        plen == 0 || (len - plen) % (ID_KEY_TEXT - 1 - ID_KEY_BYTES) != 0)
        return false;
    size_t at = out->len;
    buf_reserve(out, len);
    if (out->alloc < at + len + 1)
        return false;
    char *base = out->data + at;
    size_t slack = len - plen;
    int got = LZ4_decompress_safe_usingDict((const char *)p, base + slack, (int)(end - p), (int)plen,
                                            bdicts[CURRENT - 1].data, (int)bdicts[CURRENT - 1].len);
    if (got != (int)plen || !unpack_in_place(base, slack, len)) {
        out->data[at] = '\0';
        return false;
    }
    out->len = at + len;
    out->data[out->len] = '\0';
    return true;
}
