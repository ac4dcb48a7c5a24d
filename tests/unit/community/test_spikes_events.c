/* test_spikes_events: the daily counts and the detector over them, in an
 * in-memory database. The CSV parser keeps good rows (named areas and ZIP
 * codes, blank lines) and names the row and column of each kind of bad
 * one; an import replaces a stored count and a refused one changes
 * nothing; dates are checked as real days; spikes_run flags a spike and
 * stores it, a second run of the day replaces the flags, a series that
 * starts late is not flagged on an empty past; reviewed community reports
 * are counted as their own kind once their table exists; the preview
 * counts the year's flags and a stored setting changes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "community/areas.h"
#include "community/events.h"
#include "community/events_store.h"
#include "community/spikes.h"
#include "db/db.h"
#include "wp_test.h"
#include "wp_tempdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    wp_temp_dir(dir);
    wp_write(dir, "vocab/areas.json",
             "{\"areas\": [{\"slug\": \"downtown\", \"name\": \"Downtown\", \"zips\": [\"97204\", \"97205\"]}]}");
    char err[256];
    if (!areas_load_dir(dir, err, sizeof(err)))
        fail_msg("%s", err);
    db = db_open_command(":memory:", err, sizeof(err));
    assert_non_null(db);
    assert_true(db_migrate(db, NULL, err, sizeof(err)));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    areas_unload();
    wp_remove_dir(dir);
    return 0;
}

static bool parse(const char *text, char *err, size_t n)
{
    event_row *rows = NULL;
    size_t k = 0;
    bool ok = events_parse(text, strlen(text), &rows, &k, err, n);
    free(rows);
    return ok;
}

static void parser_names_row_and_column(void **state)
{
    (void)state;
    char err[300];
    event_row *rows = NULL;
    size_t n = 0;
    const char *good = "date,area,kind,count\n2025-03-01,Downtown,ems-calls,4\n\n2025-03-02,97214-1234,ems-calls,0\n";
    assert_true(events_parse(good, strlen(good), &rows, &n, err, sizeof(err)));
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].area, "downtown");
    assert_string_equal(rows[1].area, "97214");
    assert_int_equal(rows[0].count, 4);
    free(rows);
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"date,kind,area,count\n", "row 1: the header"},
        {"date,area,kind,count\n2025-02-29,97204,x,1\n", "row 2, column date"},
        {"date,area,kind,count\n2025-03-01,uptown,x,1\n", "row 2, column area"},
        {"date,area,kind,count\n2025-03-01,97204,-x,1\n", "row 2, column kind"},
        {"date,area,kind,count\n2025-03-01,97204,x,1000001\n", "row 2, column count"},
        {"date,area,kind,count\n2025-03-01,97204,x\n", "row 2, column count"},
        {"date,area,kind,count\n2025-03-01,97204,x,1\n2025-03-01,97204,x,2\n", "row 3, column date"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(parse(bad[i].text, err, sizeof(err)));
        if (!strstr(err, bad[i].want))
            fail_msg("%s: got \"%s\"", bad[i].want, err);
    }
    long d;
    assert_true(events_day_ok("2024-02-29", &d));
    char back[11];
    events_day_str(d, back);
    assert_string_equal(back, "2024-02-29");
    assert_false(events_day_ok("2025-02-29", NULL));
    assert_false(events_day_ok("2025-3-01", NULL));
}

/* 40 quiet days of 3 ending on 2025-03-10, then count on 2025-03-11. */
static void import_series(const char *kind, long last)
{
    char text[4096] = "date,area,kind,count\n";
    size_t used = strlen(text);
    long d0;
    assert_true(events_day_ok("2025-01-30", &d0));
    for (long i = 0; i < 41; i++) {
        char day[11];
        events_day_str(d0 + i, day);
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s,97204,%s,%ld\n", day, kind,
                                 i == 40 ? last : (i % 3) + 2);
    }
    events_summary sum;
    char err[300];
    if (!events_import_text(db, text, used, &sum, NULL, err, sizeof(err)))
        fail_msg("%s", err);
}

static int count_rows(const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return n;
}

static void run_flags_and_replaces(void **state)
{
    (void)state;
    import_series("ems-calls", 20);
    spike_row *f;
    int n;
    char err[300];
    assert_true(spikes_run(db, "2025-03-11", &f, &n, err, sizeof(err)));
    assert_true(n >= 4); /* C1, C2, EWMA, Poisson at least */
    for (int i = 0; i < n; i++) {
        assert_string_equal(f[i].kind, "ems-calls");
        assert_true(f[i].count == 20 && f[i].id > 0);
    }
    free(f);
    int stored = count_rows("SELECT count(*) FROM community_spike WHERE day = '2025-03-11'");
    assert_int_equal(stored, n);
    assert_true(spikes_run(db, "2025-03-11", &f, &n, err, sizeof(err)));
    free(f);
    assert_int_equal(count_rows("SELECT count(*) FROM community_spike WHERE day = '2025-03-11'"), stored);
    /* a quiet day flags nothing */
    assert_true(spikes_run(db, "2025-03-09", &f, &n, err, sizeof(err)));
    free(f);
    assert_int_equal(n, 0);
    /* a refused file leaves the counts as they were */
    events_summary sum;
    const char *bad = "date,area,kind,count\n2025-03-11,97204,ems-calls,1\n2025-03-12,97204,ems-calls,x\n";
    assert_false(events_import_text(db, bad, strlen(bad), &sum, NULL, err, sizeof(err)));
    long c = 0;
    assert_int_equal(events_store_get(db, "ems-calls", "97204", "2025-03-11", &c), 1);
    assert_int_equal(c, 20);
}

static void late_series_and_reports(void **state)
{
    (void)state;
    /* a series whose first day is the day before: no baseline, no flag */
    events_summary sum;
    char err[300];
    const char *text = "date,area,kind,count\n2025-03-10,97205,new-kind,0\n2025-03-11,97205,new-kind,30\n";
    assert_true(events_import_text(db, text, strlen(text), &sum, NULL, err, sizeof(err)));
    spike_row *f;
    int n;
    assert_true(spikes_run(db, "2025-03-11", &f, &n, err, sizeof(err)));
    for (int i = 0; i < n; i++)
        assert_string_not_equal(f[i].kind, "new-kind");
    free(f);
    /* the community reports' table (migration 0011), then reviewed reports count */
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE IF NOT EXISTS community_report (id INTEGER PRIMARY KEY, created_at "
                                  "INTEGER NOT NULL, day TEXT NOT NULL, area TEXT NOT NULL, status TEXT NOT NULL "
                                  "DEFAULT 'new');"
                                  "INSERT INTO community_report(created_at, day, area, status) VALUES "
                                  "(0, '2025-03-01', 'downtown', 'reviewed'), (0, '2025-03-11', 'downtown', 'reviewed'),"
                                  "(0, '2025-03-11', 'downtown', 'alerted'), (0, '2025-03-11', 'downtown', 'new'),"
                                  "(0, '2025-03-11', 'downtown', 'dismissed')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    double y[11];
    assert_true(spikes_series(db, EVENTS_REPORTS_KIND, "downtown", "2025-03-11", 11, y));
    assert_true(y[0] == 1 && y[10] == 2 && y[5] == 0);
}

static void preview_counts_the_year(void **state)
{
    (void)state;
    ears_params p;
    assert_true(spikes_params(db, "ems-calls", &p));
    spikes_preview_out o;
    assert_true(spikes_preview(db, "ems-calls", &p, "2025-03-11", 365, &o));
    assert_int_equal(o.areas, 1);
    assert_int_equal(o.days_checked, 41);
    assert_int_equal(o.flagged_days, 1);
    assert_int_equal(o.red, 1);
    assert_true(o.by_method[EARS_C1] == 1 && o.by_method[EARS_POISSON] == 1);
    p.min_count = 25;
    assert_true(spikes_store_setting_put(db, "ems-calls", &p, "t@example.org", 0));
    ears_params q;
    assert_true(spikes_params(db, "ems-calls", &q));
    assert_int_equal(q.min_count, 25);
    assert_int_equal(q.methods, EARS_ALL);
    assert_true(spikes_preview(db, "ems-calls", &q, "2025-03-11", 365, &o));
    assert_int_equal(o.flagged_days, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_names_row_and_column),
        cmocka_unit_test(run_flags_and_replaces),
        cmocka_unit_test(late_series_and_reports),
        cmocka_unit_test(preview_counts_the_year),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
