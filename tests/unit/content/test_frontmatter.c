/* test_frontmatter: unit tests for src/content/frontmatter.c, the parser
 * of the "---" header of content pages.
 *
 * A good header (scalars, a list, comments, blank lines, the body pointer,
 * length and line); errors with their 1-based line numbers: no opening
 * fence, no closing fence, a duplicate key (scalar or list), a list item
 * with no list above it, a line that is neither "key: value" nor "- item",
 * an indented key, a bad key, a NUL byte, too many keys or items; quoted
 * values; CRLF line ends; fences with trailing spaces; fm_get/fm_list
 * telling scalars from lists; and fm_free leaving nothing behind (ASan). */
#include "content/frontmatter.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static bool parse(fm *f, const char *src, char *err, size_t errlen)
{
    err[0] = '\0';
    return fm_parse(f, src, strlen(src), err, errlen);
}

/* Parses src, which must fail, and checks the error starts with prefix. */
static void expect_error(const char *src, const char *prefix, const char *also)
{
    fm f;
    char err[256];
    if (parse(&f, src, err, sizeof err)) {
        fm_free(&f);
        fail_msg("accepted: %s", src);
    }
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fail_msg("error \"%s\" does not start with \"%s\"", err, prefix);
    if (also)
        assert_contains(err, also);
}

static void test_good_header(void **state)
{
    (void)state;
    const char *src = "---\n"
                      "title: Overdose prevention\n"
                      "order: 2\n"
                      "# a comment line\n"
                      "\n"
                      "sources:\n"
                      "  - CDC. Lifesaving Naloxone (2024) | https://www.cdc.gov/x\n"
                      "  - Second source\n"
                      "summary:   spaced out   \n"
                      "---\n"
                      "Body line one.\n"
                      "Body line two.\n";
    fm f;
    char err[256];
    if (!parse(&f, src, err, sizeof err))
        fail_msg("fm_parse: %s", err);
    assert_int_equal(f.count, 4);
    assert_string_equal(fm_get(&f, "title"), "Overdose prevention");
    assert_string_equal(fm_get(&f, "order"), "2");
    assert_string_equal(fm_get(&f, "summary"), "spaced out");
    assert_null(fm_get(&f, "sources")); /* a list, not a scalar */
    assert_null(fm_get(&f, "missing"));
    const fm_entry *l = fm_list(&f, "sources");
    assert_non_null(l);
    assert_int_equal(l->nitems, 2);
    assert_string_equal(l->items[0], "CDC. Lifesaving Naloxone (2024) | https://www.cdc.gov/x");
    assert_string_equal(l->items[1], "Second source");
    assert_null(fm_list(&f, "title")); /* a scalar, not a list */
    assert_null(fm_list(&f, "missing"));
    /* the body is the text after the closing fence, in the source */
    const char *body = strstr(src, "Body line one.");
    assert_ptr_equal(f.body, body);
    assert_int_equal(f.body_len, strlen(body));
    assert_int_equal(f.body_line, 11);
    fm_free(&f);
    assert_int_equal(f.count, 0);
}

static void test_empty_header_and_body(void **state)
{
    (void)state;
    fm f;
    char err[256];
    const char *src = "---\n---\n";
    assert_true(parse(&f, src, err, sizeof err));
    assert_int_equal(f.count, 0);
    assert_int_equal(f.body_len, 0);
    assert_ptr_equal(f.body, src + strlen(src));
    assert_int_equal(f.body_line, 3);
    fm_free(&f);
    /* closing fence on the last line without a newline */
    const char *src2 = "---\na: 1\n---";
    assert_true(parse(&f, src2, err, sizeof err));
    assert_string_equal(fm_get(&f, "a"), "1");
    assert_int_equal(f.body_len, 0);
    assert_ptr_equal(f.body, src2 + strlen(src2));
    fm_free(&f);
}

static void test_missing_opening(void **state)
{
    (void)state;
    expect_error("title: x\n---\nbody\n", "line 1:", "---");
    expect_error("\n---\ntitle: x\n---\n", "line 1:", NULL); /* must be the very first line */
    expect_error("----\ntitle: x\n---\n", "line 1:", NULL);
    expect_error("-- -\n", "line 1:", NULL);
    expect_error(" ---\ntitle: x\n---\n", "line 1:", NULL);
}

static void test_empty_input(void **state)
{
    (void)state;
    fm f;
    char err[256];
    assert_false(parse(&f, "", err, sizeof err));
    /* BUG: fm_parse() in src/content/frontmatter.c reports an empty file as
     * "line 0: the front matter has no closing --- line". Lines are
     * 1-based (frontmatter.h) and the real problem is the missing opening
     * fence. Expected "line 1: the file must start with a --- line ...". */
    assert_string_equal(err, "line 1: the file must start with a --- line (front matter)");
}

static void test_missing_closing(void **state)
{
    (void)state;
    expect_error("---\ntitle: x\nsummary: y\n", "line 3:", "closing");
    expect_error("---\n", "line 1:", "closing");
    expect_error("---\ntitle: x", "line 2:", "closing");
    expect_error("---\ntitle: x\n----\n", "line 3:", NULL); /* ---- is not a fence */
}

static void test_duplicate_key(void **state)
{
    (void)state;
    expect_error("---\ntitle: a\nsummary: s\ntitle: b\n---\n", "line 4:", "\"title\" appears twice");
    expect_error("---\nsources:\n  - a\nsources:\n  - b\n---\n", "line 4:", "\"sources\"");
    expect_error("---\nsources:\n  - a\nsources: x\n---\n", "line 4:", "\"sources\"");
    expect_error("---\ntitle: a\ntitle:\n---\n", "line 3:", "\"title\"");
}

static void test_bad_lines(void **state)
{
    (void)state;
    expect_error("---\n- orphan item\n---\n", "line 2:", "list item");
    expect_error("---\ntitle: x\n- item under a scalar\n---\n", "line 3:", "list item");
    expect_error("---\ntitle: x\njust words\n---\n", "line 3:", "key: value");
    expect_error("---\n  title: x\n---\n", "line 2:", NULL); /* an indented key */
    expect_error("---\nti tle: x\n---\n", "line 2:", NULL);
    expect_error("---\n: no key\n---\n", "line 2:", NULL);
    expect_error("---\nké: x\n---\n", "line 2:", NULL);
    expect_error("---\na: 1\n-x\n---\n", "line 3:", NULL); /* "-x" is not an item */
}

static void test_nul_byte(void **state)
{
    (void)state;
    const char src[] = "---\ntitle: a\0b\n---\n";
    fm f;
    char err[256];
    assert_false(fm_parse(&f, src, sizeof src - 1, err, sizeof err));
    assert_contains(err, "line 2:");
    assert_contains(err, "NUL");
}

static void test_list_items(void **state)
{
    (void)state;
    const char *src = "---\n"
                      "tags:\n"
                      "- first\n"
                      "    - deeper indent\n"
                      "\t- tab\n"
                      "-\n"
                      "- \"quoted: item\"\n"
                      "empty:\n"
                      "after: x\n"
                      "---\n";
    fm f;
    char err[256];
    if (!parse(&f, src, err, sizeof err))
        fail_msg("fm_parse: %s", err);
    const fm_entry *l = fm_list(&f, "tags");
    assert_non_null(l);
    assert_int_equal(l->nitems, 5);
    assert_string_equal(l->items[0], "first");
    assert_string_equal(l->items[1], "deeper indent");
    assert_string_equal(l->items[2], "tab");
    assert_string_equal(l->items[3], "");
    assert_string_equal(l->items[4], "quoted: item");
    /* a key with no value and no items is an empty list */
    const fm_entry *e = fm_list(&f, "empty");
    assert_non_null(e);
    assert_int_equal(e->nitems, 0);
    assert_null(fm_get(&f, "empty"));
    assert_string_equal(fm_get(&f, "after"), "x");
    fm_free(&f);
}

static void test_quoted_values(void **state)
{
    (void)state;
    const char *src = "---\n"
                      "a: \"Hello: world\"\n"
                      "b: \"  keeps inner spaces  \"\n"
                      "c: \"\"\n"
                      "d: \"\n"
                      "e: 'single'\n"
                      "f: \"half\n"
                      "g: a \"b\" c\n"
                      "h: x: y: z\n"
                      "---\n";
    fm f;
    char err[256];
    if (!parse(&f, src, err, sizeof err))
        fail_msg("fm_parse: %s", err);
    assert_string_equal(fm_get(&f, "a"), "Hello: world");
    assert_string_equal(fm_get(&f, "b"), "  keeps inner spaces  ");
    assert_string_equal(fm_get(&f, "c"), "");
    assert_string_equal(fm_get(&f, "d"), "\"");
    assert_string_equal(fm_get(&f, "e"), "'single'");
    assert_string_equal(fm_get(&f, "f"), "\"half");
    assert_string_equal(fm_get(&f, "g"), "a \"b\" c");
    assert_string_equal(fm_get(&f, "h"), "x: y: z");
    fm_free(&f);
}

static void test_crlf(void **state)
{
    (void)state;
    const char *src = "---\r\n"
                      "title: Windows line ends\r\n"
                      "q: \"quoted\"\r\n"
                      "sources:\r\n"
                      "  - one\r\n"
                      "  - two \r\n"
                      "---\r\n"
                      "Body\r\n";
    fm f;
    char err[256];
    if (!parse(&f, src, err, sizeof err))
        fail_msg("fm_parse: %s", err);
    assert_string_equal(fm_get(&f, "title"), "Windows line ends");
    assert_string_equal(fm_get(&f, "q"), "quoted");
    const fm_entry *l = fm_list(&f, "sources");
    assert_non_null(l);
    assert_int_equal(l->nitems, 2);
    assert_string_equal(l->items[0], "one");
    assert_string_equal(l->items[1], "two");
    assert_int_equal(f.body_line, 8);
    assert_int_equal(f.body_len, 6);
    assert_memory_equal(f.body, "Body\r\n", 6);
    fm_free(&f);
}

static void test_fence_spaces(void **state)
{
    (void)state;
    fm f;
    char err[256];
    assert_true(parse(&f, "---   \ntitle: x\n--- \nbody", err, sizeof err));
    assert_string_equal(fm_get(&f, "title"), "x");
    assert_string_equal(f.body, "body");
    fm_free(&f);
}

static void test_key_characters(void **state)
{
    (void)state;
    fm f;
    char err[256];
    assert_true(parse(&f, "---\nsnake_case: 1\nkebab-case: 2\nCaps9: 3\n---\n", err, sizeof err));
    assert_string_equal(fm_get(&f, "snake_case"), "1");
    assert_string_equal(fm_get(&f, "kebab-case"), "2");
    assert_string_equal(fm_get(&f, "Caps9"), "3");
    assert_null(fm_get(&f, "caps9")); /* keys are case-sensitive */
    fm_free(&f);
}

static void test_too_many(void **state)
{
    (void)state;
    char src[8192];
    size_t n = (size_t)snprintf(src, sizeof src, "---\n");
    for (int i = 0; i < FM_MAX_KEYS; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, "k%d: v\n", i);
    snprintf(src + n, sizeof src - n, "---\n");
    fm f;
    char err[256];
    assert_true(parse(&f, src, err, sizeof err)); /* exactly the limit */
    assert_int_equal(f.count, FM_MAX_KEYS);
    fm_free(&f);
    snprintf(src + n, sizeof src - n, "one_more: v\n---\n");
    char line[32];
    snprintf(line, sizeof line, "line %d:", FM_MAX_KEYS + 2);
    expect_error(src, line, "keys");

    n = (size_t)snprintf(src, sizeof src, "---\nlist:\n");
    for (int i = 0; i < FM_MAX_ITEMS; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, "  - item %d\n", i);
    snprintf(src + n, sizeof src - n, "---\n");
    assert_true(parse(&f, src, err, sizeof err));
    assert_int_equal(fm_list(&f, "list")->nitems, FM_MAX_ITEMS);
    fm_free(&f);
    snprintf(src + n, sizeof src - n, "  - one more\n---\n");
    snprintf(line, sizeof line, "line %d:", FM_MAX_ITEMS + 3);
    expect_error(src, line, "items");
}

static void test_error_frees(void **state)
{
    (void)state;
    /* allocations made before an error are released (LeakSanitizer) */
    expect_error("---\na: 1\nb:\n - x\n - y\nc: 2\nbad line\n---\n", "line 7:", NULL);
    expect_error("---\na: 1\nlist:\n - x\n", "line 4:", "closing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_header),
        cmocka_unit_test(test_empty_header_and_body),
        cmocka_unit_test(test_missing_opening),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_missing_closing),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_list_items),
        cmocka_unit_test(test_quoted_values),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_fence_spaces),
        cmocka_unit_test(test_key_characters),
        cmocka_unit_test(test_too_many),
        cmocka_unit_test(test_error_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
