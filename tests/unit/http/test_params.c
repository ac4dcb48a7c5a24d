/* test_params: unit tests for src/http/params.c, query/form and Cookie
 * parsing.
 *
 * Query strings: simple pairs, ';' as a separator, repeated keys with
 * params_count/params_get_nth, '+' as a space and %2B as a plus, decoded
 * keys, empty pairs, a key without '=', empty values, the allowed list
 * (filtering, and "" allowing nothing), and refusal (PARAMS_BAD with a
 * reason) for malformed escapes, %00, invalid UTF-8 and more than
 * PARAMS_MAX pairs. Cookies: spaces, quoted values, no percent-decoding,
 * a missing name, a piece without '=', bad bytes. Also the typed specs:
 * param_spec_find (exact names and prefix*) and params_check (each type,
 * its range, repeats, blank form fields, the key named in the error). All
 * memory comes from an arena. */
#include "http/params.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

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

/* Parses s keeping the keys of the comma-separated list allowed (NULL:
 * every key), each as text. */
static enum params_result query(arena *a, const char *s, const char *allowed, params *p, const char **why)
{
    *why = NULL;
    if (!allowed)
        return params_parse_query(a, s, strlen(s), NULL, p, why);
    param_spec spec[8] = {{0}};
    char names[8][32];
    int n = 0;
    for (const char *c = allowed; *c && n < 7;) {
        const char *end = strchr(c, ',');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        snprintf(names[n], sizeof(names[n]), "%.*s", (int)len, c);
        spec[n] = (param_spec){names[n], PT_TEXT, 0, 1000, NULL, NULL, 1, false};
        n++;
        c += len + (end ? 1 : 0);
    }
    return params_parse_query(a, s, strlen(s), spec, p, why);
}

static enum params_result cookie(arena *a, const char *s, params *p, const char **why)
{
    *why = NULL;
    return params_parse_cookie(a, s, strlen(s), p, why);
}

static void test_query_simple(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "a=1&b=2", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 2);
    assert_string_equal(p.items[0].key, "a");
    assert_string_equal(p.items[0].value, "1");
    assert_string_equal(p.items[1].key, "b");
    assert_string_equal(p.items[1].value, "2");
    assert_string_equal(params_get(&p, "a"), "1");
    assert_string_equal(params_get(&p, "b"), "2");
    assert_null(params_get(&p, "c"));
    assert_null(params_get(&p, "A")); /* keys are case-sensitive */
}

static void test_query_semicolon(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "a=1;b=2", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 2);
    assert_string_equal(params_get(&p, "b"), "2");
}

static void test_query_repeated(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "s=a&x=1&s=b&s=c", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 4);
    assert_int_equal(params_count(&p, "s"), 3);
    assert_int_equal(params_count(&p, "x"), 1);
    assert_int_equal(params_count(&p, "nope"), 0);
    assert_string_equal(params_get(&p, "s"), "a");
    assert_string_equal(params_get_nth(&p, "s", 0), "a");
    assert_string_equal(params_get_nth(&p, "s", 1), "b");
    assert_string_equal(params_get_nth(&p, "s", 2), "c");
    assert_null(params_get_nth(&p, "s", 3));
    assert_string_equal(params_get_nth(&p, "x", 0), "1");
    assert_null(params_get_nth(&p, "x", 1));
    assert_null(params_get_nth(&p, "nope", 0));
}

static void test_query_decoding(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "q=safer+use&r=1%2B1&k%20ey=v%26w&u=caf%C3%A9", NULL, &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "q"), "safer use");
    assert_string_equal(params_get(&p, "r"), "1+1");
    assert_string_equal(params_get(&p, "k ey"), "v&w");
    assert_string_equal(params_get(&p, "u"), "caf\xc3\xa9");
    /* '=' inside the value stays */
    assert_int_equal(query(*state, "e=a=b", NULL, &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "e"), "a=b");
}

static void test_query_empty_pairs(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 0);
    assert_int_equal(query(*state, "&&a=1&&&b=2&", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 2);
    assert_string_equal(params_get(&p, "a"), "1");
    assert_string_equal(params_get(&p, "b"), "2");
    assert_int_equal(query(*state, "&;&", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 0);
}

static void test_query_key_without_value(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "flag&a=&b=2", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 3);
    assert_non_null(params_get(&p, "flag"));
    assert_string_equal(params_get(&p, "flag"), "");
    assert_string_equal(params_get(&p, "a"), "");
    assert_string_equal(params_get(&p, "b"), "2");
}

static void test_query_resets_count(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "a=1&b=2&c=3", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(query(*state, "z=9", NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 1);
    assert_null(params_get(&p, "a"));
}

static void test_query_length_not_nul(void **state)
{
    params p;
    const char *why = NULL;
    /* n, not a NUL, ends the input */
    assert_int_equal(params_parse_query(*state, "a=1&b=2", 3, NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 1);
    assert_string_equal(params_get(&p, "a"), "1");
}

static void test_query_allowed(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "q=x&utm_source=y&page=2&qq=z&pag=1", "q,page", &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 2);
    assert_string_equal(params_get(&p, "q"), "x");
    assert_string_equal(params_get(&p, "page"), "2");
    assert_null(params_get(&p, "utm_source"));
    assert_null(params_get(&p, "qq"));
    assert_null(params_get(&p, "pag"));
    /* "" allows nothing (routes that read no parameters) */
    assert_int_equal(query(*state, "a=1&b=2", "", &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 0);
    /* the allowed list is matched against the decoded key */
    assert_int_equal(query(*state, "%71=decoded", "q", &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "q"), "decoded");
    /* dropped keys are still checked: a bad escape anywhere refuses all */
    assert_int_equal(query(*state, "q=1&junk=%zz", "q", &p, &why), PARAMS_BAD);
}

static void test_query_bad_escape(void **state)
{
    params p;
    const char *why;
    const char *bad[] = {"q=%zz", "q=%", "q=abc%4", "%zz=1", "a=1&b=%G1", "q=100%"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (query(*state, bad[i], NULL, &p, &why) != PARAMS_BAD)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_non_null(why);
        assert_true(why[0] != '\0');
    }
}

static void test_query_nul(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "q=a%00b", NULL, &p, &why), PARAMS_BAD);
    assert_non_null(why);
    assert_int_equal(query(*state, "%00=1", NULL, &p, &why), PARAMS_BAD);
    /* a raw NUL inside the length */
    assert_int_equal(params_parse_query(*state, "q=a\0b", 5, NULL, &p, &why), PARAMS_BAD);
}

static void test_query_bad_utf8(void **state)
{
    params p;
    const char *why;
    assert_int_equal(query(*state, "q=%C3", NULL, &p, &why), PARAMS_BAD);
    assert_non_null(why);
    assert_contains(why, "UTF-8");
    assert_int_equal(query(*state, "q=%C0%80", NULL, &p, &why), PARAMS_BAD);  /* overlong */
    assert_int_equal(query(*state, "q=%ED%A0%80", NULL, &p, &why), PARAMS_BAD); /* surrogate */
    assert_int_equal(query(*state, "q=%FF", NULL, &p, &why), PARAMS_BAD);
    assert_int_equal(query(*state, "%FF=1", NULL, &p, &why), PARAMS_BAD);
    assert_int_equal(query(*state, "q=\xff", NULL, &p, &why), PARAMS_BAD); /* raw byte */
    assert_int_equal(query(*state, "q=%E2%82%AC", NULL, &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "q"), "\xe2\x82\xac");
}

static void test_query_max(void **state)
{
    params p;
    const char *why;
    char s[2000] = "";
    size_t n = 0;
    for (int i = 0; i < PARAMS_MAX; i++)
        n += (size_t)snprintf(s + n, sizeof s - n, "%sk%d=%d", i ? "&" : "", i, i);
    assert_int_equal(query(*state, s, NULL, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, PARAMS_MAX);
    assert_string_equal(params_get(&p, "k63"), "63");
    snprintf(s + n, sizeof s - n, "&one=more");
    assert_int_equal(query(*state, s, NULL, &p, &why), PARAMS_BAD);
    assert_non_null(why);
    assert_contains(why, "too many");
    /* pairs the allowed list drops do not count */
    assert_int_equal(query(*state, s, "one", &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 1);
    assert_string_equal(params_get(&p, "one"), "more");
}

/* ---- cookies ---- */

static void test_cookie_simple(void **state)
{
    params p;
    const char *why;
    assert_int_equal(cookie(*state, "a=1; b=2", &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 2);
    assert_string_equal(params_get(&p, "a"), "1");
    assert_string_equal(params_get(&p, "b"), "2");
    assert_int_equal(cookie(*state, "  a=1  ;b=2;   c=3 ;  ", &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 3);
    assert_string_equal(params_get(&p, "a"), "1");
    assert_string_equal(params_get(&p, "b"), "2");
    assert_string_equal(params_get(&p, "c"), "3");
    assert_int_equal(cookie(*state, "", &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 0);
    assert_int_equal(cookie(*state, " ; ;; ", &p, &why), PARAMS_OK);
    assert_int_equal(p.count, 0);
}

static void test_cookie_values(void **state)
{
    params p;
    const char *why;
    assert_int_equal(cookie(*state, "q=\"quoted value\"; e=; x=a=b; pct=a%20b; plus=a+b", &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "q"), "quoted value");
    assert_string_equal(params_get(&p, "e"), "");
    assert_string_equal(params_get(&p, "x"), "a=b");
    assert_string_equal(params_get(&p, "pct"), "a%20b"); /* not decoded (RFC 6265) */
    assert_string_equal(params_get(&p, "plus"), "a+b");
    assert_int_equal(cookie(*state, "q=\"\"; r=\"; s=\"x", &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "q"), "");
    assert_string_equal(params_get(&p, "r"), "\"");
    assert_string_equal(params_get(&p, "s"), "\"x");
}

static void test_cookie_missing_name(void **state)
{
    params p;
    const char *why;
    assert_int_equal(cookie(*state, "=value", &p, &why), PARAMS_BAD);
    assert_non_null(why);
    assert_contains(why, "name");
    assert_int_equal(cookie(*state, "a=1; =2", &p, &why), PARAMS_BAD);
    assert_int_equal(cookie(*state, "a=1; novalue", &p, &why), PARAMS_BAD);
}

static void test_cookie_bad_bytes(void **state)
{
    params p;
    const char *why;
    assert_int_equal(cookie(*state, "a=\xff", &p, &why), PARAMS_BAD);
    assert_non_null(why);
    assert_int_equal(params_parse_cookie(*state, "a=x\0y", 5, &p, &why), PARAMS_BAD);
    assert_int_equal(cookie(*state, "a=caf\xc3\xa9", &p, &why), PARAMS_OK);
    assert_string_equal(params_get(&p, "a"), "caf\xc3\xa9");
}

static void test_cookie_max(void **state)
{
    params p;
    const char *why;
    char s[2000] = "";
    size_t n = 0;
    for (int i = 0; i < PARAMS_MAX; i++)
        n += (size_t)snprintf(s + n, sizeof s - n, "c%d=%d; ", i, i);
    assert_int_equal(cookie(*state, s, &p, &why), PARAMS_OK);
    assert_int_equal(p.count, PARAMS_MAX);
    snprintf(s + n, sizeof s - n, "last=1");
    assert_int_equal(cookie(*state, s, &p, &why), PARAMS_BAD);
    assert_non_null(why);
}

/* ---- typed specs ---- */

static const param_spec spec[] = {
    {"q", PT_TEXT, 0, 5, NULL, NULL, 1, false},
    {"page", PT_INT, 1, 50, NULL, "1", 1, true},
    {"lat", PT_NUM, -90, 90, NULL, NULL, 1, false},
    {"format", PT_CHOICE, 0, 0, "json|ndjson", "json", 1, false},
    {"t", PT_TEXT, 0, 10, NULL, NULL, 3, false},
    {"q*", PT_TEXT, 0, 2, NULL, NULL, 1, false},
    {NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false},
};

static void test_spec_find(void **state)
{
    (void)state;
    assert_ptr_equal(param_spec_find(spec, "q", 1), &spec[0]);
    assert_ptr_equal(param_spec_find(spec, "page", 4), &spec[1]);
    assert_ptr_equal(param_spec_find(spec, "q13", 3), &spec[5]); /* the prefix */
    assert_ptr_equal(param_spec_find(spec, "qx", 1), &spec[0]);  /* keylen, not the NUL, is the key */
    assert_null(param_spec_find(spec, "pag", 3));
    assert_null(param_spec_find(spec, "pages", 5));
    assert_null(param_spec_find(NULL, "q", 1));
}

/* Checks s against spec: NULL when it passes, else the key it names, with
 * the message in why. */
static const char *check(arena *a, const char *s, char *why, size_t whylen)
{
    params p;
    const char *reason, *key = NULL;
    assert_int_equal(params_parse_query(a, s, strlen(s), spec, &p, &reason), PARAMS_OK);
    why[0] = '\0';
    return params_check(&p, spec, &key, why, whylen) ? NULL : key;
}

static void test_check_types(void **state)
{
    char why[256];
    assert_null(check(*state, "q=abc&page=2&lat=-40.5&format=ndjson&t=a&t=b&q7=ok&other=anything", why, sizeof(why)));
    assert_string_equal(check(*state, "q=toolong", why, sizeof(why)), "q");
    assert_contains(why, "q must be at most 5 characters");
    assert_string_equal(check(*state, "page=0", why, sizeof(why)), "page");
    assert_contains(why, "page must be a whole number from 1 to 50");
    assert_string_equal(check(*state, "page=2x", why, sizeof(why)), "page");
    assert_string_equal(check(*state, "lat=91", why, sizeof(why)), "lat");
    assert_string_equal(check(*state, "lat=nan", why, sizeof(why)), "lat");
    assert_string_equal(check(*state, "lat=", why, sizeof(why)), "lat");
    assert_string_equal(check(*state, "format=xml", why, sizeof(why)), "format");
    assert_contains(why, "json/ndjson");
    assert_string_equal(check(*state, "t=1&t=2&t=3&t=4", why, sizeof(why)), "t");
    assert_contains(why, "at most 3");
    assert_string_equal(check(*state, "q15=abc", why, sizeof(why)), "q15");
    /* a blank form field is "not given"; a blank API value is checked */
    assert_null(check(*state, "page=", why, sizeof(why)));
}

int main(void)
{
#define TEST_CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST_CASE(test_query_simple),
        TEST_CASE(test_query_semicolon),
        TEST_CASE(test_query_repeated),
        TEST_CASE(test_query_decoding),
        TEST_CASE(test_query_empty_pairs),
        TEST_CASE(test_query_key_without_value),
        TEST_CASE(test_query_resets_count),
        TEST_CASE(test_query_length_not_nul),
        TEST_CASE(test_query_allowed),
        TEST_CASE(test_query_bad_escape),
        TEST_CASE(test_query_nul),
        TEST_CASE(test_query_bad_utf8),
        TEST_CASE(test_query_max),
        TEST_CASE(test_cookie_simple),
        TEST_CASE(test_cookie_values),
        TEST_CASE(test_cookie_missing_name),
        TEST_CASE(test_cookie_bad_bytes),
        TEST_CASE(test_cookie_max),
        TEST_CASE(test_spec_find),
        TEST_CASE(test_check_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
