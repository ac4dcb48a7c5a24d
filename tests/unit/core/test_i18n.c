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

/* The reading i18n_links replaced (every tag from the start, each
 * tag's attributes compared at every byte), kept to check that the
 * jumping one gives the same bytes. */
static bool ref_starts(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

static bool ref_keep(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    if (ref_starts(p, end, "//") || ref_starts(p, end, "/static/") || ref_starts(p, end, "/api/") ||
        ref_starts(p, end, "/metrics") || ref_starts(p, end, "/healthz"))
        return true;
    return (size_t)(end - p) > n && memcmp(p, prefix, n) == 0 && (p[n] == '/' || p[n] == '"' || p[n] == '?');
}

static void ref_tag(const char *t, const char *e, const char *prefix, buf *out)
{
    if (memmem(t, (size_t)(e - t), " hreflang=", 10)) {
        buf_append(out, t, (size_t)(e - t));
        return;
    }
    const char *p = t;
    while (p < e) {
        const char *h = NULL;
        size_t skip = 0;
        for (const char *q = p; q < e && !h; q++) {
            if (ref_starts(q, e, " href=\"/"))
                h = q, skip = 7;
            else if (ref_starts(q, e, " action=\"/"))
                h = q, skip = 9;
            else if (ref_starts(q, e, " formaction=\"/"))
                h = q, skip = 13;
        }
        if (!h) {
            buf_append(out, p, (size_t)(e - p));
            return;
        }
        buf_append(out, p, (size_t)(h + skip - p));
        if (!ref_keep(h + skip, e, prefix))
            buf_puts(out, prefix);
        p = h + skip;
    }
}

static void ref_links(const char *html, size_t len, const char *prefix, buf *out)
{
    const char *p = html, *end = html + len;
    while (p < end) {
        const char *t = memchr(p, '<', (size_t)(end - p));
        if (!t) {
            buf_append(out, p, (size_t)(end - p));
            return;
        }
        buf_append(out, p, (size_t)(t - p));
        const char *e = memchr(t, '>', (size_t)(end - t));
        e = e ? e + 1 : end;
        bool linky = t + 1 < end && (t[1] == 'a' || t[1] == 'f' || t[1] == 'l' || t[1] == 'b' || t[1] == 'i');
        if (linky)
            ref_tag(t, e, prefix, out);
        else
            buf_append(out, t, (size_t)(e - t));
        p = e;
    }
}

/* Random pages from pieces that matter (tags that are and are not links,
 * stray '<' and '>', targets kept and prefixed, hreflang, cut-off tags):
 * the same bytes as the old reading, 20,000 times. */
static void prefixes_links_as_reading_every_tag(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "<a", "<form", "<link", "<button", "<img", "<input", "<p", "<option", "<li", "<b", " href=\"/", " action=\"/",
        " formaction=\"/", " src=\"/", " hreflang=\"en\"", "=\"/", "static/x\"", "api/v1\"", "es/y\"", "es\"",
        "es?q=1\"", "find\"", "/\"", "\"", ">", "<", " ", "text", "=", "/", "\n", "href", "</a>", "a>", "h"};
    const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
    unsigned seed = 12345;
    buf html = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
    for (int round = 0; round < 20000; round++) {
        buf_reset(&html);
        int n = 1 + round % 40;
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            buf_puts(&html, pieces[(seed >> 16) % npieces]);
        }
        buf_reset(&want);
        buf_reset(&got);
        ref_links(html.data, html.len, "/es", &want);
        i18n_links(html.data, html.len, "/es", &got);
        if (want.len != got.len || memcmp(buf_cstr(&want), buf_cstr(&got), want.len))
            fail_msg("%s\nwant %s\ngot  %s", buf_cstr(&html), buf_cstr(&want), buf_cstr(&got));
    }
    buf_free(&html);
    buf_free(&want);
    buf_free(&got);
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

/* i18n_number formats without printf when it can: below 1000 (no
 * grouping) it must give printf's "%.*f" for every value, ties included
 * (0.25 -> "0.2", 0.35 -> "0.3": printf rounds the exact binary value). */
static void numbers_round_as_printf_does(void **state)
{
    (void)state;
    static const double ties[] = {0.25, 0.35, 0.45, 2.5, 0.125, 0.375, 1.0005, 0.05, 0.15, 99.95, 0.0, 0.5, 1.5};
    char got[64], want[64];
    for (size_t i = 0; i < sizeof(ties) / sizeof(ties[0]); i++)
        for (int d = 0; d <= 3; d++) {
            i18n_number(0, ties[i], d, got, sizeof(got));
            snprintf(want, sizeof(want), "%.*f", d, ties[i]);
            assert_string_equal(got, want);
        }
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v = (double)(x % 100000000ull) / (double)(1 + (x >> 40) % 100000ull);
        if (v >= 1000)
            continue;
        int d = (int)(x >> 60) % 4;
        i18n_number(0, v, d, got, sizeof(got));
        snprintf(want, sizeof(want), "%.*f", d, v);
        if (strcspn(want, ".") > 3)
            continue; /* "1000" is grouped */
        assert_string_equal(got, want);
    }
    i18n_number(0, 999999.96, 1, got, sizeof(got));
    assert_string_equal(got, "1,000,000.0");
    i18n_number(1, 2.25, 2, got, sizeof(got));
    assert_string_equal(got, "2,25");
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
        cmocka_unit_test(prefixes_links_as_reading_every_tag),
        cmocka_unit_test(writes_dates_and_numbers),
        cmocka_unit_test(numbers_round_as_printf_does),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
