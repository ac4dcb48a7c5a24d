/* test_brief_zip: unit tests for src/db/brief_zip.c, the stored form of
 * the listing cache's briefs.
 *
 * Round trips byte for byte (a seeded brief, one of many UUIDs, UUIDs in
 * upper case or cut short or unquoted, which stay text, 200 KB of varied
 * text) appended after what out already holds; a seeded brief is stored
 * in under 40% of its bytes; what is not stored compressed (empty, too
 * long, holding byte 0x01) is refused with out as it was; every cut of a
 * stored brief, an unknown dictionary number and bytes that are not a
 * brief are refused, and no flipped bit crashes or writes past the text's
 * length (there is no checksum: a flip in a literal can read as another
 * text of the same length); threads compress alike; the shipped
 * dictionary is the one briefs were written with (its SHA-256). */
#include "db/brief_zip.h"
#include "db/embedded.h"

#include <pthread.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_embedded.h"

/* A brief as the seeded database stores it. */
static const char BRIEF[] =
    "{\"id\":\"6bbd4a91-2fc4-5fc7-8a02-6faceba4189a\",\"service_id\":\"b39f9665-644e-54d5-b025-4a7075ccd580\","
    "\"location_id\":\"6b648e64-8dc9-5390-8d26-1cbdd4b41611\",\"location\":{\"addresses\":[{\"address_1\":"
    "\"7 Waterloo Road\",\"address_type\":\"physical\",\"city\":\"Stanhope\",\"country\":\"US\",\"id\":"
    "\"cd9ddfa8-cdf0-502d-8748-ce53a8b0fb82\",\"postal_code\":\"07874\",\"state_province\":\"NJ\"}],\"id\":"
    "\"6b648e64-8dc9-5390-8d26-1cbdd4b41611\",\"latitude\":40.924430100000002,\"location_type\":\"physical\","
    "\"longitude\":-74.719898400000005},\"service\":{\"description\":\"Listed by SAMHSA's treatment locator, "
    "September 2020, as offering buprenorphine and naltrexone. Call ahead to confirm.\",\"id\":"
    "\"b39f9665-644e-54d5-b025-4a7075ccd580\",\"name\":\"Capitol Care Inc\",\"organization\":{\"description\":"
    "\"Named as a provider in SAMHSA's treatment locator, September 2020.\",\"id\":"
    "\"b7be5642-d0b9-51ff-9be3-673cf428bccd\",\"name\":\"Capitol Care Inc\"},\"organization_id\":"
    "\"b7be5642-d0b9-51ff-9be3-673cf428bccd\",\"status\":\"active\"}}";

/* The stored form of text (malloc'd, length in *n); fails the test if
 * it cannot be made. */
static unsigned char *zipped(const char *text, size_t len, size_t *n)
{
    buf b = BUF_INIT;
    assert_true(brief_zip(text, len, &b));
    return (unsigned char *)buf_detach(&b, n);
}

/* Stores and reads back text, the text appended after a prefix. */
static void round_trip(const char *text, size_t len)
{
    size_t n;
    unsigned char *z = zipped(text, len, &n);
    buf out = BUF_INIT;
    buf_puts(&out, "before:");
    assert_true(brief_unzip_into(z, n, &out));
    assert_int_equal(out.len, 7 + len);
    assert_memory_equal(out.data, "before:", 7);
    assert_memory_equal(out.data + 7, text, len);
    assert_int_equal(out.data[out.len], '\0');
    buf_free(&out);
    free(z);
}

static void briefs_come_back_byte_for_byte(void **state)
{
    (void)state;
    round_trip(BRIEF, strlen(BRIEF));
    round_trip("{}", 2);
    static const char odd[] =
        "[\"6BBD4A91-2FC4-5FC7-8A02-6FACEBA4189A\",\"6bbd4a91-2fc4-5fc7-8a02-6faceba4189\","
        "\"6bbd4a91-2fc4-5fc7-8a02_6faceba4189a\",6bbd4a91-2fc4-5fc7-8a02-6faceba4189a,"
        "\"6bbd4a91-2fc4-5fc7-8a02-6faceba4189a0\",\"\",\"\\\"b7be5642-d0b9-51ff-9be3-673cf428bccd\\\"\","
        "\"b7be5642-d0b9-51ff-9be3-673cf428bccd\"]";
    round_trip(odd, strlen(odd));
    /* a text that ends inside a quoted UUID */
    round_trip("\"b7be5642-d0b9-51ff-9be3-673cf428bccd", 37);
    char many[40 * 64 + 1];
    size_t m = 0;
    for (int i = 0; i < 64; i++) {
        int w = snprintf(many + m, sizeof(many) - m, "\"%08x-0000-4000-8000-%012x\",", (unsigned)i * 2654435761u,
                         (unsigned)i);
        m += (size_t)w;
    }
    round_trip(many, m);
    size_t big = 200000;
    char *text = malloc(big);
    uint32_t x = 12345;
    for (size_t i = 0; i < big; i++) {
        x = x * 1103515245u + 12345u;
        text[i] = (char)(32 + (x >> 16) % 95);
    }
    round_trip(text, big);
    free(text);
}

static void a_seeded_brief_is_stored_in_under_two_fifths(void **state)
{
    (void)state;
    size_t n;
    unsigned char *z = zipped(BRIEF, strlen(BRIEF), &n);
    assert_int_equal(z[0], 0x81); /* this form (0x80), the first dictionary */
    assert_true(n * 5 < strlen(BRIEF) * 2);
    free(z);
}

static void what_is_not_compressed_is_refused_and_out_kept(void **state)
{
    (void)state;
    buf out = BUF_INIT;
    buf_puts(&out, "kept");
    assert_false(brief_zip("", 0, &out));
    assert_false(brief_zip("{\"a\":\"\x01\"}", 9, &out));
    size_t big = BRIEF_ZIP_MAX + 1;
    char *text = malloc(big);
    memset(text, 'a', big);
    assert_false(brief_zip(text, big, &out));
    free(text);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "kept");
    buf_free(&out);
}

static void cuts_and_other_bytes_are_refused(void **state)
{
    (void)state;
    size_t n;
    unsigned char *z = zipped(BRIEF, strlen(BRIEF), &n);
    buf out = BUF_INIT;
    buf_puts(&out, "kept");
    for (size_t cut = 0; cut < n; cut++) {
        assert_false(brief_unzip_into(z, cut, &out));
        assert_int_equal(out.len, 4);
        assert_string_equal(out.data, "kept");
    }
    z[0] = (unsigned char)(bdicts_count + 1);
    assert_false(brief_unzip_into(z, n, &out));
    z[0] = 0;
    assert_false(brief_unzip_into(z, n, &out));
    assert_false(brief_unzip_into("{\"id\":\"x\"}", 10, &out));
    assert_false(brief_unzip_into("\x01\x80\x80\x80\x01", 5, &out));
    assert_string_equal(out.data, "kept");
    buf_free(&out);
    free(z);
}

static void flipped_bits_never_pass_the_text(void **state)
{
    (void)state;
    size_t n, len = strlen(BRIEF), refused = 0;
    unsigned char *z = zipped(BRIEF, len, &n);
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit++) {
            z[i] ^= (unsigned char)(1u << bit);
            buf out = BUF_INIT;
            buf_puts(&out, "kept");
            if (brief_unzip_into(z, n, &out)) {
                assert_int_equal(out.len, 4 + len);
            } else {
                assert_int_equal(out.len, 4);
                assert_string_equal(out.data, "kept");
                refused++;
            }
            buf_free(&out);
            z[i] ^= (unsigned char)(1u << bit);
        }
    }
    assert_true(refused > 0);
    free(z);
}

struct worker {
    unsigned char *want;
    size_t n;
    bool same;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    w->same = true;
    for (int i = 0; i < 200 && w->same; i++) {
        buf b = BUF_INIT;
        w->same = brief_zip(BRIEF, strlen(BRIEF), &b) && b.len == w->n && !memcmp(b.data, w->want, b.len);
        buf_free(&b);
    }
    return NULL;
}

static void threads_compress_alike(void **state)
{
    (void)state;
    size_t n;
    unsigned char *z = zipped(BRIEF, strlen(BRIEF), &n);
    struct worker w[4];
    for (int i = 0; i < 4; i++)
        w[i] = (struct worker){z, n, false};
    run_in_threads(work, w, sizeof(w[0]), 4);
    for (int i = 0; i < 4; i++)
        assert_true(w[i].same);
    free(z);
}

static void the_first_dictionary_is_never_edited(void **state)
{
    (void)state;
    assert_true(bdicts_count >= 1);
    assert_embedded_sha256(&bdicts[0], "0001_briefs.bin", "e14ab04229af010085926b9d299c5cba040a99db460739cfa3fb56d214252c7c");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(briefs_come_back_byte_for_byte),
        cmocka_unit_test(a_seeded_brief_is_stored_in_under_two_fifths),
        cmocka_unit_test(what_is_not_compressed_is_refused_and_out_kept),
        cmocka_unit_test(cuts_and_other_bytes_are_refused),
        cmocka_unit_test(flipped_bits_never_pass_the_text),
        cmocka_unit_test(threads_compress_alike),
        cmocka_unit_test(the_first_dictionary_is_never_edited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
