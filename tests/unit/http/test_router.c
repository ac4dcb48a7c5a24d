/* test_router: unit tests for src/http/router.c (and the real route table
 * in src/routes.c).
 *
 * A small route table of our own with dummy handlers checks: exact
 * matches, ":name" captures (several, and an empty segment not matching),
 * the trailing "*" capture (rest of the path, possibly empty), 404 (-1),
 * 405 (-2) with the allowed methods OR-ed together, HEAD matching GET
 * routes, a method that no route has, first match winning, a trailing
 * slash not matching, paths not starting with '/', router_allow_header
 * text and router_pattern_valid. Then the real table: every pattern is
 * valid with at most ROUTE_PARAMS_MAX captures, has a handler and a unique
 * name, and the URLs the site serves go to the
 * routes named for them. */
#include "http/router.h"
#include "recovery/selfcheck.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static void h_dummy(request *rq, response *rs)
{
    (void)rq;
    (void)rs;
}

enum {
    R_HOME,
    R_FORM,
    R_SUBMIT,
    R_ITEM,
    R_ITEM_EDIT,
    R_TWO,
    R_ITEM_POST,
    R_FILES,
    R_FIRST_A,
    R_FIRST_B,
    R_COUNT
};

static const param_spec form_spec[] = {{"a", PT_TEXT, 0, 10, NULL, NULL, 1, false},
                                       {"b", PT_TEXT, 0, 10, NULL, NULL, 1, false},
                                       {NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false}};

static const route table[] = {
    [R_HOME] = {M_GET, "/", h_dummy, RF_NONE, NULL, 0, "home", 0},
    [R_FORM] = {M_GET | M_POST, "/form", h_dummy, RF_NO_CACHE, form_spec, -1, "form", 0},
    [R_SUBMIT] = {M_POST, "/submit", h_dummy, RF_NONE, NULL, -1, "submit", 0},
    [R_ITEM] = {M_GET, "/items/:id", h_dummy, RF_NONE, NULL, 0, "item", 0},
    [R_ITEM_EDIT] = {M_GET, "/items/:id/edit", h_dummy, RF_NONE, NULL, 0, "item-edit", 0},
    [R_TWO] = {M_GET, "/a/:x/b/:y", h_dummy, RF_NONE, NULL, 0, "two", 0},
    [R_ITEM_POST] = {M_POST, "/items/:id", h_dummy, RF_NONE, NULL, -1, "item-post", 0},
    [R_FILES] = {M_GET, "/files/*", h_dummy, RF_NONE, NULL, 0, "files", 0},
    [R_FIRST_A] = {M_GET, "/first", h_dummy, RF_NONE, NULL, 0, "first-a", 0},
    [R_FIRST_B] = {M_GET | M_POST, "/first", h_dummy, RF_NONE, NULL, 0, "first-b", 0},
};

static int setup(void **state)
{
    request *rq = calloc(1, sizeof *rq);
    arena_init(&rq->a);
    *state = rq;
    return 0;
}

static int teardown(void **state)
{
    request *rq = *state;
    arena_free(&rq->a);
    free(rq);
    return 0;
}

/* Matches with a fresh capture state. */
static int match(request *rq, unsigned method, const char *path, unsigned *allowed)
{
    rq->nroute = 0;
    memset(rq->route_keys, 0, sizeof rq->route_keys);
    memset(rq->route_values, 0, sizeof rq->route_values);
    *allowed = 0xdead;
    return router_match(table, R_COUNT, method, path, rq, allowed);
}

/* The captured value for key, or NULL. */
static const char *cap(const request *rq, const char *key)
{
    for (int i = 0; i < rq->nroute; i++)
        if (rq->route_keys[i] && !strcmp(rq->route_keys[i], key))
            return rq->route_values[i];
    return NULL;
}

static void test_exact(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_GET, "/", &allowed), R_HOME);
    assert_int_equal(rq->nroute, 0);
    assert_int_equal(match(rq, M_GET, "/form", &allowed), R_FORM);
    assert_int_equal(match(rq, M_POST, "/form", &allowed), R_FORM);
    assert_int_equal(match(rq, M_POST, "/submit", &allowed), R_SUBMIT);
    assert_int_equal(match(rq, M_GET, "/first", &allowed), R_FIRST_A);
}

static void test_param_capture(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_GET, "/items/42", &allowed), R_ITEM);
    assert_int_equal(rq->nroute, 1);
    assert_string_equal(cap(rq, "id"), "42");
    assert_int_equal(match(rq, M_GET, "/items/naloxone-kit/edit", &allowed), R_ITEM_EDIT);
    assert_string_equal(cap(rq, "id"), "naloxone-kit");
    assert_int_equal(match(rq, M_GET, "/a/one/b/two", &allowed), R_TWO);
    assert_int_equal(rq->nroute, 2);
    assert_string_equal(cap(rq, "x"), "one");
    assert_string_equal(cap(rq, "y"), "two");
    /* the decoded path may hold any bytes but '/' in a segment */
    assert_int_equal(match(rq, M_GET, "/items/a b:c*", &allowed), R_ITEM);
    assert_string_equal(cap(rq, "id"), "a b:c*");
}

static void test_param_needs_segment(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_GET, "/items/", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "/items", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "/items//edit", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "/items/1/2", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "/a/1/b/", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "/a/1/c/2", &allowed), -1);
}

static void test_star_capture(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_GET, "/files/css/site.css", &allowed), R_FILES);
    assert_int_equal(rq->nroute, 1);
    assert_string_equal(cap(rq, "*"), "css/site.css");
    assert_int_equal(match(rq, M_GET, "/files/x", &allowed), R_FILES);
    assert_string_equal(cap(rq, "*"), "x");
    assert_int_equal(match(rq, M_GET, "/files/", &allowed), R_FILES);
    assert_string_equal(cap(rq, "*"), "");
    assert_int_equal(match(rq, M_GET, "/files/a//b/", &allowed), R_FILES);
    assert_string_equal(cap(rq, "*"), "a//b/");
    assert_int_equal(match(rq, M_GET, "/files", &allowed), -1); /* no "/" before "*" */
    assert_int_equal(match(rq, M_GET, "/filesx/y", &allowed), -1);
}

static void test_not_found(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_GET, "/nothing", &allowed), -1);
    assert_int_equal(allowed, 0);
    assert_int_equal(match(rq, M_POST, "/nothing", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "form", &allowed), -1); /* no leading '/' */
    assert_int_equal(match(rq, M_GET, "/Form", &allowed), -1); /* case-sensitive */
    assert_int_equal(match(rq, M_GET, "/form/x", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "//", &allowed), -1);
    assert_int_equal(router_match(table, 0, M_GET, "/", rq, &allowed), -1); /* empty table */
    assert_int_equal(allowed, 0);
}

static void test_trailing_slash(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_GET, "/form/", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "/items/42/", &allowed), -1);
    assert_int_equal(match(rq, M_GET, "/first/", &allowed), -1);
}

static void test_method_not_allowed(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_POST, "/", &allowed), -2);
    assert_int_equal(allowed, M_GET);
    assert_int_equal(match(rq, M_GET, "/submit", &allowed), -2);
    assert_int_equal(allowed, M_POST);
    assert_int_equal(match(rq, M_HEAD, "/submit", &allowed), -2);
    assert_int_equal(allowed, M_POST);
    assert_int_equal(match(rq, M_POST, "/files/a", &allowed), -2);
    assert_int_equal(allowed, M_GET);
    /* a method no route has: every matching pattern's methods, OR-ed */
    assert_int_equal(match(rq, M_OTHER, "/items/3", &allowed), -2);
    assert_int_equal(allowed, M_GET | M_POST);
    assert_int_equal(match(rq, M_OTHER, "/form", &allowed), -2);
    assert_int_equal(allowed, M_GET | M_POST);
    assert_int_equal(match(rq, M_OTHER, "/first", &allowed), -2);
    assert_int_equal(allowed, M_GET | M_POST);
}

static void test_method_split_routes(void **state)
{
    request *rq = *state;
    unsigned allowed;
    /* same pattern, different rows per method */
    assert_int_equal(match(rq, M_GET, "/items/7", &allowed), R_ITEM);
    assert_int_equal(match(rq, M_POST, "/items/7", &allowed), R_ITEM_POST);
    assert_string_equal(cap(rq, "id"), "7");
    /* first match wins: /first GET goes to the first row, POST to the second */
    assert_int_equal(match(rq, M_GET, "/first", &allowed), R_FIRST_A);
    assert_int_equal(match(rq, M_POST, "/first", &allowed), R_FIRST_B);
}

static void test_head_is_get(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(match(rq, M_HEAD, "/", &allowed), R_HOME);
    assert_int_equal(match(rq, M_HEAD, "/items/9", &allowed), R_ITEM);
    assert_string_equal(cap(rq, "id"), "9");
    assert_int_equal(match(rq, M_HEAD, "/files/f", &allowed), R_FILES);
}

static void test_allow_header(void **state)
{
    (void)state;
    char out[64];
    router_allow_header(M_GET, out, sizeof out);
    assert_string_equal(out, "GET, HEAD");
    router_allow_header(M_POST, out, sizeof out);
    assert_string_equal(out, "POST");
    router_allow_header(M_GET | M_POST, out, sizeof out);
    assert_string_equal(out, "GET, HEAD, POST");
    router_allow_header(M_GET | M_HEAD, out, sizeof out);
    assert_string_equal(out, "GET, HEAD");
    router_allow_header(0, out, sizeof out);
    assert_string_equal(out, "");
    char small[5];
    router_allow_header(M_GET | M_POST, small, sizeof small); /* truncated, terminated */
    assert_string_equal(small, "GET,");
}

static void test_pattern_valid(void **state)
{
    (void)state;
    const char *good[] = {"/", "/search", "/a/b/c", "/items/:id", "/a/:x/b/:y", "/static/*", "/*", "/:id/*",
                          "/robots.txt", "/a-b_c.d"};
    const char *bad[] = {"",   "search", "/a//b", "//", "/a*", "/*/x", "/a/*b", "/a:b", "/a/b:c",
                         "/**", "/a/*/"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!router_pattern_valid(good[i]))
            fail_msg("pattern \"%s\" should be valid", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (router_pattern_valid(bad[i]))
            fail_msg("pattern \"%s\" should be invalid", bad[i]);
    for (int i = 0; i < R_COUNT; i++)
        assert_true(router_pattern_valid(table[i].pattern));
}

static void test_pattern_valid_empty_name(void **state)
{
    (void)state;
    /* BUG: router_pattern_valid() in src/http/router.c accepts a ":" with
     * no name, e.g. "/items/:" or "/:/edit". Such a route captures its
     * value under the key "", so req_param(rq, "id") never finds it; the
     * table check exists to catch exactly this kind of typo. Expected
     * false, got true. */
    assert_false(router_pattern_valid("/items/:"));
    assert_false(router_pattern_valid("/:/edit"));
}

/* ---- the real table in src/routes.c ---- */

static void test_real_table_valid(void **state)
{
    (void)state;
    assert_true(routes_count > 0);
    for (int i = 0; i < routes_count; i++) {
        if (!routes[i].pattern || !router_pattern_valid(routes[i].pattern))
            fail_msg("routes[%d]: pattern \"%s\" is not valid", i, routes[i].pattern ? routes[i].pattern : "(null)");
        if (!routes[i].handler)
            fail_msg("routes[%d] (%s) has no handler", i, routes[i].pattern);
        if (!routes[i].name || !routes[i].name[0])
            fail_msg("routes[%d] (%s) has no name", i, routes[i].pattern);
        for (const param_spec *e = routes[i].params; e && e->name; e++)
            if ((e->type == PT_CHOICE) != (e->choices != NULL) || e->min > e->max || e->most < 0)
                fail_msg("routes[%d] (%s): the spec of \"%s\" is not coherent", i, routes[i].pattern, e->name);
        const unsigned known = M_GET | M_POST | M_PUT | M_DELETE;
        if ((routes[i].methods & known) == 0 || (routes[i].methods & ~known))
            fail_msg("routes[%d] (%s): methods must be M_GET, M_POST, M_PUT or M_DELETE", i, routes[i].pattern);
        if ((routes[i].methods & (unsigned)(M_PUT | M_DELETE)) && !routes[i].guard)
            fail_msg("routes[%d] (%s): PUT and DELETE are for the staff API only", i, routes[i].pattern);
        int captures = 0;
        for (const char *c = routes[i].pattern; *c; c++)
            captures += *c == ':' || *c == '*';
        if (captures > ROUTE_PARAMS_MAX)
            fail_msg("routes[%d] (%s) captures more than %d values", i, routes[i].pattern, ROUTE_PARAMS_MAX);
        /* no two rows share a name (logs and metrics tell them apart) */
        for (int k = 0; k < i; k++)
            if (!strcmp(routes[k].name, routes[i].name))
                fail_msg("routes[%d] and routes[%d] are both named \"%s\"", k, i, routes[i].name);
    }
}

/* The index of the real route named name. */
static int real_index(const char *name)
{
    for (int i = 0; i < routes_count; i++)
        if (!strcmp(routes[i].name, name))
            return i;
    fail_msg("no route named %s", name);
    return -1;
}

static void test_real_table_matches(void **state)
{
    request *rq = *state;
    unsigned allowed;
    assert_int_equal(router_match(routes, routes_count, M_GET, "/", rq, &allowed), real_index("home"));
    assert_int_equal(router_match(routes, routes_count, M_GET, "/search", rq, &allowed), real_index("search"));
    assert_int_equal(router_match(routes, routes_count, M_HEAD, "/healthz", rq, &allowed), real_index("healthz"));
    assert_int_equal(router_match(routes, routes_count, M_GET, "/robots.txt", rq, &allowed), real_index("robots"));
    rq->nroute = 0;
    assert_int_equal(router_match(routes, routes_count, M_GET, "/static/css/site.css", rq, &allowed),
                     real_index("static"));
    assert_int_equal(rq->nroute, 1);
    assert_string_equal(rq->route_values[0], "css/site.css");
    /* the content catch-all comes after the specific routes */
    assert_int_equal(router_match(routes, routes_count, M_GET, "/harm-reduction/overdose-prevention", rq, &allowed),
                     real_index("page"));
    assert_int_equal(router_match(routes, routes_count, M_GET, "/search/", rq, &allowed), real_index("page"));
    /* nothing takes a POST */
    assert_int_equal(router_match(routes, routes_count, M_POST, "/search", rq, &allowed), -2);
    assert_int_equal(allowed, M_GET);
    /* the search route reads only q and page */
    const param_spec *sp = routes[real_index("search")].params;
    assert_non_null(param_spec_find(sp, "q", 1));
    assert_non_null(param_spec_find(sp, "page", 4));
    assert_null(param_spec_find(sp, "utm_source", 10));
}

/* Every answer of every bundled questionnaire reaches the self-check
 * handler (the route once took q1-q12 while a questionnaire may have 16). */
static void test_selfcheck_route_takes_every_answer(void **state)
{
    (void)state;
    const param_spec *sp = routes[real_index("selfcheck_form")].params;
    assert_non_null(param_spec_find(sp, "q13", 3));
    assert_non_null(param_spec_find(sp, "q16", 3));
    sc_set *set = NULL;
    char err[256];
    if (!sc_load("data/selfchecks.json", &set, err, sizeof(err)))
        fail_msg("%s", err);
    int n = 0;
    for (int c = 0; c < set->nchecks; c++)
        for (int q = 0; q < set->checks[c].nquestions; q++, n++) {
            const char *id = set->checks[c].questions[q].id;
            if (!param_spec_find(sp, id, strlen(id)))
                fail_msg("%s: the route drops the answer %s", set->checks[c].slug, id);
        }
    assert_true(n > 20);
    sc_free(set);
}

int main(void)
{
#define TEST_CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST_CASE(test_exact),
        TEST_CASE(test_param_capture),
        TEST_CASE(test_param_needs_segment),
        TEST_CASE(test_star_capture),
        TEST_CASE(test_not_found),
        TEST_CASE(test_trailing_slash),
        TEST_CASE(test_method_not_allowed),
        TEST_CASE(test_method_split_routes),
        TEST_CASE(test_head_is_get),
        TEST_CASE(test_allow_header),
        TEST_CASE(test_pattern_valid),
        TEST_CASE(test_pattern_valid_empty_name),
        TEST_CASE(test_real_table_valid),
        TEST_CASE(test_real_table_matches),
        TEST_CASE(test_selfcheck_route_takes_every_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
