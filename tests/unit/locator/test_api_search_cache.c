/* test_api_search_cache: the API's search cache (src/locator/
 * api_search_cache.c). A search's matches are read once and then served
 * from the thread's cache (a hit, the same rowids as the SQL); a write on
 * the same connection and a commit by another connection each drop the
 * lists (the next call reads again and sees the change); at most
 * API_SEARCH_CACHE_QUERIES searches are kept, the least recently used going
 * first; a search with more matches than the rowid bound is not kept, and
 * lists that do not fit together push the oldest out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "hsds/hsds_import.h"
#include "locator/api_search_cache.h"
#include "locator/locator_api_store.h"
#include "wp_test.h"

static char path[64];
static sqlite3 *db;

static unsigned long h0, m0; /* the counts at the last look */

/* Empties this thread's cache (its counts start again at zero). */
static void fresh(void)
{
    api_search_cache_clear();
    h0 = m0 = 0;
}


static int setup(void **state)
{
    (void)state;
    char err[512];
    db = wp_temp_db(path);
    hsds_import_counts c;
    if (!hsds_import_path(db, "data/directory/examples-harm-reduction.ndjson", &c, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fresh();
    api_search_cache_limit_ids(0);
    db_close(db);
    unlink(path);
    return 0;
}

/* The calls' hits and misses since the last look. */
static void expect(unsigned long hits, unsigned long misses)
{
    unsigned long h, m;
    api_search_cache_stats(&h, &m);
    assert_int_equal(h - h0, hits);
    assert_int_equal(m - m0, misses);
    h0 = h;
    m0 = m;
}

/* The cache's list for search, checked against the SQL's count. */
static size_t ids_of(const char *search, uint32_t *copy)
{
    size_t n = 0;
    bool failed = true;
    const uint32_t *ids = api_search_cache_ids(db, search, &n, &failed);
    assert_false(failed);
    assert_non_null(ids);
    api_store_filter f = {"", search, "", "", "[]", ""};
    assert_int_equal((long)n, api_store_services_count(db, &f));
    uint32_t want[64];
    assert_true(api_store_search_rowids(db, search, want, 64) == (long)n);
    assert_memory_equal(ids, want, n * sizeof(uint32_t));
    if (copy)
        memcpy(copy, ids, n * sizeof(uint32_t));
    return n;
}

static void a_repeat_is_a_hit_and_writes_drop_the_lists(void **state)
{
    (void)state;
    expect(0, 0);
    size_t n = ids_of("naloxone", NULL);
    assert_true(n > 0);
    expect(0, 1);
    assert_int_equal(ids_of("naloxone", NULL), n);
    assert_int_equal(ids_of("Naloxone", NULL), n); /* another text: its own list */
    expect(1, 1);
    assert_int_equal(ids_of("zebrafish", NULL), 0);
    expect(0, 1);
    /* a write on this connection: the next call reads again */
    assert_int_equal(sqlite3_exec(db, "UPDATE dir_service SET name = 'zebrafish one' WHERE rowid = "
                                      "(SELECT min(rowid) FROM dir_service)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(ids_of("zebrafish", NULL), 1);
    expect(0, 1);
    assert_int_equal(ids_of("zebrafish", NULL), 1);
    assert_int_equal(ids_of("naloxone", NULL), n); /* read again after the write */
    expect(1, 1);
    /* a commit by another connection */
    char err[256];
    sqlite3 *other = db_open_command(path, err, sizeof(err));
    assert_non_null(other);
    assert_int_equal(sqlite3_exec(other, "UPDATE dir_service SET name = 'zebrafish two' WHERE rowid = "
                                         "(SELECT max(rowid) FROM dir_service)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    db_close(other);
    assert_int_equal(ids_of("zebrafish", NULL), 2);
    expect(0, 1);
}

static void the_number_of_searches_is_bounded(void **state)
{
    (void)state;
    char s[32];
    ids_of("harbor", NULL);
    expect(0, 1);
    for (int i = 0; i < API_SEARCH_CACHE_QUERIES; i++) {
        snprintf(s, sizeof(s), "nothing%d", i);
        assert_int_equal(ids_of(s, NULL), 0);
        if (i == 0)
            ids_of("harbor", NULL); /* used again: "nothing0" is now the oldest */
    }
    expect(1, API_SEARCH_CACHE_QUERIES);
    ids_of("harbor", NULL); /* still there */
    expect(1, 0);
    ids_of("nothing0", NULL); /* pushed out by the last one */
    expect(0, 1);
    ids_of("nothing2", NULL);
    expect(1, 0);
}

static void the_number_of_rowids_is_bounded(void **state)
{
    (void)state;
    size_t all = ids_of("example", NULL), a = ids_of("harbor", NULL), b = ids_of("naloxone", NULL);
    expect(0, 3);
    assert_true(a > 0 && b > 0 && a + b <= all);
    size_t limit = a > b ? a : b;
    assert_true(a + b > limit);
    api_search_cache_limit_ids(limit);
    fresh();
    /* more matches than a thread may hold: not kept, the caller asks SQL */
    size_t n = 99;
    bool failed = true;
    assert_null(api_search_cache_ids(db, "example", &n, &failed));
    assert_false(failed);
    expect(0, 1);
    /* two lists that do not fit together: the older goes */
    ids_of("harbor", NULL);
    ids_of("harbor", NULL);
    expect(1, 1);
    ids_of("naloxone", NULL);
    ids_of("naloxone", NULL);
    expect(1, 1);
    ids_of("harbor", NULL);
    expect(0, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_repeat_is_a_hit_and_writes_drop_the_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(the_number_of_searches_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(the_number_of_rowids_is_bounded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
