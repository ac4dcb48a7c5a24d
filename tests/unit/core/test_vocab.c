/* test_vocab: opening a vocabulary file and the one form of its messages:
 * a missing file, bad JSON (with line and column), a duplicate key, a
 * file that is not an object, a list of the wrong length, an entry named
 * by list, index and id; and the slug rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/vocab.h"
#include "wp_test.h"
#include "wp_tempdir.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    wp_temp_dir(dir);
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    wp_remove_dir(dir);
    return 0;
}

static void opens_an_object_and_reads_lists(void **state)
{
    (void)state;
    wp_write(dir, "vocab/a.json", "{\"items\": [{\"id\": \"x\", \"label\": \"\"}, 3]}");
    vocab v;
    char err[512] = "";
    assert_true(vocab_open(&v, dir, "vocab/a.json", err, sizeof(err)));
    json_t *items = vocab_list(&v, "items", 1, 4);
    assert_non_null(items);
    assert_string_equal(vocab_text(json_array_get(items, 0), "id"), "x");
    assert_null(vocab_text(json_array_get(items, 0), "label")); /* empty is missing */
    assert_null(vocab_text(json_array_get(items, 1), "id"));
    assert_null(vocab_list(&v, "items", 3, 4));
    char want[256];
    snprintf(want, sizeof(want), "%s/vocab/a.json: \"items\" must be a list of 3 to 4 entries", dir);
    assert_string_equal(err, want);
    assert_null(vocab_list(&v, "missing", 0, 4));
    assert_false(vocab_bad(&v, "items", 1, "x", "no %s", "label"));
    snprintf(want, sizeof(want), "%s/vocab/a.json: items[1] \"x\": no label", dir);
    assert_string_equal(err, want);
    vocab_bad(&v, "items", 0, NULL, "not an object");
    snprintf(want, sizeof(want), "%s/vocab/a.json: items[0]: not an object", dir);
    assert_string_equal(err, want);
    vocab_close(&v);
    vocab_close(&v); /* twice is harmless */
}

static void refuses_broken_files_naming_them(void **state)
{
    (void)state;
    vocab v;
    char err[512];
    assert_false(vocab_open(&v, dir, "vocab/none.json", err, sizeof(err)));
    assert_contains(err, "cannot read ");
    assert_contains(err, "vocab/none.json: No such file");
    wp_write(dir, "vocab/bad.json", "{\n  \"items\": [1, 2,]\n}");
    assert_false(vocab_open(&v, dir, "vocab/bad.json", err, sizeof(err)));
    assert_contains(err, "vocab/bad.json: line 2 column");
    wp_write(dir, "vocab/dup.json", "{\"items\": [], \"items\": []}");
    assert_false(vocab_open(&v, dir, "vocab/dup.json", err, sizeof(err)));
    assert_contains(err, "vocab/dup.json: line 1");
    assert_contains(err, "duplicate");
    wp_write(dir, "vocab/list.json", "[1, 2]");
    assert_false(vocab_open(&v, dir, "vocab/list.json", err, sizeof(err)));
    assert_contains(err, "vocab/list.json: the file is not a JSON object");
}

static void slugs(void **state)
{
    (void)state;
    assert_true(vocab_slug("drug-checking", 64));
    assert_true(vocab_slug("a1", 3));
    assert_false(vocab_slug("a12", 3)); /* max counts the terminating NUL */
    assert_false(vocab_slug("", 64));
    assert_false(vocab_slug(NULL, 64));
    assert_false(vocab_slug("Naloxone", 64));
    assert_false(vocab_slug("a b", 64));
    assert_false(vocab_slug("a&b", 64));
    assert_false(vocab_slug("a/b", 64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opens_an_object_and_reads_lists),
        cmocka_unit_test(refuses_broken_files_naming_them),
        cmocka_unit_test(slugs),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
