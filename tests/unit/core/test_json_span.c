/* test_json_span: byte ranges of compact JSON (src/hsds/json_span.c):
 * members and elements found past strings holding quotes, backslashes,
 * commas and brackets, nested values returned whole, lookups by plain
 * key, the limit on how many, and malformed text refused (never read
 * past its range: the harness runs under ASan with exact-size copies). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json_span.h"

/* text in a heap block of exactly its length (no NUL after it), so ASan
 * sees any read past the range */
static json_span exact(const char *text, char **block)
{
    size_t n = strlen(text);
    *block = malloc(n ? n : 1);
    memcpy(*block, text, n);
    return (json_span){*block, n};
}

static void assert_span(json_span s, const char *want)
{
    if (s.n != strlen(want) || memcmp(s.p, want, s.n))
        fail_msg("got \"%.*s\", want \"%s\"", (int)s.n, s.p, want);
}

static void members_are_found_past_tricky_strings(void **state)
{
    (void)state;
    char *b;
    json_span o = exact("{\"a\":\"x\\\"},[\\\\\",\"b\\\"c\":{\"d\":[1,{\"e\":\"]\"}]},\"f\":-1.5e3,\"g\":null,"
                        "\"h\":[],\"i\":{}}",
                        &b);
    json_member m[8];
    assert_int_equal(json_span_members(o, m, 8), 6);
    assert_span(m[0].key, "\"a\"");
    assert_span(m[0].value, "\"x\\\"},[\\\\\"");
    assert_span(m[1].key, "\"b\\\"c\"");
    assert_span(m[1].value, "{\"d\":[1,{\"e\":\"]\"}]}");
    assert_span(m[2].value, "-1.5e3");
    assert_span(m[3].value, "null");
    assert_span(m[4].value, "[]");
    assert_span(m[5].value, "{}");
    json_span v;
    assert_true(json_span_get(o, "f", &v));
    assert_span(v, "-1.5e3");
    assert_false(json_span_get(o, "b", &v)); /* the key is b"c, not b */
    assert_true(json_span_key_is(&m[0], "a"));
    assert_false(json_span_key_is(&m[0], "ab"));
    /* the limit */
    assert_int_equal(json_span_members(o, m, 5), -1);
    free(b);
    json_span e = exact("{}", &b);
    assert_int_equal(json_span_members(e, m, 8), 0);
    free(b);
}

static void elements_come_whole(void **state)
{
    (void)state;
    char *b;
    json_span a = exact("[{\"id\":\"x,y\"},[1,[2]],\"s]\",3,true]", &b);
    json_span el[8];
    assert_int_equal(json_span_elements(a, el, 8), 5);
    assert_span(el[0], "{\"id\":\"x,y\"}");
    assert_span(el[1], "[1,[2]]");
    assert_span(el[2], "\"s]\"");
    assert_span(el[3], "3");
    assert_span(el[4], "true");
    assert_int_equal(json_span_elements(a, el, 4), -1);
    free(b);
    json_span e = exact("[]", &b);
    assert_int_equal(json_span_elements(e, el, 8), 0);
    free(b);
}

static void malformed_text_is_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        "",           "{",           "}",         "{\"a\"}",        "{\"a\":}",        "{\"a\":1,}",
        "{\"a\":1 }", "{\"a\":\"x}", "{a:1}",     "[1,]",           "[,1]",            "{\"a\":1,\"b\"",
        "[\"x]",      "{\"a\\\"}",   "{\"a\":[}", "{\"a\":{\"b\":1}", "not json at all", "[1][2]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *b;
        json_span s = exact(bad[i], &b);
        json_member m[8];
        json_span el[8], v;
        int nm = json_span_members(s, m, 8), ne = json_span_elements(s, el, 8);
        if (nm >= 0 && ne >= 0)
            fail_msg("\"%s\" was read as both an object and an array", bad[i]);
        if (nm > 0 || ne > 0)
            fail_msg("\"%s\" was read (%d members, %d elements)", bad[i], nm, ne);
        assert_false(json_span_get(s, "a", &v));
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_are_found_past_tricky_strings),
        cmocka_unit_test(elements_come_whole),
        cmocka_unit_test(malformed_text_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
