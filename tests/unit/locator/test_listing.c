/* test_listing: a stored listing as page data (src/locator/listing.c):
 * the "listed by" source line and the time zone of each US state and
 * territory (each must exist in the system's tz database). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/tz.h"
#include "locator/listing.h"
#include "wp_test.h"

static void source_lines(void **state)
{
    (void)state;
    char out[128];
    listing_source_line("SAMHSA treatment locator (via OEPS)", "2020-09-01", out, sizeof(out));
    assert_string_equal(out, "Listed by SAMHSA, September 2020");
    listing_source_line("SAMHSA treatment locator (via OEPS)", "2017-01-01", out, sizeof(out));
    assert_string_equal(out, "Listed by SAMHSA, 2017");
    listing_source_line("Harbor Health staff", "2026-11-03", out, sizeof(out));
    assert_string_equal(out, "Listed by Harbor Health staff, November 2026");
    listing_source_line("", "", out, sizeof(out));
    assert_string_equal(out, "Listed by an imported list");
}

static void state_zones(void **state)
{
    (void)state;
    assert_string_equal(listing_state_zone("CA"), "America/Los_Angeles");
    assert_string_equal(listing_state_zone("AK"), "America/Anchorage");
    assert_string_equal(listing_state_zone("AZ"), "America/Phoenix");
    assert_string_equal(listing_state_zone("GU"), "Pacific/Guam");
    assert_null(listing_state_zone("ZZ"));
    assert_null(listing_state_zone(""));
    static const char *const all[] = {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID",
                                      "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO",
                                      "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
                                      "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR"};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        const char *z = listing_state_zone(all[i]);
        assert_non_null(z);
        assert_non_null(tz_get(z)); /* every zone exists in the system's tz database */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(source_lines),
        cmocka_unit_test(state_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
