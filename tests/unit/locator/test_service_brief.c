/* test_service_brief: the API's service lists cut a service's one-to-one
 * fields out of its stored text (service_brief.c) instead of parsing the
 * whole document. For documents with nested objects, arrays of objects,
 * strings holding brackets, quotes and escapes, numbers and literals, the
 * brief parsed back must equal hsds_sal_service_brief's object from the
 * whole parsed document, key for key and in the same order (compared as
 * jansson's compact text); text that is not one JSON object is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/buf.h"
#include "hsds/hsds_sal.h"
#include "locator/service_brief.h"

/* The brief cut from raw, as compact text; NULL when refused. */
static char *cut(const char *raw)
{
    buf b = BUF_INIT;
    char *out = NULL;
    if (service_brief_text(raw, &b)) {
        json_error_t je;
        json_t *o = json_loads(buf_cstr(&b), 0, &je);
        assert_non_null(o);
        out = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        json_decref(o);
    }
    buf_free(&b);
    return out;
}

/* The brief from the whole parsed document, as compact text. */
static char *parsed(const char *raw)
{
    json_error_t je;
    json_t *svc = json_loads(raw, 0, &je);
    assert_non_null(svc);
    json_t *o = hsds_sal_service_brief(svc);
    char *out = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    json_decref(svc);
    return out;
}

static void brief_equals_the_parsed_brief(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{}",
        " { } ",
        "{\"id\":\"a\",\"name\":\"Clinic\"}",
        "{\"id\":\"a\",\"phones\":[{\"number\":\"1\"}],\"name\":\"B\"}",
        "{\"schedules\":[[1,2],[{\"x\":\"]}\"}]],\"id\":\"x\"}",
        "{\"name\":\"a \\\"quoted\\\" [not an array] {nor} \\\\\",\"list\":[\"]\",\"\\\"]\"],\"n\":-1.5e3}",
        "{\"organization\":{\"id\":\"o\",\"phones\":[1,2]},\"t\":true,\"f\":false,\"z\":null,\"k\":12}",
        "{\n  \"id\" : \"w\" ,\n  \"arr\" : [ ] ,\n  \"obj\" : { \"a\" : [ 1 ] } ,\n  \"s\" : \"\\u00e9\\n\"\n}\n",
        "{\"first\":[],\"second\":[[]],\"name\":\"caf\xc3\xa9\"}",
        "{\"a\":[1],\"b\":[2]}",
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        char *want = parsed(docs[i]), *got = cut(docs[i]);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
}

static void text_that_is_not_one_object_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "[]", "\"x\"", "{", "{\"a\"", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":\"open",
        "{\"a\":[1,2}", "{a:1}", "{\"a\":1 \"b\":2}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *got = cut(bad[i]);
        if (got)
            fail_msg("accepted: %s -> %s", bad[i], got);
    }
    buf b = BUF_INIT;
    assert_false(service_brief_text(NULL, &b));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(brief_equals_the_parsed_brief),
        cmocka_unit_test(text_that_is_not_one_object_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
