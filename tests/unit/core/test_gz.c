/* test_gz: unit tests for src/core/gz.c, gzip compression and ETags.
 *
 * gz_compress output is a real gzip stream (magic bytes, inflates back to
 * the input with zlib's inflate in gzip mode) for text, empty, binary and
 * large inputs, is appended after what the buf already holds, and fails on
 * a too-small cap. etag_of is a quoted 20-hex-digit tag, stable for the
 * same bytes, different for different bytes, with the suffix inside the
 * quotes. etag_matches handles single tags, lists, W/ prefixes, "*",
 * white space, empty and missing headers, and does not match prefixes. */
#include "core/gz.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

/* Inflates a gzip stream; returns the decoded bytes (malloc'd) and length. */
static unsigned char *gunzip(const unsigned char *p, size_t n, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK); /* gzip only */
    size_t cap = 1024, len = 0;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    int rc;
    do {
        if (len == cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
        z.next_out = out + len;
        z.avail_out = (uInt)(cap - len);
        rc = inflate(&z, Z_NO_FLUSH);
        len = cap - z.avail_out;
        assert_true(rc == Z_OK || rc == Z_STREAM_END);
    } while (rc != Z_STREAM_END);
    assert_int_equal(z.avail_in, 0); /* no trailing garbage */
    inflateEnd(&z);
    *outlen = len;
    return out;
}

static void round_trip(const void *data, size_t n, int level)
{
    buf out;
    buf_init(&out, 0);
    assert_true(gz_compress(data, n, level, &out));
    assert_true(out.len >= 18); /* header + trailer */
    assert_int_equal((unsigned char)out.data[0], 0x1f);
    assert_int_equal((unsigned char)out.data[1], 0x8b);
    size_t len;
    unsigned char *back = gunzip((const unsigned char *)out.data, out.len, &len);
    assert_int_equal(len, n);
    if (n)
        assert_memory_equal(back, data, n);
    free(back);
    buf_free(&out);
}

static void test_round_trip_text(void **state)
{
    (void)state;
    const char *s = "<p>Carry naloxone. Never use alone. Test your drugs.</p>\n";
    round_trip(s, strlen(s), 6);
    round_trip(s, strlen(s), 9);
    round_trip(s, strlen(s), 1);
}

static void test_round_trip_empty(void **state)
{
    (void)state;
    round_trip("", 0, 6);
}

static void test_round_trip_large(void **state)
{
    (void)state;
    /* repetitive (compresses well) and spanning many 16 KiB output chunks */
    size_t n = 1u << 20;
    unsigned char *p = malloc(n);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u; /* pseudo-random, barely compressible */
        p[i] = (i % 3) ? (unsigned char)(x >> 24) : (unsigned char)'a';
    }
    round_trip(p, n, 6);
    memset(p, 'z', n);
    buf out;
    buf_init(&out, 0);
    assert_true(gz_compress(p, n, 9, &out));
    assert_true(out.len < n / 100); /* really compressed */
    buf_free(&out);
    free(p);
}

static void test_appends(void **state)
{
    (void)state;
    buf out;
    buf_init(&out, 0);
    assert_true(buf_puts(&out, "HEAD"));
    assert_true(gz_compress("hello", 5, 6, &out));
    assert_memory_equal(out.data, "HEAD\x1f\x8b", 6);
    size_t len;
    unsigned char *back = gunzip((const unsigned char *)out.data + 4, out.len - 4, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(back, "hello", 5);
    free(back);
    buf_free(&out);
}

static void test_overflow(void **state)
{
    (void)state;
    buf out;
    buf_init(&out, 10); /* a gzip stream is at least 20 bytes */
    assert_false(gz_compress("hello world", 11, 6, &out));
    assert_true(out.overflow);
    buf_free(&out);
}

static void test_bad_level(void **state)
{
    (void)state;
    buf out;
    buf_init(&out, 0);
    assert_false(gz_compress("x", 1, 42, &out)); /* zlib refuses level 42 */
    buf_free(&out);
}

/* ---- ETags ---- */

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static void test_etag_format(void **state)
{
    (void)state;
    char t[32];
    etag_of("body", 4, NULL, t, sizeof t);
    assert_int_equal(strlen(t), 22);
    assert_int_equal(t[0], '"');
    assert_int_equal(t[21], '"');
    assert_true(is_hex(t + 1, 20));

    char g[32];
    etag_of("body", 4, "-gz", g, sizeof g);
    assert_int_equal(strlen(g), 25);
    assert_memory_equal(g, t, 21); /* same hash */
    assert_string_equal(g + 21, "-gz\"");

    char e[32];
    etag_of("", 0, "", e, sizeof e);
    assert_int_equal(strlen(e), 22);
    assert_true(is_hex(e + 1, 20));
}

static void test_etag_stable_distinct(void **state)
{
    (void)state;
    char a[32], b[32], c[32], d[32];
    etag_of("page one", 8, NULL, a, sizeof a);
    etag_of("page one", 8, NULL, b, sizeof b);
    assert_string_equal(a, b);
    etag_of("page One", 8, NULL, c, sizeof c);
    assert_string_not_equal(a, c);
    etag_of("page one", 7, NULL, d, sizeof d); /* a prefix differs too */
    assert_string_not_equal(a, d);
    /* a known value, so tags survive restarts and rebuilds (the hash must
     * not depend on the process: no random seed) */
    assert_string_equal(a, "\"b549eb4ffafd1da4f58d\"");
    /* every single-bit change of a 64-byte page changes the tag */
    char page[64], base[32], flipped[32];
    memset(page, 'x', sizeof page);
    etag_of(page, sizeof page, NULL, base, sizeof base);
    for (size_t i = 0; i < sizeof page * 8; i++) {
        page[i / 8] ^= (char)(1 << (i % 8));
        etag_of(page, sizeof page, NULL, flipped, sizeof flipped);
        assert_string_not_equal(base, flipped);
        page[i / 8] ^= (char)(1 << (i % 8));
    }
}

static void test_etag_matches_single(void **state)
{
    (void)state;
    const char *tag = "\"0123456789abcdef0123\"";
    assert_true(etag_matches("\"0123456789abcdef0123\"", tag));
    assert_true(etag_matches("  \"0123456789abcdef0123\"  ", tag));
    assert_false(etag_matches("\"0123456789abcdef0124\"", tag));
    assert_false(etag_matches("\"0123456789abcdef012\"", tag)); /* shorter */
    assert_false(etag_matches("\"0123456789abcdef01234\"", tag));
    assert_false(etag_matches("0123456789abcdef0123", tag)); /* unquoted */
    assert_false(etag_matches("", tag));
    assert_false(etag_matches(NULL, tag));
}

static void test_etag_matches_list(void **state)
{
    (void)state;
    const char *tag = "\"bbbb\"";
    assert_true(etag_matches("\"aaaa\", \"bbbb\"", tag));
    assert_true(etag_matches("\"bbbb\",\"aaaa\"", tag));
    assert_true(etag_matches("\"aaaa\",\t\"cccc\" ,  \"bbbb\"", tag));
    assert_false(etag_matches("\"aaaa\", \"cccc\"", tag));
    assert_false(etag_matches(",,, ,", tag));
    assert_false(etag_matches("\"bbbb-gz\"", tag));
    assert_true(etag_matches("\"bbbb-gz\", \"bbbb\"", tag));
}

static void test_etag_matches_weak(void **state)
{
    (void)state;
    const char *tag = "\"bbbb\"";
    /* If-None-Match uses the weak comparison */
    assert_true(etag_matches("W/\"bbbb\"", tag));
    assert_true(etag_matches("\"aaaa\", W/\"bbbb\"", tag));
    assert_false(etag_matches("W/\"aaaa\"", tag));
    assert_false(etag_matches("w/\"bbbb\"", tag)); /* W is upper case */
}

static void test_etag_matches_star(void **state)
{
    (void)state;
    assert_true(etag_matches("*", "\"anything\""));
    assert_true(etag_matches(" *", "\"anything\""));
    assert_true(etag_matches("\"x\", *", "\"anything\""));
}

static void test_etag_round_trip(void **state)
{
    (void)state;
    char t[32];
    etag_of("<html>", 6, "-gz", t, sizeof t);
    char header[80];
    snprintf(header, sizeof header, "\"zzz\", W/%s", t);
    assert_true(etag_matches(t, t));
    assert_true(etag_matches(header, t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_text),
        cmocka_unit_test(test_round_trip_empty),
        cmocka_unit_test(test_round_trip_large),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_bad_level),
        cmocka_unit_test(test_etag_format),
        cmocka_unit_test(test_etag_stable_distinct),
        cmocka_unit_test(test_etag_matches_single),
        cmocka_unit_test(test_etag_matches_list),
        cmocka_unit_test(test_etag_matches_weak),
        cmocka_unit_test(test_etag_matches_star),
        cmocka_unit_test(test_etag_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
