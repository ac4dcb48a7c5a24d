/* test_card_cache: the finder's cards kept per directory generation
 * (src/locator/card_cache.c), with their HTML (card_cache_html) and the
 * languages spoken (card_cache_langs). A card read twice gives the same
 * HTML, the second time from the cache; a template set that cannot split
 * the card answers false with nothing written; a new import (a new
 * generation) shows the new name; a missing listing is false. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_store.h"
#include "locator/card_cache.h"
#include "locator/locator.h"
#include "tmpl/mustache.h"
#include "wp_test.h"

#define SVC(name)                                                                                                  \
    "{\"id\":\"svc-1\",\"name\":\"" name "\",\"organization\":{\"id\":\"org-1\",\"name\":\"Org\"},"             \
    "\"languages\":[{\"id\":\"l-1\",\"name\":\"Spanish\",\"code\":\"es\"}],"                                     \
    "\"service_at_locations\":[{\"id\":\"sal-1\",\"location\":{\"id\":\"loc-1\",\"name\":\"Here\","             \
    "\"latitude\":39.74,\"longitude\":-104.99}}],\"attributes\":[{\"id\":\"at-1\",\"taxonomy_term\":{"          \
    "\"id\":\"term-n\",\"code\":\"naloxone\",\"name\":\"naloxone\",\"taxonomy\":\"Waypost\","                   \
    "\"taxonomy_id\":\"" WAYPOST_TAXONOMY_ID "\"}}]}\n"

static int setup(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[512];
    if (!locator_codes_load(&c, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    card_cache_clear();
    locator_codes_free();
    return 0;
}

static void import(sqlite3 *db, const char *text)
{
    hsds_import_counts c;
    char err[512];
    if (!hsds_import_text(db, "t.ndjson", text, strlen(text), &c, err, sizeof(err)))
        fail_msg("%s", err);
}

static mus_set *set_with(const char *partial)
{
    mus_set *s = mus_set_new();
    char err[256];
    if (!mus_set_add(s, "partials/listing", partial, strlen(partial), err, sizeof(err)))
        fail_msg("%s", err);
    return s;
}

static uint32_t only_rowid(sqlite3 *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM dir_service_at_location", -1, &st, NULL), SQLITE_OK);
    uint32_t r = sqlite3_step(st) == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    assert_true(r != 0);
    return r;
}

/* The card's HTML now, or NULL when card_cache_html says false. */
static char *html_of(sqlite3 *db, const mus_set *set, uint32_t rowid, long *generation)
{
    arena a;
    arena_init(&a);
    *generation = card_cache_begin(db);
    card_fill f = {4, "1.0 miles", NULL, false, 0, 0};
    card c;
    buf b = BUF_INIT;
    const char *name = NULL;
    bool ok = card_cache_html(db, &a, *generation, rowid, 0, "America/Denver", I18N_SOURCE, set, &f, &c, &b, &name);
    if (ok) { /* the name for the map's pin */
        assert_true(name && !strncmp(name, "Clinic ", 7));
        assert_contains(buf_cstr(&b), name);
    } else
        assert_int_equal(b.len, 0);
    arena_free(&a);
    char *s = ok ? xstrdup(buf_cstr(&b)) : NULL;
    buf_free(&b);
    return s;
}

static void cards_are_kept_as_html_per_generation(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = wp_temp_db(path);
    import(db, SVC("Clinic A"));
    uint32_t rowid = only_rowid(db);
    mus_set *set = set_with("<h3>{{number}} {{name}}</h3><p>{{distance}} {{hours_now}}{{#open_now}}!{{/open_now}}</p>"
                            "<ul>{{#top_chips}}<li>{{code}}</li>{{/top_chips}}</ul>\n");
    long g1, g2;
    assert_int_equal(card_cache_html_bytes(), 0);
    char *first = html_of(db, set, rowid, &g1);
    assert_true(g1 >= 0);
    assert_non_null(first);
    assert_contains(first, "<h3>4 Clinic A</h3><p>1.0 miles ");
    assert_contains(first, "<ul><li>naloxone</li></ul>");
    assert_true(card_cache_html_bytes() > 0);
    char *again = html_of(db, set, rowid, &g2);
    assert_int_equal(g1, g2);
    assert_string_equal(first, again);
    uint32_t langs = 0;
    assert_true(card_cache_langs(db, NULL, g1, rowid, "America/Denver", &langs));
    assert_int_equal(langs, 1u << card_language_index("es"));
    assert_false(card_cache_langs(db, NULL, g1, rowid + 1000, "America/Denver", &langs));
    mus_set *bad = set_with("<p>{{{distance}}} {{number}} {{hours_now}}</p>\n"); /* unescaped: not split */
    long g3;
    assert_null(html_of(db, bad, rowid, &g3));
    import(db, SVC("Clinic B"));
    char *renamed = html_of(db, set, rowid, &g3);
    assert_true(g3 > g1);
    assert_contains(renamed, "<h3>4 Clinic B</h3>");
    card_cache_clear();
    assert_int_equal(card_cache_html_bytes(), 0);
    free(first);
    free(again);
    free(renamed);
    mus_set_free(set);
    mus_set_free(bad);
    sqlite3_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cards_are_kept_as_html_per_generation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
