/* test_audit: unit tests for src/auth/audit.c and audit_store.c, the
 * staff audit log chained by hash.
 *
 * Rows written and chained (genesis prev_hash, each prev_hash the last
 * hash, ISO 8601 UTC time, before/after as compact JSON with sorted keys);
 * the append-only triggers; before/after keys that look like secrets
 * refused at any depth while ordinary fields (postal_code, codes) pass;
 * audit_write inside a caller's transaction (rolled back with it, and a
 * refused row leaves the transaction usable) and on its own; two writers
 * racing on one file keep one unbroken chain; audit_verify naming the
 * first broken row after a changed field, a field's text shifted into the
 * next field, NULL turned into "", a deleted middle row, a deleted first
 * row, two rows swapped and a rewritten prev_hash (the triggers are
 * dropped on the test's own database to do the damage); the filters and
 * paging of the list the audit page reads. */
#include "auth/audit.h"
#include "auth/audit_store.h"
#include "db/db.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static long count_rows(sqlite3 *db)
{
    return audit_store_count_all(db);
}

/* Column col of row id as text ("" when NULL), copied into out. */
static void cell(sqlite3 *db, long id, const char *col, char *out, size_t n)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT coalesce(%s, '') FROM staff_audit WHERE id = %ld", col, id);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void write_n(sqlite3 *db, int n)
{
    for (int i = 0; i < n; i++) {
        char target[32];
        snprintf(target, sizeof(target), "row-%d", i + 1);
        json_t *before = json_pack("{s:i}", "n", i), *after = json_pack("{s:i}", "n", i + 1);
        audit_entry e = {"admin@example.org", "s1", "listing.save", target, before, after};
        assert_true(audit_write(db, &e));
        json_decref(before);
        json_decref(after);
    }
}

static void drop_triggers(sqlite3 *db)
{
    exec_ok(db, "DROP TRIGGER staff_audit_no_update; DROP TRIGGER staff_audit_no_delete;");
}

static void rows_are_chained(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    json_t *before = json_pack("{s:s,s:s}", "role", "editor", "name", "Ann");
    json_t *after = json_pack("{s:s,s:s}", "role", "admin", "name", "Ann B");
    audit_entry a = {"cli", "", "user.add", "ann@example.org", NULL, NULL};
    audit_entry b = {"root@example.org", "ab12", "user.role", "ann@example.org", before, after};
    assert_true(audit_write(db, &a));
    assert_true(audit_write(db, &b));
    json_decref(before);
    json_decref(after);
    char v[512], h1[128];
    cell(db, 1, "prev_hash", v, sizeof(v));
    assert_string_equal(v, AUDIT_GENESIS);
    cell(db, 1, "hash", h1, sizeof(h1));
    assert_int_equal(strlen(h1), 64);
    cell(db, 2, "prev_hash", v, sizeof(v));
    assert_string_equal(v, h1);
    cell(db, 2, "before", v, sizeof(v));
    assert_string_equal(v, "{\"name\":\"Ann\",\"role\":\"editor\"}");
    cell(db, 2, "after", v, sizeof(v));
    assert_string_equal(v, "{\"name\":\"Ann B\",\"role\":\"admin\"}");
    cell(db, 1, "at", v, sizeof(v));
    assert_int_equal(strlen(v), 20); /* 2026-12-04T06:55:26Z */
    assert_true(v[4] == '-' && v[10] == 'T' && v[13] == ':' && v[19] == 'Z');
    char sql[] = "SELECT count(*) FROM staff_audit WHERE id = 1 AND before IS NULL AND after IS NULL";
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    long rows = -1;
    assert_int_equal(audit_verify(db, &rows), 0);
    assert_int_equal(rows, 2);
    db_close(db);
}

static void empty_log_verifies(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    long rows = -1;
    assert_int_equal(audit_verify(db, &rows), 0);
    assert_int_equal(rows, 0);
    db_close(db);
}

static void triggers_keep_it_append_only(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    write_n(db, 2);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE staff_audit SET actor = 'x'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM staff_audit WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count_rows(db), 2);
    db_close(db);
}

/* Refused whatever the depth: the key names a secret. */
static const char *const secret_keys[] = {
    "password", "new_password", "passwordHash", "PASSWORD", "token", "api_token", "session_token", "secret",
    "totp_secret", "totp", "csrf", "csrf_token", "code", "recovery_code", "recoveryCodes", "setup_code",
    "auth-code", "otp", "newOtp", "otp_value", "passphrase", "apiKey", "cookie",
};
/* Ordinary fields that must still be written. */
static const char *const plain_keys[] = {"name", "email", "role", "postal_code", "codes", "waypost_codes",
                                         "footprint", "disabled", "description", "phone", "recovery_type"};

static void secrets_are_refused(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    for (size_t i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++) {
        json_t *flat = json_pack("{s:s,s:s}", "name", "x", secret_keys[i], "hunter2hunter2");
        json_t *nested = json_pack("{s:{s:[{s:s}]}}", "user", "list", secret_keys[i], "hunter2hunter2");
        audit_entry e1 = {"a@example.org", "", "user.change", "b@example.org", NULL, flat};
        audit_entry e2 = {"a@example.org", "", "user.change", "b@example.org", nested, NULL};
        if (audit_write(db, &e1) || audit_write(db, &e2))
            fail_msg("a row with the key \"%s\" was written", secret_keys[i]);
        json_decref(flat);
        json_decref(nested);
    }
    assert_int_equal(count_rows(db), 0);
    for (size_t i = 0; i < sizeof(plain_keys) / sizeof(plain_keys[0]); i++) {
        json_t *after = json_pack("{s:s}", plain_keys[i], "v");
        audit_entry e = {"a@example.org", "", "listing.save", "svc-1", NULL, after};
        if (!audit_write(db, &e))
            fail_msg("a row with the key \"%s\" was refused", plain_keys[i]);
        json_decref(after);
    }
    assert_int_equal(count_rows(db), (long)(sizeof(plain_keys) / sizeof(plain_keys[0])));
    db_close(db);
}

static void bad_entries_are_refused(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    json_t *arr = json_pack("[s]", "x");
    audit_entry not_object = {"a", "", "x.change", "", arr, NULL};
    audit_entry no_action = {"a", "", "", "", NULL, NULL};
    audit_entry null_action = {"a", "", NULL, "", NULL, NULL};
    assert_false(audit_write(db, &not_object));
    assert_false(audit_write(db, &no_action));
    assert_false(audit_write(db, &null_action));
    assert_false(audit_write(db, NULL));
    audit_entry nulls = {NULL, NULL, "login.failed", NULL, NULL, NULL}; /* NULL texts are "" */
    assert_true(audit_write(db, &nulls));
    assert_int_equal(count_rows(db), 1);
    json_decref(arr);
    db_close(db);
}

static void inside_the_callers_transaction(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    write_n(db, 1);
    audit_entry e = {"a@example.org", "s", "setting.change", "site_name", NULL, NULL};
    assert_true(db_begin(db));
    assert_true(audit_write(db, &e));
    db_rollback(db); /* the change and its row go together */
    assert_int_equal(count_rows(db), 1);
    assert_true(db_begin(db));
    json_t *bad = json_pack("{s:s}", "password", "x");
    audit_entry refused = {"a@example.org", "s", "user.change", "b", NULL, bad};
    assert_false(audit_write(db, &refused)); /* refused before it touched the database */
    assert_true(audit_write(db, &e));        /* the caller's transaction is still usable */
    assert_false(sqlite3_get_autocommit(db));
    assert_true(db_commit(db));
    json_decref(bad);
    assert_int_equal(count_rows(db), 2);
    assert_int_equal(audit_verify(db, NULL), 0);
    db_close(db);
}

struct racer {
    const char *path;
    int n;
    int failures;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    char err[256];
    sqlite3 *db = db_open_command(r->path, err, sizeof(err));
    if (!db) {
        r->failures = r->n;
        return NULL;
    }
    for (int i = 0; i < r->n; i++) {
        audit_entry e = {"racer", "", "login", "x", NULL, NULL};
        if (!audit_write(db, &e))
            r->failures++;
    }
    db_close(db);
    return NULL;
}

static void racing_writers_keep_one_chain(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = wp_temp_db(path);
    struct racer a = {path, 150, 0}, b = {path, 150, 0};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.failures + b.failures, 0);
    long rows = 0;
    assert_int_equal(audit_verify(db, &rows), 0);
    assert_int_equal(rows, 300);
    db_close(db);
    char p[80];
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

/* A log of n rows with the triggers gone, ready to be damaged. */
static sqlite3 *damaged_log(int n, const char *damage)
{
    sqlite3 *db = wp_memory_db();
    write_n(db, n);
    assert_int_equal(audit_verify(db, NULL), 0);
    drop_triggers(db);
    exec_ok(db, damage);
    return db;
}

static void expect_broken(const char *damage, long id, bool bad_prev, long prev_id, long rows)
{
    sqlite3 *db = damaged_log(5, damage);
    audit_check c = {0};
    if (audit_verify_check(db, &c) != id)
        fail_msg("after \"%s\": broken at %ld, expected %ld", damage, c.broken, id);
    assert_int_equal(c.bad_prev, bad_prev);
    assert_int_equal(c.prev_id, prev_id);
    assert_int_equal(c.rows, rows);
    long r = 0;
    assert_int_equal(audit_verify(db, &r), id);
    db_close(db);
}

static void a_changed_field_breaks_its_row(void **state)
{
    (void)state;
    expect_broken("UPDATE staff_audit SET target = 'row-x' WHERE id = 3", 3, false, 2, 3);
    expect_broken("UPDATE staff_audit SET at = '2020-01-01T00:00:00Z' WHERE id = 1", 1, false, 0, 1);
    expect_broken("UPDATE staff_audit SET after = '{\"n\":99}' WHERE id = 5", 5, false, 4, 5);
    expect_broken("UPDATE staff_audit SET hash = upper(hash) WHERE id = 4", 4, false, 3, 4);
}

static void shifted_text_and_null_break_the_row(void **state)
{
    (void)state;
    /* "admin@example.org","s1" -> "admin@example.or","gs1": same bytes in a row */
    expect_broken("UPDATE staff_audit SET actor = 'admin@example.or', session = 'gs1' WHERE id = 2", 2, false, 1,
                  2);
    expect_broken("UPDATE staff_audit SET before = NULL WHERE id = 2", 2, false, 1, 2);
    sqlite3 *db = wp_memory_db();
    audit_entry e = {"a", "", "login", "", NULL, NULL};
    assert_true(audit_write(db, &e));
    drop_triggers(db);
    exec_ok(db, "UPDATE staff_audit SET before = '' WHERE id = 1");
    assert_int_equal(audit_verify(db, NULL), 1);
    db_close(db);
}

static void a_removed_row_breaks_the_next(void **state)
{
    (void)state;
    expect_broken("DELETE FROM staff_audit WHERE id = 3", 4, true, 2, 3);
    expect_broken("DELETE FROM staff_audit WHERE id = 1", 2, true, 0, 1);
    /* removing the last rows cannot be seen from the chain alone */
    expect_broken("DELETE FROM staff_audit WHERE id = 5", 0, false, 0, 4);
}

static void reordered_rows_break_the_first_moved(void **state)
{
    (void)state;
    expect_broken("UPDATE staff_audit SET id = -id WHERE id IN (2, 3);"
                  "UPDATE staff_audit SET id = 3 WHERE id = -2; UPDATE staff_audit SET id = 2 WHERE id = -3;",
                  2, true, 1, 2);
    expect_broken("UPDATE staff_audit SET prev_hash = (SELECT hash FROM staff_audit WHERE id = 1) WHERE id = 3", 3,
                  true, 2, 3);
}

struct collected {
    int n;
    char targets[60][16];
};

static bool collect(const audit_row *r, void *ctx)
{
    struct collected *c = ctx;
    if (c->n < 60)
        snprintf(c->targets[c->n++], 16, "%s", r->target[0] ? r->target : r->action);
    return true;
}

static void list_filters_and_pages(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    write_n(db, 55);
    audit_entry other = {"Editor@Example.org", "", "login", "", NULL, NULL};
    assert_true(audit_write(db, &other));
    struct collected c = {0};
    audit_filter all = {0};
    assert_int_equal(audit_store_count(db, &all), 56);
    assert_true(audit_store_list(db, &all, 0, 50, collect, &c));
    assert_int_equal(c.n, 50);
    assert_string_equal(c.targets[0], "login"); /* newest first */
    assert_string_equal(c.targets[1], "row-55");
    c.n = 0;
    assert_true(audit_store_list(db, &all, 50, 50, collect, &c));
    assert_int_equal(c.n, 6);
    assert_string_equal(c.targets[5], "row-1");
    audit_filter by_actor = {.actor = "editor@"};
    assert_int_equal(audit_store_count(db, &by_actor), 1);
    audit_filter by_action = {.action = "listing.save", .target = "ROW-5"};
    assert_int_equal(audit_store_count(db, &by_action), 7); /* row-5 and row-50 to row-55 */
    char today[11], at[32];
    cell(db, 1, "at", at, sizeof(at));
    snprintf(today, sizeof(today), "%.10s", at);
    audit_filter from_today = {.from = today, .to = today}; /* both days included */
    assert_int_equal(audit_store_count(db, &from_today), 56);
    audit_filter past = {.to = "2000-01-01"}, future = {.from = "2999-01-01"};
    assert_int_equal(audit_store_count(db, &past), 0);
    assert_int_equal(audit_store_count(db, &future), 0);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_chained),
        cmocka_unit_test(empty_log_verifies),
        cmocka_unit_test(triggers_keep_it_append_only),
        cmocka_unit_test(secrets_are_refused),
        cmocka_unit_test(bad_entries_are_refused),
        cmocka_unit_test(inside_the_callers_transaction),
        cmocka_unit_test(racing_writers_keep_one_chain),
        cmocka_unit_test(a_changed_field_breaks_its_row),
        cmocka_unit_test(shifted_text_and_null_break_the_row),
        cmocka_unit_test(a_removed_row_breaks_the_next),
        cmocka_unit_test(reordered_rows_break_the_first_moved),
        cmocka_unit_test(list_filters_and_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
