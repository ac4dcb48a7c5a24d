/* Tests for hsds_term_codes: a record's point codes from the links it
 * wrote, as the listing cache's SQL would read them back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "db/db.h"
#include "hsds/hsds_store.h"
#include "hsds/hsds_term_codes.h"
#include "wp_test.h"

#define TAX "tax-waypost"

static sqlite3 *with_terms(void)
{
    sqlite3 *db = wp_memory_db();
    assert_true(hsds_store_put_term(db, "t-b", "bbb", "B", "Waypost", TAX, NULL, "{}"));
    assert_true(hsds_store_put_term(db, "t-a", "aaa", "A", "Waypost", TAX, NULL, "{}"));
    assert_true(hsds_store_put_term(db, "t-x", "abc", "X", "Other", "tax-other", NULL, "{}"));
    return db;
}

static long long term_row(sqlite3 *db, const char *id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT rowid FROM dir_taxonomy_term WHERE id = '%s'", id);
    return wp_sql_long(db, sql);
}

static const char *codes_of(hsds_term_codes *c, sqlite3 *db, buf *out, const char *const *ids, size_t n)
{
    hsds_term_codes_begin(c);
    for (size_t i = 0; i < n; i++)
        hsds_term_codes_link(c, term_row(db, ids[i]));
    return hsds_term_codes_text(c, db, out) ? buf_cstr(out) : NULL;
}

/* The taxonomy's codes in code order; another taxonomy's left out. */
static void codes_in_code_order(void **state)
{
    (void)state;
    sqlite3 *db = with_terms();
    hsds_term_codes *c = hsds_term_codes_new(TAX);
    buf out = BUF_INIT;
    const char *all[] = {"t-b", "t-x", "t-a"}, *other[] = {"t-x"};
    assert_string_equal(codes_of(c, db, &out, all, 3), "aaa,bbb");
    assert_string_equal(codes_of(c, db, &out, other, 1), "");
    assert_string_equal(codes_of(c, db, &out, NULL, 0), "");
    buf_free(&out);
    hsds_term_codes_free(c);
    db_close(db);
}

/* A code is read once and kept until a term is written. */
static void kept_until_forgotten(void **state)
{
    (void)state;
    sqlite3 *db = with_terms();
    hsds_term_codes *c = hsds_term_codes_new(TAX);
    buf out = BUF_INIT;
    const char *ids[] = {"t-a", "t-b"};
    assert_string_equal(codes_of(c, db, &out, ids, 2), "aaa,bbb");
    assert_true(hsds_store_put_term(db, "t-a", "ccc", "A", "Waypost", TAX, NULL, "{\"changed\":1}"));
    assert_string_equal(codes_of(c, db, &out, ids, 2), "aaa,bbb"); /* kept */
    hsds_term_codes_forget(c);
    assert_string_equal(codes_of(c, db, &out, ids, 2), "bbb,ccc");
    buf_free(&out);
    hsds_term_codes_free(c);
    db_close(db);
}

/* A term id's row number is looked up once and kept until a term is
 * written; an id with no term is not kept; with no object, looked up. */
static void row_numbers_kept_until_forgotten(void **state)
{
    (void)state;
    sqlite3 *db = with_terms();
    hsds_term_codes *c = hsds_term_codes_new(TAX);
    long long a = term_row(db, "t-a");
    assert_true(a > 0);
    assert_int_equal(hsds_term_codes_rowid(c, db, "t-a"), a);
    assert_int_equal(hsds_term_codes_rowid(c, db, "t-new"), 0);
    assert_true(hsds_store_put_term(db, "t-new", "nnn", "N", "Waypost", TAX, NULL, "{}"));
    assert_int_equal(hsds_term_codes_rowid(c, db, "t-new"), term_row(db, "t-new")); /* not kept as missing */
    assert_int_equal(wp_sql_long(db, "UPDATE dir_taxonomy_term SET rowid = rowid + 1000 WHERE id = 't-a' RETURNING rowid"),
                     a + 1000);
    assert_int_equal(hsds_term_codes_rowid(c, db, "t-a"), a); /* kept */
    hsds_term_codes_forget(c);
    assert_int_equal(hsds_term_codes_rowid(c, db, "t-a"), a + 1000);
    assert_int_equal(hsds_term_codes_rowid(NULL, db, "t-b"), term_row(db, "t-b"));
    assert_int_equal(hsds_term_codes_rowid(NULL, db, "t-none"), 0);
    hsds_term_codes_free(c);
    db_close(db);
}

/* What it cannot make is left to the caller: too many links, no object. */
static void too_many_links_are_left_to_the_caller(void **state)
{
    (void)state;
    sqlite3 *db = with_terms();
    hsds_term_codes *c = hsds_term_codes_new(TAX);
    buf out = BUF_INIT;
    hsds_term_codes_begin(c);
    for (int i = 0; i < 65; i++)
        hsds_term_codes_link(c, term_row(db, "t-a"));
    assert_false(hsds_term_codes_text(c, db, &out));
    hsds_term_codes_begin(c);
    hsds_term_codes_link(c, term_row(db, "t-a"));
    assert_true(hsds_term_codes_text(c, db, &out));
    assert_false(hsds_term_codes_text(NULL, db, &out));
    hsds_term_codes_link(NULL, 1); /* no object: nothing to do */
    hsds_term_codes_forget(NULL);
    buf_free(&out);
    hsds_term_codes_free(c);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_in_code_order),
        cmocka_unit_test(kept_until_forgotten),
        cmocka_unit_test(too_many_links_are_left_to_the_caller),
        cmocka_unit_test(row_numbers_kept_until_forgotten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
