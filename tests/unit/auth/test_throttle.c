/* test_throttle: the sign-in limits' delays (none below the limit, 60 s
 * after the last failure at it, doubling, at most the window), counting by
 * address in memory, and the account count read from the database; and
 * the role names and the email check the account commands use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "auth/accounts.h"
#include "auth/roles.h"
#include "auth/throttle.h"
#include "auth/user_store.h"
#include "wp_test.h"

static void delays_grow_and_stop_at_the_window(void **state)
{
    (void)state;
    assert_int_equal(throttle_delay(4, 5, 1000, 1000), 0);
    assert_int_equal(throttle_delay(5, 5, 1000, 1000), 60);
    assert_int_equal(throttle_delay(5, 5, 1000, 1030), 30);
    assert_int_equal(throttle_delay(5, 5, 1000, 1060), 0);
    assert_int_equal(throttle_delay(6, 5, 1000, 1000), 120);
    assert_int_equal(throttle_delay(7, 5, 1000, 1000), 240);
    assert_int_equal(throttle_delay(8, 5, 1000, 1000), 480);
    assert_int_equal(throttle_delay(9, 5, 1000, 1000), THROTTLE_WINDOW);
    assert_int_equal(throttle_delay(500, 5, 1000, 1000), THROTTLE_WINDOW);
}

static sqlite3 *fresh_db(void)
{
    char err[256];
    sqlite3 *db = db_open_migrated(":memory:", false, err, sizeof(err));
    assert_non_null(db);
    return db;
}

static void addresses_are_counted_in_memory(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db();
    throttle_reset();
    for (int i = 0; i < THROTTLE_ADDRESS - 1; i++)
        throttle_address_failed("192.0.2.7", 5000);
    assert_int_equal(throttle_wait(db, "192.0.2.7", "a@example.org", 5000), 0);
    throttle_address_failed("192.0.2.7", 5000);
    assert_int_equal(throttle_wait(db, "192.0.2.7", "a@example.org", 5000), 60);
    /* another address is not held back */
    assert_int_equal(throttle_wait(db, "192.0.2.8", "a@example.org", 5000), 0);
    /* a window later the count starts again */
    assert_int_equal(throttle_wait(db, "192.0.2.7", "a@example.org", 5000 + THROTTLE_WINDOW + 1), 0);
    db_close(db);
}

static void accounts_are_counted_in_the_database(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db();
    throttle_reset();
    for (int i = 0; i < THROTTLE_ACCOUNT; i++)
        assert_true(user_store_note_failure(db, "B@example.org", 7000 + i));
    /* by the email typed, whatever its case */
    assert_int_equal(throttle_wait(db, "192.0.2.9", "b@example.org", 7004), 60);
    assert_int_equal(throttle_wait(db, "192.0.2.9", "c@example.org", 7004), 0);
    /* failures older than the window do not count */
    assert_int_equal(throttle_wait(db, "192.0.2.9", "b@example.org", 7000 + THROTTLE_WINDOW + 1), 0);
    db_close(db);
}

static void roles_and_emails(void **state)
{
    (void)state;
    assert_int_equal(role_parse("admin"), ROLE_ADMIN);
    assert_int_equal(role_parse("editor"), ROLE_EDITOR);
    assert_int_equal(role_parse("moderator"), ROLE_MODERATOR);
    assert_int_equal(role_parse("Admin"), ROLE_NONE);
    assert_int_equal(role_parse(NULL), ROLE_NONE);
    assert_null(role_name(GUARD_OPEN));
    assert_string_equal(role_name(ROLE_EDITOR), "editor");
    assert_true(ROLE_MODERATOR < ROLE_EDITOR && ROLE_EDITOR < ROLE_ADMIN);
    assert_true(account_email_ok("ann@example.org"));
    assert_false(account_email_ok("ann@example"));
    assert_false(account_email_ok("ann example@example.org"));
    assert_false(account_email_ok("@example.org"));
    assert_false(account_email_ok("a@b@example.org"));
    assert_false(account_email_ok("<a>@example.org"));
    assert_false(account_email_ok(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delays_grow_and_stop_at_the_window),
        cmocka_unit_test(addresses_are_counted_in_memory),
        cmocka_unit_test(accounts_are_counted_in_the_database),
        cmocka_unit_test(roles_and_emails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
