/* test_doc_zip: unit tests for src/db/doc_zip.c, the compressed form of
 * stored service documents.
 *
 * Round trips byte for byte (empty, a real service document, 1 MB of
 * varied text); a document that repeats taxonomy terms compresses to
 * under a third; no single flipped bit reads as another document (the
 * checksum; most are refused, the few zstd ignores read as the same one) and every cut of a stored
 * document is refused (the frame's checksum and length), as are an
 * unknown dictionary number and bytes that are not a frame; wp_doc() in
 * SQL gives TEXT back as it is, a BLOB decompressed (a second call on the
 * same bytes answered from the first), NULL as NULL and an error for a
 * damaged BLOB of the same length; a location's or organization's
 * document in the other stored form (brief_zip.h) is read by both;
 * compression in several threads at once agrees
 * with this thread's (each thread's contexts are freed when it ends: the
 * leak check); the shipped dictionary is the one documents were written
 * with (its SHA-256: a dictionary is never edited), and a document of
 * the first dictionary still reads. */
#include "db/doc_zip.h"
#include "db/brief_zip.h"
#include "db/db.h"
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
#include <zstd.h>

#include "wp_embedded.h"
#include "wp_test.h"

/* A service document as the importer stores it (from the seeded data). */
static const char DOC[] =
    "{\"attributes\":[{\"id\":\"15fdac20-787a-5f7e-b19a-5d51b86268ee\",\"link_type\":\"service_type\","
    "\"taxonomy_term\":{\"code\":\"naloxone\",\"description\":\"Naloxone (Narcan and others), the medicine "
    "that reverses an opioid overdose, and how to use it.\",\"id\":\"ace88573-f956-52ae-98fd-21e4b91ad5e7\","
    "\"name\":\"Naloxone\",\"taxonomy\":\"Waypost\",\"taxonomy_id\":\"1ffc8755-6460-51ac-9673-4e3eee8feaae\"}},"
    "{\"id\":\"a40cfc4c-531b-5a1b-a0e4-36e83cab4a12\",\"link_type\":\"cost\",\"taxonomy_term\":{\"code\":\"free\","
    "\"description\":\"No cost to the person using the service.\",\"id\":\"9994c0d7-2720-53f3-b0e5-ee053ccfdb8b\","
    "\"name\":\"Free\",\"taxonomy\":\"Waypost\",\"taxonomy_id\":\"1ffc8755-6460-51ac-9673-4e3eee8feaae\"}}],"
    "\"id\":\"31c34574-5e40-5e4e-aec0-7835d1d77bfa\",\"name\":\"Naloxone by mail\",\"organization\":{"
    "\"description\":\"A state health department.\",\"id\":\"11b7e6b3-16e5-5c58-b101-dc30ddd485fd\","
    "\"name\":\"Department of Public Health\"},\"organization_id\":\"11b7e6b3-16e5-5c58-b101-dc30ddd485fd\","
    "\"service_at_locations\":[{\"id\":\"10df7d6a-cf3d-5899-ab88-b44645d1aa30\",\"location\":{\"id\":"
    "\"97e251e5-c7e8-525e-9e9e-54b5c36127cc\",\"location_type\":\"virtual\",\"name\":\"By mail\"}}],"
    "\"status\":\"active\"}";

/* The stored form of text (malloc'd, length in *n); fails the test if
 * it cannot be made. */
static unsigned char *zipped(const char *text, size_t len, size_t *n)
{
    buf b;
    buf_init(&b, 0);
    assert_true(doc_zip(text, len, &b));
    return (unsigned char *)buf_detach(&b, n);
}

static void round_trip(const char *text, size_t len)
{
    size_t n, back_len = 99;
    unsigned char *z = zipped(text, len, &n);
    char *back = doc_unzip(z, n, &back_len);
    assert_non_null(back);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, text, len);
    assert_int_equal(back[len], '\0');
    free(back);
    free(z);
}

static void documents_come_back_byte_for_byte(void **state)
{
    (void)state;
    round_trip("", 0);
    round_trip(DOC, strlen(DOC));
    size_t big = 1u << 20;
    char *text = malloc(big);
    uint32_t x = 12345;
    for (size_t i = 0; i < big; i++) {
        x = x * 1103515245u + 12345u;
        text[i] = (char)(32 + (x >> 16) % 95);
    }
    round_trip(text, big);
    free(text);
}

static void a_document_of_terms_shrinks_to_under_a_third(void **state)
{
    (void)state;
    size_t n;
    unsigned char *z = zipped(DOC, strlen(DOC), &n);
    assert_int_equal(z[0], 2); /* the dictionary trained on the seeded documents */
    assert_true(n * 3 < strlen(DOC));
    free(z);
}

static void every_damaged_byte_and_every_cut_is_refused(void **state)
{
    (void)state;
    size_t n, len, accepted = 0;
    unsigned char *z = zipped(DOC, strlen(DOC), &n);
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit++) {
            z[i] ^= (unsigned char)(1u << bit);
            char *back = doc_unzip(z, n, &len);
            bool wrong = back && (len != strlen(DOC) || memcmp(back, DOC, len) != 0);
            accepted += back != NULL;
            free(back);
            if (wrong)
                fail_msg("byte %zu bit %d flipped was read as another document", i, bit);
            z[i] ^= (unsigned char)(1u << bit);
        }
    }
    /* a few bits zstd does not use for this document (the frame header's
     * unused bit, table entries of absent symbols) may flip and still read,
     * as the same document; the rest are refused */
    assert_true(accepted * 20 < n * 8);
    for (size_t cut = 0; cut < n; cut++)
        assert_null(doc_unzip(z, cut, &len));
    char *whole = doc_unzip(z, n, &len);
    assert_non_null(whole);
    free(whole);
    free(z);
}

static void unknown_dictionaries_and_other_bytes_are_refused(void **state)
{
    (void)state;
    size_t n, len;
    unsigned char *z = zipped(DOC, strlen(DOC), &n);
    z[0] = (unsigned char)(zdicts_count + 1);
    assert_null(doc_unzip(z, n, &len));
    z[0] = 0;
    assert_null(doc_unzip(z, n, &len));
    free(z);
    assert_null(doc_unzip("{\"id\":\"x\"}", 10, &len));
    assert_null(doc_unzip("\x01", 1, &len));
}

/* The one value sql gives, as text (NULL for NULL; "error" when it fails). */
static char *sql_text(sqlite3 *db, const char *sql, const void *blob, size_t n)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (blob)
        sqlite3_bind_blob64(st, 1, blob, n, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    char *out = NULL;
    if (rc != SQLITE_ROW)
        out = strdup("error");
    else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static void wp_doc_reads_text_blobs_and_null_and_refuses_damage(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    size_t n;
    unsigned char *z = zipped(DOC, strlen(DOC), &n);
    char *t = sql_text(db, "SELECT json_extract(wp_doc(?1), '$.name')", z, n);
    assert_string_equal(t, "Naloxone by mail");
    free(t);
    t = sql_text(db, "SELECT wp_doc('{\"plain\":1}')", NULL, 0);
    assert_string_equal(t, "{\"plain\":1}");
    free(t);
    assert_null(sql_text(db, "SELECT wp_doc(NULL)", NULL, 0));
    /* the second call on the same bytes is answered from the first */
    t = sql_text(db, "SELECT wp_doc(?1) = wp_doc(?1) AND json_extract(wp_doc(?1), '$.id') = "
                     "'31c34574-5e40-5e4e-aec0-7835d1d77bfa'", z, n);
    assert_string_equal(t, "1");
    free(t);
    t = sql_text(db, "SELECT json_extract(wp_doc(?1), '$.status') || wp_doc('{}')", z, n);
    assert_string_equal(t, "active{}");
    free(t);
    /* damaged bytes of the same length as the last document are read, not
     * taken for it */
    z[n / 2] ^= 1;
    t = sql_text(db, "SELECT wp_doc(?1)", z, n);
    assert_string_equal(t, "error");
    free(t);
    free(z);
    db_close(db);
}

/* A location's or organization's document is stored in the other form
 * (brief_zip.h, byte 0 at or above 0x80): doc_unzip and wp_doc read it. */
static void small_documents_are_read_too(void **state)
{
    (void)state;
    static const char LOC[] = "{\"id\":\"de95c5ce-7d87-4bc5-9ed3-96b22cffd93f\",\"latitude\":44.306227,"
                              "\"location_type\":\"physical\",\"longitude\":-72.477947}";
    buf z = BUF_INIT;
    assert_true(brief_zip(LOC, strlen(LOC), &z));
    assert_true((unsigned char)z.data[0] >= 0x80);
    size_t len = 0;
    char *back = doc_unzip(z.data, z.len, &len);
    assert_non_null(back);
    assert_int_equal(len, strlen(LOC));
    assert_string_equal(back, LOC);
    free(back);
    sqlite3 *db = wp_memory_db();
    char *t = sql_text(db, "SELECT json_extract(wp_doc(?1), '$.longitude')", z.data, z.len);
    assert_string_equal(t, "-72.477947");
    free(t);
    z.data[z.len - 1] ^= 0x55;
    t = sql_text(db, "SELECT wp_doc(?1)", z.data, z.len - 2);
    assert_string_equal(t, "error");
    free(t);
    db_close(db);
    buf_free(&z);
}

struct worker {
    const char *text;
    unsigned char *out;
    size_t n;
    bool same;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 50; i++) {
        buf b;
        buf_init(&b, 0);
        bool ok = doc_zip(w->text, strlen(w->text), &b);
        size_t len = 0;
        char *back = ok ? doc_unzip(b.data, b.len, &len) : NULL;
        w->same = back && len == strlen(w->text) && !memcmp(back, w->text, len) && b.len == w->n &&
                  !memcmp(b.data, w->out, b.len);
        free(back);
        buf_free(&b);
        if (!w->same)
            break;
    }
    return NULL;
}

static void threads_compress_alike_and_free_their_contexts(void **state)
{
    (void)state;
    size_t n;
    unsigned char *z = zipped(DOC, strlen(DOC), &n);
    struct worker w[4];
    for (int i = 0; i < 4; i++)
        w[i] = (struct worker){DOC, z, n, false};
    run_in_threads(work, w, sizeof(w[0]), 4);
    for (int i = 0; i < 4; i++)
        assert_true(w[i].same);
    free(z);
}

/* A document stored before dictionary 2 (byte 0 = 1, a frame against
 * 0001_services.txt with its checksum) reads as it did. */
static void documents_of_the_first_dictionary_still_read(void **state)
{
    (void)state;
    size_t room = 1 + ZSTD_compressBound(strlen(DOC)), len = 0;
    unsigned char *z = malloc(room);
    assert_non_null(z);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    assert_non_null(c);
    assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)));
    assert_false(ZSTD_isError(ZSTD_CCtx_loadDictionary(c, zdicts[0].data, (size_t)zdicts[0].len)));
    size_t n = ZSTD_compress2(c, z + 1, room - 1, DOC, strlen(DOC));
    assert_false(ZSTD_isError(n));
    ZSTD_freeCCtx(c);
    z[0] = 1;
    char *back = doc_unzip(z, n + 1, &len);
    assert_non_null(back);
    assert_int_equal(len, strlen(DOC));
    assert_memory_equal(back, DOC, len);
    free(back);
    /* the same frame named as dictionary 2 is refused (its checksum) */
    z[0] = 2;
    assert_null(doc_unzip(z, n + 1, &len));
    free(z);
}

static void the_shipped_dictionaries_are_never_edited(void **state)
{
    (void)state;
    assert_true(zdicts_count >= 1);
    assert_embedded_sha256(&zdicts[0], "0001_services.txt", "eaf2f04f40c90308c28ee6107158895a7cfe999131c1ca4b8fb7d11507d8133d");
    assert_true(zdicts_count >= 2);
    assert_embedded_sha256(&zdicts[1], "0002_services.zstd", "4051b8cc56ee1cdc02eda109a6957b030c062f0ac97771a424ec2089ce20f296");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documents_come_back_byte_for_byte),
        cmocka_unit_test(a_document_of_terms_shrinks_to_under_a_third),
        cmocka_unit_test(every_damaged_byte_and_every_cut_is_refused),
        cmocka_unit_test(unknown_dictionaries_and_other_bytes_are_refused),
        cmocka_unit_test(wp_doc_reads_text_blobs_and_null_and_refuses_damage),
        cmocka_unit_test(small_documents_are_read_too),
        cmocka_unit_test(threads_compress_alike_and_free_their_contexts),
        cmocka_unit_test(documents_of_the_first_dictionary_still_read),
        cmocka_unit_test(the_shipped_dictionaries_are_never_edited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
