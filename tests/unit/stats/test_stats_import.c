/* test_stats_import: CDC statistics files into the stats tables: each of
 * the three formats is recognised by its header, a malformed file is
 * refused with its row and column named and changes nothing, and the
 * bundled files seed an empty database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "stats/stats_import.h"
#include "stats/stats_store.h"
#include "wp_test.h"

static const char national_ok[] =
    "state,year,month,period_end,indicator,reported_12mo_deaths,predicted_12mo_deaths,footnote\n"
    "US,2015,January,2015-01,Number of Drug Overdose Deaths,47523,48060,\"Numbers may differ, see notes\"\n"
    "US,2015,February,2015-02,Number of Drug Overdose Deaths,47725,,x\n";

static int setup(void **state)
{
    char path[] = "/tmp/wp_test_stats_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char err[256];
    sqlite3 *db = db_open_command(path, err, sizeof(err));
    assert_non_null(db);
    assert_true(db_migrate(db, NULL, err, sizeof(err)));
    unlink(path);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void national_file_imports(void **state)
{
    sqlite3 *db = *state;
    stats_summary sum;
    char err[512];
    assert_true(stats_import_text(db, "n.csv", national_ok, strlen(national_ok), &sum, err, sizeof(err)));
    assert_string_equal(sum.table, "national");
    assert_int_equal(sum.rows_kept, 2);
    arena a;
    arena_init(&a);
    national_row *rows;
    assert_int_equal(stats_load_national(db, &a, &rows), 2);
    assert_string_equal(rows[0].period, "2015-01");
    assert_int_equal(rows[0].predicted, 48060);
    assert_int_equal(rows[1].predicted, -1);
    assert_string_equal(rows[0].footnote, "Numbers may differ, see notes");
    arena_free(&a);
}

static void malformed_file_changes_nothing(void **state)
{
    sqlite3 *db = *state;
    stats_summary sum;
    char err[512];
    assert_true(stats_import_text(db, "n.csv", national_ok, strlen(national_ok), &sum, err, sizeof(err)));
    static const struct { const char *text, *msg; } bad[] = {
        {"state,year,month,period_end,indicator,reported_12mo_deaths,predicted_12mo_deaths,footnote\n"
         "US,2016,January,2016-01,x,50000,51000,f\nUS,2016,February,2016-02,x,5O000,1,f\n",
         "bad.csv: row 3, column 6: expected a whole number (found \"5O000\")"},
        {"state,year,month,period_end,indicator,reported_12mo_deaths,predicted_12mo_deaths,footnote\n"
         "US,2016,January,2016-13,x,50000,51000,f\n",
         "row 2, column 4: the month must be 01 to 12"},
        {"state,year,month,period_end,indicator,reported_12mo_deaths,predicted_12mo_deaths,footnote\n"
         "US,2016,January,2017-01,x,50000,51000,f\n",
         "row 2, column 4"},
        {"a,b,c\n1,2,3\n", "not a statistics file we know"},
        {"", "the file is empty"},
        {"state,year,month,period_end,indicator,reported_12mo_deaths,predicted_12mo_deaths,footnote\n"
         "US,2016,\"January,2016-01\n",
         "a quoted field is not closed"},
        {"State,Year,Month,Period,Indicator,Data Value,Percent Complete,Percent Pending Investigation,State Name\n"
         "AK,2015,Janvier,12 month-ending,Number of Drug Overdose Deaths,100,100,0,Alaska\n",
         "row 2, column 3: expected a month name"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(stats_import_text(db, "bad.csv", bad[i].text, strlen(bad[i].text), &sum, err, sizeof(err)));
        assert_contains(err, bad[i].msg);
        assert_int_equal(stats_store_count(db, "national"), 2);
    }
}

static void state_and_longview_files_import(void **state)
{
    sqlite3 *db = *state;
    static const char st[] =
        "State,Year,Month,Period,Indicator,Data Value,Percent Complete,Percent Pending Investigation,State Name,"
        "Footnote,Footnote Symbol,Predicted Value\n"
        "AK,2018,December,12 month-ending,Number of Drug Overdose Deaths,100,100,0,Alaska,,,\n"
        "AK,2018,December,12 month-ending,Number of Deaths,4034,100,0,Alaska,,,\n"
        "AL,2018,December,12 month-ending,Number of Drug Overdose Deaths,\"1,200\",100,0,Alabama,,,\n"
        "US,2018,December,12 month-ending,Number of Drug Overdose Deaths,67000,100,0,United States,,,\n";
    stats_summary sum;
    char err[512];
    assert_true(stats_import_text(db, "s.csv", st, strlen(st), &sum, err, sizeof(err)));
    assert_string_equal(sum.table, "state");
    assert_int_equal(sum.rows_kept, 3);
    assert_int_equal(sum.rows_skipped, 1);
    arena a;
    arena_init(&a);
    state_row *rows;
    assert_int_equal(stats_load_states_latest(db, &a, &rows), 2);
    assert_string_equal(rows[0].state, "AL");
    assert_int_equal(rows[0].deaths, 1200);
    assert_string_equal(rows[1].period, "2018-12");
    static const char lv[] =
        "Year,Sex,Age,Race and Hispanic Origin,State,Deaths,Population,Crude Death Rate,Standard Error for Crude "
        "Rate,Low Confidence Limit for Crude Rate,Upper Confidence Limit for Crude Rate,Age-adjusted Rate\n"
        "1999,Both Sexes,25-34 years,All Races-All Origins,United States,3000,37000000,8.1,0.1,8,8.2,\n"
        "2015,Both Sexes,25-34 years,All Races-All Origins,United States,11000,41000000,26.9,0.1,26,27,\n"
        "2015,Male,25-34 years,All Races-All Origins,United States,8000,20000000,40,0.1,39,41,\n";
    assert_true(stats_import_text(db, "l.csv", lv, strlen(lv), &sum, err, sizeof(err)));
    assert_int_equal(sum.rows_kept, 2);
    longview_row *ages;
    assert_int_equal(stats_load_ages(db, &a, &ages), 2);
    assert_true(ages[1].crude_rate > 26.8 && ages[1].crude_rate < 27.0);
    arena_free(&a);
}

static void bundled_files_seed_an_empty_database(void **state)
{
    sqlite3 *db = *state;
    char err[512];
    assert_true(stats_seed(db, "data", err, sizeof(err)));
    assert_true(stats_store_count(db, "national") >= 120);
    assert_true(stats_store_count(db, "state") > 1000);
    assert_true(stats_store_count(db, "longview") > 800);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(national_file_imports, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_file_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(state_and_longview_files_import, setup, teardown),
        cmocka_unit_test_setup_teardown(bundled_files_seed_an_empty_database, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
