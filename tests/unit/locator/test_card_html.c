/* test_card_html: a results card rendered once in pieces and filled in per
 * request (src/locator/card_html.c). Joined, the pieces must be exactly
 * what Mustache renders from the card's data with listing_focus's chips,
 * for the real partials/listing and every mix of number, distance, hours
 * (with characters to escape), open or closed, kind searched for and
 * filters; a partial that writes a value unescaped or twice, nests the
 * chips in open_now, or is missing gives NULL (the page then renders the
 * card's data as before). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/util.h"
#include "locator/card_html.h"
#include "locator/listing.h"
#include "locator/locator.h"
#include "tmpl/mustache.h"
#include "wp_test.h"

static int setup(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[512];
    if (!locator_codes_load(&c, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    locator_codes_free();
    return 0;
}

static mus_set *set_with(const char *partial)
{
    mus_set *s = mus_set_new();
    char err[256];
    buf text = BUF_INIT;
    if (partial && (!i18n_template(I18N_SOURCE, partial, strlen(partial), &text, err, sizeof(err)) ||
                    !mus_set_add(s, "partials/listing", text.data, text.len, err, sizeof(err))))
        fail_msg("%s", err);
    buf_free(&text);
    return s;
}

static mus_set *real_set(void)
{
    size_t len;
    char *src = file_read("templates/partials/listing.mustache", 1 << 20, &len);
    assert_non_null(src);
    mus_set *s = set_with(src);
    free(src);
    return s;
}

/* A card as listing_base makes it, with a name and phone to escape and
 * chips of kinds, filters and a code Waypost does not know. */
static json_t *card_data(size_t nchips)
{
    static const char *const codes[] = {"naloxone", "medicaid", "buprenorphine", "not-a-code", "syringe-services",
                                        "telehealth", "methadone"};
    json_t *chips = json_array();
    for (size_t i = 0; i < nchips && i < sizeof(codes) / sizeof(codes[0]); i++) {
        char label[64];
        snprintf(label, sizeof(label), "Chip <%zu> & %s", i, codes[i]);
        json_array_append_new(chips, json_pack("{s:s, s:s}", "code", codes[i], "label", label));
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:[{s:s, s:s, s:s}], s:b, s:s, s:s}", "service_id", "svc-1", "name",
                     "Tom & Jo's <Clinic>", "town", "Denver, CO", "chips", chips, "phones", "tel", "+13035550100",
                     "number", "(303) 555-0100", "description", "intake", "has_point", 1, "geo_url",
                     "geo:39.7,-104.9", "source_line", "Listed by SAMHSA, May 2024");
}

/* What the page rendered before: the card's data focused and filled in. */
static char *rendered(const mus_set *set, json_t *card, const card_fill *f, const char *what, const char *const *attrs,
                      int nattrs)
{
    json_t *d = json_deep_copy(card);
    json_object_set_new(d, "distance", json_string(f->distance));
    json_object_set_new(d, "hours_now", json_string(f->hours));
    json_object_set_new(d, "open_now", json_boolean(f->open));
    listing_focus(d, what, attrs, nattrs);
    json_object_set_new(d, "number", json_integer(f->number));
    buf b = BUF_INIT;
    assert_true(mus_render(set, "partials/listing", d, &b));
    json_decref(d);
    return buf_detach(&b, NULL);
}

static void joined_cards_equal_the_rendered_ones(void **state)
{
    (void)state;
    mus_set *set = real_set();
    static const char *const whats[] = {NULL, "buprenorphine", "naloxone", "methadone", "drug-checking"};
    static const char *const attrs[] = {"medicaid", "telehealth"};
    for (size_t nchips = 0; nchips <= 7; nchips++) {
        json_t *card = card_data(nchips);
        card_html *h = card_html_build(set, card);
        assert_non_null(h);
        assert_true(card_html_size(h) > 100);
        for (size_t w = 0; w < sizeof(whats) / sizeof(whats[0]); w++)
            for (int na = 0; na <= 2; na++)
                for (int open = 0; open <= 1; open++) {
                    card_fill f = {open ? 12 : 3, open ? "1.5 miles" : "<2 & 3>", open ? "Open until 5 pm" : "\"Closed\" 'now'",
                                   open != 0, whats[w] ? loc_code_bit(whats[w]) : 0, 0};
                    for (int k = 0; k < na; k++)
                        f.attrs |= loc_code_bit(attrs[k]);
                    char *want = rendered(set, card, &f, whats[w], attrs, na);
                    buf got = BUF_INIT;
                    card_html_join(h, &f, &got);
                    assert_string_equal(buf_cstr(&got), want);
                    buf_free(&got);
                    free(want);
                }
        card_html_free(h);
        json_decref(card);
    }
    mus_set_free(set);
}

static void partials_that_do_not_split_give_null(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "<p>{{{distance}}} {{number}} {{hours_now}}</p>\n",                          /* unescaped */
        "<p>{{distance}} {{distance}} {{number}} {{hours_now}}</p>\n",               /* twice */
        "<p>{{distance}} {{number}}</p>\n",                                          /* no hours */
        "<p>{{distance}} {{number}} {{hours_now}}{{#open_now}}{{#top_chips}}<i>{{label}}</i>{{/top_chips}}"
        "{{/open_now}}</p>\n", /* chips only when open */
    };
    json_t *card = card_data(4);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mus_set *set = set_with(bad[i]);
        assert_null(card_html_build(set, card));
        mus_set_free(set);
    }
    mus_set *none = set_with(NULL);
    assert_null(card_html_build(none, card));
    assert_null(card_html_build(NULL, card));
    mus_set_free(none);
    /* the same keys used plainly do split */
    mus_set *ok = set_with("<p>{{number}}. {{name}} {{distance}} <b{{#open_now}} class=open{{/open_now}}>{{hours_now}}</b>"
                           "<ul>{{#top_chips}}<li>{{label}} ({{code}})</li>{{/top_chips}}</ul></p>\n");
    card_html *h = card_html_build(ok, card);
    assert_non_null(h);
    card_fill f = {2, "3.0 miles", "Closed", false, loc_code_bit("buprenorphine"), 0};
    buf got = BUF_INIT;
    card_html_join(h, &f, &got);
    assert_string_equal(buf_cstr(&got), "<p>2. Tom &amp; Jo&#39;s &lt;Clinic&gt; 3.0 miles <b>Closed</b><ul>"
                                        "<li>Chip &lt;2&gt; &amp; buprenorphine (buprenorphine)</li>"
                                        "<li>Chip &lt;0&gt; &amp; naloxone (naloxone)</li>"
                                        "<li>Chip &lt;1&gt; &amp; medicaid (medicaid)</li></ul></p>\n");
    buf_free(&got);
    card_html_free(h);
    mus_set_free(ok);
    json_decref(card);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(joined_cards_equal_the_rendered_ones),
        cmocka_unit_test(partials_that_do_not_split_give_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
