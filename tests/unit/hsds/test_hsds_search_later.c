/* Tests for hsds_search_later: new services held for the search index and
 * indexed from their texts at the end of an import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "db/db.h"
#include "hsds/hsds_search_later.h"
#include "wp_test.h"

static long matches(sqlite3 *db, const char *query)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM dir_service_fts WHERE dir_service_fts MATCH '%s'", query);
    return wp_sql_long(db, sql);
}

/* Held rows are indexed in order with all three texts; a row taken back
 * is not; the list is empty after. */
static void held_rows_are_indexed_from_their_texts(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    hsds_search_later *s = hsds_search_later_new();
    assert_true(hsds_search_later_add(s, 10, "Harbor", "Quay", "wound care"));
    assert_true(hsds_search_later_add(s, 11, "Lantern", NULL, NULL));
    assert_true(hsds_search_later_add(s, 12, "Beacon", "", "night"));
    assert_false(hsds_search_later_add(s, 12, "Again", NULL, NULL)); /* not above the last */
    assert_false(hsds_search_later_add(s, 5, "Lower", NULL, NULL));
    assert_true(hsds_search_later_take(s, 11));
    assert_false(hsds_search_later_take(s, 11)); /* taken once */
    assert_false(hsds_search_later_take(s, 99));
    assert_true(hsds_search_later_index(s, db));
    assert_int_equal(matches(db, "name:harbor AND alternate_name:quay AND description:wound"), 1);
    assert_int_equal(matches(db, "description:night"), 1);
    assert_int_equal(matches(db, "lantern"), 0);
    assert_false(hsds_search_later_take(s, 10)); /* emptied */
    assert_true(hsds_search_later_index(s, db));
    assert_int_equal(matches(db, "harbor"), 1); /* not indexed twice */
    assert_true(hsds_search_later_add(s, 13, "Cove", NULL, NULL)); /* in order again after emptying */
    hsds_search_later_free(s);
    db_close(db);
}

/* No list: nothing held, nothing to index. */
static void no_list_holds_nothing(void **state)
{
    (void)state;
    assert_false(hsds_search_later_add(NULL, 1, "x", NULL, NULL));
    assert_false(hsds_search_later_take(NULL, 1));
    assert_true(hsds_search_later_index(NULL, NULL));
    hsds_search_later_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(held_rows_are_indexed_from_their_texts),
        cmocka_unit_test(no_list_holds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
