/* test_multipart: unit tests for src/http/multipart.c, multipart/form-data
 * bodies as a browser sends a form with a file.
 *
 * The boundary (plain, quoted, case of the type, refused when missing, too
 * long or with a character RFC 2046 does not allow); fields and a file
 * with its name (folders dropped, quotes respected: a "; filename=" inside
 * a quoted name is not a parameter); a preamble and an epilogue; an empty
 * value; values holding CRLF and dashes; the allowed list; refusals with a
 * reason (no delimiter, no closing delimiter, a part without a name or not
 * form-data, a NUL byte, invalid UTF-8, more than PARAMS_MAX parts); and
 * params_parse_body choosing by Content-Type. All memory from an arena. */
#include "http/multipart.h"
#include "core/buf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

#define CT "multipart/form-data; boundary=zz"

static int setup(void **state)
{
    arena *a = malloc(sizeof *a);
    arena_init(a);
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    arena_free(*state);
    free(*state);
    return 0;
}

static enum params_result parse(arena *a, const char *ct, const char *body, params *p, const char **why)
{
    *why = NULL;
    return multipart_parse(a, ct, body, strlen(body), NULL, p, why);
}

static void test_boundary(void **state)
{
    (void)state;
    char b[MULTIPART_BOUNDARY_MAX + 1];
    assert_true(multipart_boundary("multipart/form-data; boundary=abc", b));
    assert_string_equal(b, "abc");
    assert_true(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"; charset=x", b));
    assert_string_equal(b, "a b:c");
    assert_true(multipart_boundary("multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundaryX1", b));
    assert_string_equal(b, "----WebKitFormBoundaryX1");
    assert_false(multipart_boundary("multipart/form-data", b));
    assert_false(multipart_boundary("multipart/form-data; boundary=", b));
    assert_false(multipart_boundary("multipart/mixed; boundary=abc", b));
    assert_false(multipart_boundary("multipart/form-dataX; boundary=abc", b));
    assert_false(multipart_boundary("multipart/form-data; boundary=a<b", b));
    assert_false(multipart_boundary("multipart/form-data; boundary=\"ab \"", b));
    char longer[128];
    snprintf(longer, sizeof(longer), "multipart/form-data; boundary=%071d", 0);
    assert_false(multipart_boundary(longer, b));
    assert_false(multipart_boundary(NULL, b));
}

static void test_fields_and_file(void **state)
{
    params p;
    const char *why;
    const char *body = "--zz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
                       "--zz\r\ncontent-disposition: form-data; name=\"file\"; filename=\"C:\\\\docs\\\\a b.json\"\r\n"
                       "Content-Type: application/json\r\n\r\n[1,\r\n--z 2]\r\n"
                       "--zz--\r\n";
    assert_int_equal(parse(*state, CT, body, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 3);
    assert_string_equal(params_get(&p, "csrf"), "tok");
    assert_string_equal(params_get(&p, "file"), "[1,\r\n--z 2]");
    assert_string_equal(params_get(&p, "file.filename"), "a b.json");
}

static void test_preamble_epilogue_empty(void **state)
{
    params p;
    const char *why;
    const char *body = "ignored preamble\r\n--zz\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n"
                       "--zz  \r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--zz--\r\nepilogue";
    assert_int_equal(parse(*state, CT, body, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 2);
    assert_string_equal(params_get(&p, "a"), "");
    assert_string_equal(params_get(&p, "b"), "x");
}

static void test_quoted_name_holds_a_parameter(void **state)
{
    params p;
    const char *why;
    const char *body = "--zz\r\nContent-Disposition: form-data; name=\"x; filename=evil\"\r\n\r\nv\r\n--zz--";
    assert_int_equal(parse(*state, CT, body, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 1);
    assert_string_equal(params_get(&p, "x; filename=evil"), "v");
}

static void test_allowed(void **state)
{
    params p;
    const char *why = NULL;
    static const param_spec spec[] = {{"keep", PT_TEXT, 0, 100, NULL, NULL, 1, false},
                                      {"file.filename", PT_TEXT, 0, 100, NULL, NULL, 1, false},
                                      {NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false}};
    const char *body = "--zz\r\nContent-Disposition: form-data; name=\"drop\"\r\n\r\n1\r\n"
                       "--zz\r\nContent-Disposition: form-data; name=\"keep\"\r\n\r\n2\r\n"
                       "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n3\r\n--zz--";
    assert_int_equal(multipart_parse(*state, CT, body, strlen(body), spec, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 2);
    assert_string_equal(params_get(&p, "keep"), "2");
    assert_string_equal(params_get(&p, "file.filename"), "f");
    assert_null(params_get(&p, "file"));
}

static void test_refused(void **state)
{
    params p;
    const char *why;
    const char *bad[] = {
        "no delimiter at all",
        "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed",
        "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--zz",
        "--zz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--zz--",
        "--zz\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--zz--",
        "--zz\r\n\r\nno headers\r\n--zz--",
        "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\nno blank line\r\n--zz--",
        "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--zz--",
        "--zzX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--zz--",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse(*state, CT, bad[i], &p, &why), PARAMS_BAD);
        assert_non_null(why);
    }
    const char nul[] = "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\na\0b\r\n--zz--";
    why = NULL;
    assert_int_equal(multipart_parse(*state, CT, nul, sizeof(nul) - 1, NULL, &p, &why), PARAMS_BAD);
    assert_non_null(why);
    assert_int_equal(parse(*state, "multipart/form-data", "--zz--", &p, &why), PARAMS_BAD);
}

static void test_max_parts(void **state)
{
    buf b = BUF_INIT;
    for (int i = 0; i <= PARAMS_MAX; i++)
        buf_printf(&b, "--zz\r\nContent-Disposition: form-data; name=\"k%d\"\r\n\r\nv\r\n", i);
    buf_puts(&b, "--zz--\r\n");
    params p;
    const char *why;
    assert_int_equal(parse(*state, CT, buf_cstr(&b), &p, &why), PARAMS_BAD);
    assert_string_equal(why, "too many parameters");
    buf_free(&b);
}

static void test_body_by_type(void **state)
{
    params p;
    const char *why = NULL;
    assert_int_equal(params_parse_body(*state, "application/x-www-form-urlencoded", "a=1&b=2", 7, NULL, &p, &why),
                     PARAMS_OK);
    assert_int_equal(p.count, 2);
    const char *body = "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--zz--";
    assert_int_equal(params_parse_body(*state, CT, body, strlen(body), NULL, &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "a"), "1");
    assert_int_equal(params_parse_body(*state, "application/json", "{}", 2, NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 0);
    assert_int_equal(params_parse_body(*state, NULL, "a=1", 3, NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 0);
}

int main(void)
{
#define TEST_CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST_CASE(test_boundary),         TEST_CASE(test_fields_and_file), TEST_CASE(test_preamble_epilogue_empty),
        TEST_CASE(test_quoted_name_holds_a_parameter), TEST_CASE(test_allowed), TEST_CASE(test_refused),
        TEST_CASE(test_max_parts),        TEST_CASE(test_body_by_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
