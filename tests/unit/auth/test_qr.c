/* test_qr: the QR code SVG. Its one path is read back into modules and
 * compared with libqrencode's own symbol for the same text, so the drawing
 * is checked module by module (quiet zone included); also the SVG's frame
 * (viewBox, size, role, escaped label, no style attribute) and refusals
 * that leave the buffer as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/qr.h"
#include "core/util.h"
#include "wp_test.h"

static const char *URI = "otpauth://totp/Waypost%20Staff:ana%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                         "&issuer=Waypost%20Staff&algorithm=SHA1&digits=6&period=30";

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Reads "M%d %dh%dv1h-%dz" runs from the path's d into grid (n x n). */
static void read_path(const char *svg, int n, unsigned char *grid)
{
    const char *d = strstr(svg, "<path fill=\"#000\" d=\"");
    assert_non_null(d);
    d += strlen("<path fill=\"#000\" d=\"");
    while (*d == 'M') {
        int x, y, len, back, used;
        assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &len, &back, &used), 4);
        assert_int_equal(len, back);
        assert_true(len >= 1 && x >= QR_QUIET && y >= QR_QUIET);
        assert_true(x + len <= n - QR_QUIET && y < n - QR_QUIET);
        for (int k = 0; k < len; k++) {
            assert_int_equal(grid[y * n + x + k], 0); /* no module drawn twice */
            grid[y * n + x + k] = 1;
        }
        d += used;
    }
    assert_string_equal(d, "\"/></svg>");
}

static void draws_libqrencodes_modules(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_true(qr_svg(URI, "Scan this code", &b));
    const char *s = buf_cstr(&b);
    QRcode *q = QRcode_encodeString(URI, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(q);
    int n = q->width + 2 * QR_QUIET;
    char want[160];
    snprintf(want, sizeof want, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"",
             n, n, n * QR_PIXELS, n * QR_PIXELS);
    assert_true(str_has_prefix(s, want));
    snprintf(want, sizeof want, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>", n, n);
    assert_contains(s, want);
    assert_contains(s, "role=\"img\" aria-label=\"Scan this code\"");
    assert_int_equal(count(s, "<path"), 1);
    assert_int_equal(count(s, "<svg"), 1);
    assert_not_contains(s, "style=");

    unsigned char *grid = xcalloc((size_t)n * (size_t)n, 1);
    read_path(s, n, grid);
    int dark = 0;
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            int inside = x >= QR_QUIET && y >= QR_QUIET && x < n - QR_QUIET && y < n - QR_QUIET;
            int want_dark = inside && (q->data[(y - QR_QUIET) * q->width + (x - QR_QUIET)] & 1);
            assert_int_equal(grid[y * n + x], want_dark);
            dark += want_dark;
        }
    assert_true(dark > q->width * q->width / 4); /* a real symbol, not an empty path */
    /* the top-left finder pattern: a dark 7x7 ring */
    for (int k = 0; k < 7; k++) {
        assert_int_equal(grid[QR_QUIET * n + QR_QUIET + k], 1);
        assert_int_equal(grid[(QR_QUIET + k) * n + QR_QUIET], 1);
    }
    free(grid);
    QRcode_free(q);
    buf_free(&b);
}

static void label_escaped(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_true(qr_svg("hello", "Scan \"this\" <code> & 'go'", &b));
    assert_contains(buf_cstr(&b), "aria-label=\"Scan &quot;this&quot; &lt;code&gt; &amp; &#39;go&#39;\"");
    assert_not_contains(buf_cstr(&b), "<code>");
    buf_reset(&b);
    assert_true(qr_svg("hello", NULL, &b));
    assert_contains(buf_cstr(&b), "aria-label=\"QR code\"");
    buf_reset(&b);
    assert_true(qr_svg("hello", "", &b));
    assert_contains(buf_cstr(&b), "aria-label=\"QR code\"");
    buf_free(&b);
}

static void appends_and_refuses_cleanly(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "<p>before</p>");
    assert_true(qr_svg("x", "l", &b));
    assert_true(str_has_prefix(buf_cstr(&b), "<p>before</p><svg "));
    assert_true(str_has_suffix(buf_cstr(&b), "</svg>"));
    buf_reset(&b);

    buf_puts(&b, "kept");
    assert_false(qr_svg("", "l", &b));
    assert_false(qr_svg(NULL, "l", &b));
    char *big = xmalloc(5001);
    memset(big, 'a', 5000);
    big[5000] = '\0';
    assert_false(qr_svg(big, "l", &b)); /* more than any QR code holds */
    free(big);
    assert_string_equal(buf_cstr(&b), "kept");
    buf_free(&b);

    buf small;
    buf_init(&small, 200);
    buf_puts(&small, "kept");
    assert_false(qr_svg(URI, "l", &small));
    assert_string_equal(buf_cstr(&small), "kept");
    assert_false(small.overflow);
    buf_free(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(draws_libqrencodes_modules),
        cmocka_unit_test(label_escaped),
        cmocka_unit_test(appends_and_refuses_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
