/* test_i18n: the catalogs and the text helpers of src/core/i18n*.c: PO
 * reading (continuations, escapes, contexts, plurals, fuzzy and empty
 * entries, errors by line), translations refused for other printf
 * conversions or Mustache tags, the language of a path and of an
 * Accept-Language header, template markers, link prefixes, dates and
 * numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/i18n.h"
#include "wp_test.h"

static const char CATALOG[] =
    "# Spanish\n"
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Language: es\\n\"\n"
    "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
    "\n"
    "msgid \"Menu\"\n"
    "msgstr \"Menú\"\n"
    "\n"
    "#, fuzzy\n"
    "msgid \"Quick exit\"\n"
    "msgstr \"Salida\"\n"
    "\n"
    "msgid \"Untranslated\"\n"
    "msgstr \"\"\n"
    "\n"
    "msgctxt \"month\"\n"
    "msgid \"May\"\n"
    "msgstr \"may\"\n"
    "\n"
    "msgid \"Call \"\n"
    "\"{{number}} now.\"\n"
    "msgstr \"Llame al \"\n"
    "\"{{number}} ya.\"\n"
    "\n"
    "msgid \"Call {{number}} today.\"\n"
    "msgstr \"Llame hoy.\"\n"
    "\n"
    "#, c-format\n"
    "msgid \"%d of %s\"\n"
    "msgstr \"%s de %d\"\n"
    "\n"
    "#, c-format\n"
    "msgid \"%d result\"\n"
    "msgid_plural \"%d results\"\n"
    "msgstr[0] \"%d resultado\"\n"
    "msgstr[1] \"%d resultados\"\n"
    "\n"
    "msgid \"Say \\\"hi\\\"\\tnow\"\n"
    "msgstr \"Diga \\\"hola\\\"\\tya\"\n"
    "\n"
    "#~ msgid \"Old\"\n"
    "#~ msgstr \"Viejo\"\n";

static int setup(void **state)
{
    (void)state;
    i18n_unload();
    char err[256];
    int lang = i18n_add("es", "es.po", CATALOG, sizeof(CATALOG) - 1, err, sizeof(err));
    if (lang != 1) {
        print_error("catalog: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    i18n_unload();
    return 0;
}

static void looks_up_translations(void **state)
{
    (void)state;
    assert_int_equal(i18n_count(), 2);
    assert_string_equal(i18n_tr(1, "Menu"), "Menú");
    assert_string_equal(i18n_tr(0, "Menu"), "Menu");               /* English is the source */
    assert_string_equal(i18n_tr(1, "Quick exit"), "Quick exit");   /* fuzzy: not shown */
    assert_string_equal(i18n_tr(1, "Untranslated"), "Untranslated");
    assert_string_equal(i18n_tr(1, "Old"), "Old");                 /* obsolete: not read */
    assert_string_equal(i18n_trc(1, "month", "May"), "may");
    assert_string_equal(i18n_tr(1, "May"), "May");                 /* the context is part of the key */
    assert_string_equal(i18n_tr(1, "Call {{number}} now."), "Llame al {{number}} ya.");
    assert_string_equal(i18n_tr(1, "Say \"hi\"\tnow"), "Diga \"hola\"\tya");
    assert_int_equal(i18n_translated(1), 5);
}

static void refuses_translations_that_change_arguments(void **state)
{
    (void)state;
    /* a lost {{number}} and swapped printf conversions fall back to English */
    assert_string_equal(i18n_tr(1, "Call {{number}} today."), "Call {{number}} today.");
    assert_string_equal(i18n_tr(1, "%d of %s"), "%d of %s");
    assert_int_equal(i18n_rejected(1), 2);
}

static void counts_fallbacks(void **state)
{
    (void)state;
    unsigned long before = i18n_missing(1);
    i18n_tr(1, "Nothing like this");
    i18n_tr(1, "Menu");
    assert_int_equal(i18n_missing(1) - before, 1);
    assert_int_equal(i18n_missing(0), 0);
}

static void chooses_plural_forms(void **state)
{
    (void)state;
    assert_string_equal(i18n_trn(1, "%d result", "%d results", 1), "%d resultado");
    assert_string_equal(i18n_trn(1, "%d result", "%d results", 0), "%d resultados");
    assert_string_equal(i18n_trn(1, "%d result", "%d results", 7), "%d resultados");
    assert_string_equal(i18n_trn(0, "%d result", "%d results", 1), "%d result");
    assert_string_equal(i18n_trn(1, "%d page", "%d pages", 2), "%d pages");
}

static void reports_malformed_catalogs(void **state)
{
    (void)state;
    static const struct {
        const char *src, *want;
    } bad[] = {
        {"msgid \"a\"\n", "line 1: an entry has a msgid but no msgstr"},
        {"msgid \"a\nmsgstr \"b\"\n", "line 1: a string is not closed"},
        {"msgstr \"b\"\n", "line 1: a msgstr or msgid_plural before its msgid"},
        {"msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n", "the msgid \"a\" is in the catalog twice"},
        {"msgid \"a\\q\"\nmsgstr \"b\"\n", "line 1: an unknown escape"},
        {"hello\n", "line 1: not a PO line"},
        {"msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n+5;\\n\"\n", "gives 5 for n=0"},
        {"msgid \"a\"\nmsgstr[9] \"b\"\n", "msgstr[N] needs N from 0 to 5"},
        {"\"x\"\n", "a continuation string with nothing to continue"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        assert_int_equal(i18n_add("fr", "fr.po", bad[i].src, strlen(bad[i].src), err, sizeof(err)), -1);
        if (!strstr(err, bad[i].want))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, bad[i].want);
    }
    assert_int_equal(i18n_count(), 2);
}

static void evaluates_other_plural_rules(void **state)
{
    (void)state;
    /* Polish, from the gettext manual: three forms */
    const char po[] = "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
                      "(n%100<10 || n%100>=20) ? 1 : 2);\\n\"\n\n"
                      "msgid \"file\"\nmsgid_plural \"files\"\nmsgstr[0] \"plik\"\nmsgstr[1] \"pliki\"\n"
                      "msgstr[2] \"plików\"\n";
    char err[256];
    int pl = i18n_add("pl", "pl.po", po, sizeof(po) - 1, err, sizeof(err));
    assert_true(pl > 0);
    assert_string_equal(i18n_trn(pl, "file", "files", 1), "plik");
    assert_string_equal(i18n_trn(pl, "file", "files", 3), "pliki");
    assert_string_equal(i18n_trn(pl, "file", "files", 12), "plików");
    assert_string_equal(i18n_trn(pl, "file", "files", 22), "pliki");
    assert_string_equal(i18n_trn(pl, "file", "files", 25), "plików");
}

static void finds_the_language_of_a_path(void **state)
{
    (void)state;
    const char *rest;
    assert_int_equal(i18n_from_path("/es/find", &rest), 1);
    assert_string_equal(rest, "/find");
    assert_int_equal(i18n_from_path("/es", &rest), 1);
    assert_string_equal(rest, "/");
    assert_int_equal(i18n_from_path("/es/", &rest), 1);
    assert_string_equal(rest, "/");
    assert_int_equal(i18n_from_path("/escape", &rest), 0);
    assert_string_equal(rest, "/escape");
    assert_int_equal(i18n_from_path("/en/find", &rest), 0); /* the default has no prefix */
    assert_string_equal(rest, "/en/find");
    assert_string_equal(i18n_prefix(1), "/es");
    assert_string_equal(i18n_prefix(0), "");
    assert_int_equal(i18n_find("es-MX"), 1);
    assert_int_equal(i18n_find("EN"), 0);
    assert_int_equal(i18n_find("de"), -1);
    assert_string_equal(i18n_name(1), "Español");
}

static void reads_accept_language(void **state)
{
    (void)state;
    assert_int_equal(i18n_accept("es-MX,es;q=0.9,en;q=0.8"), 1);
    assert_int_equal(i18n_accept("en-US,en;q=0.9,es;q=0.5"), 0);
    assert_int_equal(i18n_accept("de-DE, es;q=0.3"), 1);
    assert_int_equal(i18n_accept("de-DE"), -1);
    assert_int_equal(i18n_accept(""), -1);
    assert_int_equal(i18n_accept(NULL), -1);
    assert_int_equal(i18n_accept("es;q=0, en"), 0);
}

static void replaces_template_markers(void **state)
{
    (void)state;
    const char src[] = "<nav>{{#_}}Menu{{/_}}</nav><p>{{#_}}Call\n   {{number}}  now.{{/_}}</p>{{#x}}{{/x}}";
    buf out = BUF_INIT;
    char err[128];
    assert_true(i18n_template(1, src, sizeof(src) - 1, &out, err, sizeof(err)));
    assert_string_equal(buf_cstr(&out), "<nav>Menú</nav><p>Llame al {{number}} ya.</p>{{#x}}{{/x}}");
    buf_reset(&out);
    assert_true(i18n_template(0, src, sizeof(src) - 1, &out, err, sizeof(err)));
    assert_string_equal(buf_cstr(&out), "<nav>Menu</nav><p>Call {{number}} now.</p>{{#x}}{{/x}}");
    buf_reset(&out);
    const char open[] = "a\n{{#_}}never closed";
    assert_false(i18n_template(1, open, sizeof(open) - 1, &out, err, sizeof(err)));
    assert_string_equal(err, "line 2: {{#_}} is not closed with {{/_}}");
    buf_reset(&out);
    const char nested[] = "{{#_}}a {{#b}}c{{/b}}{{/_}}";
    assert_false(i18n_template(1, nested, sizeof(nested) - 1, &out, err, sizeof(err)));
    assert_non_null(strstr(err, "inside {{#_}}"));
    buf_free(&out);
}

static void prefixes_site_links(void **state)
{
    (void)state;
    const char html[] = "<a href=\"/find\">f</a> <form action=\"/search\" method=\"get\"></form>"
                        "<link rel=\"stylesheet\" href=\"/static/css/a.css\"><a href=\"https://x.org/\">x</a>"
                        "<a href=\"/es/about\">y</a><a href=\"/\" hreflang=\"en\">English</a>"
                        "<img src=\"/static/i.png\" alt=\"\"><a href=\"/api/v1/services\">api</a>"
                        "<p>href=\"/not-a-tag\"</p><a href=\"#top\">t</a><a href=\"/\">home</a>";
    buf out = BUF_INIT;
    i18n_links(html, sizeof(html) - 1, "/es", &out);
    assert_string_equal(buf_cstr(&out),
                        "<a href=\"/es/find\">f</a> <form action=\"/es/search\" method=\"get\"></form>"
                        "<link rel=\"stylesheet\" href=\"/static/css/a.css\"><a href=\"https://x.org/\">x</a>"
                        "<a href=\"/es/about\">y</a><a href=\"/\" hreflang=\"en\">English</a>"
                        "<img src=\"/static/i.png\" alt=\"\"><a href=\"/api/v1/services\">api</a>"
                        "<p>href=\"/not-a-tag\"</p><a href=\"#top\">t</a><a href=\"/es/\">home</a>");
    buf_reset(&out);
    i18n_links(html, sizeof(html) - 1, "", &out);
    assert_string_equal(buf_cstr(&out), html);
    buf_free(&out);
}

static void writes_dates_and_numbers(void **state)
{
    (void)state;
    char s[64];
    assert_true(i18n_day(0, "2026-12-04", s, sizeof(s)));
    assert_string_equal(s, "4 Dec 2026");
    assert_false(i18n_day(0, "yesterday", s, sizeof(s)));
    assert_string_equal(s, "yesterday");
    i18n_number(0, 1.5, 1, s, sizeof(s));
    assert_string_equal(s, "1.5");
    i18n_number(1, 1.5, 1, s, sizeof(s));
    assert_string_equal(s, "1,5");
    i18n_number(0, 12345.26, 1, s, sizeof(s));
    assert_string_equal(s, "12,345.3");
    i18n_number(1, 12345, 0, s, sizeof(s));
    assert_string_equal(s, "12\u00a0345");
    i18n_number(1, 1234, 0, s, sizeof(s));
    assert_string_equal(s, "1234"); /* Spanish groups from five digits on */
    i18n_number(0, -0.04, 1, s, sizeof(s));
    assert_string_equal(s, "0.0");
    i18n_number(0, -2.5, 1, s, sizeof(s));
    assert_string_equal(s, "-2.5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(looks_up_translations),
        cmocka_unit_test(refuses_translations_that_change_arguments),
        cmocka_unit_test(counts_fallbacks),
        cmocka_unit_test(chooses_plural_forms),
        cmocka_unit_test(reports_malformed_catalogs),
        cmocka_unit_test(evaluates_other_plural_rules),
        cmocka_unit_test(finds_the_language_of_a_path),
        cmocka_unit_test(reads_accept_language),
        cmocka_unit_test(replaces_template_markers),
        cmocka_unit_test(prefixes_site_links),
        cmocka_unit_test(writes_dates_and_numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
