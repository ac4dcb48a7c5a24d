/* Tests for json_canon: byte for byte jansson's compact, sorted, ASCII
 * dump, on every JSON document the project carries and on generated
 * values of every kind. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_canon.h"
#include "core/util.h"

#define FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

static long compared;

static void same_as_jansson(const json_t *v)
{
    char *want = json_dumps(v, FLAGS), *got = json_canon(v);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(want);
    free(got);
    compared++;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

/* Every document (or NDJSON line) of one file. */
static int each_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    bool nd = ends_with(path, ".ndjson");
    if (type != FTW_F || !(nd || ends_with(path, ".json")))
        return 0;
    size_t len = 0;
    char *text = file_read(path, 64u * 1024u * 1024u, &len);
    assert_non_null(text);
    for (char *line = text, *next; line && *line; line = next) {
        next = nd ? strchr(line, '\n') : NULL;
        size_t n = next ? (size_t)(next - line) : strlen(line);
        if (next)
            next++;
        json_t *v = json_loadb(line, n, 0, NULL);
        if (v)
            same_as_jansson(v);
        json_decref(v);
    }
    free(text);
    return 0;
}

static void same_on_the_project_documents(void **state)
{
    (void)state;
    compared = 0;
    assert_int_equal(nftw("data", each_file, 16, FTW_PHYS), 0);
    assert_int_equal(nftw("tests/fixtures", each_file, 16, FTW_PHYS), 0);
    assert_true(compared >= 100); /* 134 documents and lines when this was written */
}

static uint64_t seed = 0x9E3779B97F4A7C15u;

static uint64_t next(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

/* A code point of one of the kinds a writer treats apart, as UTF-8. */
static size_t put_point(char *o)
{
    static const uint32_t kinds[] = {'a', ' ', '"', '\\', '/', 0x7F, 0x01, '\n', '\t', 0x1F, 0xE9, 0x7FF, 0x800,
                                     0x2192, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
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

static json_t *text_value(size_t most)
{
    char s[200];
    size_t n = 0, k = next() % most;
    for (size_t i = 0; i < k; i++)
        n += put_point(s + n);
    return json_stringn(s, n);
}

static json_t *real_value(void)
{
    static const double some[] = {0.0, -0.0, 1.0, 100.0, 0.1, 40.7, -73.987654321, 1e300, 1e-7, 1.5e17, 5e-324,
                                  1.7976931348623157e308, 123456789012345678.0};
    if (next() % 2)
        return json_real(some[next() % (sizeof(some) / sizeof(some[0]))]);
    uint64_t bits = next();
    double d;
    memcpy(&d, &bits, sizeof(d));
    return json_real(d != d || d - d != 0 ? 2.5 : d); /* jansson holds no NaN or infinity */
}

static json_t *value(int depth)
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

static void same_on_generated_values(void **state)
{
    (void)state;
    compared = 0;
    for (int i = 0; i < 20000; i++) {
        json_t *v = value(0);
        same_as_jansson(v);
        json_decref(v);
    }
    assert_int_equal(compared, 20000);
}

/* What jansson would not write: nothing, and nothing half written. */
static void refuses_what_cannot_be_written(void **state)
{
    (void)state;
    assert_null(json_canon(NULL));
    json_t *deep = json_array(), *at = deep;
    for (int i = 0; i < 3000; i++) {
        json_t *inner = json_array();
        json_array_append_new(at, inner);
        at = inner;
    }
    buf out = BUF_INIT;
    buf_puts(&out, "kept");
    assert_false(json_canon_append(&out, deep));
    assert_string_equal(buf_cstr(&out), "kept");
    buf_free(&out);
    json_decref(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_on_the_project_documents),
        cmocka_unit_test(same_on_generated_values),
        cmocka_unit_test(refuses_what_cannot_be_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
