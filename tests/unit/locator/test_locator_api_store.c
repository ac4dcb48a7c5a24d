/* test_locator_api_store: the API's reads by id (src/locator/
 * locator_api_store.c) tell "there is no such id" (404) from "the database
 * could not be read" (500): each returns NULL or 0 for both, and sets
 * *failed only for the second. The same for a term's code (the
 * taxonomy_term_id filter) and whether a taxonomy is known (-1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "hsds/hsds_import.h"
#include "locator/locator_api_store.h"
#include "wp_test.h"

static void missing_is_not_failure_and_errors_are(void **state)
{
    (void)state;
    char path[64], err[512];
    sqlite3 *db = wp_temp_db(path);
    unlink(path);
    hsds_import_counts c;
    assert_true(hsds_import_path(db, "data/directory/examples-harm-reduction.ndjson", &c, err, sizeof(err)));
    arena a;
    arena_init(&a);
    bool failed = true;
    assert_null(api_store_service(db, &a, "no-such-id", &failed));
    assert_false(failed);
    assert_int_equal(api_store_sal_rowid(db, "no-such-id", &failed), 0);
    assert_false(failed);
    assert_null(api_store_organization(db, &a, "no-such-id", &failed));
    assert_false(failed);
    const char *code = NULL, *tax = NULL;
    assert_false(api_store_term(db, &a, "no-such-id", &code, &tax, &failed));
    assert_false(failed);
    assert_int_equal(api_store_taxonomy_known(db, "no-such-id"), 0);
    /* a database that cannot answer: the tables are gone (renamed the
     * old way, which leaves the views over them naming them) */
    assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON; "
                                      "ALTER TABLE dir_service RENAME TO gone; "
                                      "ALTER TABLE dir_service_at_location RENAME TO gone2; "
                                      "ALTER TABLE dir_organization RENAME TO gone3; "
                                      "ALTER TABLE dir_taxonomy RENAME TO gone4; "
                                      "ALTER TABLE dir_taxonomy_term RENAME TO gone5",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_null(api_store_service(db, &a, "no-such-id", &failed));
    assert_true(failed);
    assert_int_equal(api_store_sal_rowid(db, "no-such-id", &failed), 0);
    assert_true(failed);
    assert_null(api_store_organization(db, &a, "x", &failed));
    assert_true(failed);
    assert_null(api_store_taxonomy(db, &a, "x", &failed));
    assert_true(failed);
    assert_null(api_store_term_raw(db, &a, "x", &failed));
    assert_true(failed);
    assert_false(api_store_term(db, &a, "x", &code, &tax, &failed));
    assert_true(failed);
    assert_int_equal(api_store_taxonomy_known(db, "x"), -1);
    arena_free(&a);
    db_close(db);
}

/* Counts the rows an _each function gives. */
static bool count_raw(void *ctx, const char *raw)
{
    (void)raw;
    (*(int *)ctx)++;
    return true;
}

/* The _rows cursors (a streamed answer) give the same rows as the _each
 * functions, one a call, then 0; and stay at 0. */
static void cursors_give_every_row_once(void **state)
{
    (void)state;
    char path[64], err[512];
    sqlite3 *db = wp_temp_db(path);
    unlink(path);
    hsds_import_counts c;
    assert_true(hsds_import_path(db, "data/directory/examples-harm-reduction.ndjson", &c, err, sizeof(err)));
    api_store_filter f = {"", "", "", "", "[]", ""};
    int each = 0, rows = 0;
    assert_true(api_store_services_each(db, &f, false, 0, -1, count_raw, &each));
    assert_true(each > 3);
    api_store_rows r;
    assert_true(api_store_services_rows(db, &f, false, &r));
    const char *raw = NULL;
    while (api_store_rows_next(&r, &raw, NULL) == 1) {
        assert_true(raw[0] == '{');
        rows++;
    }
    assert_int_equal(rows, each);
    assert_int_equal(api_store_rows_next(&r, &raw, NULL), 0);
    api_store_rows_close(&r); /* twice is harmless */
    /* service_at_locations: rowids, as many as the rowid filter gives */
    uint32_t rowid = 0;
    int sals = 0;
    assert_true(api_store_sal_rows(db, &f, &r));
    while (api_store_rows_next(&r, NULL, &rowid) == 1) {
        assert_true(rowid > 0);
        sals++;
    }
    assert_true(sals >= each);
    /* a cursor closed midway leaves the statement ready for the next */
    assert_true(api_store_organizations_rows(db, "", &r));
    assert_int_equal(api_store_rows_next(&r, &raw, NULL), 1);
    api_store_rows_close(&r);
    assert_int_equal(api_store_rows_next(&r, &raw, NULL), 0);
    each = 0;
    assert_true(api_store_organizations_each(db, "", 0, -1, count_raw, &each));
    assert_true(each >= 1);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_is_not_failure_and_errors_are),
        cmocka_unit_test(cursors_give_every_row_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
