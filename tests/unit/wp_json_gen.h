/* wp_json_gen: JSON for the JSON tests (json_canon, json_load): every
 * document and NDJSON line the project carries (wp_json_each_document;
 * the test file defines _XOPEN_SOURCE 700 for nftw), and random jansson
 * values: strings of the code points a reader or writer treats apart,
 * reals of every kind (random bit patterns too), integers at their
 * limits, and arrays and objects nested up to six deep. Deterministic:
 * the same sequence on every run. */
#ifndef WP_JSON_GEN_H
#define WP_JSON_GEN_H

#include "core/util.h"

#include <ftw.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void (*wp_json_document_fn)(const char *path, const char *text, size_t len);
static wp_json_document_fn wp_json_document;

static inline bool wp_ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

/* Every document (or NDJSON line) of one file, to wp_json_document. */
static inline int wp_json_each_in_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    bool nd = wp_ends_with(path, ".ndjson");
    if (type != FTW_F || !(nd || wp_ends_with(path, ".json")))
        return 0;
    size_t len = 0;
    char *text = file_read(path, 64u * 1024u * 1024u, &len);
    if (!text)
        return 1;
    for (char *line = text, *next; line && *line; line = next) {
        next = nd ? strchr(line, '\n') : NULL;
        size_t n = next ? (size_t)(next - line) : strlen(line);
        if (next)
            next++;
        wp_json_document(path, line, n);
    }
    free(text);
    return 0;
}

/* Calls fn on every JSON document and NDJSON line under data/ and
 * tests/fixtures; false when a folder or file could not be read. */
static inline bool wp_json_each_document(wp_json_document_fn fn)
{
    wp_json_document = fn;
    return nftw("data", wp_json_each_in_file, 16, FTW_PHYS) == 0 &&
           nftw("tests/fixtures", wp_json_each_in_file, 16, FTW_PHYS) == 0;
}

static uint64_t seed = 0x9E3779B97F4A7C15u; /* each test file has its own */

static inline uint64_t next(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static inline size_t put_point(char *o)
{
    static const uint32_t kinds[] = {'a', ' ', '"', '\\', '/', 0x7F, 0x01, '\n', '\t', 0x1F, 0xE9, 0x7FF, 0x800,
                                     0x2192, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
    uint32_t c = kinds[next() % (sizeof(kinds) / sizeof(kinds[0]))];
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static inline json_t *text_value(size_t most)
{
    char s[200];
    size_t n = 0, k = next() % most;
    for (size_t i = 0; i < k; i++)
        n += put_point(s + n);
    return json_stringn(s, n);
}

static inline json_t *real_value(void)
{
    static const double some[] = {0.0, -0.0, 1.0, 100.0, 0.1, 40.7, -73.987654321, 1e300, 1e-7, 1.5e17, 5e-324,
                                  1.7976931348623157e308, 123456789012345678.0, 2.2250738585072014e-308};
    if (next() % 2)
        return json_real(some[next() % (sizeof(some) / sizeof(some[0]))]);
    uint64_t bits = next();
    double d;
    memcpy(&d, &bits, sizeof(d));
    return json_real(d != d || d - d != 0 ? 2.5 : d);
}

static inline json_t *value(int depth)
{
    static const json_int_t ints[] = {0, -1, 1, 42, INT64_MAX, INT64_MIN};
    switch (next() % (depth > 4 ? 6 : 8)) {
    case 0:
        return text_value(12);
    case 1:
        return real_value();
    case 2:
        return json_integer(next() % 2 ? ints[next() % 6] : (json_int_t)next());
    case 3:
        return json_true();
    case 4:
        return json_false();
    case 5:
        return json_null();
    case 6: {
        json_t *a = json_array();
        for (size_t i = next() % 5; i > 0; i--)
            json_array_append_new(a, value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (size_t i = next() % 8; i > 0; i--) {
            json_t *k = text_value(4);
            json_object_setn_new(o, json_string_value(k), json_string_length(k), value(depth + 1));
            json_decref(k);
        }
        return o;
    }
    }
}

#endif
