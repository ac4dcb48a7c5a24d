/* test_csp: unit tests for server_csp in src/http/server.c, the
 * Content-Security-Policy every response carries.
 *
 * Without map.tiles the policy is exactly the site-only one (byte for
 * byte); with a tile template, img-src (and only img-src) also names the
 * tile server's origin, port and {s} wildcard included; a template with no
 * usable origin and a buffer too small are refused. */
#include "http/server.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

#define SITE_ONLY                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "         \
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

static void test_no_tiles(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char csp[512];
    assert_true(server_csp(&c, csp, sizeof csp));
    assert_string_equal(csp, SITE_ONLY);
    assert_true(server_csp(NULL, csp, sizeof csp));
    assert_string_equal(csp, SITE_ONLY);
}

static void test_tiles_in_img_src_only(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char csp[512];
    snprintf(c.tiles, sizeof c.tiles, "%s", "http://127.0.0.1:8999/{z}/{x}/{y}.png");
    assert_true(server_csp(&c, csp, sizeof csp));
    assert_string_equal(csp, "default-src 'self'; script-src 'self'; style-src 'self'; "
                             "img-src 'self' http://127.0.0.1:8999; font-src 'self'; connect-src 'self'; "
                             "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    assert_int_equal(strlen(csp), strlen(SITE_ONLY) + strlen(" http://127.0.0.1:8999"));

    snprintf(c.tiles, sizeof c.tiles, "%s", "https://{s}.Tiles.Example.org/{z}/{x}/{y}{r}.png?key=abc");
    assert_true(server_csp(&c, csp, sizeof csp));
    assert_contains(csp, "; img-src 'self' https://*.tiles.example.org; font-src 'self';");
    assert_not_contains(csp, "key=abc");
    assert_not_contains(csp, "{");
}

static void test_refused(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char csp[512];
    snprintf(c.tiles, sizeof c.tiles, "%s", "https://a.example.org;script-src */{z}/{x}/{y}");
    assert_false(server_csp(&c, csp, sizeof csp));
    snprintf(c.tiles, sizeof c.tiles, "%s", "https://tiles.example.org/{z}/{x}/{y}.png");
    char small[40];
    assert_false(server_csp(&c, small, sizeof small));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_tiles),
        cmocka_unit_test(test_tiles_in_img_src_only),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
