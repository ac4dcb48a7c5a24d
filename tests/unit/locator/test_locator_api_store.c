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
    /* a database that cannot answer: the tables are gone */
    assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = OFF; ALTER TABLE dir_service RENAME TO gone; "
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_is_not_failure_and_errors_are),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
