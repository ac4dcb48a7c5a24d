/* test_id_key: unit tests for src/db/id_key.c, the directory's ids as
 * stored: a lowercase UUID as its 16 bytes, any other id as its text.
 *
 * The C helpers round trip every UUID they accept and refuse what is not
 * a lowercase 8-4-4-4-12 UUID; the SQL functions wp_id and wp_id_text
 * round trip, leave other values as they are, and keep a unique index
 * whole (an id in upper case is another id); the bytes sort as the text
 * did; a directory written as text before migration 0027 reads the same
 * ids after it, the listing cache untouched. */
#include "db/id_key.h"
#include "db/db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static const char UUID[] = "8a247a13-b6e1-4cbf-8a05-f3f13071afa7";

static void test_round_trip(void **state)
{
    (void)state;
    unsigned char key[ID_KEY_BYTES];
    char back[ID_KEY_TEXT + 1] = {0};
    assert_true(id_key_is_uuid(UUID, strlen(UUID)));
    id_key_pack(UUID, key);
    assert_int_equal(key[0], 0x8a);
    assert_int_equal(key[15], 0xa7);
    id_key_text(key, back);
    assert_string_equal(back, UUID);
    /* every byte value in every place */
    for (int v = 0; v < 256; v++) {
        unsigned char in[ID_KEY_BYTES], again[ID_KEY_BYTES];
        for (int k = 0; k < ID_KEY_BYTES; k++)
            in[k] = (unsigned char)(v + k * 17);
        id_key_text(in, back);
        assert_true(id_key_is_uuid(back, ID_KEY_TEXT));
        id_key_pack(back, again);
        assert_memory_equal(in, again, ID_KEY_BYTES);
    }
}

static void test_not_uuids(void **state)
{
    (void)state;
    static const char *const others[] = {
        "8A247A13-B6E1-4CBF-8A05-F3F13071AFA7", /* upper case: another id */
        "8a247a13-b6e1-4cbf-8a05-f3f13071afa",  /* short */
        "8a247a13-b6e1-4cbf-8a05-f3f13071afa7x", "8a247a13b6e14cbf8a05f3f13071afa7",
        "{8a247a13-b6e1-4cbf-8a05-f3f13071afa}", "8a247a13-b6e1-4cbf-8a05_f3f13071afa7",
        "8a247a13-b6e1-4cbf-8a05-f3f13071afg7", "", "org-1"};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        assert_false(id_key_is_uuid(others[i], strlen(others[i])));
}

static sqlite3 *open_memory(void)
{
    char err[256];
    sqlite3 *db = db_open(":memory:", err, sizeof(err));
    assert_non_null(db);
    return db;
}

static void test_sql_functions(void **state)
{
    (void)state;
    sqlite3 *db = open_memory();
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT typeof(wp_id('%s')) = 'blob' AND length(wp_id('%s')) = 16", UUID, UUID);
    assert_int_equal(wp_sql_long(db, sql), 1);
    snprintf(sql, sizeof(sql), "SELECT wp_id_text(wp_id('%s')) = '%s'", UUID, UUID);
    assert_int_equal(wp_sql_long(db, sql), 1);
    /* other values as they are */
    assert_int_equal(wp_sql_long(db, "SELECT wp_id('org-1') = 'org-1' AND wp_id_text('org-1') = 'org-1' AND "
                                     "wp_id(NULL) IS NULL AND wp_id_text(NULL) IS NULL AND wp_id(7) = 7 AND "
                                     "wp_id_text(x'0102') = x'0102' AND typeof(wp_id_text(x'0102')) = 'blob'"),
                     1);
    assert_int_equal(wp_sql_long(db, "SELECT typeof(wp_id(upper('8a247a13-b6e1-4cbf-8a05-f3f13071afa7')))"
                                     " = 'text'"),
                     1);
    db_close(db);
}

static void test_unique_index_and_order(void **state)
{
    (void)state;
    sqlite3 *db = open_memory();
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE t(id TEXT NOT NULL UNIQUE);"
                                  "INSERT INTO t VALUES (wp_id('8a247a13-b6e1-4cbf-8a05-f3f13071afa7')),"
                                  " (wp_id('8A247A13-B6E1-4CBF-8A05-F3F13071AFA7')), (wp_id('org-1')),"
                                  " (wp_id('00000000-0000-4000-8000-000000000000')),"
                                  " (wp_id('ffffffff-ffff-4fff-bfff-ffffffffffff')),"
                                  " (wp_id('8a247a13-b6e1-4cbf-8a05-f3f13071afa8'))",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* the same id again is refused; its upper-case text is another id */
    assert_int_not_equal(
        sqlite3_exec(db, "INSERT INTO t VALUES (wp_id('8a247a13-b6e1-4cbf-8a05-f3f13071afa7'))", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM t WHERE id = wp_id('8A247A13-B6E1-4CBF-8A05-F3F13071AFA7')"),
                     1);
    /* the UUIDs sort as their text did, after the ids that stay text */
    assert_int_equal(wp_sql_long(db, "SELECT group_concat(x, ' ') = '8A247A13-B6E1-4CBF-8A05-F3F13071AFA7 org-1 "
                                     "00000000-0000-4000-8000-000000000000 8a247a13-b6e1-4cbf-8a05-f3f13071afa7 "
                                     "8a247a13-b6e1-4cbf-8a05-f3f13071afa8 ffffffff-ffff-4fff-bfff-ffffffffffff' "
                                     "FROM (SELECT wp_id_text(id) AS x FROM t ORDER BY id)"),
                     1);
    /* a lookup by id uses the unique index */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT 1 FROM t WHERE id = wp_id(?1)", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(st, 3), "INDEX sqlite_autoindex_t_1 (id=?)"));
    sqlite3_finalize(st);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_not_uuids),
        cmocka_unit_test(test_sql_functions),
        cmocka_unit_test(test_unique_index_and_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
