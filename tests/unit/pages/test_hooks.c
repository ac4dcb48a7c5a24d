/* test_hooks: unit tests for src/pages/hooks.c, how features add to pages.
 *
 * Registers hooks for named slots and checks that a page runs exactly the
 * hooks of its slots ("page:<section>", then "path:<path>"), in the order
 * they were registered; that a hook can add data, choose the template and
 * mark the page uncacheable; that the table refuses more than it holds and
 * empties on hooks_clear. */
#include "pages/hooks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static char order[64];

static void note(const char *what)
{
    size_t n = strlen(order);
    snprintf(order + n, sizeof(order) - n, "%s", what);
}

static void hook_a(page_ctx *c)
{
    note("a");
    json_object_set_new(c->data, "from_a", json_true());
}

static void hook_b(page_ctx *c)
{
    note("b");
    snprintf(c->tmpl, sizeof(c->tmpl), "substance");
}

static void hook_path(page_ctx *c)
{
    note("p");
    c->cacheable = false;
}

static page_ctx ctx_for(page *p, json_t *d)
{
    page_ctx c = {0};
    c.p = p;
    c.data = d;
    snprintf(c.tmpl, sizeof(c.tmpl), "page");
    c.cacheable = true;
    return c;
}

static void page_runs_its_slots_in_order(void **state)
{
    (void)state;
    hooks_clear();
    order[0] = '\0';
    assert_true(hooks_add("page:substances", hook_a));
    assert_true(hooks_add("path:/substances/xylazine", hook_path));
    assert_true(hooks_add("page:substances", hook_b));
    assert_true(hooks_add("page:recovery", hook_path));
    page p = {0};
    p.path = "/substances/xylazine";
    p.section = "substances";
    json_t *d = json_object();
    page_ctx c = ctx_for(&p, d);
    hooks_run_page(&c);
    assert_string_equal(order, "abp");
    assert_true(json_is_true(json_object_get(d, "from_a")));
    assert_string_equal(c.tmpl, "substance");
    assert_false(c.cacheable);
    json_decref(d);
    hooks_clear();
}

static void other_sections_untouched(void **state)
{
    (void)state;
    hooks_clear();
    order[0] = '\0';
    assert_true(hooks_add("page:substances", hook_a));
    assert_true(hooks_add("home", hook_b));
    page p = {0};
    p.path = "/harm-reduction";
    p.section = "harm-reduction";
    json_t *d = json_object();
    page_ctx c = ctx_for(&p, d);
    hooks_run_page(&c);
    assert_string_equal(order, "");
    assert_string_equal(c.tmpl, "page");
    assert_true(c.cacheable);
    hooks_run("home", &c);
    assert_string_equal(order, "b");
    json_decref(d);
    hooks_clear();
}

static void table_is_bounded_and_clears(void **state)
{
    (void)state;
    hooks_clear();
    int added = 0;
    while (hooks_add("home", hook_a) && added < 1000)
        added++;
    assert_true(added > 8 && added < 1000);
    assert_int_equal(hooks_count("home"), added);
    char long_slot[200];
    memset(long_slot, 'x', sizeof(long_slot) - 1);
    long_slot[sizeof(long_slot) - 1] = '\0';
    hooks_clear();
    assert_false(hooks_add(long_slot, hook_a));
    assert_false(hooks_add("home", NULL));
    assert_int_equal(hooks_count("home"), 0);
}

static void search_offers_keep_their_rank(void **state)
{
    (void)state;
    json_t *d = json_object();
    json_object_set_new(d, "q", json_string("xanax and alcohol"));
    page_ctx c = {.rq = NULL, .p = NULL, .data = d, .tmpl = "search", .cacheable = false};
    assert_string_equal(hooks_query(&c), "xanax and alcohol");
    hooks_offer(&c, 20, "Self-checks", "/self-check", "Private");
    hooks_offer(&c, 10, "Check this mix", "/combos?substances=a%2Cb", "How risky");
    json_t *tools = json_object_get(d, "tools");
    assert_int_equal(json_array_size(tools), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(tools, 1), "href")), "/combos?substances=a%2Cb");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(tools, 1), "rank")), 10);
    json_decref(d);
    json_t *none = json_object();
    c.data = none;
    assert_string_equal(hooks_query(&c), "");
    json_decref(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_runs_its_slots_in_order),
        cmocka_unit_test(other_sections_untouched),
        cmocka_unit_test(table_is_bounded_and_clears),
        cmocka_unit_test(search_offers_keep_their_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
