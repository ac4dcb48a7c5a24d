/* test_chart: the SVG charts of /data, on small known series: round tick
 * values, point positions, escaping, the title and description that make a
 * chart readable without seeing it, and count formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pages/chart.h"
#include "wp_test.h"

static void ticks_are_round_and_cover_the_max(void **state)
{
    (void)state;
    double t[CHART_MAX_TICKS];
    int n = chart_ticks(112966, t);
    assert_int_equal(n, 7);
    assert_true(t[0] == 0 && t[1] == 20000 && t[6] == 120000);
    n = chart_ticks(30, t);
    assert_true(t[1] == 5 && t[n - 1] == 30);
    n = chart_ticks(0.7, t);
    assert_true(t[1] > 0.09 && t[1] < 0.21 && t[n - 1] >= 0.7);
    n = chart_ticks(0, t);
    assert_true(n >= 2 && t[n - 1] >= 1);
}

static void counts_get_separators(void **state)
{
    (void)state;
    char out[32];
    chart_format_count(114029, out, sizeof(out));
    assert_string_equal(out, "114,029");
    chart_format_count(999, out, sizeof(out));
    assert_string_equal(out, "999");
    chart_format_count(1000000, out, sizeof(out));
    assert_string_equal(out, "1,000,000");
    chart_format_count(0, out, sizeof(out));
    assert_string_equal(out, "0");
}

static void line_chart_points_and_labels(void **state)
{
    (void)state;
    const double ys[3] = {0, 50, 100};
    const char *const ticks[3] = {"2015", NULL, "2017"};
    line_chart c = {.id = "t", .title = "Deaths <test>", .desc = "A & B", .y_label = "Deaths",
                    .x_label = "Year", .n = 3, .x_tick_labels = ticks, .nseries = 1, .nnotes = 1};
    c.series[0] = (chart_series){"Reported", ys};
    c.notes[0] = (chart_note){0, 2, "Peak"};
    buf b = BUF_INIT;
    chart_line_svg(&b, &c);
    const char *svg = buf_cstr(&b);
    assert_contains(svg, "role=\"img\"");
    assert_contains(svg, "aria-labelledby=\"t-t t-d\"");
    assert_contains(svg, "<title id=\"t-t\">Deaths &lt;test&gt;</title>");
    assert_contains(svg, "<desc id=\"t-d\">A &amp; B</desc>");
    /* plot spans x 92..696 (a wider left margin for 16-unit text) and y
     * 40..316; ticks 0..100 step 20 */
    assert_contains(svg, "points=\"92.0,316.0 394.0,178.0 696.0,40.0 \"");
    assert_contains(svg, ">2015</text>");
    assert_contains(svg, ">2017</text>");
    assert_contains(svg, ">100</text>");
    assert_contains(svg, ">Peak</text>");
    assert_contains(svg, ">Reported</text>");
    assert_not_contains(svg, "style=");
    buf_free(&b);
}

static void gaps_are_left_out(void **state)
{
    (void)state;
    const double ys[3] = {10, -1, 10};
    line_chart c = {.id = "g", .title = "t", .desc = "d", .y_label = "y", .x_label = "x", .n = 3, .nseries = 1};
    c.series[0] = (chart_series){"S", ys};
    buf b = BUF_INIT;
    chart_line_svg(&b, &c);
    assert_not_contains(buf_cstr(&b), "394.0,");
    buf_free(&b);
}

static void bar_chart_rows(void **state)
{
    (void)state;
    const char *const labels[2] = {"California", "Texas & more"};
    const double vals[2] = {5000, 2500};
    bar_chart c = {.id = "b", .title = "By state", .desc = "d", .x_label = "Deaths", .n = 2, .labels = labels,
                   .values = vals};
    buf b = BUF_INIT;
    chart_bars_svg(&b, &c);
    const char *svg = buf_cstr(&b);
    assert_contains(svg, ">California</text>");
    assert_contains(svg, ">Texas &amp; more</text>");
    assert_contains(svg, ">5,000</text>");
    /* 5000 is the top tick: the bar spans the whole plot width (720 - 190 - 96) */
    assert_contains(svg, "width=\"434.0\"");
    assert_contains(svg, "width=\"217.0\"");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ticks_are_round_and_cover_the_max),
        cmocka_unit_test(counts_get_separators),
        cmocka_unit_test(line_chart_points_and_labels),
        cmocka_unit_test(gaps_are_left_out),
        cmocka_unit_test(bar_chart_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
