/* test_nested_doc: unit tests for src/db/nested_doc.c, the copies of
 * locations and organizations nested in a stored service document.
 *
 * A listing's location is found by the listing's id, byte for byte as the
 * document has it; an organization likewise; an id JSON would escape, a
 * listing without a location object, a document that is not compact JSON
 * or has none give nothing. The SQL functions give the same, NULL for
 * nothing, and wp_small stores a small document so that wp_doc reads it
 * back. */
#include "db/nested_doc.h"
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

static const char DOC[] =
    "{\"id\":\"s1\",\"name\":\"One\",\"organization\":{\"id\":\"o1\",\"name\":\"Org \\\"A\\\"\"},"
    "\"service_at_locations\":[{\"id\":\"sal-a\",\"location\":{\"id\":\"L1\",\"latitude\":40.5}},"
    "{\"id\":\"sal-b\",\"location_id\":\"L2\"},"
    "{\"id\":\"sal-c\",\"location\":{\"addresses\":[{\"city\":\"X\"}],\"id\":\"L3\"}}]}";

static void finds_what_the_document_carries(void **state)
{
    (void)state;
    const char *p = NULL;
    size_t n = 0;
    assert_true(nested_doc_location(DOC, strlen(DOC), "sal-a", &p, &n));
    assert_int_equal(n, strlen("{\"id\":\"L1\",\"latitude\":40.5}"));
    assert_memory_equal(p, "{\"id\":\"L1\",\"latitude\":40.5}", n);
    assert_true(nested_doc_location(DOC, strlen(DOC), "sal-c", &p, &n));
    assert_memory_equal(p, "{\"addresses\":[{\"city\":\"X\"}],\"id\":\"L3\"}", n);
    assert_true(nested_doc_organization(DOC, strlen(DOC), &p, &n));
    assert_memory_equal(p, "{\"id\":\"o1\",\"name\":\"Org \\\"A\\\"\"}", n);
}

static void nothing_where_there_is_nothing(void **state)
{
    (void)state;
    const char *p = NULL;
    size_t n = 0;
    assert_false(nested_doc_location(DOC, strlen(DOC), "sal-b", &p, &n)); /* by id only */
    assert_false(nested_doc_location(DOC, strlen(DOC), "sal-z", &p, &n));
    assert_false(nested_doc_location(DOC, strlen(DOC), "sal", &p, &n)); /* a prefix is not the id */
    assert_false(nested_doc_location(DOC, strlen(DOC), "", &p, &n));
    assert_false(nested_doc_location(DOC, strlen(DOC), "sal\"-a", &p, &n));
    assert_false(nested_doc_plain_id("caf\xc3\xa9"));
    assert_false(nested_doc_plain_id("a\\b"));
    assert_true(nested_doc_plain_id("8a247a13-b6e1-4cbf-8a05-f3f13071afa7"));
    const char spaced[] = "{ \"organization\": {\"id\":\"o1\"} }";
    assert_false(nested_doc_organization(spaced, strlen(spaced), &p, &n));
    const char none[] = "{\"id\":\"s\",\"organization\":null}";
    assert_false(nested_doc_organization(none, strlen(none), &p, &n));
    assert_false(nested_doc_location("[]", 2, "a", &p, &n));
    assert_false(nested_doc_organization("{\"organization\":{", 17, &p, &n)); /* cut short */
}

static const char *text_of(sqlite3 *db, const char *sql, char *out, size_t outlen)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, DOC, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, outlen, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(st);
    return out;
}

static void sql_functions(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    char out[256];
    assert_string_equal(text_of(db, "SELECT wp_nested_location(?1, 'sal-a')", out, sizeof(out)),
                        "{\"id\":\"L1\",\"latitude\":40.5}");
    assert_string_equal(text_of(db, "SELECT wp_nested_location(?1, 'sal-b')", out, sizeof(out)), "(null)");
    assert_string_equal(text_of(db, "SELECT wp_nested_location(NULL, 'sal-a')", out, sizeof(out)), "(null)");
    assert_string_equal(text_of(db, "SELECT wp_nested_organization(?1)", out, sizeof(out)),
                        "{\"id\":\"o1\",\"name\":\"Org \\\"A\\\"\"}");
    assert_string_equal(text_of(db, "SELECT wp_nested_organization('{}')", out, sizeof(out)), "(null)");
    /* wp_small: stored compressed, read back by wp_doc; NULL stays NULL */
    assert_int_equal(wp_sql_long(db, "SELECT typeof(wp_small(wp_nested_location('" "{\"service_at_locations\":"
                                     "[{\"id\":\"s\",\"location\":{\"id\":\"8a247a13-b6e1-4cbf-8a05-f3f13071afa7\"}}]}"
                                     "', 's'))) = 'blob'"),
                     1);
    assert_string_equal(text_of(db, "SELECT wp_doc(wp_small(wp_nested_location(?1, 'sal-c')))", out, sizeof(out)),
                        "{\"addresses\":[{\"city\":\"X\"}],\"id\":\"L3\"}");
    assert_int_equal(wp_sql_long(db, "SELECT wp_small(NULL) IS NULL"), 1);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_what_the_document_carries),
        cmocka_unit_test(nothing_where_there_is_nothing),
        cmocka_unit_test(sql_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
