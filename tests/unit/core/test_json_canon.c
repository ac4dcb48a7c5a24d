/* Tests for json_canon: byte for byte jansson's compact, sorted, ASCII
 * dump, on every JSON document the project carries and on generated
 * values of every kind. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_canon.h"
#include "core/util.h"
#include "wp_json_gen.h"

#define FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

static long compared;

static void same_as_jansson(const json_t *v)
{
    char *want = json_dumps(v, FLAGS), *got = json_canon(v);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(want);
    free(got);
    compared++;
}

static void each_document(const char *path, const char *text, size_t n)
{
    (void)path;
    json_t *v = json_loadb(text, n, 0, NULL);
    if (v)
        same_as_jansson(v);
    json_decref(v);
}

static void same_on_the_project_documents(void **state)
{
    (void)state;
    compared = 0;
    assert_true(wp_json_each_document(each_document));
    assert_true(compared >= 100); /* 134 documents and lines when this was written */
}

static void same_on_generated_values(void **state)
{
    (void)state;
    compared = 0;
    for (int i = 0; i < 20000; i++) {
        json_t *v = value(0);
        same_as_jansson(v);
        json_decref(v);
    }
    assert_int_equal(compared, 20000);
}

/* What jansson would not write: nothing, and nothing half written. */
static void refuses_what_cannot_be_written(void **state)
{
    (void)state;
    assert_null(json_canon(NULL));
    json_t *deep = json_array(), *at = deep;
    for (int i = 0; i < 3000; i++) {
        json_t *inner = json_array();
        json_array_append_new(at, inner);
        at = inner;
    }
    buf out = BUF_INIT;
    buf_puts(&out, "kept");
    assert_false(json_canon_append(&out, deep));
    assert_string_equal(buf_cstr(&out), "kept");
    buf_free(&out);
    json_decref(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_on_the_project_documents),
        cmocka_unit_test(same_on_generated_values),
        cmocka_unit_test(refuses_what_cannot_be_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
