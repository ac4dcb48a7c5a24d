/* test_places: unit tests for src/locator/places.c, what a person types as
 * "Where?": folding and edit distance, city and state in several spellings,
 * counties, a state alone, ambiguous and misspelt names with their
 * suggestions (each suggestion resolves again), ZIP codes with their state
 * (ZCTAs and PO-box ZIPs), coordinates, and input that is nothing like a
 * place. Uses the bundled data/geo files; run from the repository root. */
#include "locator/places.h"

#include "core/config.h"
#include "locator/locator.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static int setup(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[512];
    if (!locator_zips_load(&c, err, sizeof(err)) || !places_load(c.data_dir, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    places_free();
    locator_zips_free();
    return 0;
}

static void fold_and_distance(void **state)
{
    (void)state;
    char out[128];
    place_fold("  St. Louis,   MO ", out, sizeof(out));
    assert_string_equal(out, "saint louis mo");
    place_fold("O'Fallon", out, sizeof(out));
    assert_string_equal(out, "ofallon");
    place_fold("Mt Vernon", out, sizeof(out));
    assert_string_equal(out, "mount vernon");
    place_fold("\xff\xfe,,,", out, sizeof(out));
    assert_string_equal(out, "");
    char small[6];
    place_fold("abc defgh", small, sizeof(small));
    assert_string_equal(small, "abc");
    assert_int_equal(place_distance("denver", "denver", 2), 0);
    assert_int_equal(place_distance("denvr", "denver", 2), 1);
    assert_int_equal(place_distance("dnevre", "denver", 2), 3); /* over the bound: max + 1 */
    assert_int_equal(place_distance("a", "abcdef", 2), 3);
}

static void expect_found(const char *text, const char *label, const char *st)
{
    place_result r;
    place_resolve(text, &r);
    if (r.status != PLACE_FOUND)
        fail_msg("%s: status %d, not found", text, (int)r.status);
    assert_string_equal(r.label, label);
    assert_string_equal(r.state, st);
    assert_true(r.lat > 15 && r.lat < 72 && r.lon < -60);
}

static void cities_and_counties(void **state)
{
    (void)state;
    expect_found("Denver, CO", "Denver, CO", "CO");
    expect_found("denver co", "Denver, CO", "CO");
    expect_found("DENVER COLORADO", "Denver, CO", "CO");
    expect_found("Denver", "Denver, CO", "CO"); /* far larger than the other Denvers */
    expect_found("St. Louis, MO", "Saint Louis, MO", "MO");
    expect_found("Billings MT", "Billings, MT", "MT"); /* MT is a state, not "mount" */
    expect_found("Multnomah County, OR", "Multnomah County, OR", "OR");
    expect_found("multnomah county oregon", "Multnomah County, OR", "OR");
    expect_found("New York", "New York, NY", "NY");
    expect_found("Charleston, West Virginia", "Charleston, WV", "WV");
    place_result r;
    place_resolve("Denver", &r);
    assert_true(r.nsuggest > 0); /* the other Denvers, for "did you mean" */
}

static void suggestions_resolve_again(const place_result *r)
{
    for (int i = 0; i < r->nsuggest; i++) {
        place_result again;
        place_resolve(r->suggest[i], &again);
        if (again.status != PLACE_FOUND || strcmp(again.label, r->suggest[i]))
            fail_msg("suggestion %s resolves to %d %s", r->suggest[i], (int)again.status, again.label);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(r->suggest[i], r->suggest[j]);
    }
}

static void ambiguous_and_misspelt(void **state)
{
    (void)state;
    place_result r;
    place_resolve("Springfield", &r);
    assert_int_equal(r.status, PLACE_AMBIGUOUS);
    assert_true(r.nsuggest >= 2 && r.nsuggest <= PLACE_MAX_SUGGEST);
    suggestions_resolve_again(&r);
    place_resolve("Portland", &r); /* Oregon's is far larger; Maine's is offered */
    assert_int_equal(r.status, PLACE_FOUND);
    assert_string_equal(r.label, "Portland, OR");
    assert_string_equal(r.suggest[0], "Portland, ME");
    suggestions_resolve_again(&r);
    place_resolve("Denvr, CO", &r);
    assert_int_equal(r.status, PLACE_NOT_FOUND);
    assert_true(r.nsuggest >= 1);
    assert_string_equal(r.suggest[0], "Denver, CO");
    suggestions_resolve_again(&r);
    place_resolve("Albuqerque", &r);
    assert_int_equal(r.status, PLACE_NOT_FOUND);
    assert_true(r.nsuggest >= 1);
    assert_string_equal(r.suggest[0], "Albuquerque, NM");
    place_resolve("Denver, CA", &r); /* no Denver in California: the ones there are */
    assert_int_equal(r.status, PLACE_NOT_FOUND);
    assert_string_equal(r.suggest[0], "Denver, CO");
    place_resolve("qqqqqqqqqqqq", &r);
    assert_int_equal(r.status, PLACE_NOT_FOUND);
    assert_int_equal(r.nsuggest, 0);
}

static void states_alone(void **state)
{
    (void)state;
    place_result r;
    place_resolve("Oregon", &r);
    assert_int_equal(r.status, PLACE_STATE);
    assert_string_equal(r.state, "OR");
    assert_string_equal(r.label, "Oregon");
    assert_true(r.nsuggest > 0);
    suggestions_resolve_again(&r);
    place_resolve("TX", &r);
    assert_int_equal(r.status, PLACE_STATE);
    assert_string_equal(r.state, "TX");
    assert_string_equal(place_state_name("TX"), "Texas");
    assert_null(place_state_name("XX"));
}

static void zips_and_coordinates(void **state)
{
    (void)state;
    place_result r;
    place_resolve(" 97214 ", &r);
    assert_int_equal(r.status, PLACE_FOUND);
    assert_string_equal(r.state, "OR");
    assert_string_equal(r.label, "ZIP 97214");
    place_resolve("10001-1234", &r);
    assert_int_equal(r.status, PLACE_FOUND);
    assert_string_equal(r.state, "NY");
    place_resolve("00000", &r);
    assert_int_equal(r.status, PLACE_UNKNOWN_ZIP);
    place_resolve("39.74,-104.99", &r);
    assert_int_equal(r.status, PLACE_FOUND);
    assert_string_equal(r.state, "CO");
    place_resolve("95,200", &r);
    assert_int_equal(r.status, PLACE_BAD_COORDS);
    char st[3];
    place_zip_state("99501", st);
    assert_string_equal(st, "AK");
    place_zip_state("abc", st);
    assert_string_equal(st, "");
}

static void nothing_like_a_place(void **state)
{
    (void)state;
    place_result r;
    place_resolve("", &r);
    assert_int_equal(r.status, PLACE_UNREADABLE);
    place_resolve(",,, ...", &r);
    assert_int_equal(r.status, PLACE_UNREADABLE);
    place_resolve(NULL, &r);
    assert_int_equal(r.status, PLACE_UNREADABLE);
    char longer[300];
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    place_resolve(longer, &r);
    assert_int_equal(r.status, PLACE_UNREADABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fold_and_distance),    cmocka_unit_test(cities_and_counties),
        cmocka_unit_test(ambiguous_and_misspelt), cmocka_unit_test(states_alone),
        cmocka_unit_test(zips_and_coordinates), cmocka_unit_test(nothing_like_a_place),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
