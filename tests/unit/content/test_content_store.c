/* test_content_store: unit tests for src/content/content_store.c, the
 * content index and site search.
 *
 * content_fts_query turns typed text into quoted prefix terms (exact
 * output, FTS5 syntax in the text made harmless, no words -> false, the
 * 16-word limit, a too-small output buffer). A small content_set built
 * with content_parse_page is indexed into a migrated temp database; then
 * content_store_search: prefix matching, every word must match, a title
 * match ranks first, total vs. max and offset, snippets with \x01 \x02
 * marks, diacritics folded, hostile typed text cannot break the query, a
 * re-index replaces the old pages, and a malformed query reports an error.
 * The temp database is made with mkstemp and removed. */
#include "content/content_store.h"

#include "core/log.h"
#include "db/db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

/* ---- content_fts_query ---- */

static void assert_fts(const char *typed, const char *want)
{
    char out[512];
    if (!content_fts_query(typed, out, sizeof out))
        fail_msg("content_fts_query(\"%s\") returned false", typed);
    assert_string_equal(out, want);
}

static void test_fts_query_words(void **state)
{
    (void)state;
    assert_fts("naloxone", "\"naloxone\"*");
    assert_fts("fentanyl test strips", "\"fentanyl\"* \"test\"* \"strips\"*");
    assert_fts("  MDMA,  ketamine!! ", "\"MDMA\"* \"ketamine\"*");
    assert_fts("caf\xc3\xa9", "\"caf\xc3\xa9\"*");
    assert_fts("24/7", "\"24\"* \"7\"*");
}

static void test_fts_query_syntax_harmless(void **state)
{
    (void)state;
    /* FTS5 operators and punctuation become plain quoted words or vanish */
    assert_fts("\"(* OR NEAR", "\"OR\"* \"NEAR\"*");
    assert_fts("a AND b NOT c", "\"a\"* \"AND\"* \"b\"* \"NOT\"* \"c\"*");
    assert_fts("title:heroin", "\"title\"* \"heroin\"*");
    assert_fts("x\"y", "\"x\"* \"y\"*");
    assert_fts("-^+{}[]()*:x", "\"x\"*");
    assert_fts("NEAR(a b, 2)", "\"NEAR\"* \"a\"* \"b\"* \"2\"*");
    /* no quote can ever be unbalanced */
    char out[512];
    assert_true(content_fts_query("\"\"\"a\"\"\"b\"", out, sizeof out));
    size_t quotes = 0;
    for (const char *p = out; *p; p++)
        quotes += *p == '"';
    assert_int_equal(quotes % 2, 0);
}

static void test_fts_query_no_words(void **state)
{
    (void)state;
    char out[64];
    assert_false(content_fts_query("", out, sizeof out));
    assert_false(content_fts_query("   ", out, sizeof out));
    assert_false(content_fts_query("!!! ??? ...", out, sizeof out));
    assert_false(content_fts_query("\"()*^", out, sizeof out));
}

static void test_fts_query_limits(void **state)
{
    (void)state;
    char out[512];
    /* at most 16 words are used */
    assert_true(content_fts_query("a b c d e f g h i j k l m n o p q r s", out, sizeof out));
    size_t words = 0;
    for (const char *p = out; *p; p++)
        words += *p == '*';
    assert_int_equal(words, 16);
    assert_not_contains(out, "\"q\"");
    /* an output buffer that is too small is reported, never overrun */
    char small[8];
    assert_false(content_fts_query("naloxone", small, sizeof small));
    assert_true(strlen(small) < sizeof small);
    char exact[12]; /* "naloxone"* is 11 bytes */
    assert_true(content_fts_query("naloxone", exact, sizeof exact));
    assert_string_equal(exact, "\"naloxone\"*");
}

/* ---- the index and search ---- */

struct fixture {
    char path[64];
    sqlite3 *db;
    content_set set;
    arena a;
};

static const char *const pages_src[][2] = {
    {"naloxone.md",
     "---\ntitle: Naloxone\nsummary: Reverses an opioid overdose.\nreviewed: 2026-01-01\n"
     "sources:\n  - CDC | https://www.cdc.gov/\n---\n"
     "Carry it and know how to use it. Give a dose, call for help, give rescue breaths.\n"},
    {"fentanyl.md",
     "---\ntitle: Fentanyl\nsummary: A very strong opioid.\nreviewed: 2026-01-01\n"
     "sources:\n  - CDC | https://www.cdc.gov/\n---\n"
     "Fentanyl is in much of the supply. Keep naloxone close; naloxone works on fentanyl. "
     "More than one dose of naloxone may be needed, so carry naloxone, naloxone, naloxone.\n"},
    {"drug-checking.md",
     "---\ntitle: Drug checking\nsummary: Test strips and other ways to check.\nreviewed: 2026-01-01\n"
     "sources:\n  - CDC | https://www.cdc.gov/\n---\n"
     "Fentanyl test strips find fentanyl in a sample. Caf\xc3\xa9 owners stock them too.\n"},
};
#define NPAGES (sizeof pages_src / sizeof pages_src[0])

static void load_pages(content_set *set, size_t n)
{
    set->pages = calloc(NPAGES, sizeof(page));
    set->count = 0;
    for (size_t i = 0; i < n; i++) {
        char err[256];
        if (!content_parse_page(pages_src[i][0], pages_src[i][0], pages_src[i][1], strlen(pages_src[i][1]),
                                &set->pages[i], err, sizeof err))
            fail_msg("content_parse_page: %s", err);
        set->count++;
    }
}

static void free_pages(content_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        page_free(&set->pages[i]);
    free(set->pages);
    set->pages = NULL;
    set->count = 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/wp_test_store_XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    char err[512];
    f->db = db_open_command(f->path, err, sizeof err);
    if (!f->db || !db_migrate(f->db, NULL, err, sizeof err)) {
        print_error("setup: %s\n", err);
        return -1;
    }
    load_pages(&f->set, NPAGES);
    if (!content_store_index(f->db, "en", &f->set))
        return -1;
    arena_init(&f->a);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_free(&f->a);
    free_pages(&f->set);
    db_close(f->db);
    wp_temp_unlink(f->path);
    free(f);
    return 0;
}

/* Searches typed text; returns the hit count (asserting no error). */
static int search(struct fixture *f, const char *typed, int offset, int max, search_hit *hits, int *total)
{
    char q[512];
    assert_true(content_fts_query(typed, q, sizeof q));
    *total = -1;
    int n = content_store_search(f->db, "en", &f->a, q, offset, max, hits, total);
    if (n < 0)
        fail_msg("search for \"%s\" failed", typed);
    return n;
}

static bool has_path(const search_hit *hits, int n, const char *path)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(hits[i].path, path))
            return true;
    return false;
}

static void test_index_rows(void **state)
{
    struct fixture *f = *state;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT count(*) FROM content_pages", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), (int)NPAGES);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT title, summary FROM content_pages WHERE path = '/naloxone'", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "Naloxone");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "Reverses an opioid overdose.");
    sqlite3_finalize(st);
}

static void test_search_exact_word(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    int n = search(f, "strips", 0, 10, hits, &total);
    assert_int_equal(n, 1);
    assert_int_equal(total, 1);
    assert_string_equal(hits[0].path, "/drug-checking");
    assert_string_equal(hits[0].title, "Drug checking");
    assert_string_equal(hits[0].summary, "Test strips and other ways to check.");
}

static void test_search_prefix(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    int n = search(f, "nalox", 0, 10, hits, &total);
    assert_int_equal(n, 2);
    assert_true(has_path(hits, n, "/naloxone"));
    assert_true(has_path(hits, n, "/fentanyl"));
    n = search(f, "FENT", 0, 10, hits, &total); /* case does not matter */
    assert_int_equal(n, 2);
    assert_true(has_path(hits, n, "/fentanyl"));
    assert_true(has_path(hits, n, "/drug-checking"));
    n = search(f, "zzzz", 0, 10, hits, &total);
    assert_int_equal(n, 0);
    assert_int_equal(total, 0);
}

static void test_search_all_words(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    int n = search(f, "fentanyl strips", 0, 10, hits, &total);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].path, "/drug-checking");
    n = search(f, "naloxone strips", 0, 10, hits, &total);
    assert_int_equal(n, 0);
}

static void test_search_title_ranks_first(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    /* /fentanyl says "naloxone" six times in its body; /naloxone has it in
     * the title only */
    int n = search(f, "naloxone", 0, 10, hits, &total);
    assert_int_equal(n, 2);
    assert_string_equal(hits[0].path, "/naloxone");
    assert_string_equal(hits[1].path, "/fentanyl");
    n = search(f, "fentanyl", 0, 10, hits, &total);
    assert_int_equal(n, 2);
    assert_string_equal(hits[0].path, "/fentanyl");
}

static void test_search_total_offset(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    int n = search(f, "naloxone", 0, 1, hits, &total);
    assert_int_equal(n, 1);
    assert_int_equal(total, 2);
    assert_string_equal(hits[0].path, "/naloxone");
    n = search(f, "naloxone", 1, 1, hits, &total);
    assert_int_equal(n, 1);
    assert_int_equal(total, 2);
    assert_string_equal(hits[0].path, "/fentanyl");
    n = search(f, "naloxone", 2, 10, hits, &total);
    assert_int_equal(n, 0);
    assert_int_equal(total, 2);
}

static void test_search_snippet(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    int n = search(f, "strip", 0, 10, hits, &total);
    assert_int_equal(n, 1);
    const char *s = hits[0].snippet;
    const char *open = strchr(s, '\x01');
    assert_non_null(open);
    const char *close = strchr(open, '\x02');
    assert_non_null(close);
    assert_int_equal(close - open - 1, 6);
    assert_memory_equal(open + 1, "strips", 6);
    assert_contains(s, "Fentanyl test ");
}

static void test_search_diacritics(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    int n = search(f, "cafe", 0, 10, hits, &total);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].path, "/drug-checking");
    n = search(f, "caf\xc3\xa9", 0, 10, hits, &total);
    assert_int_equal(n, 1);
}

static void test_search_hostile_text(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total;
    const char *typed[] = {"\"(* OR NEAR", "fentanyl\" OR \"", "NEAR(fentanyl naloxone)", "title:naloxone",
                           "naloxone)", "*", "- fentanyl", "{title} : x", "\xe2\x80\x94", "fentanyl\xe2\x80\x94strips"};
    for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
        char q[512];
        if (!content_fts_query(typed[i], q, sizeof q))
            continue;
        total = -1;
        int n = content_store_search(f->db, "en", &f->a, q, 0, 10, hits, &total);
        if (n < 0)
            fail_msg("typed \"%s\" (query %s) broke the search", typed[i], q);
        assert_true(total >= n);
    }
    /* the words still count: "title:naloxone" finds pages with both words */
    assert_int_equal(search(f, "NEAR(fentanyl naloxone)", 0, 10, hits, &total), 0); /* no page says "near" */
    assert_int_equal(search(f, "naloxone)", 0, 10, hits, &total), 2);
}

static void test_search_malformed_query(void **state)
{
    struct fixture *f = *state;
    search_hit hits[10];
    int total = -1;
    /* BUG: content_store_search() in src/content/content_store.c returns 0
     * (no hits) when the query is not valid FTS5, e.g. "(" or "\"abc": it
     * stops at the failing sqlite3_step without checking for SQLITE_DONE,
     * so the database error is neither returned as -1 (content_store.h:
     * "-1 on a database error") nor counted by db_note_error. Expected -1.
     * content_fts_query never produces such a query, but any other caller,
     * or a future change to it, would see "no results" instead of a 500. */
    assert_int_equal(content_store_search(f->db, "en", &f->a, "(", 0, 10, hits, &total), -1);
}

static void test_reindex_replaces(void **state)
{
    struct fixture *f = *state;
    content_set smaller;
    load_pages(&smaller, 1); /* only /naloxone */
    assert_true(content_store_index(f->db, "en", &smaller));
    search_hit hits[10];
    int total;
    int n = search(f, "fentanyl", 0, 10, hits, &total);
    assert_int_equal(n, 0);
    n = search(f, "naloxone", 0, 10, hits, &total);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].path, "/naloxone");
    /* an index run that fails leaves the old index in place */
    content_set dup;
    load_pages(&dup, 2);
    free(dup.pages[1].path);
    dup.pages[1].path = strdup(dup.pages[0].path); /* the primary key twice */
    assert_false(content_store_index(f->db, "en", &dup));
    n = search(f, "naloxone", 0, 10, hits, &total);
    assert_int_equal(n, 1);
    assert_int_equal(sqlite3_get_autocommit(f->db), 1);
    free_pages(&dup);
    free_pages(&smaller);
}

static void test_empty_set(void **state)
{
    struct fixture *f = *state;
    content_set none = {NULL, 0};
    assert_true(content_store_index(f->db, "en", &none));
    search_hit hits[10];
    int total;
    assert_int_equal(search(f, "naloxone", 0, 10, hits, &total), 0);
    assert_int_equal(total, 0);
}

int main(void)
{
    /* errors the tests cause on purpose are logged; keep the output readable */
    log_set_level((enum log_level)(LOG_ERROR + 1));
#define TEST_CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fts_query_words),
        cmocka_unit_test(test_fts_query_syntax_harmless),
        cmocka_unit_test(test_fts_query_no_words),
        cmocka_unit_test(test_fts_query_limits),
        TEST_CASE(test_index_rows),
        TEST_CASE(test_search_exact_word),
        TEST_CASE(test_search_prefix),
        TEST_CASE(test_search_all_words),
        TEST_CASE(test_search_title_ranks_first),
        TEST_CASE(test_search_total_offset),
        TEST_CASE(test_search_snippet),
        TEST_CASE(test_search_diacritics),
        TEST_CASE(test_search_hostile_text),
        TEST_CASE(test_search_malformed_query),
        TEST_CASE(test_reindex_replaces),
        TEST_CASE(test_empty_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
