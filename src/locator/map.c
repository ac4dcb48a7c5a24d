/* map: the server-drawn SVG map of search results. See map.h. */
#include "locator/map.h"
#include "core/i18n.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/util.h"

#define MAP_FILE_MAX (4u * 1024u * 1024u)

/* ---- Projection -------------------------------------------------------
 *
 * Albers USA as d3-geo defines it (d3.geoAlbersUsa, scale 1300, translate
 * 487.5,305, the configuration us-atlas used for its projected files).
 * Each part is a conic equal-area projection:
 *
 *   n  = (sin p1 + sin p2) / 2,  C = 1 + sin p1 (2n - sin p1)
 *   r0 = sqrt(C) / n,            r = sqrt(C - 2n sin phi) / n
 *   x  = r sin(n lambda),        y = r0 - r cos(n lambda)
 *
 * where lambda is the longitude after rotating by the part's central
 * meridian (wrapped into [-pi, pi]). The result is scaled by k, flipped so
 * y grows downwards, and shifted so the part's centre point (given in
 * rotated coordinates) lands on its translate. A point belongs to the first
 * part (lower 48, Alaska, Hawaii) whose clip rectangle, in output pixels,
 * contains it. */

typedef struct conic {
    double n, c, r0;         /* the raw projection */
    double k, dx, dy;        /* scale and the offsets that place the centre */
    double rotate;           /* radians added to the longitude */
    double x0, y0, x1, y1;   /* clip rectangle in output units */
} conic;

static const double DEG = 3.14159265358979323846 / 180.0;

static bool conic_raw(const conic *p, double lambda, double phi, double *x, double *y)
{
    double q = p->c - 2.0 * p->n * sin(phi);
    if (!(q >= 0.0))
        return false;
    double r = sqrt(q) / p->n;
    double a = lambda * p->n;
    *x = r * sin(a);
    *y = p->r0 - r * cos(a);
    return true;
}

/* Sets up one part: parallels, central meridian (the d3 rotate), centre
 * (in rotated degrees), scale, translate, and clip rectangle. */
static conic conic_make(double par1, double par2, double rot, double clon, double clat, double k, double tx,
                        double ty, double x0, double y0, double x1, double y1)
{
    conic p = {.n = 0};
    double s1 = sin(par1 * DEG);
    p.n = (s1 + sin(par2 * DEG)) / 2.0;
    p.c = 1.0 + s1 * (2.0 * p.n - s1);
    p.r0 = sqrt(p.c) / p.n;
    p.k = k;
    p.rotate = rot * DEG;
    double cx = 0, cy = 0;
    conic_raw(&p, clon * DEG, clat * DEG, &cx, &cy);
    p.dx = tx - k * cx;
    p.dy = ty + k * cy;
    p.x0 = x0;
    p.y0 = y0;
    p.x1 = x1;
    p.y1 = y1;
    return p;
}

static bool conic_point(const conic *p, double lat, double lon, double *x, double *y)
{
    const double pi = 3.14159265358979323846;
    double lambda = lon * DEG + p->rotate;
    if (fabs(lambda) > pi)
        lambda -= round(lambda / (2.0 * pi)) * (2.0 * pi);
    double rx, ry;
    if (!conic_raw(p, lambda, lat * DEG, &rx, &ry))
        return false;
    double px = p->dx + p->k * rx;
    double py = p->dy - p->k * ry;
    if (!(px >= p->x0 && px <= p->x1 && py >= p->y0 && py <= p->y1))
        return false;
    *x = px;
    *y = py;
    return true;
}

static conic parts[3];
static pthread_once_t parts_once = PTHREAD_ONCE_INIT;

static void parts_init(void)
{
    const double k = 1300.0, x = 487.5, y = 305.0, eps = 1e-6;
    /* Lower 48: parallels 29.5/45.5, central meridian 96 W. */
    parts[0] = conic_make(29.5, 45.5, 96.0, -0.6, 38.7, k, x, y, x - 0.455 * k, y - 0.238 * k, x + 0.455 * k,
                          y + 0.238 * k);
    /* Alaska (EPSG:3338-like): parallels 55/65, 154 W, at 0.35 of the scale. */
    parts[1] = conic_make(55.0, 65.0, 154.0, -2.0, 58.5, k * 0.35, x - 0.307 * k, y + 0.201 * k,
                          x - 0.425 * k + eps, y + 0.120 * k + eps, x - 0.214 * k - eps, y + 0.234 * k - eps);
    /* Hawaii (ESRI:102007-like): parallels 8/18, 157 W, at full scale. */
    parts[2] = conic_make(8.0, 18.0, 157.0, -3.0, 19.9, k, x - 0.205 * k, y + 0.212 * k, x - 0.214 * k + eps,
                          y + 0.166 * k + eps, x - 0.115 * k - eps, y + 0.234 * k - eps);
}

bool map_project(double lat, double lon, double *x, double *y)
{
    if (!isfinite(lat) || !isfinite(lon) || lat < -90.0 || lat > 90.0 || lon < -180.0 || lon > 180.0)
        return false;
    pthread_once(&parts_once, parts_init);
    for (int i = 0; i < 3; i++)
        if (conic_point(&parts[i], lat, lon, x, y))
            return true;
    return false;
}

/* ---- State outlines ---------------------------------------------------- */

typedef struct map_state {
    char *id, *name, *path;
    double x0, y0, x1, y1; /* bounding box of the path */
} map_state;

static struct {
    map_state *states;
    int n;
    bool loaded;
} map;

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;

/* A path must be absolute M/L/Z commands with plain numbers: it goes into
 * an attribute unescaped. Computes its bounding box. */
static bool path_check(const char *d, double *bx0, double *by0, double *bx1, double *by1)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    const char *s = d;
    if (*s != 'M')
        return false;
    while (*s) {
        char cmd = *s++;
        if (cmd == 'Z') {
            if (*s && *s != 'M')
                return false;
            continue;
        }
        if (cmd != 'M' && cmd != 'L')
            return false;
        for (int i = 0; i < 2; i++) {
            if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
                return false;
            char *end;
            errno = 0;
            double v = strtod(s, &end);
            if (end == s || errno || !isfinite(v))
                return false;
            for (const char *t = s; t < end; t++)
                if (!((*t >= '0' && *t <= '9') || *t == '-' || *t == '.'))
                    return false;
            s = end;
            if (i == 0) {
                if (*s++ != ',')
                    return false;
                x0 = fmin(x0, v);
                x1 = fmax(x1, v);
            } else {
                y0 = fmin(y0, v);
                y1 = fmax(y1, v);
            }
        }
        if (*s != 'L' && *s != 'Z')
            return false;
    }
    if (s[-1] != 'Z' || !(x0 <= x1))
        return false;
    *bx0 = x0;
    *by0 = y0;
    *bx1 = x1;
    *by1 = y1;
    return true;
}

static void states_free(map_state *st, int n)
{
    for (int i = 0; i < n; i++) {
        free(st[i].id);
        free(st[i].name);
        free(st[i].path);
    }
    free(st);
}

bool map_load(const char *data_dir, char *err, size_t errlen)
{
    pthread_mutex_lock(&map_lock);
    if (map.loaded) {
        pthread_mutex_unlock(&map_lock);
        return true;
    }
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/geo/us-states.json", data_dir) >= sizeof(path)) {
        snprintf(err, errlen, "%s", N_("The map's data folder path is too long."));
        pthread_mutex_unlock(&map_lock);
        return false;
    }
    size_t len = 0;
    char *text = file_read(path, MAP_FILE_MAX, &len);
    if (!text) {
        snprintf(err, errlen, "Cannot read the map outlines %s: %s.", path, strerror(errno));
        pthread_mutex_unlock(&map_lock);
        return false;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    free(text);
    if (!root) {
        snprintf(err, errlen, "The map outlines %s are not valid JSON (line %d: %s).", path, je.line, je.text);
        pthread_mutex_unlock(&map_lock);
        return false;
    }
    json_t *states = json_object_get(root, "states");
    json_t *w = json_object_get(root, "width"), *h = json_object_get(root, "height");
    if (!json_is_array(states) || json_array_size(states) == 0 || json_array_size(states) > 1000 ||
        json_number_value(w) != MAP_WIDTH || json_number_value(h) != MAP_HEIGHT) {
        snprintf(err, errlen, "The map outlines %s need width 975, height 610 and a list of states.", path);
        json_decref(root);
        pthread_mutex_unlock(&map_lock);
        return false;
    }
    int n = (int)json_array_size(states);
    map_state *st = xcalloc((size_t)n, sizeof(*st));
    for (int i = 0; i < n; i++) {
        json_t *s = json_array_get(states, (size_t)i);
        const char *sid = json_string_value(json_object_get(s, "id"));
        const char *name = json_string_value(json_object_get(s, "name"));
        const char *d = json_string_value(json_object_get(s, "path"));
        map_state *m = &st[i];
        if (!sid || !name || !d || !path_check(d, &m->x0, &m->y0, &m->x1, &m->y1)) {
            snprintf(err, errlen, "The map outlines %s have a bad state at position %d (it needs an id, a name "
                     "and a path of M, L and Z commands).", path, i + 1);
            states_free(st, i + 1);
            json_decref(root);
            pthread_mutex_unlock(&map_lock);
            return false;
        }
        m->id = xstrdup(sid);
        m->name = xstrdup(name);
        m->path = xstrdup(d);
    }
    json_decref(root);
    map.states = st;
    map.n = n;
    map.loaded = true;
    pthread_mutex_unlock(&map_lock);
    return true;
}

void map_free(void)
{
    pthread_mutex_lock(&map_lock);
    states_free(map.states, map.n);
    map.states = NULL;
    map.n = 0;
    map.loaded = false;
    pthread_mutex_unlock(&map_lock);
}

bool map_loaded(void)
{
    pthread_mutex_lock(&map_lock);
    bool loaded = map.loaded;
    pthread_mutex_unlock(&map_lock);
    return loaded;
}

/* ---- SVG ---------------------------------------------------------------- */

#define MAP_MARGIN 30.0    /* map units around the pins' bounding box */
#define MAP_MIN_W 200.0
#define MAP_MIN_H 130.0
#define PIN_RADIUS 24.0    /* pin radius at the whole-US zoom (maps show about 1/3 size on a phone) */

/* Fits [lo, lo+size) inside [0, limit) by shifting; size <= limit. */
static double clamp_span(double lo, double size, double limit)
{
    if (lo + size > limit)
        lo = limit - size;
    if (lo < 0)
        lo = 0;
    return lo;
}

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

/* One numbered pin at (x, y), scaled by zoom. */
static void put_pin(buf *out, double x, double y, double zoom, int number)
{
    buf_puts(out, "<g class=\"pin\" transform=\"translate(");
    put_fixed(out, x, 2);
    buf_puts(out, " ");
    put_fixed(out, y, 2);
    buf_puts(out, ") scale(");
    put_fixed(out, zoom, 4);
    buf_printf(out, ")\"><circle r=\"%d\"/><text text-anchor=\"middle\" dy=\"0.35em\">%d</text></g>",
               (int)PIN_RADIUS, number);
}

int map_svg(buf *out, const char *id, const char *title, const char *desc, const map_pin *pins, int n)
{
    if (!map.loaded)
        return 0;
    if (!id)
        id = "map";
    double px0 = INFINITY, py0 = INFINITY, px1 = -INFINITY, py1 = -INFINITY;
    int shown = 0;
    for (int i = 0; i < n; i++) {
        double x, y;
        if (map_project(pins[i].lat, pins[i].lon, &x, &y)) {
            px0 = fmin(px0, x);
            py0 = fmin(py0, y);
            px1 = fmax(px1, x);
            py1 = fmax(py1, y);
            shown++;
        }
    }

    double vx = 0, vy = 0, vw = MAP_WIDTH, vh = MAP_HEIGHT;
    if (shown > 0) {
        const double aspect = MAP_WIDTH / MAP_HEIGHT;
        vw = fmax(px1 - px0 + 2 * MAP_MARGIN, MAP_MIN_W);
        vh = fmax(py1 - py0 + 2 * MAP_MARGIN, MAP_MIN_H);
        if (vw / vh < aspect)
            vw = vh * aspect;
        else
            vh = vw / aspect;
        if (vw >= MAP_WIDTH || vh >= MAP_HEIGHT) {
            vw = MAP_WIDTH;
            vh = MAP_HEIGHT;
        }
        vx = clamp_span((px0 + px1) / 2 - vw / 2, vw, MAP_WIDTH);
        vy = clamp_span((py0 + py1) / 2 - vh / 2, vh, MAP_HEIGHT);
    }
    double zoom = vw / MAP_WIDTH; /* scales pins to a constant on-screen size */

    buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" id=\"");
    esc_html_str(out, id);
    buf_puts(out, "\" viewBox=\"");
    const double box[4] = {vx, vy, vw, vh};
    for (int k = 0; k < 4; k++) {
        put_fixed(out, box[k], 1);
        buf_puts(out, k < 3 ? " " : "\" role=\"img\" aria-labelledby=\"");
    }
    esc_html_str(out, id);
    buf_puts(out, "-title ");
    esc_html_str(out, id);
    buf_puts(out, "-desc\"><title id=\"");
    esc_html_str(out, id);
    buf_puts(out, "-title\">");
    esc_html_str(out, title ? title : "");
    buf_puts(out, "</title><desc id=\"");
    esc_html_str(out, id);
    buf_puts(out, "-desc\">");
    esc_html_str(out, desc ? desc : "");
    buf_puts(out, "</desc><g class=\"states\">");
    for (int i = 0; i < map.n; i++) {
        const map_state *s = &map.states[i];
        if (s->x1 < vx || s->x0 > vx + vw || s->y1 < vy || s->y0 > vy + vh)
            continue; /* wholly outside the view */
        buf_puts(out, "<path class=\"state\" data-state=\"");
        esc_html_str(out, s->id);
        buf_puts(out, "\" d=\"");
        buf_puts(out, s->path); /* checked at load: M, L, Z, digits, '.', ',', '-' */
        buf_puts(out, "\"/>");
    }
    buf_puts(out, "</g><g class=\"pins\">");
    /* Last first, so lower numbers are drawn on top where pins overlap. */
    for (int i = n - 1; i >= 0; i--) {
        double x, y;
        if (!map_project(pins[i].lat, pins[i].lon, &x, &y))
            continue;
        put_pin(out, x, y, zoom, pins[i].number);
    }
    buf_puts(out, "</g></svg>");
    return shown;
}
