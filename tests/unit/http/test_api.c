/* test_api: unit tests for src/http/api.c, the one writer of JSON bodies
 * and of the JSON error shape (the server's own errors on API routes come
 * here through resp_error).
 *
 * api_send writes compact ASCII JSON and a newline with the status; a
 * root it cannot write (NULL here, as out of memory would) is a 500 JSON
 * error, never an empty answer with the status asked for. api_error
 * writes {"error": {"status", "title", "message", ...extra}} with
 * no-store; resp_error on an API route writes the same shape. */
#include "http/api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static void init(response *rs)
{
    memset(rs, 0, sizeof(*rs));
    buf_init(&rs->body, 0);
}

static void test_send(void **state)
{
    (void)state;
    response rs;
    init(&rs);
    api_send(&rs, 201, json_pack("{s:s, s:i}", "name", "caf\xc3\xa9", "n", 3));
    assert_int_equal(rs.status, 201);
    assert_string_equal(rs.content_type, "application/json");
    assert_string_equal(buf_cstr(&rs.body), "{\"name\":\"caf\\u00E9\",\"n\":3}\n");
    buf_free(&rs.body);
}

static void test_send_unwritable(void **state)
{
    (void)state;
    response rs;
    init(&rs);
    api_send(&rs, 200, NULL);
    assert_int_equal(rs.status, 500);
    assert_string_equal(rs.cache_control, "no-store");
    json_error_t je;
    json_t *j = json_loads(buf_cstr(&rs.body), 0, &je);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "error"), "status")), 500);
    json_decref(j);
    buf_free(&rs.body);
}

static void test_error_shape(void **state)
{
    (void)state;
    response rs;
    init(&rs);
    api_error(&rs, 400, "page must be a whole number from 1 to 1000000.", json_pack("{s:s}", "parameter", "page"));
    assert_int_equal(rs.status, 400);
    assert_string_equal(rs.cache_control, "no-store");
    assert_string_equal(buf_cstr(&rs.body), "{\"error\":{\"status\":400,\"title\":\"Bad Request\",\"message\":"
                                            "\"page must be a whole number from 1 to 1000000.\","
                                            "\"parameter\":\"page\"}}\n");
    /* the server's errors on API routes: the same writer, the same shape */
    request rq;
    memset(&rq, 0, sizeof(rq));
    rq.path = "/api/v1/nothing";
    buf_reset(&rs.body);
    resp_error(&rq, &rs, 404, "There is no \"page\" here.");
    assert_int_equal(rs.status, 404);
    assert_string_equal(buf_cstr(&rs.body), "{\"error\":{\"status\":404,\"title\":\"Not Found\",\"message\":"
                                            "\"There is no \\\"page\\\" here.\"}}\n");
    buf_free(&rs.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send),
        cmocka_unit_test(test_send_unwritable),
        cmocka_unit_test(test_error_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
