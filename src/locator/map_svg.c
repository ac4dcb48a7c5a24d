/* map_svg: draws the finder's results map as SVG around the searched place
 * and the results: the land clipped to the view, distance rings with their
 * labels in miles, a north arrow, a scale bar, the searched place as a
 * cross, and numbered pins spread apart where they would overlap, with a
 * text description of the same. See map.h. */
#include "locator/map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"

#define MAX_PINS 50
#define MAX_RINGS 3
#define CLIP_PAD 3.0      /* pixels of land drawn beyond the view's edge */
#define KM_PER_MILE 1.609344
#define NORTH_X (MAP_VIEW_W - 18.0)
#define NORTH_Y 30.0
#define SCALE_X 10.0
#define SCALE_Y (MAP_VIEW_H - 10.0)

static const double PI = 3.14159265358979323846;

/* Appends x with `decimals` digits after the point (1 to 4), rounded to
 * nearest: what "%.Nf" writes, without printf's exact decimal conversion,
 * which was most of the map's time per results page. */
static void put_fixed(buf *out, double x, int decimals)
{
    static const long scale[] = {1, 10, 100, 1000, 10000};
    char tmp[48];
    size_t n = sizeof(tmp);
    if (!isfinite(x) || fabs(x) > 1e12) {
        buf_printf(out, "%.*f", decimals, x);
        return;
    }
    bool neg = x < 0;
    long long v = llround(fabs(x) * (double)scale[decimals]);
    if (v == 0)
        neg = false;
    for (int d = 0; d < decimals; d++, v /= 10)
        tmp[--n] = (char)('0' + v % 10);
    tmp[--n] = '.';
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        tmp[--n] = '-';
    buf_append(out, tmp + n, sizeof(tmp) - n);
}

/* Appends an integer; with sep, a space first unless it is negative (the
 * minus sign separates it from the number before). */
static void put_int(buf *out, long v, bool sep)
{
    char tmp[ULONG_DIGITS + 1];
    size_t n = 0;
    if (v < 0)
        tmp[n++] = '-';
    else if (sep)
        tmp[n++] = ' ';
    n += ulong_digits(v < 0 ? (unsigned long)(-(v + 1)) + 1 : (unsigned long)v, tmp + n);
    buf_append(out, tmp, n);
}

static void put_xy(buf *out, double x, double y)
{
    put_fixed(out, x, 1);
    buf_putc(out, ' ');
    put_fixed(out, y, 1);
}

/* ---- Land: the outlines clipped to the view ---------------------------- */

typedef struct pt {
    double x, y;
} pt;

/* One Sutherland-Hodgman pass: keeps the side of the line `axis` (0: x,
 * 1: y) = v where (p - v) * sign >= 0. Writes at most cap points. */
static int clip_pass(const pt *in, int n, pt *out, int cap, int axis, double v, double sign)
{
    int k = 0;
    for (int i = 0; i < n && k + 2 <= cap; i++) {
        pt a = in[i], b = in[(i + 1) % n];
        double da = ((axis ? a.y : a.x) - v) * sign, db = ((axis ? b.y : b.x) - v) * sign;
        if (da >= 0)
            out[k++] = a;
        if ((da >= 0) != (db >= 0)) {
            double t = da / (da - db);
            out[k++] = (pt){a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
        }
    }
    return k;
}

/* Rounds to the nearest whole pixel (halves up): llround() is a call. */
static inline long px_round(double v)
{
    return (long)floor(v + 0.5);
}

/* Appends a step of a ring's path; counts it. */
static void put_step(buf *out, long dx, long dy, int *steps)
{
    put_int(out, dx, *steps > 0);
    put_int(out, dy, true);
    (*steps)++;
}

static bool same_axis(long pdx, long pdy, long dx, long dy)
{
    return (pdx == 0 && dx == 0 && (pdy > 0) == (dy > 0)) || (pdy == 0 && dy == 0 && (pdx > 0) == (dx > 0));
}

/* Writes one ring, clipped, as "M x y l dx dy ... z" in whole pixels,
 * dropping points within a pixel of the last one and joining steps along
 * one axis (the clipped edges). Nothing for a ring under two steps. */
static void put_ring(buf *out, const pt *p, int n)
{
    long lx = px_round(p[0].x), ly = px_round(p[0].y), pdx = 0, pdy = 0;
    size_t start = out->len;
    int steps = 0;
    buf_putc(out, 'M');
    put_int(out, lx, false);
    put_int(out, ly, true);
    buf_putc(out, 'l');
    for (int i = 1; i < n; i++) {
        long dx = px_round(p[i].x) - lx - pdx, dy = px_round(p[i].y) - ly - pdy;
        if (labs(dx) + labs(dy) <= 1)
            continue; /* within a pixel of the last point */
        if ((pdx || pdy) && same_axis(pdx, pdy, dx, dy)) {
            pdx += dx;
            pdy += dy;
            continue;
        }
        if (pdx || pdy)
            put_step(out, pdx, pdy, &steps);
        lx += pdx;
        ly += pdy;
        pdx = dx;
        pdy = dy;
    }
    if (pdx || pdy)
        put_step(out, pdx, pdy, &steps);
    if (steps < 2) {
        out->len = start; /* under a pixel or two across */
        if (out->data)
            out->data[start] = '\0';
        return;
    }
    buf_putc(out, 'z');
}

/* A ring's points in view pixels, leaving out those within a pixel of the
 * last one kept (most of them when the whole country is in view). */
static int ring_points(const map_ring *r, const map_frame *f, pt *a)
{
    const double ox = MAP_VIEW_W / 2 - f->cx * f->s, oy = MAP_VIEW_H / 2 - f->cy * f->s;
    int n = 0;
    for (int k = 0; k < r->n; k++) {
        pt q = {ox + r->xy[2 * k] * f->s, oy + r->xy[2 * k + 1] * f->s};
        if (n > 0 && fabs(q.x - a[n - 1].x) + fabs(q.y - a[n - 1].y) < 1.0)
            continue;
        a[n++] = q;
    }
    return n;
}

/* The land: every ring that reaches into the view, clipped to it. */
static void put_land(buf *out, const map_frame *f)
{
    int nrings = 0, longest = 0;
    const map_ring *rings = map_rings_all(&nrings, &longest);
    const double x0 = -CLIP_PAD, y0 = -CLIP_PAD, x1 = MAP_VIEW_W + CLIP_PAD, y1 = MAP_VIEW_H + CLIP_PAD;
    int cap = 2 * longest + 64;
    pt *a = NULL, *b = NULL;
    buf_puts(out, "<path class=\"land\" d=\"");
    for (int i = 0; i < nrings; i++) {
        const map_ring *r = &rings[i];
        double rx0 = MAP_VIEW_W / 2 + (r->x0 - f->cx) * f->s, rx1 = MAP_VIEW_W / 2 + (r->x1 - f->cx) * f->s;
        double ry0 = MAP_VIEW_H / 2 + (r->y0 - f->cy) * f->s, ry1 = MAP_VIEW_H / 2 + (r->y1 - f->cy) * f->s;
        if (rx1 < x0 || rx0 > x1 || ry1 < y0 || ry0 > y1 || (rx1 - rx0 < 1 && ry1 - ry0 < 1))
            continue;
        if (!a) {
            a = xmalloc((size_t)cap * sizeof(pt));
            b = xmalloc((size_t)cap * sizeof(pt));
        }
        int n = ring_points(r, f, a);
        if (rx0 < x0 || rx1 > x1 || ry0 < y0 || ry1 > y1) {
            n = clip_pass(a, n, b, cap, 0, x0, 1);
            n = clip_pass(b, n, a, cap, 0, x1, -1);
            n = clip_pass(a, n, b, cap, 1, y0, 1);
            n = clip_pass(b, n, a, cap, 1, y1, -1);
        }
        if (n >= 3)
            put_ring(out, a, n);
    }
    buf_puts(out, "\"/>");
    free(a);
    free(b);
}

/* ---- Marks -------------------------------------------------------------- */

/* "5 mi" in the page's language. */
static void miles_label(int lang, double miles, char *out, size_t n)
{
    char num[32];
    i18n_number(lang, miles, miles < 1 ? 1 : 0, num, sizeof(num));
    snprintf(out, n, i18n_tr(lang, N_("%s mi")), num);
}

static void put_text(buf *out, const char *cls, double x, double y, const char *text)
{
    buf_puts(out, "<text class=\"");
    buf_puts(out, cls);
    buf_puts(out, "\" x=\"");
    put_fixed(out, x, 1);
    buf_puts(out, "\" y=\"");
    put_fixed(out, y, 1);
    buf_puts(out, "\">");
    esc_html_str(out, text);
    buf_puts(out, "</text>");
}

/* The placed pins, for labels to keep off. */
typedef struct placed {
    const double *x, *y;
    int n;
} placed;

/* Whether a ring label centred at (x, y) stays in the view and off the
 * north arrow, the scale bar, the searched place and the pins. */
static bool label_fits(double x, double y, const map_box *ob, int nob, const placed *pl)
{
    if (x < 22 || x > MAP_VIEW_W - 22 || y < 10 || y > MAP_VIEW_H - 10)
        return false;
    for (int i = 0; i < nob; i++)
        if (x + 20 > ob[i].x0 && x - 20 < ob[i].x1 && y + 8 > ob[i].y0 && y - 8 < ob[i].y1)
            return false;
    for (int i = 0; i < pl->n; i++)
        if (fabs(pl->x[i] - x) < 20 + MAP_PIN_R && fabs(pl->y[i] - y) < 8 + MAP_PIN_R)
            return false;
    return true;
}

/* The rings around (sx, sy) and a label on each where one fits. */
static void put_rings(buf *out, int lang, double sx, double sy, double ppm, const double *rings, int nr,
                      const map_box *ob, int nob, const placed *pl)
{
    static const double angles[] = {-45, -135, 45, 135, -90, 90, -60, -120, 60, 120, -30, -150, 30, 150};
    buf_puts(out, "<g class=\"rings\">");
    for (int i = 0; i < nr; i++) {
        buf_puts(out, "<circle cx=\"");
        put_fixed(out, sx, 1);
        buf_puts(out, "\" cy=\"");
        put_fixed(out, sy, 1);
        buf_puts(out, "\" r=\"");
        put_fixed(out, rings[i] * ppm, 1);
        buf_puts(out, "\"/>");
    }
    for (int i = 0; i < nr; i++) {
        for (size_t k = 0; k < sizeof(angles) / sizeof(angles[0]); k++) {
            double a = angles[k] * PI / 180, x = sx + rings[i] * ppm * cos(a), y = sy + rings[i] * ppm * sin(a);
            if (!label_fits(x, y, ob, nob, pl))
                continue;
            char label[48];
            miles_label(lang, rings[i], label, sizeof(label));
            put_text(out, "ring-label", x, y, label);
            break;
        }
    }
    buf_puts(out, "</g>");
}

/* The scale bar in the lower left: a round number of miles in at most a
 * third of the width. Returns its length in pixels (0: none drawn). */
static double put_scale(buf *out, int lang, double ppm)
{
    double miles = map_nice_miles(MAP_VIEW_W / 3 / ppm), px = miles * ppm;
    if (!(miles > 0))
        return 0;
    char label[48];
    miles_label(lang, miles, label, sizeof(label));
    buf_puts(out, "<g class=\"scale\"><path d=\"M");
    put_xy(out, SCALE_X, SCALE_Y - 5);
    buf_puts(out, "v5h");
    put_fixed(out, px, 1);
    buf_puts(out, "v-5\"/>");
    put_text(out, "scale-label", SCALE_X + px / 2, SCALE_Y - 11, label);
    buf_puts(out, "</g>");
    return px;
}

/* The north arrow in the upper right, turned to where north is here
 * (Albers' meridians lean away from the map's centre). */
static void put_north(buf *out, int lang, const map_frame *f, double lat, double lon)
{
    double x0, y0, x1, y1, deg = 0;
    if (map_to_view(f, lat, lon, &x0, &y0) && map_to_view(f, fmin(lat + 0.5, 89.9), lon, &x1, &y1))
        deg = atan2(x1 - x0, y0 - y1) * 180 / PI;
    double a = deg * PI / 180;
    buf_puts(out, "<g class=\"north\"><path transform=\"translate(");
    put_xy(out, NORTH_X, NORTH_Y + 6);
    buf_puts(out, ") rotate(");
    put_fixed(out, deg, 1);
    buf_puts(out, ")\" d=\"M0-12L6 7 0 3-6 7z\"/>");
    put_text(out, "north-label", NORTH_X + 21 * sin(a), NORTH_Y + 6 - 21 * cos(a), i18n_tr(lang, N_("N")));
    buf_puts(out, "</g>");
}

/* ---- The text alternative ---------------------------------------------- */

static double miles_to(double lat1, double lon1, const map_pin *p)
{
    if (p->km >= 0)
        return p->km / KM_PER_MILE;
    const double d = PI / 180;
    double a = sin((p->lat - lat1) * d / 2), b = sin((p->lon - lon1) * d / 2);
    double h = a * a + cos(lat1 * d) * cos(p->lat * d) * b * b;
    return 2 * 3958.7613 * asin(sqrt(fmin(1, h)));
}

/* The compass direction from the searched place to a pin. */
static const char *direction(double lat1, double lon1, double lat2, double lon2)
{
    static const char *const names[] = {N_("north"), N_("north-east"), N_("east"), N_("south-east"),
                                        N_("south"), N_("south-west"), N_("west"), N_("north-west")};
    const double d = PI / 180;
    double y = sin((lon2 - lon1) * d) * cos(lat2 * d);
    double x = cos(lat1 * d) * sin(lat2 * d) - sin(lat1 * d) * cos(lat2 * d) * cos((lon2 - lon1) * d);
    double b = atan2(y, x) / d;
    int k = (int)lround((b < 0 ? b + 360 : b) / 45) % 8;
    return names[k];
}

/* What the map shows, in words: the cross, the rings, each pin. */
static void put_desc(buf *out, const map_request *rq, const map_pin *pins, const bool *shown, int n,
                     const double *rings, int nr)
{
    int lang = rq->lang;
    buf d = BUF_INIT;
    buf_puts(&d, i18n_tr(lang, N_("The cross marks the place you searched.")));
    if (nr > 0) {
        buf list = BUF_INIT;
        for (int i = nr - 1; i >= 0; i--) {
            char label[48];
            miles_label(lang, rings[i], label, sizeof(label));
            buf_puts(&list, label);
            if (i > 0)
                buf_puts(&list, ", ");
        }
        buf_putc(&d, ' ');
        buf_printf(&d, i18n_tr(lang, N_("Circles mark %s from it.")), buf_cstr(&list));
        buf_free(&list);
    }
    for (int i = 0; i < n; i++) {
        if (!shown[i])
            continue;
        double miles = miles_to(rq->lat, rq->lon, &pins[i]);
        const char *name = pins[i].name ? pins[i].name : "";
        buf_putc(&d, ' ');
        if (miles < 0.05) {
            buf_printf(&d, i18n_tr(lang, N_("%d: %s, at the place you searched.")), pins[i].number, name);
            continue;
        }
        char num[32];
        i18n_number(lang, miles, 1, num, sizeof(num));
        buf_printf(&d, i18n_tr(lang, N_("%d: %s, %s miles %s.")), pins[i].number, name, num,
                   i18n_tr(lang, direction(rq->lat, rq->lon, pins[i].lat, pins[i].lon)));
    }
    esc_html_str(out, buf_cstr(&d));
    buf_free(&d);
}

/* ---- The whole map ------------------------------------------------------ */

static void put_head(buf *out, const map_request *rq)
{
    const char *id = rq->id ? rq->id : "map";
    buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" id=\"");
    esc_html_str(out, id);
    buf_puts(out, "\" viewBox=\"0 0 320 240\" width=\"320\" height=\"240\" role=\"img\" aria-labelledby=\"");
    esc_html_str(out, id);
    buf_puts(out, "-title ");
    esc_html_str(out, id);
    buf_puts(out, "-desc\"><title id=\"");
    esc_html_str(out, id);
    buf_puts(out, "-title\">");
    esc_html_str(out, rq->title ? rq->title : "");
    buf_puts(out, "</title><desc id=\"");
    esc_html_str(out, id);
    buf_puts(out, "-desc\">");
}

/* The searched place's cross, the leader lines of moved pins, and the pins
 * (last first, so where pins sit close the lower numbers are on top). */
static void put_pins(buf *out, double sx, double sy, const map_pin *pins, const int *idx, int m,
                     const double *wx, const double *wy, const double *px, const double *py)
{
    buf_puts(out, "<g class=\"here\"><path d=\"M");
    put_xy(out, sx - 7, sy);
    buf_puts(out, "h14m-7-7v14\"/><circle cx=\"");
    put_fixed(out, sx, 1);
    buf_puts(out, "\" cy=\"");
    put_fixed(out, sy, 1);
    buf_puts(out, "\" r=\"4\"/></g>");
    for (int i = 0; i < m; i++) {
        if (hypot(px[i] - wx[i], py[i] - wy[i]) < 1)
            continue;
        buf_puts(out, "<path class=\"lead\" d=\"M");
        put_xy(out, wx[i], wy[i]);
        buf_putc(out, 'L');
        put_xy(out, px[i], py[i]);
        buf_puts(out, "\"/><circle class=\"spot\" cx=\"");
        put_fixed(out, wx[i], 1);
        buf_puts(out, "\" cy=\"");
        put_fixed(out, wy[i], 1);
        buf_puts(out, "\" r=\"2.5\"/>");
    }
    for (int i = m - 1; i >= 0; i--) {
        const map_pin *p = &pins[idx[i]];
        buf_puts(out, "<g class=\"pin\" transform=\"translate(");
        put_xy(out, px[i], py[i]);
        buf_puts(out, ")\"><title>");
        put_int(out, p->number, false);
        buf_puts(out, ". ");
        esc_html_str(out, p->name ? p->name : "");
        buf_puts(out, "</title><circle r=\"11\"/><text>");
        put_int(out, p->number, false);
        buf_puts(out, "</text></g>");
    }
}

int map_svg(buf *out, const map_request *rq, const map_pin *pins, int n)
{
    int nrings = 0, longest = 0;
    map_rings_all(&nrings, &longest);
    n = n > MAX_PINS ? MAX_PINS : n;
    map_frame f;
    if (!nrings || !map_useful(rq->lat, rq->lon, pins, n) || !map_frame_fit(rq->lat, rq->lon, pins, n, &f))
        return 0;
    double sx, sy, wx[MAX_PINS], wy[MAX_PINS], px[MAX_PINS], py[MAX_PINS], far = 0, rings[MAX_RINGS];
    int idx[MAX_PINS], m = 0;
    bool shown[MAX_PINS] = {false};
    map_to_view(&f, rq->lat, rq->lon, &sx, &sy);
    for (int i = 0; i < n; i++) {
        shown[i] = map_to_view(&f, pins[i].lat, pins[i].lon, &wx[m], &wy[m]);
        if (shown[i]) {
            far = fmax(far, miles_to(rq->lat, rq->lon, &pins[i]));
            idx[m++] = i;
        }
    }
    double scale_px = map_nice_miles(MAP_VIEW_W / 3 / f.ppm) * f.ppm;
    map_box ob[3] = {{NORTH_X - 16, 2, NORTH_X + 16, NORTH_Y + 22},
                     {SCALE_X - 4, SCALE_Y - 22, SCALE_X + scale_px + 4, SCALE_Y + 4},
                     {sx - 7, sy - 7, sx + 7, sy + 7}};
    map_spread(wx, wy, m, ob, 3, px, py);
    double reach = 0;
    for (int c = 0; c < 4; c++)
        reach = fmax(reach, hypot((c & 1 ? MAP_VIEW_W : 0) - sx, (c & 2 ? MAP_VIEW_H : 0) - sy));
    int nr = map_rings(far, f.ppm, reach, rings, MAX_RINGS);
    put_head(out, rq);
    put_desc(out, rq, pins, shown, n, rings, nr);
    buf_puts(out, "</desc>");
    put_land(out, &f);
    placed pl = {px, py, m};
    put_rings(out, rq->lang, sx, sy, f.ppm, rings, nr, ob, 3, &pl);
    put_scale(out, rq->lang, f.ppm);
    put_north(out, rq->lang, &f, rq->lat, rq->lon);
    put_pins(out, sx, sy, pins, idx, m, wx, wy, px, py);
    buf_puts(out, "</svg>");
    return m;
}
