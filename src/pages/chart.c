/* chart: SVG line and bar charts. See chart.h. */
#include "pages/chart.h"
#include "core/escape.h"
#include "core/i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 720.0
#define H 380.0
#define ML 92.0
#define MR 24.0
#define MT 40.0
#define MB 64.0

int chart_ticks(double max, double *ticks)
{
    if (!(max > 0))
        max = 1;
    double raw = max / 5.0, mag = pow(10, floor(log10(raw))), step = mag;
    double f = raw / mag; /* 1 <= f < 10: round to the nearest of 1, 2, 5, 10 */
    if (f >= 7)
        step = 10 * mag;
    else if (f >= 3)
        step = 5 * mag;
    else if (f >= 1.5)
        step = 2 * mag;
    int n = 0;
    for (double v = 0; n < CHART_MAX_TICKS; v += step) {
        ticks[n++] = v;
        if (v >= max)
            break;
    }
    return n;
}

void chart_format_count(double v, char *out, size_t outlen)
{
    char digits[32];
    snprintf(digits, sizeof(digits), "%.0f", v);
    size_t len = strlen(digits), o = 0;
    for (size_t i = 0; i < len && o + 1 < outlen; i++) {
        if (i && (len - i) % 3 == 0 && digits[i - 1] != '-' && o + 2 < outlen)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* A tick or bar value in the chart's language ("114,029", "114 029"). */
static void format_num(int lang, double v, char *out, size_t outlen)
{
    if (lang == I18N_SOURCE)
        chart_format_count(v, out, outlen);
    else
        i18n_number(lang, v, 0, out, outlen);
}

static void open_svg(buf *b, const char *id, const char *title, const char *desc, double h)
{
    buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"", W, h);
    esc_html_str(b, id);
    buf_puts(b, "-t ");
    esc_html_str(b, id);
    buf_puts(b, "-d\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"");
    esc_html_str(b, id);
    buf_puts(b, "-t\">");
    esc_html_str(b, title);
    buf_puts(b, "</title>\n<desc id=\"");
    esc_html_str(b, id);
    buf_puts(b, "-d\">");
    esc_html_str(b, desc);
    buf_puts(b, "</desc>\n");
}

static double max_of(const line_chart *c)
{
    double m = 0;
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->n; i++)
            if (c->series[s].y[i] > m)
                m = c->series[s].y[i];
    return m;
}

static double px(const line_chart *c, int i)
{
    return c->n > 1 ? ML + (W - ML - MR) * i / (c->n - 1) : ML;
}

static double py(double v, double top)
{
    return MT + (H - MT - MB) * (1.0 - v / top);
}

static void y_axis(buf *b, int lang, const double *ticks, int nt, const char *label, double h_plot_bottom)
{
    double top = ticks[nt - 1];
    buf_puts(b, "<g class=\"grid\">\n");
    for (int i = 0; i < nt; i++) {
        double y = MT + (h_plot_bottom - MT) * (1.0 - ticks[i] / top);
        char num[48];
        format_num(lang, ticks[i], num, sizeof(num));
        buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", ML, y, W - MR, y);
        buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", ML - 6, y + 5, num);
    }
    buf_puts(b, "</g>\n<text class=\"axis-label\" transform=\"rotate(-90)\" x=\"");
    buf_printf(b, "%.1f\" y=\"18\" text-anchor=\"middle\">", -(MT + h_plot_bottom) / 2);
    esc_html_str(b, label);
    buf_puts(b, "</text>\n");
}

static void x_axis(buf *b, const line_chart *c)
{
    buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", ML, H - MB, W - MR, H - MB);
    for (int i = 0; i < c->n; i++) {
        const char *t = c->x_tick_labels ? c->x_tick_labels[i] : NULL;
        if (!t || !*t)
            continue;
        double x = px(c, i);
        buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, H - MB, x, H - MB + 5);
        buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, H - MB + 24);
        esc_html_str(b, t);
        buf_puts(b, "</text>\n");
    }
    buf_printf(b, "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (ML + W - MR) / 2,
               H - 12);
    esc_html_str(b, c->x_label);
    buf_puts(b, "</text>\n");
}

static void series_line(buf *b, const line_chart *c, int s, double top)
{
    buf_printf(b, "<polyline class=\"line s%d\" fill=\"none\" points=\"", s + 1);
    for (int i = 0; i < c->n; i++)
        if (c->series[s].y[i] >= 0)
            buf_printf(b, "%.1f,%.1f ", px(c, i), py(c->series[s].y[i], top));
    buf_puts(b, "\"/>\n");
}

static void legend(buf *b, const line_chart *c)
{
    double x = ML;
    for (int s = 0; s < c->nseries; s++) {
        buf_printf(b, "<line class=\"line s%d\" x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"16\"/>", s + 1, x, x + 28);
        buf_printf(b, "<text class=\"legend\" x=\"%.1f\" y=\"21\">", x + 34);
        esc_html_str(b, c->series[s].name);
        buf_puts(b, "</text>\n");
        x += 52 + 9.5 * (double)strlen(c->series[s].name);
    }
}

static void notes(buf *b, const line_chart *c, double top)
{
    for (int k = 0; k < c->nnotes; k++) {
        const chart_note *n = &c->notes[k];
        if (n->series >= c->nseries || n->index < 0 || n->index >= c->n || c->series[n->series].y[n->index] < 0)
            continue;
        double x = px(c, n->index), y = py(c->series[n->series].y[n->index], top);
        bool right = x > W * 0.6;
        buf_printf(b, "<circle class=\"note-dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", x, y);
        buf_printf(b, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", right ? x - 8 : x + 8,
                   y - 10 < MT + 10 ? y + 20 : y - 10, right ? "end" : "start");
        esc_html_str(b, n->text);
        buf_puts(b, "</text>\n");
    }
}

void chart_line_svg(buf *b, const line_chart *c)
{
    double ticks[CHART_MAX_TICKS];
    int nt = chart_ticks(max_of(c), ticks);
    double top = ticks[nt - 1];
    open_svg(b, c->id, c->title, c->desc, H);
    y_axis(b, c->lang, ticks, nt, c->y_label, H - MB);
    x_axis(b, c);
    for (int s = 0; s < c->nseries; s++)
        series_line(b, c, s, top);
    legend(b, c);
    notes(b, c, top);
    buf_puts(b, "</svg>\n");
}

void chart_bars_svg(buf *b, const bar_chart *c)
{
    const double row = 22, left = 190, right = 96, top_m = 16, bottom_m = 48;
    double h = top_m + row * c->n + bottom_m, max = 0;
    for (int i = 0; i < c->n; i++)
        if (c->values[i] > max)
            max = c->values[i];
    double ticks[CHART_MAX_TICKS];
    int nt = chart_ticks(max, ticks);
    double top = ticks[nt - 1], plot_w = W - left - right;
    open_svg(b, c->id, c->title, c->desc, h);
    buf_puts(b, "<g class=\"grid\">\n");
    for (int i = 0; i < nt; i++) {
        double x = left + plot_w * ticks[i] / top;
        char num[48];
        format_num(c->lang, ticks[i], num, sizeof(num));
        buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, top_m, x, h - bottom_m);
        buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x,
                   h - bottom_m + 20, num);
    }
    buf_puts(b, "</g>\n");
    for (int i = 0; i < c->n; i++) {
        double y = top_m + row * i, w = plot_w * c->values[i] / top;
        char num[48];
        format_num(c->lang, c->values[i], num, sizeof(num));
        buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 6, y + 16);
        esc_html_str(b, c->labels[i]);
        buf_printf(b, "</text><rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", left, y + 3,
                   w, row - 5);
        buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", left + w + 4, y + 16, num);
    }
    buf_printf(b, "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", left + plot_w / 2,
               h - 8);
    esc_html_str(b, c->x_label);
    buf_puts(b, "</text>\n</svg>\n");
}
