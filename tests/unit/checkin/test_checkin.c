/* test_checkin: unit tests for src/checkin/: the next-step logic the
 * scheduler fires by (warning before the end, then the alert, then the
 * escalation unless someone acknowledged; nothing for an ended timer), the
 * checks of phone numbers, email addresses and requests, the API's JSON
 * reader, and a whole timer on an in-memory database: a check-in after
 * the state was read makes the conditional UPDATE of a firing write
 * nothing (the database decides the race). */
#include "checkin/checkin_int.h"
#include "db/db.h"
#include "notify/secret.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "wp_test.h"

static ck_row row(const char *state, int64_t due, int64_t warn, int64_t esc, int64_t acked)
{
    ck_row r = {0};
    snprintf(r.state, sizeof(r.state), "%s", state);
    r.due_at = due;
    r.warn_at = warn;
    r.escalate_at = esc;
    r.acked_at = acked;
    return r;
}

static void next_step(void **state)
{
    (void)state;
    int64_t at;
    ck_row r = row("running", 10000, 9000, 0, 0);
    assert_int_equal(ck_next_step(&r, &at), STEP_WARN);
    assert_int_equal(at, 9000);
    r.warn_at = 0; /* the warning went */
    assert_int_equal(ck_next_step(&r, &at), STEP_ALERT);
    assert_int_equal(at, 10000);
    r = row("running", 10000, 10000, 0, 0); /* a warning not before the end is no warning */
    assert_int_equal(ck_next_step(&r, &at), STEP_ALERT);
    r = row("alerted", 10000, 0, 190000, 0);
    assert_int_equal(ck_next_step(&r, &at), STEP_ESCALATE);
    assert_int_equal(at, 190000);
    r.acked_at = 12000; /* someone is on the way */
    assert_int_equal(ck_next_step(&r, &at), STEP_NONE);
    r = row("alerted", 10000, 0, 0, 0); /* no responder asked for */
    assert_int_equal(ck_next_step(&r, &at), STEP_NONE);
    const char *ended[] = {"ok", "cancelled", "escalated"};
    for (int i = 0; i < 3; i++) {
        r = row(ended[i], 10000, 9000, 20000, 0);
        assert_int_equal(ck_next_step(&r, &at), STEP_NONE);
        ck_schedule(&r);
        assert_int_equal(r.next_at, 0);
    }
    r = row("running", 10000, 9000, 0, 0);
    ck_schedule(&r);
    assert_int_equal(r.next_at, 9000);
}

static void phones_and_addresses(void **state)
{
    (void)state;
    assert_true(checkin_valid_phone("+15035550100"));
    assert_true(checkin_valid_phone("+447700900123"));
    assert_false(checkin_valid_phone("5035550100"));
    assert_false(checkin_valid_phone("+1503"));
    assert_false(checkin_valid_phone("+1503555010012345"));
    assert_false(checkin_valid_phone("+1 503 555 0100"));
    assert_false(checkin_valid_phone("+05035550100"));
    assert_false(checkin_valid_phone(NULL));
    assert_true(checkin_valid_email("a@example.org"));
    assert_false(checkin_valid_email("a@example"));
    assert_false(checkin_valid_email("a b@example.org"));
    assert_false(checkin_valid_email("a@b@example.org"));
    assert_false(checkin_valid_email("<a@example.org>"));
    assert_false(checkin_valid_email("a@example.org\r\nBcc: x@y.org"));
    assert_false(checkin_valid_email("@example.org"));
}

static void requests_checked(void **state)
{
    (void)state;
    config cfg;
    config_defaults(&cfg);
    snprintf(cfg.sms_url, sizeof(cfg.sms_url), "http://127.0.0.1:1/sms");
    ck_problem p;
    checkin_req r = {600, "Room 4", "Sam", "+15035550100", NULL, NULL, NULL, false, NULL};
    assert_true(checkin_validate(&cfg, &r, &p));
    r.seconds = 59;
    assert_false(checkin_validate(&cfg, &r, &p));
    assert_string_equal(p.field, "seconds");
    r.seconds = 7201;
    assert_false(checkin_validate(&cfg, &r, &p));
    r.seconds = 7200;
    r.email = "a@example.org"; /* no smtp_url */
    assert_false(checkin_validate(&cfg, &r, &p));
    assert_string_equal(p.field, "email");
    r.email = NULL;
    r.responder = true; /* no responder configured */
    assert_false(checkin_validate(&cfg, &r, &p));
    assert_string_equal(p.field, "responder");
    r.responder = false;
    r.sms = "";
    assert_false(checkin_validate(&cfg, &r, &p));
    assert_string_equal(p.field, "sms");
}

static void json_reader(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    checkin_req r;
    ck_problem p;
    const char *good = "{\"seconds\": 600, \"where\": \"Room 4\", \"name\": \"Sam\", \"sms\": \"+15035550100\", "
                       "\"responder\": true}";
    assert_true(checkin_parse_json(good, strlen(good), &r, &a, &p));
    assert_int_equal(r.seconds, 600);
    assert_string_equal(r.where, "Room 4");
    assert_true(r.responder);
    assert_null(r.email);
    const char *bad[] = {"", "[]", "{\"seconds\": \"600\"}", "{\"seconds\": 1, \"x\": 1}",
                         "{\"seconds\": 1, \"where\": 5}", "{\"seconds\": 1, \"responder\": \"yes\"}",
                         "{\"seconds\": 1, \"seconds\": 2}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(checkin_parse_json(bad[i], strlen(bad[i]), &r, &a, &p));
    const char *huge = "{\"seconds\": 99999999999999, \"where\": \"x\"}";
    assert_true(checkin_parse_json(huge, strlen(huge), &r, &a, &p));
    assert_int_equal(r.seconds, 1000000);
    arena_free(&a);
}

/* The race: the scheduler read the row, then a check-in committed; the
 * firing's conditional UPDATE must write nothing. */
static void check_in_wins_the_race(void **state)
{
    (void)state;
    unsigned char key[32] = {3};
    secret_set(key);
    sqlite3 *db = wp_memory_db();
    ck_row r = row("running", 1000, 0, 0, 0);
    size_t n;
    r.secret = secret_seal("{}", 2, &n);
    r.secret_len = n;
    r.created_at = 1;
    ck_schedule(&r);
    int64_t id;
    assert_true(ck_insert(db, &r, &id));
    ck_row fired, checked;
    assert_int_equal(ck_load(db, id, &fired), 1);
    assert_int_equal(ck_load(db, id, &checked), 1);
    snprintf(checked.state, sizeof(checked.state), "ok");
    ck_schedule(&checked);
    assert_int_equal(ck_update(db, &checked), 1); /* the check-in first */
    snprintf(fired.state, sizeof(fired.state), "alerted");
    assert_int_equal(ck_update(db, &fired), 0); /* the stale firing writes nothing */
    ck_row now;
    assert_int_equal(ck_load(db, id, &now), 1);
    assert_string_equal(now.state, "ok");
    int64_t ids[4];
    assert_int_equal(ck_due(db, 5000, ids, 4), 0);
    ck_row_free(&r);
    ck_row_free(&fired);
    ck_row_free(&checked);
    ck_row_free(&now);
    db_close(db);
    secret_unload();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(next_step), cmocka_unit_test(phones_and_addresses), cmocka_unit_test(requests_checked),
        cmocka_unit_test(json_reader), cmocka_unit_test(check_in_wins_the_race),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
