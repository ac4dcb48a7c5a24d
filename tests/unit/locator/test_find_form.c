/* test_find_form: the finder form's choices rendered once per language and
 * template set (src/locator/find_form.c). A second request with the same
 * set joins the kept pieces (a hit, no rendering) and marks its own
 * selection; a new template set renders them again and its text shows; a
 * language number past I18N_MAX_LANGS is rendered every time and never
 * kept; a set without the partial gives false. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/config.h"
#include "core/i18n.h"
#include "locator/find_form.h"
#include "locator/locator.h"
#include "locator/shortcuts.h"
#include "tmpl/mustache.h"
#include "wp_test.h"

static const char PARTIAL[] =
    "{{#whats}}<option value=\"{{code}}\"{{#on}} selected{{/on}}>{{label}}</option>{{/whats}}"
    "{{#attrs}}<p>{{code}}{{#on}} checked{{/on}}</p>\n{{/attrs}}"
    "{{#languages}}<option value=\"{{code}}\"{{#on}} selected{{/on}}>{{label}}</option>{{/languages}}"
    "{{#shortcuts}}<li><a href=\"{{href}}\">{{title}}</a></li>{{/shortcuts}}\n";

static int setup(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[512];
    if (!locator_codes_load(&c, err, sizeof(err)) || !shortcuts_load(&c, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    find_form_clear();
    shortcuts_free();
    locator_codes_free();
    return 0;
}

static mus_set *set_with(const char *partial)
{
    mus_set *s = mus_set_new();
    char err[256];
    if (partial && !mus_set_add(s, "partials/find-choices", partial, strlen(partial), err, sizeof(err)))
        fail_msg("%s", err);
    return s;
}

static const char *get(json_t *d, const char *key)
{
    const char *v = json_string_value(json_object_get(d, key));
    assert_non_null(v);
    return v;
}

static void expect(unsigned long renders, unsigned long hits)
{
    static unsigned long r0, h0;
    unsigned long r, h;
    find_form_stats(&r, &h);
    assert_int_equal(r - r0, renders);
    assert_int_equal(h - h0, hits);
    r0 = r;
    h0 = h;
}

static void pieces_are_kept_per_set_and_language(void **state)
{
    (void)state;
    mus_set *one = set_with(PARTIAL);
    expect(0, 0);
    json_t *d = json_object();
    find_form_choice none = {NULL, NULL, 0, 25, NULL};
    assert_true(find_form_html(one, I18N_SOURCE, &none, d));
    expect(1, 0);
    assert_null(strstr(get(d, "whats_html"), "selected"));
    assert_non_null(strstr(get(d, "whats_html"), "<option value=\"naloxone\">Naloxone</option>"));
    assert_non_null(strstr(get(d, "shortcuts_html"), "<li><a href=\"/find/naloxone\">"));
    /* the file's final newline is not in the pieces; a checkbox's own is */
    const char *sc = get(d, "shortcuts_html");
    assert_int_not_equal(sc[strlen(sc) - 1], '\n');
    assert_int_equal(json_array_size(json_object_get(d, "radii")), (size_t)find_form_nradii);
    json_decref(d);

    /* the same set again: a hit, with this request's selection */
    const char *attrs[] = {"free"};
    find_form_choice some = {"naloxone", attrs, 1, 25, "es"};
    d = json_object();
    assert_true(find_form_html(one, I18N_SOURCE, &some, d));
    expect(0, 1);
    assert_non_null(strstr(get(d, "whats_html"), "<option value=\"naloxone\" selected>Naloxone</option>"));
    assert_non_null(strstr(get(d, "attrs_html"), "<p>free checked</p>\n"));
    assert_non_null(strstr(get(d, "languages_html"), "<option value=\"es\" selected>Spanish</option>"));
    json_decref(d);

    /* a new template set: rendered again, its own text */
    mus_set *two = set_with("{{#whats}}[{{code}}{{#on}}*{{/on}}]{{/whats}}\n");
    d = json_object();
    assert_true(find_form_html(two, I18N_SOURCE, &some, d));
    expect(1, 0);
    assert_non_null(strstr(get(d, "whats_html"), "[naloxone*]"));
    assert_null(strstr(get(d, "whats_html"), "<option"));
    json_decref(d);
    d = json_object();
    assert_true(find_form_html(two, I18N_SOURCE, &none, d));
    expect(0, 1);
    assert_null(strstr(get(d, "whats_html"), "*"));
    json_decref(d);

    /* a language number past the bound: rendered each time, never kept */
    for (int i = 0; i < 2; i++) {
        d = json_object();
        assert_true(find_form_html(one, I18N_MAX_LANGS, &none, d));
        json_decref(d);
    }
    expect(2, 0);

    /* no partial: false */
    mus_set *empty = set_with(NULL);
    d = json_object();
    assert_false(find_form_html(empty, 1, &none, d));
    assert_null(json_object_get(d, "whats_html"));
    json_decref(d);
    mus_set_free(empty);
    mus_set_free(two);
    mus_set_free(one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pieces_are_kept_per_set_and_language, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
