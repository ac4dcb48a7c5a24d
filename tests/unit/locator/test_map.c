/* test_map: the server-drawn results map. The Albers USA projection against
 * values computed with d3-geo, the state outlines loaded from
 * data/geo/us-states.json, the geometry (scale in miles, the view around
 * the searched place, ring radii, the scale bar's round length, pins
 * spread apart, when a map is useless) and the SVG: accessible name and
 * description, rings, north arrow, scale bar, numbered pins, escaping and
 * its weight.
 * Run from the repository root (it reads data/geo/us-states.json). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "locator/map.h"
#include "wp_test.h"

/* Expected positions computed with d3-geo 3.1.2 in node:
 *   d3.geoAlbersUsa().scale(1300).translate([487.5, 305])([lon, lat])
 * (the projection us-atlas used for states-albers-10m.json). */
static const struct {
    const char *what;
    double lat, lon, x, y;
} known[] = {
    {"Kansas, near the centre", 38.5, -98.0, 462.8548, 309.2453},
    {"New York City", 40.7128, -74.006, 869.7188, 215.7405},
    {"Los Angeles", 34.0522, -118.2437, 86.8121, 363.1189},
    {"Seattle", 47.6062, -122.3321, 97.6250, 46.3187},
    {"Miami", 25.7617, -80.1918, 822.7383, 572.5408},
    {"Minneapolis", 44.97, -93.26, 541.9373, 161.1768},
    {"Anchorage (Alaska inset)", 61.2181, -149.9003, 112.2774, 544.2779},
    {"Fairbanks (Alaska inset)", 64.8378, -147.7164, 117.8487, 514.9422},
    {"Honolulu (Hawaii inset)", 21.3069, -157.8583, 266.9599, 549.1904},
    {"Hilo (Hawaii inset)", 19.7297, -155.09, 326.1523, 584.6750},
};

static void projects_known_points_like_d3(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        double x = -1, y = -1;
        if (!map_project(known[i].lat, known[i].lon, &x, &y))
            fail_msg("%s did not project", known[i].what);
        if (fabs(x - known[i].x) > 1e-3 || fabs(y - known[i].y) > 1e-3)
            fail_msg("%s: got %.4f,%.4f, d3 says %.4f,%.4f", known[i].what, x, y, known[i].x, known[i].y);
    }
}

static void insets_hold_alaska_and_hawaii(void **state)
{
    (void)state;
    double x, y;
    /* Alaska's inset: x in [-65, 209.3], y in [461, 609.2] (d3's clip extent). */
    assert_true(map_project(61.2181, -149.9003, &x, &y));
    assert_true(x > -65 && x < 209.3 && y > 461 && y < 609.2);
    /* Hawaii's inset: x in [209.3, 338], y in [520.8, 609.2]. */
    assert_true(map_project(21.3069, -157.8583, &x, &y));
    assert_true(x > 209.3 && x < 338 && y > 520.8 && y < 609.2);
}

static void points_outside_the_us_do_not_project(void **state)
{
    (void)state;
    double x = 123, y = 456;
    assert_false(map_project(13.4443, 144.7937, &x, &y)); /* Guam */
    assert_false(map_project(18.2208, -66.5901, &x, &y)); /* Puerto Rico */
    assert_false(map_project(0, 0, &x, &y));
    assert_false(map_project(-33.87, 151.21, &x, &y)); /* Sydney */
    assert_false(map_project(NAN, -98, &x, &y));
    assert_false(map_project(38.5, INFINITY, &x, &y));
    assert_false(map_project(91, -98, &x, &y));
    assert_false(map_project(38.5, -181, &x, &y));
    assert_true(x == 123 && y == 456); /* left alone */
}

static int load_map(void **state)
{
    (void)state;
    char err[256];
    if (!map_load("data", err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int free_map(void **state)
{
    (void)state;
    map_free();
    return 0;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}



static void load_reports_a_missing_file_and_loads_once(void **state)
{
    (void)state;
    char err[256] = "";
    assert_true(map_loaded());
    assert_true(map_load("data", err, sizeof(err))); /* already loaded: no-op */
    map_free();
    assert_false(map_loaded());
    buf b = BUF_INIT;
    const map_pin p[] = {{40.7128, -74.006, 1, -1, "a"}, {40.6782, -73.9442, 2, -1, "b"}};
    map_request rq = {"m", "t", 40.75, -73.99, 0};
    assert_int_equal(map_svg(&b, &rq, p, 2), 0); /* not loaded: nothing */
    assert_int_equal(b.len, 0);
    assert_false(map_load("/nonexistent-waypost", err, sizeof(err)));
    assert_contains(err, "us-states.json");
    assert_true(map_load("data", err, sizeof(err)));
    assert_true(map_svg(&b, &rq, p, 2) == 2);
    buf_free(&b);
}

static double miles(double lat1, double lon1, double lat2, double lon2)
{
    const double d = 3.14159265358979323846 / 180;
    double a = sin((lat2 - lat1) * d / 2), b = sin((lon2 - lon1) * d / 2);
    return 2 * 3958.7613 * asin(sqrt(a * a + cos(lat1 * d) * cos(lat2 * d) * b * b));
}

static void units_per_mile_match_distances_on_the_ground(void **state)
{
    (void)state;
    /* Manhattan to Newark, Kansas City to Topeka, Seattle to Tacoma. */
    const double pairs[][4] = {{40.7128, -74.006, 40.7357, -74.1724},
                               {39.0997, -94.5786, 39.0473, -95.6752},
                               {47.6062, -122.3321, 47.2529, -122.4443}};
    for (int i = 0; i < 3; i++) {
        double x1, y1, x2, y2, upm = map_units_per_mile(pairs[i][0], pairs[i][1]);
        assert_true(map_project(pairs[i][0], pairs[i][1], &x1, &y1));
        assert_true(map_project(pairs[i][2], pairs[i][3], &x2, &y2));
        double got = hypot(x2 - x1, y2 - y1) / upm, want = miles(pairs[i][0], pairs[i][1], pairs[i][2], pairs[i][3]);
        if (fabs(got - want) > want * 0.03)
            fail_msg("pair %d: %.2f miles on the map, %.2f on the ground", i, got, want);
    }
    assert_true(map_units_per_mile(13.4443, 144.7937) == 0); /* Guam does not project */
}

static void scale_bar_is_a_round_number_of_miles(void **state)
{
    (void)state;
    const double cases[][2] = {{7.3, 5}, {10, 10}, {19.9, 10}, {20, 20}, {49, 20}, {1234, 1000},
                               {2, 2}, {0.34, 0.2}, {0.999, 0.5}, {0.1, 0.1}, {0.05, 0}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (fabs(map_nice_miles(cases[i][0]) - cases[i][1]) > 1e-9)
            fail_msg("%g miles: got %g, want %g", cases[i][0], map_nice_miles(cases[i][0]), cases[i][1]);
    for (double m = 0.1; m < 3000; m *= 1.37) {
        double n = map_nice_miles(m);
        assert_true(n <= m * (1 + 1e-9) && n > m / 2.5 - 1e-9); /* never longer, never under 40% */
    }
}

static void rings_are_round_spaced_and_hold_the_results(void **state)
{
    (void)state;
    double r[3];
    /* 7 miles at 10 px a mile: 10, 5 and 2 miles (the 10 holds them all). */
    assert_int_equal(map_rings(7, 10, 200, r, 3), 3);
    assert_true(r[0] == 10 && r[1] == 5 && r[2] == 2);
    /* The corner 60 px away: 10 miles would be out of sight. */
    assert_int_equal(map_rings(7, 10, 60, r, 3), 2);
    assert_true(r[0] == 5 && r[1] == 2);
    /* 25 miles at 3.8 px a mile: 25 (95 px), 10 (38 px); 5 (19 px) is too close to 10. */
    assert_int_equal(map_rings(23, 3.8, 400, r, 3), 2);
    assert_true(r[0] == 25 && r[1] == 10);
    /* A farthest result exactly on a round distance: that ring, not the next. */
    assert_int_equal(map_rings(5, 20, 400, r, 1), 1);
    assert_true(r[0] == 5);
    for (double ppm = 0.3; ppm < 400; ppm *= 1.9) {
        int n = map_rings(3.3, ppm, 300, r, 3);
        for (int i = 0; i < n; i++) {
            assert_true(r[i] * ppm >= 18 && r[i] * ppm <= 300 && r[i] <= 5);
            if (i > 0)
                assert_true(r[i - 1] * ppm - r[i] * ppm >= 20);
        }
    }
}

static void view_holds_the_searched_place_and_every_pin(void **state)
{
    (void)state;
    const map_pin pins[] = {{40.7357, -74.1724, 1, -1, NULL}, {40.6782, -73.9442, 2, -1, NULL},
                            {40.8448, -73.8648, 3, -1, NULL}};
    map_frame f;
    assert_true(map_frame_fit(40.7128, -74.006, pins, 3, &f));
    double x, y;
    assert_true(map_to_view(&f, 40.7128, -74.006, &x, &y));
    assert_true(x >= MAP_PIN_R && x <= MAP_VIEW_W - MAP_PIN_R && y >= MAP_PIN_R && y <= MAP_VIEW_H - MAP_PIN_R);
    bool touches = false;
    for (int i = 0; i < 3; i++) {
        assert_true(map_to_view(&f, pins[i].lat, pins[i].lon, &x, &y));
        assert_true(x >= 2 * MAP_PIN_R && x <= MAP_VIEW_W - 2 * MAP_PIN_R);
        assert_true(y >= 2 * MAP_PIN_R && y <= MAP_VIEW_H - 2 * MAP_PIN_R);
        touches |= x < 40 || x > MAP_VIEW_W - 40 || y < 40 || y > MAP_VIEW_H - 40;
    }
    assert_true(touches); /* as close as it can: some pin is near an edge */
    /* ppm is pixels per mile: Manhattan to Newark on screen. */
    double x1, y1, x2, y2;
    map_to_view(&f, 40.7128, -74.006, &x1, &y1);
    map_to_view(&f, 40.7357, -74.1724, &x2, &y2);
    double d = miles(40.7128, -74.006, 40.7357, -74.1724);
    assert_true(fabs(hypot(x2 - x1, y2 - y1) / f.ppm - d) < d * 0.03);
    /* Two pins a few hundred feet apart: the view is still a mile or more across. */
    const map_pin near[] = {{40.7130, -74.0060, 1, -1, NULL}, {40.7140, -74.0050, 2, -1, NULL}};
    assert_true(map_frame_fit(40.7128, -74.006, near, 2, &f));
    assert_true(MAP_VIEW_W / f.ppm >= 1.0);
    assert_false(map_frame_fit(13.4443, 144.7937, near, 2, &f)); /* searched from Guam */
}

static void spread_assert_clear(const double *x, const double *y, int n)
{
    for (int i = 0; i < n; i++) {
        assert_true(x[i] >= MAP_PIN_R && x[i] <= MAP_VIEW_W - MAP_PIN_R);
        assert_true(y[i] >= MAP_PIN_R && y[i] <= MAP_VIEW_H - MAP_PIN_R);
        for (int j = 0; j < i; j++)
            if (hypot(x[i] - x[j], y[i] - y[j]) < MAP_PIN_GAP - 1e-6)
                fail_msg("pins %d and %d overlap: %.1f px apart", i + 1, j + 1, hypot(x[i] - x[j], y[i] - y[j]));
    }
}

static void spread_pins_never_overlap_and_move_no_farther_than_needed(void **state)
{
    (void)state;
    double ox[20], oy[20];
    /* Apart already: nobody moves. */
    const double ax[] = {50, 150, 250}, ay[] = {60, 120, 180};
    map_spread(ax, ay, 3, NULL, 0, ox, oy);
    for (int i = 0; i < 3; i++)
        assert_true(ox[i] == ax[i] && oy[i] == ay[i]);
    /* Two 10 px apart: the first stays, the second moves about 14 px (the
     * least that clears it) and at most a few px more. */
    const double bx[] = {160, 170}, by[] = {120, 120};
    map_spread(bx, by, 2, NULL, 0, ox, oy);
    assert_true(ox[0] == 160 && oy[0] == 120);
    double moved = hypot(ox[1] - 170, oy[1] - 120);
    assert_true(moved >= MAP_PIN_GAP - 10 - 1e-6 && moved <= MAP_PIN_GAP - 10 + 4);
    spread_assert_clear(ox, oy, 2);
    /* Twenty at one spot: none overlap, the first stays, all stay close. */
    double cx[20], cy[20];
    for (int i = 0; i < 20; i++) {
        cx[i] = 160;
        cy[i] = 120;
    }
    map_spread(cx, cy, 20, NULL, 0, ox, oy);
    spread_assert_clear(ox, oy, 20);
    assert_true(ox[0] == 160 && oy[0] == 120);
    for (int i = 1; i < 20; i++) {
        double d = hypot(ox[i] - 160, oy[i] - 120);
        assert_true(d >= MAP_PIN_GAP - 1e-6 && d <= 3 * MAP_PIN_GAP);
    }
    /* A cluster in a corner stays inside the view. */
    for (int i = 0; i < 12; i++) {
        cx[i] = 5;
        cy[i] = 235;
    }
    map_spread(cx, cy, 12, NULL, 0, ox, oy);
    spread_assert_clear(ox, oy, 12);
    /* A pin under an obstacle (the north arrow) moves just off it. */
    const map_box ob = {290, 2, 320, 50};
    const double dx[] = {300}, dy[] = {30};
    map_spread(dx, dy, 1, &ob, 1, ox, oy);
    assert_true(ox[0] <= 290 - MAP_PIN_R + 1e-6 || oy[0] >= 50 + MAP_PIN_R - 1e-6);
    assert_true(hypot(ox[0] - 300, oy[0] - 30) <= 10 + MAP_PIN_R + 3);
}

static void useless_maps_are_left_out(void **state)
{
    (void)state;
    const map_pin one[] = {{40.7128, -74.006, 1, -1, NULL}};
    const map_pin same[] = {{40.7128, -74.006, 1, -1, NULL}, {40.7128, -74.006, 2, -1, NULL},
                            {40.7131, -74.0062, 3, -1, NULL}};
    const map_pin two[] = {{40.7128, -74.006, 1, -1, NULL}, {40.7357, -74.1724, 2, -1, NULL}};
    const map_pin away[] = {{40.7128, -74.006, 1, -1, NULL}, {13.4443, 144.7937, 2, -1, NULL}};
    assert_false(map_useful(40.75, -73.99, NULL, 0));        /* nothing located */
    assert_false(map_useful(40.75, -73.99, one, 1));         /* one result */
    assert_false(map_useful(40.7128, -74.006, one, 1));      /* one, at the searched place */
    assert_false(map_useful(40.75, -73.99, same, 3));        /* all in one spot */
    assert_false(map_useful(40.75, -73.99, away, 2));        /* only one on this map */
    assert_false(map_useful(13.4443, 144.7937, two, 2));     /* searched off the map */
    assert_true(map_useful(40.75, -73.99, two, 2));
    buf b = BUF_INIT;
    map_request rq = {"m", "t", 40.75, -73.99, 0};
    assert_int_equal(map_svg(&b, &rq, same, 3), 0);
    assert_int_equal(map_svg(&b, &rq, one, 1), 0);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* Twenty pins around a point, in a spiral out to about `reach` degrees. */
static void twenty(map_pin *p, double lat, double lon, double reach)
{
    static char names[20][32];
    for (int i = 0; i < 20; i++) {
        double r = reach * (i + 1) / 20, a = i * 2.4;
        snprintf(names[i], sizeof(names[i]), "Place number %d", i + 1);
        p[i] = (map_pin){lat + r * sin(a), lon + r * cos(a) * 1.3, i + 1, -1, names[i]};
    }
}

static void svg_shows_rings_north_scale_and_pins(void **state)
{
    (void)state;
    map_pin p[20];
    twenty(p, 40.75, -73.99, 0.25);
    p[3].lat = p[2].lat; /* 3 and 4 on one spot */
    p[3].lon = p[2].lon;
    buf b = BUF_INIT;
    map_request rq = {"results-map", "Map of the results", 40.75, -73.99, 0};
    assert_int_equal(map_svg(&b, &rq, p, 20), 20);
    const char *s = buf_cstr(&b);
    assert_true(str_has_prefix(s, "<svg ") && str_has_suffix(s, "</svg>"));
    assert_contains(s, "role=\"img\"");
    assert_contains(s, "viewBox=\"0 0 320 240\"");
    assert_contains(s, "aria-labelledby=\"results-map-title results-map-desc\"");
    assert_contains(s, "<title id=\"results-map-title\">Map of the results</title>");
    assert_contains(s, "The cross marks the place you searched.");
    assert_contains(s, "1: Place number 1, ");
    assert_contains(s, "20: Place number 20, ");
    assert_contains(s, " miles north");
    assert_int_equal(count(s, "<g class=\"pin\""), 20);
    assert_contains(s, "<title>7. Place number 7</title>");
    assert_true(strstr(s, ">20</text>") < strstr(s, ">1</text>")); /* 1 drawn last, on top */
    assert_true(count(s, "<path class=\"lead\"") >= 1);          /* 4 moved off 3 */
    assert_true(count(s, "<g class=\"rings\"><circle") == 1 && count(s, "class=\"ring-label\"") >= 1);
    assert_contains(s, " mi</text>");
    assert_contains(s, "<g class=\"north\">");
    assert_contains(s, ">N</text>");
    assert_contains(s, "<g class=\"scale\">");
    assert_contains(s, "<g class=\"here\">");
    assert_contains(s, "<path class=\"land\" d=\"M");
    assert_not_contains(s, "style=");
    printf("20 results around Manhattan: %zu bytes\n", b.len);
    if (b.len > 8000) {
        size_t len = b.len;
        buf_free(&b);
        fail_msg("20 results make a %zu byte map", len);
    }
    /* The whole country: still light. */
    buf_reset(&b);
    twenty(p, 39, -98, 14);
    rq.lat = 39;
    rq.lon = -98;
    assert_true(map_svg(&b, &rq, p, 20) >= 15);
    if (b.len > 16000) {
        size_t len = b.len;
        buf_free(&b);
        fail_msg("a map of the whole country is %zu bytes", len);
    }
    buf_free(&b);
}

static void hostile_title_id_and_names_are_escaped(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const map_pin p[] = {{38.5, -98, 1, -1, "</title><script>alert(1)</script>"}, {38.6, -98.1, 2, -1, "A & B"}};
    map_request rq = {"x\" onload=\"alert(1)", "<script>alert(\"t\")</script> & co", 38.5, -98.05, 0};
    assert_int_equal(map_svg(&b, &rq, p, 2), 2);
    const char *s = buf_cstr(&b);
    assert_not_contains(s, "<script");
    assert_not_contains(s, "\" onload=\"");
    assert_contains(s, "&lt;script&gt;");
    assert_contains(s, "A &amp; B");
    assert_int_equal(count(s, "</desc>"), 1);
    assert_int_equal(count(s, "</title>"), 3);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(projects_known_points_like_d3),
        cmocka_unit_test(insets_hold_alaska_and_hawaii),
        cmocka_unit_test(points_outside_the_us_do_not_project),
        cmocka_unit_test(units_per_mile_match_distances_on_the_ground),
        cmocka_unit_test(scale_bar_is_a_round_number_of_miles),
        cmocka_unit_test(rings_are_round_spaced_and_hold_the_results),
        cmocka_unit_test(view_holds_the_searched_place_and_every_pin),
        cmocka_unit_test(spread_pins_never_overlap_and_move_no_farther_than_needed),
        cmocka_unit_test_setup_teardown(load_reports_a_missing_file_and_loads_once, load_map, free_map),
        cmocka_unit_test_setup_teardown(useless_maps_are_left_out, load_map, free_map),
        cmocka_unit_test_setup_teardown(svg_shows_rings_north_scale_and_pins, load_map, free_map),
        cmocka_unit_test_setup_teardown(hostile_title_id_and_names_are_escaped, load_map, free_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
