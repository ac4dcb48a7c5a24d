/* map_geom: where the results map looks and what it marks, as pure
 * geometry: whether a map is worth drawing, the view around the searched
 * place and the results, the scale bar's round length, the distance rings,
 * and pins spread apart where they would overlap. See map.h. */
#include "locator/map.h"

#include <math.h>

#define FRAME_PAD (MAP_PIN_R + 14.0) /* pixels kept free at each edge of the view */
#define FRAME_MIN_MILES 1.0          /* the narrowest view, across its width */
#define RING_MIN_PX 18.0
#define RING_GAP_PX 20.0
#define EARTH_MILES 3958.7613

static const double PI = 3.14159265358979323846;

static double miles_between(double lat1, double lon1, double lat2, double lon2)
{
    const double d = PI / 180.0;
    double a = sin((lat2 - lat1) * d / 2), b = sin((lon2 - lon1) * d / 2);
    double h = a * a + cos(lat1 * d) * cos(lat2 * d) * b * b;
    return 2.0 * EARTH_MILES * asin(sqrt(fmin(1.0, h)));
}

bool map_useful(double lat, double lon, const map_pin *pins, int n)
{
    double x, y;
    if (!map_project(lat, lon, &x, &y))
        return false;
    int first = -1, shown = 0;
    bool spread = false;
    for (int i = 0; i < n; i++) {
        if (!map_project(pins[i].lat, pins[i].lon, &x, &y))
            continue;
        shown++;
        if (first < 0)
            first = i;
        else if (miles_between(pins[first].lat, pins[first].lon, pins[i].lat, pins[i].lon) >= MAP_ONE_SPOT_MILES)
            spread = true;
    }
    return shown >= 2 && spread;
}

bool map_frame_fit(double lat, double lon, const map_pin *pins, int n, map_frame *f)
{
    double x0, y0, upm = map_units_per_mile(lat, lon);
    if (!(upm > 0) || !map_project(lat, lon, &x0, &y0))
        return false;
    double x1 = x0, y1 = y0;
    for (int i = 0; i < n; i++) {
        double x, y;
        if (!map_project(pins[i].lat, pins[i].lon, &x, &y))
            continue;
        x0 = fmin(x0, x);
        x1 = fmax(x1, x);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    double aw = MAP_VIEW_W - 2 * FRAME_PAD, ah = MAP_VIEW_H - 2 * FRAME_PAD;
    double s = aw / (FRAME_MIN_MILES * upm);
    if (x1 - x0 > 0)
        s = fmin(s, aw / (x1 - x0));
    if (y1 - y0 > 0)
        s = fmin(s, ah / (y1 - y0));
    f->cx = (x0 + x1) / 2;
    f->cy = (y0 + y1) / 2;
    f->s = s;
    f->ppm = upm * s;
    return true;
}

bool map_to_view(const map_frame *f, double lat, double lon, double *x, double *y)
{
    double px, py;
    if (!map_project(lat, lon, &px, &py))
        return false;
    *x = MAP_VIEW_W / 2 + (px - f->cx) * f->s;
    *y = MAP_VIEW_H / 2 + (py - f->cy) * f->s;
    return true;
}

double map_nice_miles(double max_miles)
{
    if (!(max_miles >= 0.1) || !isfinite(max_miles))
        return 0;
    double p = pow(10.0, floor(log10(max_miles)));
    static const double steps[] = {5, 2, 1};
    for (int i = 0; i < 3; i++)
        if (steps[i] * p <= max_miles * (1 + 1e-9))
            return steps[i] * p;
    return p / 2; /* log10 rounded up: 5 of the power below */
}

int map_rings(double farthest_miles, double ppm, double reach_px, double *out, int max)
{
    static const double round_miles[] = {500, 250, 100, 50, 25, 10, 5, 2, 1, 0.5};
    const int count = (int)(sizeof(round_miles) / sizeof(round_miles[0]));
    double limit = round_miles[0];
    for (int i = 0; i < count; i++)
        if (round_miles[i] >= farthest_miles)
            limit = round_miles[i];
    int k = 0;
    for (int i = 0; i < count && k < max; i++) {
        double r = round_miles[i], px = r * ppm;
        if (r > limit || px > reach_px || px < RING_MIN_PX)
            continue;
        if (k > 0 && out[k - 1] * ppm - px < RING_GAP_PX)
            continue;
        out[k++] = r;
    }
    return k;
}

/* Whether a pin centred at (x, y) fits: inside the view, clear of the
 * first `placed` pins and of every obstacle. *last is the pin that last
 * blocked a spot (or -1): it is tried first, as the spots tried one after
 * the other are 3 px apart and mostly blocked by the same pin (the answer
 * does not depend on the order). */
static bool spot_free(double x, double y, const double *px, const double *py, int placed, const map_box *ob,
                      int nob, int *last)
{
    const double r = MAP_PIN_R, edge = MAP_PIN_R + 1, gap2 = MAP_PIN_GAP * MAP_PIN_GAP - 1e-9;
    if (x < edge || x > MAP_VIEW_W - edge || y < edge || y > MAP_VIEW_H - edge)
        return false;
    int hint = *last;
    if (hint >= 0 && hint < placed) {
        double dx = x - px[hint], dy = y - py[hint];
        if (dx * dx + dy * dy < gap2)
            return false;
    }
    for (int j = 0; j < placed; j++) {
        double dx = x - px[j], dy = y - py[j];
        if (dx * dx + dy * dy < gap2) {
            *last = j;
            return false;
        }
    }
    for (int j = 0; j < nob; j++) {
        double dx = fmax(fmax(ob[j].x0 - x, 0), x - ob[j].x1), dy = fmax(fmax(ob[j].y0 - y, 0), y - ob[j].y1);
        if (dx * dx + dy * dy < r * r)
            return false;
    }
    return true;
}

void map_spread(const double *x, const double *y, int n, const map_box *obstacles, int nobst, double *ox,
                double *oy)
{
    const double far = MAP_VIEW_W + MAP_VIEW_H;
    for (int i = 0; i < n; i++) {
        ox[i] = x[i];
        oy[i] = y[i];
        int last = -1;
        if (spot_free(x[i], y[i], ox, oy, i, obstacles, nobst, &last))
            continue;
        bool found = false;
        for (double r = 2; r < far && !found; r += 2) {
            int steps = (int)fmax(8, ceil(2 * PI * r / 3));
            double c = cos(2 * PI / steps), sn = sin(2 * PI / steps), ux = 0, uy = -1; /* from north, clockwise */
            for (int k = 0; k < steps && !found; k++) {
                double cx = x[i] + r * ux, cy = y[i] + r * uy, t = ux * c - uy * sn;
                uy = ux * sn + uy * c;
                ux = t;
                if (spot_free(cx, cy, ox, oy, i, obstacles, nobst, &last)) {
                    ox[i] = cx;
                    oy[i] = cy;
                    found = true;
                }
            }
        }
    }
}
