/* test_escape: unit tests for src/core/escape.c, the context escapers and
 * percent-decoding.
 *
 * esc_html replaces all five of & < > " ' and nothing else; esc_url keeps
 * only unreserved characters and encodes everything else, UTF-8 bytes
 * included, as upper-case %XX; esc_json escapes quotes, backslashes, every
 * control character and < > & (so JSON can sit inside <script>); all three
 * report overflow. url_decode: good escapes in both cases, '+' only when
 * asked, refused input (%zz, a trailing % or %4, %00), and the exact size
 * of the output buffer. */
#include "core/escape.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef bool (*escaper)(buf *, const char *, size_t);

/* Runs one escaper on [s, s+n) and checks the output. */
static void check_esc(escaper f, const char *s, size_t n, const char *want)
{
    buf b;
    buf_init(&b, 0);
    assert_true(f(&b, s, n));
    assert_string_equal(buf_cstr(&b), want);
    assert_int_equal(b.len, strlen(want));
    buf_free(&b);
}

#define ESC(f, lit, want) check_esc((f), (lit), sizeof(lit) - 1, (want))

/* ---- esc_html ---- */

static void test_html_five(void **state)
{
    (void)state;
    ESC(esc_html, "&", "&amp;");
    ESC(esc_html, "<", "&lt;");
    ESC(esc_html, ">", "&gt;");
    ESC(esc_html, "\"", "&quot;");
    ESC(esc_html, "'", "&#39;");
    ESC(esc_html, "<a href=\"x\" title='y'>Tom & Jerry</a>",
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
    ESC(esc_html, "&amp;", "&amp;amp;"); /* no double-decoding shortcuts */
}

static void test_html_passthrough(void **state)
{
    (void)state;
    ESC(esc_html, "", "");
    ESC(esc_html, "plain text, 100% safe; ok? (yes) / = \\ `", "plain text, 100% safe; ok? (yes) / = \\ `");
    ESC(esc_html, "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac");
    /* n, not the NUL, sets the length */
    check_esc(esc_html, "a<b>c", 2, "a&lt;");
}

static void test_html_str(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(esc_html_str(&b, "1 < 2"));
    assert_true(esc_html_str(&b, NULL)); /* NULL writes nothing */
    assert_true(esc_html_str(&b, ""));
    assert_string_equal(buf_cstr(&b), "1 &lt; 2");
    buf_free(&b);
}

static void test_html_overflow(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_false(esc_html(&b, "<<<", 3)); /* 12 bytes > 8 */
    assert_true(b.overflow);
    assert_true(b.len <= 8);
    buf_free(&b);
}

/* ---- esc_url ---- */

static void test_url_unreserved(void **state)
{
    (void)state;
    ESC(esc_url, "AZaz09-._~", "AZaz09-._~");
    ESC(esc_url, "", "");
}

static void test_url_reserved(void **state)
{
    (void)state;
    ESC(esc_url, " ", "%20");
    ESC(esc_url, "+", "%2B");
    ESC(esc_url, "a b&c=d/e?f#g", "a%20b%26c%3Dd%2Fe%3Ff%23g");
    ESC(esc_url, ":;@!$'()*,[]", "%3A%3B%40%21%24%27%28%29%2A%2C%5B%5D");
    ESC(esc_url, "%", "%25");
    ESC(esc_url, "<\">", "%3C%22%3E");
    ESC(esc_url, "\n\t\x7f", "%0A%09%7F");
    check_esc(esc_url, "\0", 1, "%00");
}

static void test_url_utf8(void **state)
{
    (void)state;
    ESC(esc_url, "caf\xc3\xa9", "caf%C3%A9");
    ESC(esc_url, "\xe2\x82\xac", "%E2%82%AC");
    ESC(esc_url, "\xf0\x9f\x92\x8a", "%F0%9F%92%8A");
    ESC(esc_url, "\xff", "%FF");
}

static void test_url_overflow(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 5);
    assert_false(esc_url(&b, "  ", 2)); /* %20%20 is 6 bytes */
    assert_true(b.overflow);
    buf_free(&b);
}

/* ---- esc_json ---- */

static void test_json_basic(void **state)
{
    (void)state;
    ESC(esc_json, "plain", "plain");
    ESC(esc_json, "", "");
    ESC(esc_json, "\"", "\\\"");
    ESC(esc_json, "\\", "\\\\");
    ESC(esc_json, "a\nb\rc\td", "a\\nb\\rc\\td");
    ESC(esc_json, "say \"hi\" \\o/", "say \\\"hi\\\" \\\\o/");
    ESC(esc_json, "/ ' `", "/ ' `");
}

static void test_json_control(void **state)
{
    (void)state;
    check_esc(esc_json, "\0", 1, "\\u0000");
    ESC(esc_json, "\x01", "\\u0001");
    ESC(esc_json, "\b\f", "\\u0008\\u000c");
    ESC(esc_json, "\x1b", "\\u001b");
    ESC(esc_json, "\x1f", "\\u001f");
    ESC(esc_json, " ", " "); /* 0x20 is not a control character */
    /* every control character is escaped */
    for (int c = 0; c < 0x20; c++) {
        char in = (char)c;
        buf b;
        buf_init(&b, 0);
        assert_true(esc_json(&b, &in, 1));
        assert_int_equal(buf_cstr(&b)[0], '\\');
        for (size_t i = 0; i < b.len; i++)
            if ((unsigned char)b.data[i] < 0x20)
                fail_msg("control character 0x%02x came out raw", c);
        buf_free(&b);
    }
}

static void test_json_html_safe(void **state)
{
    (void)state;
    ESC(esc_json, "<", "\\u003c");
    ESC(esc_json, ">", "\\u003e");
    ESC(esc_json, "&", "\\u0026");
    ESC(esc_json, "</script><!--", "\\u003c/script\\u003e\\u003c!--");
}

static void test_json_utf8_passthrough(void **state)
{
    (void)state;
    ESC(esc_json, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\x8a", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\x8a");
    ESC(esc_json, "\x7f", "\x7f");
}

static void test_json_overflow(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 4);
    assert_false(esc_json(&b, "<", 1)); /* \u003c is 6 bytes */
    assert_true(b.overflow);
    buf_free(&b);
}

/* ---- url_decode ---- */

/* Decodes a literal and returns the length (or -1); out gets the text. */
static long dec(const char *s, char *out, size_t cap, bool plus)
{
    return url_decode(s, strlen(s), out, cap, plus);
}

static void test_decode_good(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(dec("abc", out, sizeof out, true), 3);
    assert_string_equal(out, "abc");
    assert_int_equal(dec("a%20b", out, sizeof out, true), 3);
    assert_string_equal(out, "a b");
    assert_int_equal(dec("%41%42%43", out, sizeof out, true), 3);
    assert_string_equal(out, "ABC");
    assert_int_equal(dec("caf%c3%a9", out, sizeof out, true), 5); /* lower-case hex */
    assert_string_equal(out, "caf\xc3\xa9");
    assert_int_equal(dec("caf%C3%A9", out, sizeof out, true), 5);
    assert_string_equal(out, "caf\xc3\xa9");
    assert_int_equal(dec("%25", out, sizeof out, true), 1);
    assert_string_equal(out, "%");
    assert_int_equal(dec("%2525", out, sizeof out, true), 3); /* decoded once only */
    assert_string_equal(out, "%25");
    assert_int_equal(dec("", out, sizeof out, true), 0);
    assert_string_equal(out, "");
    assert_int_equal(dec("%ff", out, sizeof out, true), 1); /* bytes, checked elsewhere */
    assert_int_equal((unsigned char)out[0], 0xFF);
}

static void test_decode_plus(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(dec("a+b++c", out, sizeof out, true), 6);
    assert_string_equal(out, "a b  c");
    assert_int_equal(dec("a+b", out, sizeof out, false), 3);
    assert_string_equal(out, "a+b");
    /* %2B is always a plus, never a space */
    assert_int_equal(dec("1%2B1", out, sizeof out, true), 3);
    assert_string_equal(out, "1+1");
}

static void test_decode_malformed(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(dec("%zz", out, sizeof out, true), -1);
    assert_int_equal(dec("%g0", out, sizeof out, true), -1);
    assert_int_equal(dec("%0g", out, sizeof out, true), -1);
    assert_int_equal(dec("abc%", out, sizeof out, true), -1);
    assert_int_equal(dec("%", out, sizeof out, true), -1);
    assert_int_equal(dec("%4", out, sizeof out, true), -1);
    assert_int_equal(dec("ab%4", out, sizeof out, true), -1);
    assert_int_equal(dec("% 41", out, sizeof out, true), -1);
    assert_int_equal(dec("%+41", out, sizeof out, true), -1);
    assert_int_equal(dec("%-1", out, sizeof out, true), -1);
    /* the length limits the look-ahead: "%41" cut after "%4" is malformed */
    assert_int_equal(url_decode("%41", 2, out, sizeof out, true), -1);
}

static void test_decode_nul_refused(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(dec("%00", out, sizeof out, true), -1);
    assert_int_equal(dec("abc%00def", out, sizeof out, true), -1);
    assert_int_equal(url_decode("a\0b", 3, out, sizeof out, true), -1); /* a raw NUL too */
}

static void test_decode_exact_cap(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'X', sizeof out);
    assert_int_equal(dec("abc", out, 4, true), 3); /* 3 bytes + NUL == 4 */
    assert_string_equal(out, "abc");
    assert_int_equal(dec("abc", out, 3, true), -1); /* no room for the NUL */
    assert_int_equal(dec("%41%42", out, 3, true), 2);
    assert_string_equal(out, "AB");
    assert_int_equal(dec("%41%42", out, 2, true), -1);
    assert_int_equal(dec("", out, 1, true), 0);
    assert_string_equal(out, "");
    assert_int_equal(dec("", out, 0, true), -1);
    assert_int_equal(dec("a", out, 0, true), -1);
    assert_int_equal(dec("a", out, 1, true), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_five),
        cmocka_unit_test(test_html_passthrough),
        cmocka_unit_test(test_html_str),
        cmocka_unit_test(test_html_overflow),
        cmocka_unit_test(test_url_unreserved),
        cmocka_unit_test(test_url_reserved),
        cmocka_unit_test(test_url_utf8),
        cmocka_unit_test(test_url_overflow),
        cmocka_unit_test(test_json_basic),
        cmocka_unit_test(test_json_control),
        cmocka_unit_test(test_json_html_safe),
        cmocka_unit_test(test_json_utf8_passthrough),
        cmocka_unit_test(test_json_overflow),
        cmocka_unit_test(test_decode_good),
        cmocka_unit_test(test_decode_plus),
        cmocka_unit_test(test_decode_malformed),
        cmocka_unit_test(test_decode_nul_refused),
        cmocka_unit_test(test_decode_exact_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
