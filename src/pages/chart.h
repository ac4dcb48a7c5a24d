/* chart: accessible SVG charts drawn on the server: a line chart (one or
 * more series over the same x categories) and a horizontal bar chart.
 *
 * Each chart has a <title> and <desc> (role="img", aria-labelledby), labelled
 * axes with round tick values, a legend in words, and notes that mark where
 * the story turns. Series differ by dash pattern as well as colour, and all
 * colours come from CSS classes (chart, grid, s1, s2 ...), so the charts
 * follow dark mode and print. Every label goes through the HTML escaper. */
#ifndef WP_CHART_H
#define WP_CHART_H

#include "core/buf.h"

#define CHART_MAX_SERIES 8
#define CHART_MAX_NOTES 4
#define CHART_MAX_TICKS 12

typedef struct chart_series {
    const char *name;
    const double *y; /* n values; a negative value is a gap (no data) */
} chart_series;

typedef struct chart_note {
    int series, index; /* the point the note marks */
    const char *text;
} chart_note;

typedef struct line_chart {
    const char *id, *title, *desc, *y_label, *x_label;
    int n;                     /* points per series */
    const char *const *x_tick_labels; /* n entries; NULL or "" for no tick at that point */
    chart_series series[CHART_MAX_SERIES];
    int nseries;
    chart_note notes[CHART_MAX_NOTES];
    int nnotes;
    int lang; /* the language of the tick numbers (i18n.h); 0, English, when not set */
} line_chart;

typedef struct bar_chart {
    const char *id, *title, *desc, *x_label;
    int n;
    const char *const *labels;
    const double *values;
    int lang; /* as in line_chart */
} bar_chart;

/* Round ticks from 0 to at least max: 0, step, 2*step ... with step 1, 2 or
 * 5 times a power of ten, at most CHART_MAX_TICKS of them. Returns how many
 * were written to ticks (at least 2). */
int chart_ticks(double max, double *ticks);

void chart_line_svg(buf *out, const line_chart *c);
void chart_bars_svg(buf *out, const bar_chart *c);

/* Formats a count with thousands separators ("114,029"). */
void chart_format_count(double v, char *out, size_t outlen);

#endif
