/* map: the Albers USA projection and the state outlines the results map
 * is drawn from (map_svg.c draws it, map_geom.c places it). See map.h. */
#include "locator/map.h"
#include "core/i18n.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Projected units per mile: 10 miles north and east of the point, the
 * geometric mean of the two (their product is the area scale). */
double map_units_per_mile(double lat, double lon)
{
    const double miles = 10.0, deg_lat = miles / 69.05;
    double x, y, xn, yn, xe, ye;
    double c = cos(lat * DEG);
    if (c < 0.05 || !map_project(lat, lon, &x, &y) || !map_project(lat + deg_lat, lon, &xn, &yn) ||
        !map_project(lat, lon + deg_lat / c, &xe, &ye))
        return 0;
    double ns = hypot(xn - x, yn - y) / miles, ew = hypot(xe - x, ye - y) / miles;
    return sqrt(ns * ew);
}

/* ---- State outlines ---------------------------------------------------- */

static struct {
    map_ring *rings;
    float *points;
    int nrings, longest;
    bool loaded;
} map;

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct outline_acc {
    map_ring *rings;
    float *pts;
    size_t nrings, caprings, npts, cappts;
} outline_acc;

static void acc_point(outline_acc *a, double x, double y)
{
    if (a->npts + 2 > a->cappts) {
        a->cappts = a->cappts ? a->cappts * 2 : 16384;
        a->pts = xrealloc(a->pts, a->cappts * sizeof(float));
    }
    a->pts[a->npts++] = (float)x;
    a->pts[a->npts++] = (float)y;
}

/* Closes the ring that started at point index `from` (in floats). */
static void acc_ring(outline_acc *a, size_t from)
{
    size_t n = (a->npts - from) / 2;
    if (n < 3) {
        a->npts = from;
        return;
    }
    if (a->nrings == a->caprings) {
        a->caprings = a->caprings ? a->caprings * 2 : 256;
        a->rings = xrealloc(a->rings, a->caprings * sizeof(map_ring));
    }
    map_ring r = {NULL, (int)n, INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = from; i < a->npts; i += 2) {
        r.x0 = fminf(r.x0, a->pts[i]);
        r.x1 = fmaxf(r.x1, a->pts[i]);
        r.y0 = fminf(r.y0, a->pts[i + 1]);
        r.y1 = fmaxf(r.y1, a->pts[i + 1]);
    }
    r.xy = (const float *)(uintptr_t)from; /* an offset until the points stop moving */
    a->rings[a->nrings++] = r;
}

/* Reads one path of absolute M/L/Z commands with plain numbers into rings. */
static bool path_read(outline_acc *a, const char *d)
{
    const char *s = d;
    size_t from = a->npts;
    if (*s != 'M')
        return false;
    while (*s) {
        char cmd = *s++;
        if (cmd == 'Z') {
            acc_ring(a, from);
            from = a->npts;
            if (*s && *s != 'M')
                return false;
            continue;
        }
        if (cmd != 'M' && cmd != 'L')
            return false;
        double v[2];
        for (int i = 0; i < 2; i++) {
            char *end;
            errno = 0;
            v[i] = strtod(s, &end);
            if (end == s || errno || !isfinite(v[i]) || fabs(v[i]) > 1e5)
                return false;
            s = end;
            if (i == 0 && *s++ != ',')
                return false;
        }
        acc_point(a, v[0], v[1]);
        if (*s != 'L' && *s != 'Z')
            return false;
    }
    return s > d && s[-1] == 'Z';
}

static json_t *outlines_json(const char *data_dir, char *err, size_t errlen)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/geo/us-states.json", data_dir) >= sizeof(path)) {
        snprintf(err, errlen, "%s", N_("The map's data folder path is too long."));
        return NULL;
    }
    size_t len = 0;
    char *text = file_read(path, MAP_FILE_MAX, &len);
    if (!text) {
        snprintf(err, errlen, "Cannot read the map outlines %s: %s.", path, strerror(errno));
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    free(text);
    if (!root) {
        snprintf(err, errlen, "The map outlines %s are not valid JSON (line %d: %s).", path, je.line, je.text);
        return NULL;
    }
    json_t *states = json_object_get(root, "states");
    json_t *w = json_object_get(root, "width"), *h = json_object_get(root, "height");
    if (!json_is_array(states) || json_array_size(states) == 0 || json_array_size(states) > 1000 ||
        json_number_value(w) != MAP_WIDTH || json_number_value(h) != MAP_HEIGHT) {
        snprintf(err, errlen, "The map outlines %s need width 975, height 610 and a list of states.", path);
        json_decref(root);
        return NULL;
    }
    return root;
}

static bool load_locked(const char *data_dir, char *err, size_t errlen)
{
    json_t *root = outlines_json(data_dir, err, errlen);
    if (!root)
        return false;
    json_t *states = json_object_get(root, "states");
    outline_acc a = {NULL, NULL, 0, 0, 0, 0};
    for (size_t i = 0; i < json_array_size(states); i++) {
        json_t *s = json_array_get(states, i);
        const char *d = json_string_value(json_object_get(s, "path"));
        if (!json_string_value(json_object_get(s, "id")) || !d || !path_read(&a, d)) {
            snprintf(err, errlen, "The map outlines have a bad state at position %zu (it needs an id, a name "
                     "and a path of M, L and Z commands).", i + 1);
            free(a.rings);
            free(a.pts);
            json_decref(root);
            return false;
        }
    }
    json_decref(root);
    int longest = 0;
    for (size_t i = 0; i < a.nrings; i++) {
        a.rings[i].xy = a.pts + (uintptr_t)a.rings[i].xy;
        longest = a.rings[i].n > longest ? a.rings[i].n : longest;
    }
    map.rings = a.rings;
    map.points = a.pts;
    map.nrings = (int)a.nrings;
    map.longest = longest;
    map.loaded = true;
    return true;
}

bool map_load(const char *data_dir, char *err, size_t errlen)
{
    pthread_mutex_lock(&map_lock);
    bool ok = map.loaded || load_locked(data_dir, err, errlen);
    pthread_mutex_unlock(&map_lock);
    return ok;
}

void map_free(void)
{
    pthread_mutex_lock(&map_lock);
    free(map.rings);
    free(map.points);
    map.rings = NULL;
    map.points = NULL;
    map.nrings = map.longest = 0;
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

const map_ring *map_rings_all(int *n, int *longest)
{
    *n = map.loaded ? map.nrings : 0;
    *longest = map.longest;
    return map.loaded ? map.rings : NULL;
}
