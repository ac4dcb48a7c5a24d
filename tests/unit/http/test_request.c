/* test_request: the typed readers handlers use (src/http/request.c):
 * req_str, req_int, req_num, req_bool and req_has on a request whose query
 * and form were parsed and checked against its route's spec, as the server
 * does before the handler runs.
 *
 * A value given is read typed; an absent key reads as its spec's default
 * (or NULL, 0, false without one); an empty form field counts as not
 * given (the default, and req_has false) while an empty API value is a
 * value; keys the spec does not name were dropped and read as absent; on
 * POST the form body counts before the query. */
#include "http/http.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static const param_spec spec[] = {
    {"q", PT_TEXT, 0, 50, NULL, NULL, 1, true},
    {"page", PT_INT, 1, 50, NULL, "1", 1, true},
    {"radius", PT_INT, 1, 500, NULL, "25", 1, true},
    {"lat", PT_NUM, -90, 90, NULL, NULL, 1, false},
    {"full", PT_CHOICE, 0, 0, "true|false", NULL, 1, false},
    {"format", PT_CHOICE, 0, 0, "json|ndjson", "json", 1, false},
    {"search", PT_TEXT, 0, 50, NULL, NULL, 1, false},
    {NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false},
};

static void h_dummy(request *rq, response *rs)
{
    (void)rq;
    (void)rs;
}

static const route page_route = {M_GET | M_POST, "/t", h_dummy, RF_NONE, spec, 4096, "t", 0};

/* rq for route with query and form parsed and checked (both must pass). */
static void make(request *rq, unsigned method, const char *query, const char *form)
{
    memset(rq, 0, sizeof(*rq));
    arena_init(&rq->a);
    rq->route = &page_route;
    rq->method = method;
    rq->path = "/t";
    const char *why = NULL, *key = NULL;
    char msg[256];
    assert_int_equal(params_parse_query(&rq->a, query, strlen(query), spec, &rq->query, &why), PARAMS_OK);
    assert_int_equal(params_parse_query(&rq->a, form, strlen(form), spec, &rq->form, &why), PARAMS_OK);
    assert_true(params_check(&rq->query, spec, &key, msg, sizeof(msg)));
    assert_true(params_check(&rq->form, spec, &key, msg, sizeof(msg)));
}

static void test_given_values(void **state)
{
    (void)state;
    request rq;
    make(&rq, M_GET, "q=naloxone&page=3&lat=-40.5&full=true&format=ndjson&utm_source=x", "");
    assert_string_equal(req_str(&rq, "q"), "naloxone");
    assert_int_equal(req_int(&rq, "page"), 3);
    assert_true(req_num(&rq, "lat") < -40.49 && req_num(&rq, "lat") > -40.51);
    assert_true(req_bool(&rq, "full"));
    assert_string_equal(req_str(&rq, "format"), "ndjson");
    assert_true(req_has(&rq, "page"));
    /* dropped at parsing: not there at all */
    assert_null(req_str(&rq, "utm_source"));
    assert_false(req_has(&rq, "utm_source"));
    arena_free(&rq.a);
}

static void test_defaults(void **state)
{
    (void)state;
    request rq;
    make(&rq, M_GET, "", "");
    assert_int_equal(req_int(&rq, "page"), 1);
    assert_int_equal(req_int(&rq, "radius"), 25);
    assert_string_equal(req_str(&rq, "format"), "json");
    assert_null(req_str(&rq, "q"));
    assert_false(req_bool(&rq, "full"));
    assert_true(req_num(&rq, "lat") == 0.0);
    assert_false(req_has(&rq, "page"));
    arena_free(&rq.a);
}

static void test_blank_fields(void **state)
{
    (void)state;
    request rq;
    /* empty form fields mean "not given": the default, and not req_has */
    make(&rq, M_GET, "q=&page=&radius=", "");
    assert_null(req_str(&rq, "q"));
    assert_int_equal(req_int(&rq, "page"), 1);
    assert_int_equal(req_int(&rq, "radius"), 25);
    assert_false(req_has(&rq, "page"));
    assert_false(req_has(&rq, "q"));
    arena_free(&rq.a);
    /* an empty value of a key that is not a form field is a value */
    make(&rq, M_GET, "search=", "");
    assert_true(req_has(&rq, "search"));
    assert_string_equal(req_str(&rq, "search"), "");
    arena_free(&rq.a);
}

static void test_post_reads_the_form_first(void **state)
{
    (void)state;
    request rq;
    make(&rq, M_POST, "page=7&radius=100", "page=2&q=");
    assert_int_equal(req_int(&rq, "page"), 2);     /* the form's */
    assert_int_equal(req_int(&rq, "radius"), 100); /* only in the query */
    assert_null(req_str(&rq, "q"));                /* an empty form field */
    arena_free(&rq.a);
    make(&rq, M_GET, "page=7", "page=2");
    assert_int_equal(req_int(&rq, "page"), 7); /* GET: the query */
    arena_free(&rq.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_given_values),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_blank_fields),
        cmocka_unit_test(test_post_reads_the_form_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
