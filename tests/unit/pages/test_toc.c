/* test_toc: unit tests for src/pages/toc.c (a fact sheet's contents list
 * from its headings) and src/pages/images.c (image sizes from SVG and PNG
 * bytes; pages without static images left alone). */
#include "pages/images.h"
#include "pages/toc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static void headings_in_order_with_text_escaped(void **state)
{
    (void)state;
    const char *html = "<p>x</p><h2 id=\"other-names\">Other names</h2><p>y</p>"
                       "<h2 id=\"a-b\">Tips &amp; <em>tricks</em>\n  here</h2>"
                       "<h3 id=\"deep\">Not this</h3><h2>No id</h2><h2 id=\"bad id\">Skipped</h2>"
                       "<h2 id=\"last\">Last</h2>";
    toc_entry e[8];
    int n = toc_scan(html, strlen(html), e, 8);
    assert_int_equal(n, 3);
    assert_string_equal(e[0].id, "other-names");
    assert_string_equal(e[0].text, "Other names");
    assert_string_equal(e[1].text, "Tips &amp; tricks here");
    assert_string_equal(e[2].id, "last");
    buf b = BUF_INIT;
    toc_html(&b, e, 1);
    assert_string_equal(buf_cstr(&b), "<li><a href=\"#other-names\">Other names</a></li>");
    buf_free(&b);
    assert_int_equal(toc_scan(html, strlen(html), e, 1), 1);
}

static void truncated_html_is_safe(void **state)
{
    (void)state;
    const char *html = "<h2 id=\"x\">Cut";
    toc_entry e[4];
    for (size_t len = 0; len <= strlen(html); len++)
        assert_int_equal(toc_scan(html, len, e, 4), 0);
    const char *ok = "<h2 id=\"x\">Whole</h2>";
    assert_int_equal(toc_scan(ok, strlen(ok), e, 4), 1);
    assert_int_equal(toc_scan(ok, strlen(ok) - 1, e, 4), 0);
}

static void image_sizes(void **state)
{
    (void)state;
    long w = 0, h = 0;
    const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 760\" "
                      "stroke-width=\"3\" width=\"200\" height=\"760\"><rect width=\"5\"/></svg>";
    assert_true(images_size((const unsigned char *)svg, strlen(svg), &w, &h));
    assert_int_equal(w, 200);
    assert_int_equal(h, 760);
    const char *nosize = "<svg viewBox=\"0 0 1 1\"><rect width=\"5\" height=\"5\"/></svg>";
    assert_false(images_size((const unsigned char *)nosize, strlen(nosize), &w, &h));
    const unsigned char png[24] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                   0, 0, 1, 44, 0, 0, 0, 90};
    assert_true(images_size(png, sizeof(png), &w, &h));
    assert_int_equal(w, 300);
    assert_int_equal(h, 90);
    assert_false(images_size(png, 20, &w, &h));
    /* no assets loaded: nothing to rewrite, and a page without images is left alone */
    assert_null(images_rewrite("<p><img src=\"/static/img/none.svg\" alt=\"\"></p>"));
    assert_null(images_rewrite("<p>No images</p>"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headings_in_order_with_text_escaped),
        cmocka_unit_test(truncated_html_is_safe),
        cmocka_unit_test(image_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
