/* test_map: the server-drawn results map. The Albers USA projection against
 * values computed with d3-geo, the state outlines loaded from
 * data/geo/us-states.json, and the SVG: accessible name and description,
 * numbered pins, escaping, and the viewBox cropped to the pins.
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

static void view_box(const char *svg, double *x, double *y, double *w, double *h)
{
    const char *v = strstr(svg, "viewBox=\"");
    assert_non_null(v);
    assert_int_equal(sscanf(v + 9, "%lf %lf %lf %lf", x, y, w, h), 4);
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
    map_pin p = {40.7128, -74.006, 1};
    assert_int_equal(map_svg(&b, "m", "t", "d", &p, 1), 0); /* not loaded: nothing */
    assert_int_equal(b.len, 0);
    assert_false(map_load("/nonexistent-waypost", err, sizeof(err)));
    assert_contains(err, "us-states.json");
    assert_true(map_load("data", err, sizeof(err)));
    buf_free(&b);
}

static void whole_us_without_pins(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_int_equal(map_svg(&b, "results-map", "Map of results", "No results to show.", NULL, 0), 0);
    const char *s = buf_cstr(&b);
    assert_true(str_has_prefix(s, "<svg "));
    assert_contains(s, "role=\"img\"");
    assert_contains(s, "aria-labelledby=\"results-map-title results-map-desc\"");
    assert_contains(s, "<title id=\"results-map-title\">Map of results</title>");
    assert_contains(s, "<desc id=\"results-map-desc\">No results to show.</desc>");
    assert_contains(s, "viewBox=\"0.0 0.0 975.0 610.0\"");
    assert_int_equal(count(s, "<path class=\"state\""), 51); /* 50 states and DC */
    assert_contains(s, "data-state=\"06\"");
    assert_contains(s, "data-state=\"02\""); /* Alaska */
    assert_contains(s, "data-state=\"15\""); /* Hawaii */
    assert_int_equal(count(s, "class=\"pin\""), 0);
    assert_not_contains(s, "style=");
    assert_true(str_has_suffix(s, "</svg>"));
    assert_false(b.overflow);
    buf_free(&b);
}

static void pins_are_numbered_and_unprojectable_ones_left_out(void **state)
{
    (void)state;
    const map_pin pins[] = {
        {40.7128, -74.006, 1},   /* Manhattan */
        {40.6782, -73.9442, 2},  /* Brooklyn */
        {13.4443, 144.7937, 3},  /* Guam: not on this map */
        {40.7357, -74.1724, 4},  /* Newark */
    };
    buf b = BUF_INIT;
    assert_int_equal(map_svg(&b, "m", "Services near you", "Three services in New York and Newark.", pins, 4), 3);
    const char *s = buf_cstr(&b);
    assert_int_equal(count(s, "<g class=\"pin\""), 3);
    assert_int_equal(count(s, "<circle "), 3);
    assert_contains(s, ">1</text>");
    assert_contains(s, ">2</text>");
    assert_contains(s, ">4</text>");
    assert_not_contains(s, ">3</text>");
    /* Lower numbers are drawn last, so they sit on top. */
    assert_true(strstr(s, ">4</text>") < strstr(s, ">1</text>"));
    /* Pin 1 at Manhattan's projected point. */
    assert_contains(s, "translate(869.72 215.74)");
    assert_not_contains(s, "style=");
    buf_free(&b);
}

static void hostile_title_and_id_are_escaped(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    map_pin p = {38.5, -98, 1};
    map_svg(&b, "x\" onload=\"alert(1)", "<script>alert(\"t\")</script> & co",
            "</desc><script>alert('d')</script>", &p, 1);
    const char *s = buf_cstr(&b);
    assert_not_contains(s, "<script");
    assert_not_contains(s, "\" onload=\"");
    assert_contains(s, "&lt;script&gt;");
    assert_contains(s, "&amp; co");
    assert_int_equal(count(s, "</desc>"), 1);
    assert_int_equal(count(s, "</title>"), 1);
    buf_free(&b);
}

static void view_box_is_cropped_to_the_pins(void **state)
{
    (void)state;
    const double aspect = 975.0 / 610.0;
    double x, y, w, h;
    buf b = BUF_INIT;

    /* One pin: the smallest region (at least 200x130) centred on it. */
    map_pin one = {38.5, -98, 1};
    assert_int_equal(map_svg(&b, "m", "t", "d", &one, 1), 1);
    view_box(buf_cstr(&b), &x, &y, &w, &h);
    assert_true(w >= 200 - 0.1 && h >= 130 - 0.1);
    assert_true(w < 260 && h < 170);
    assert_true(fabs(w / h - aspect) < 0.01);
    assert_true(fabs(x + w / 2 - 462.85) < 0.2 && fabs(y + h / 2 - 309.25) < 0.2);
    assert_true(count(buf_cstr(&b), "<path class=\"state\"") < 51);
    assert_not_contains(buf_cstr(&b), "data-state=\"06\""); /* California is out of view */
    assert_contains(buf_cstr(&b), "data-state=\"20\"");     /* Kansas is in it */

    /* Pins near the map's edge: the view shifts to stay inside the map. */
    buf_reset(&b);
    map_pin seattle = {47.6062, -122.3321, 1};
    map_svg(&b, "m", "t", "d", &seattle, 1);
    view_box(buf_cstr(&b), &x, &y, &w, &h);
    assert_true(x >= 0 && y >= 0 && x + w <= 975.05 && y + h <= 610.05);
    assert_true(97.6 >= x && 97.6 <= x + w && 46.3 >= y && 46.3 <= y + h);

    /* A spread of pins: the view covers them all with a margin. */
    buf_reset(&b);
    const map_pin east[] = {{40.7128, -74.006, 1}, {38.9072, -77.0369, 2}, {42.3601, -71.0589, 3}};
    assert_int_equal(map_svg(&b, "m", "t", "d", east, 3), 3);
    view_box(buf_cstr(&b), &x, &y, &w, &h);
    assert_true(fabs(w / h - aspect) < 0.01);
    for (int i = 0; i < 3; i++) {
        double px, py;
        assert_true(map_project(east[i].lat, east[i].lon, &px, &py));
        assert_true(px - x >= 20 && x + w - px >= 20 && py - y >= 20 && y + h - py >= 20);
    }
    assert_true(w < 400);

    /* Seattle and Miami: most of the map, still inside it. */
    buf_reset(&b);
    const map_pin wide[] = {{47.6062, -122.3321, 1}, {25.7617, -80.1918, 2}};
    map_svg(&b, "m", "t", "d", wide, 2);
    view_box(buf_cstr(&b), &x, &y, &w, &h);
    assert_true(w > 900 && x >= 0 && y >= 0 && x + w <= 975.05 && y + h <= 610.05);

    /* The Aleutians (Adak, in the Alaska inset) and Maine: the whole map. */
    buf_reset(&b);
    const map_pin widest[] = {{51.88, -176.65, 1}, {44.9062, -66.99, 2}};
    assert_int_equal(map_svg(&b, "m", "t", "d", widest, 2), 2);
    assert_contains(buf_cstr(&b), "viewBox=\"0.0 0.0 975.0 610.0\"");

    /* Only pins that do not project: the whole map, nothing drawn. */
    buf_reset(&b);
    map_pin guam = {13.4443, 144.7937, 1};
    assert_int_equal(map_svg(&b, "m", "t", "d", &guam, 1), 0);
    assert_contains(buf_cstr(&b), "viewBox=\"0.0 0.0 975.0 610.0\"");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(projects_known_points_like_d3),
        cmocka_unit_test(insets_hold_alaska_and_hawaii),
        cmocka_unit_test(points_outside_the_us_do_not_project),
        cmocka_unit_test_setup_teardown(load_reports_a_missing_file_and_loads_once, load_map, free_map),
        cmocka_unit_test_setup_teardown(whole_us_without_pins, load_map, free_map),
        cmocka_unit_test_setup_teardown(pins_are_numbered_and_unprojectable_ones_left_out, load_map, free_map),
        cmocka_unit_test_setup_teardown(hostile_title_and_id_are_escaped, load_map, free_map),
        cmocka_unit_test_setup_teardown(view_box_is_cropped_to_the_pins, load_map, free_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
