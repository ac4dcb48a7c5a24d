/* test_mustache: unit tests for src/tmpl/mustache.c.
 *
 * Runs every case of the Mustache spec suites copied into
 * tests/fixtures/mustache-spec/ (one cmocka test per suite file; a failing
 * case is reported with its suite and name), then Waypost's own cases:
 * escaping, "" is falsey, syntax error positions, the recursion limit, a
 * capped output buffer, a layout built with inheritance and rendering from
 * several threads at once. Run from the repository root. */
#include "tmpl/mustache.h"

#include "core/buf.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SPEC_DIR "tests/fixtures/mustache-spec/"
#define SPEC_MAIN "(spec template)"

/* ------------------------------------------------------------------------
 * Spec suites
 * ------------------------------------------------------------------------ */

static bool add_str(mus_set *s, const char *name, json_t *str, char *err, size_t errlen)
{
    const char *src = json_string_value(str);
    if (!src) {
        snprintf(err, errlen, "%s: not a string", name);
        return false;
    }
    return mus_set_add(s, name, src, json_string_length(str), err, errlen);
}

/* Runs one spec case; prints what went wrong and returns false on failure. */
static bool run_case(const char *suite, json_t *tc)
{
    const char *name = json_string_value(json_object_get(tc, "name"));
    const char *want = json_string_value(json_object_get(tc, "expected"));
    json_t *partials = json_object_get(tc, "partials");
    mus_set *s = mus_set_new();
    char err[256] = "";
    const char *pname;
    json_t *pv;
    bool ok = true;
    json_object_foreach(partials, pname, pv) {
        ok = ok && add_str(s, pname, pv, err, sizeof err);
    }
    ok = ok && add_str(s, SPEC_MAIN, json_object_get(tc, "template"), err, sizeof err);
    buf out;
    buf_init(&out, 0);
    if (ok && !mus_render(s, SPEC_MAIN, json_object_get(tc, "data"), &out))
        snprintf(err, sizeof err, "mus_render returned false");
    else if (ok && (!want || strcmp(buf_cstr(&out), want) != 0))
        snprintf(err, sizeof err, "output differs");
    else if (ok)
        err[0] = '\0';
    bool pass = err[0] == '\0';
    if (!pass) {
        print_error("FAIL %s / %s: %s\n", suite, name ? name : "?", err);
        print_error("  template: %s\n", json_string_value(json_object_get(tc, "template")));
        print_error("  expected: [%s]\n  got:      [%s]\n", want ? want : "?", buf_cstr(&out));
    }
    buf_free(&out);
    mus_set_free(s);
    return pass;
}

static void test_spec_suite(void **state)
{
    const char *file = *state;
    char path[256];
    snprintf(path, sizeof path, "%s%s", SPEC_DIR, file);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        fail_msg("cannot load %s: %s (run from the repository root)", path, jerr.text);
    json_t *cases = json_object_get(root, "tests");
    assert_true(json_is_array(cases));
    assert_true(json_array_size(cases) > 0);
    size_t i, passed = 0;
    json_t *tc;
    json_array_foreach(cases, i, tc) {
        if (run_case(file, tc))
            passed++;
    }
    print_message("  %s: %zu/%zu spec cases pass\n", file, passed, json_array_size(cases));
    size_t total = json_array_size(cases);
    json_decref(root);
    assert_int_equal(passed, total);
}

/* ------------------------------------------------------------------------
 * Helpers for our own cases
 * ------------------------------------------------------------------------ */

static void add_ok(mus_set *s, const char *name, const char *src)
{
    char err[256];
    if (!mus_set_add(s, name, src, strlen(src), err, sizeof err))
        fail_msg("unexpected syntax error: %s", err);
}

/* Renders src (added as "t") with data given as JSON text. */
static void check_render(const char *src, const char *json, const char *want)
{
    mus_set *s = mus_set_new();
    add_ok(s, "t", src);
    json_error_t jerr;
    json_t *data = json ? json_loads(json, JSON_DECODE_ANY, &jerr) : NULL;
    if (json && !data)
        fail_msg("bad test JSON: %s", jerr.text);
    buf out;
    buf_init(&out, 0);
    assert_true(mus_render(s, "t", data, &out));
    assert_string_equal(buf_cstr(&out), want);
    buf_free(&out);
    json_decref(data);
    mus_set_free(s);
}

/* Expects src to fail to compile (as template "page") with message want. */
static void check_error(const char *src, const char *want)
{
    mus_set *s = mus_set_new();
    char err[256];
    assert_false(mus_set_add(s, "page", src, strlen(src), err, sizeof err));
    assert_string_equal(err, want);
    assert_false(mus_set_has(s, "page"));
    mus_set_free(s);
}

/* ------------------------------------------------------------------------
 * Our own cases
 * ------------------------------------------------------------------------ */

static void test_escaping(void **state)
{
    (void)state;
    check_render("{{x}}|{{{x}}}|{{&x}}|{{ x }}", "{\"x\": \"a&b<c>d\\\"e'f\"}",
                 "a&amp;b&lt;c&gt;d&quot;e&#39;f|a&b<c>d\"e'f|a&b<c>d\"e'f|"
                 "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    check_render("{{#l}}{{.}}{{/l}}", "{\"l\": [\"<\", \"&\"]}", "&lt;&amp;");
}

static void test_falsey_values(void **state)
{
    (void)state;
    const char *t = "{{#v}}yes{{/v}}{{^v}}no{{/v}}";
    check_render(t, "{\"v\": \"\"}", "no");
    check_render(t, "{\"v\": \"a\"}", "yes");
    check_render(t, "{\"v\": false}", "no");
    check_render(t, "{\"v\": null}", "no");
    check_render(t, "{\"v\": []}", "no");
    check_render(t, "{}", "no");
    check_render(t, "{\"v\": 0}", "yes");
    check_render(t, "{\"v\": {}}", "yes");
}

static void test_values(void **state)
{
    (void)state;
    check_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
                 "{\"a\": 1.210, \"b\": 85, \"c\": -3, \"d\": true, \"e\": false,"
                 " \"f\": 0.1, \"g\": 1e21}",
                 "1.21 85 -3 true false 0.1 1e+21");
    check_render("[{{o}}][{{l}}][{{n}}]", "{\"o\": {\"k\": 1}, \"l\": [1], \"n\": null}",
                 "[][][]");
    check_render("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", "deep");
    check_render("x{{y}}z", NULL, "xz");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    check_error("line one\n  {{#items}}\n  {{name}}\n",
                "page:2:3: unclosed section 'items'");
    check_error("{{#a}}\n  {{#b}}x{{/a}}\n",
                "page:2:10: closing tag 'a' does not match section 'b' opened at 2:3");
    check_error("Hello\nworld {{name", "page:2:7: unclosed tag");
    check_error("x{{/a}}", "page:1:2: closing tag 'a' without an open section");
    check_error("{{<layout}}{{$body}}{{/layout}}",
                "page:1:21: closing tag 'layout' does not match block 'body' opened at 1:12");
    check_error("a {{}} b", "page:1:3: empty tag name");
    check_error("{{a b}}", "page:1:1: blank in tag name 'a b'");
    check_error("{{=<%>=}}", "page:1:1: bad set-delimiter tag (want =OPEN CLOSE=)");
    check_error("{{a..b}}", "page:1:1: bad dotted name 'a..b'");
    check_error("{{=<% %>=}}\n<%#a%>\n<%/b%>", "page:3:1: closing tag 'b' does not match "
                "section 'a' opened at 2:1");
}

static void test_error_keeps_set(void **state)
{
    (void)state;
    mus_set *s = mus_set_new();
    add_ok(s, "page", "old");
    char err[8];
    assert_false(mus_set_add(s, "page", "{{#x}}", 6, err, sizeof err));
    assert_int_equal(strlen(err), sizeof err - 1); /* truncated, terminated */
    assert_false(mus_set_add(s, "page", "{{#x}}", 6, NULL, 0));
    buf out;
    buf_init(&out, 0);
    assert_true(mus_render(s, "page", NULL, &out));
    assert_string_equal(buf_cstr(&out), "old");
    add_ok(s, "page", "new");
    buf_reset(&out);
    assert_true(mus_render(s, "page", NULL, &out));
    assert_string_equal(buf_cstr(&out), "new");
    assert_true(mus_set_has(s, "page"));
    assert_false(mus_set_has(s, "other"));
    assert_false(mus_render(s, "other", NULL, &out));
    buf_free(&out);
    mus_set_free(s);
}

static void test_recursion_limit(void **state)
{
    (void)state;
    mus_set *s = mus_set_new();
    add_ok(s, "self", "x{{>self}}");
    add_ok(s, "a", "{{>b}}");
    add_ok(s, "b", "{{<a}}{{/a}}");
    add_ok(s, "blk", "{{<blkp}}{{$q}}[{{$q}}{{/q}}]{{/q}}{{/blkp}}");
    add_ok(s, "blkp", "{{$q}}{{/q}}");
    add_ok(s, "loop", "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}"
                      "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}."
                      "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}"
                      "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}");
    mus_set_max_steps(s, 100000);
    json_t *data = json_pack("{s:[i,i,i,i]}", "l", 1, 2, 3, 4);
    buf out;
    buf_init(&out, 0);
    assert_false(mus_render(s, "self", NULL, &out));
    assert_true(out.len <= MUS_MAX_DEPTH + 1);
    buf_reset(&out);
    assert_false(mus_render(s, "a", NULL, &out));
    buf_reset(&out);
    assert_false(mus_render(s, "blk", NULL, &out));
    buf_reset(&out);
    assert_false(mus_render(s, "loop", data, &out)); /* 4^20 visits: step bound */
    buf_free(&out);
    json_decref(data);
    mus_set_free(s);
}

/* A chain of partials c0 -> c1 -> ... -> c<n> where c<n> prints "end". */
static bool render_chain(int n)
{
    mus_set *s = mus_set_new();
    char name[16], src[32];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "c%d", i);
        snprintf(src, sizeof src, "{{>c%d}}", i + 1);
        add_ok(s, name, src);
    }
    snprintf(name, sizeof name, "c%d", n);
    add_ok(s, name, "end");
    buf out;
    buf_init(&out, 0);
    bool ok = mus_render(s, "c0", NULL, &out);
    if (ok)
        assert_string_equal(buf_cstr(&out), "end");
    buf_free(&out);
    mus_set_free(s);
    return ok;
}

static void test_depth_is_64(void **state)
{
    (void)state;
    assert_true(render_chain(MUS_MAX_DEPTH));
    assert_false(render_chain(MUS_MAX_DEPTH + 1));
}

static void test_overflow(void **state)
{
    (void)state;
    mus_set *s = mus_set_new();
    add_ok(s, "t", "{{#l}}{{.}}, {{/l}}");
    json_t *data = json_pack("{s:[s,s,s,s]}", "l", "abcdef", "ghijkl", "mnopqr", "stuvwx");
    buf out;
    buf_init(&out, 16);
    assert_false(mus_render(s, "t", data, &out));
    assert_true(out.overflow);
    assert_true(out.len <= 16);
    buf_free(&out);
    buf_init(&out, 64);
    assert_true(mus_render(s, "t", data, &out));
    assert_string_equal(buf_cstr(&out), "abcdef, ghijkl, mnopqr, stuvwx, ");
    buf_free(&out);
    json_decref(data);
    mus_set_free(s);
}

static const char layout_src[] =
    "<!doctype html>\n"
    "<title>{{$title}}Waypost{{/title}}</title>\n"
    "<main>\n"
    "  {{$body}}\n"
    "  <p>No content.</p>\n"
    "  {{/body}}\n"
    "</main>\n";

static const char page_src[] =
    "{{<layout}}\n"
    "{{$title}}{{heading}} - Waypost{{/title}}\n"
    "{{$body}}\n"
    "<h1>{{heading}}</h1>\n"
    "{{#items}}\n"
    "<p>{{.}}</p>\n"
    "{{/items}}\n"
    "{{/body}}\n"
    "{{/layout}}\n";

static const char page_want[] =
    "<!doctype html>\n"
    "<title>Naloxone - Waypost</title>\n"
    "<main>\n"
    "  <h1>Naloxone</h1>\n"
    "  <p>Carry it &amp; use it.</p>\n"
    "  <p>Call for help.</p>\n"
    "</main>\n";

static mus_set *layout_set(void)
{
    mus_set *s = mus_set_new();
    add_ok(s, "layout", layout_src);
    add_ok(s, "page", page_src);
    add_ok(s, "empty", "{{<layout}}{{/layout}}");
    return s;
}

static json_t *page_data(void)
{
    return json_pack("{s:s, s:[s,s]}", "heading", "Naloxone", "items",
                     "Carry it & use it.", "Call for help.");
}

static void test_layout(void **state)
{
    (void)state;
    mus_set *s = layout_set();
    json_t *data = page_data();
    buf out;
    buf_init(&out, 0);
    assert_true(mus_render(s, "page", data, &out));
    assert_string_equal(buf_cstr(&out), page_want);
    buf_reset(&out);
    assert_true(mus_render(s, "empty", NULL, &out));
    assert_string_equal(buf_cstr(&out),
                        "<!doctype html>\n<title>Waypost</title>\n<main>\n"
                        "  <p>No content.</p>\n</main>\n");
    buf_free(&out);
    json_decref(data);
    mus_set_free(s);
}

static void test_partial_indent(void **state)
{
    (void)state;
    mus_set *s = mus_set_new();
    add_ok(s, "t", "<ul>\n  {{>item}}\n</ul>\n");
    add_ok(s, "item", "{{#l}}\n<li>\n  {{.}}\n</li>\n{{/l}}\n");
    json_t *data = json_pack("{s:[s,s]}", "l", "a", "b");
    buf out;
    buf_init(&out, 0);
    assert_true(mus_render(s, "t", data, &out));
    assert_string_equal(buf_cstr(&out),
                        "<ul>\n  <li>\n    a\n  </li>\n  <li>\n    b\n  </li>\n</ul>\n");
    buf_free(&out);
    json_decref(data);
    mus_set_free(s);
}

typedef struct job {
    const mus_set *set;
    json_t *data;
    int bad;
} job;

static void *render_many(void *arg)
{
    job *j = arg;
    buf out;
    buf_init(&out, 0);
    for (int i = 0; i < 500; i++) {
        buf_reset(&out);
        if (!mus_render(j->set, "page", j->data, &out) ||
            strcmp(buf_cstr(&out), page_want) != 0)
            j->bad++;
    }
    buf_free(&out);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    mus_set *s = layout_set();
    json_t *data = page_data();
    pthread_t th[4];
    job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){s, data, 0};
        assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(jobs[i].bad, 0);
    }
    json_decref(data);
    mus_set_free(s);
}

/* One cmocka test per suite file, named after it. */
#define SPEC_SUITE(name) \
    {"spec " name, test_spec_suite, NULL, NULL, (void *)(name ".json")}

int main(void)
{
    const struct CMUnitTest tests[] = {
        SPEC_SUITE("interpolation"),
        SPEC_SUITE("sections"),
        SPEC_SUITE("inverted"),
        SPEC_SUITE("comments"),
        SPEC_SUITE("partials"),
        SPEC_SUITE("delimiters"),
        SPEC_SUITE("~inheritance"),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_falsey_values),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_error_keeps_set),
        cmocka_unit_test(test_recursion_limit),
        cmocka_unit_test(test_depth_is_64),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_partial_indent),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
