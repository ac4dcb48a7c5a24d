/* map: the service finder's results map, drawn by the server as SVG.
 *
 * The state outlines come from data/geo/us-states.json (us-atlas, projected
 * with Albers USA into a 975x610 box; see data/geo/US-ATLAS.md), so showing
 * a map makes no request to any third party. Points are placed in the same
 * space by map_project(), a C implementation of d3-geo's geoAlbersUsa with
 * scale 1300 and translate (487.5, 305): the lower 48 in a conic equal-area
 * projection, Alaska and Hawaii as insets in the lower left.
 *
 * The results map (map_svg.c) is drawn around the searched place and the
 * results, in a MAP_VIEW_W x MAP_VIEW_H box of screen pixels: the outlines
 * clipped to it, distance rings at round miles with their labels, a north
 * arrow, a scale bar, the searched place as a cross and numbered pins,
 * spread apart where they would overlap with a thin line to their true
 * spot. The geometry it uses (map_geom.c) is public for the tests.
 *
 * Threads: call map_load() once at startup (it is serialised and does
 * nothing when the map is already loaded); everything else only reads and
 * may then run on any number of threads. map_free() must not race with
 * them. */
#ifndef WP_MAP_H
#define WP_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* The projection's coordinate space (the units of the whole US). */
#define MAP_WIDTH 975.0
#define MAP_HEIGHT 610.0

/* The drawn map, in SVG user units, about CSS pixels on a 360 px phone. */
#define MAP_VIEW_W 320.0
#define MAP_VIEW_H 240.0
#define MAP_PIN_R 11.0           /* a pin's radius */
#define MAP_PIN_GAP 24.0         /* least distance between two pins' centres */
#define MAP_ONE_SPOT_MILES 0.1   /* results closer than this are "in one spot" */

typedef struct map_pin {
    double lat, lon;
    int number;       /* the label shown on the pin, matching the results list */
    double km;        /* distance from the searched place; < 0: worked out here */
    const char *name; /* the listing's name for the text alternative, or NULL */
} map_pin;

/* What map_svg draws around: the searched place and the page's language. */
typedef struct map_request {
    const char *id;    /* the svg's id and its title's and desc's prefix */
    const char *title; /* the accessible name */
    double lat, lon;   /* the searched place */
    int lang;          /* for the labels and the description (core/i18n.h) */
} map_request;

/* A view: projected point (cx, cy) at the centre of the drawn box, s
 * pixels per projected unit; ppm pixels per mile at the searched place. */
typedef struct map_frame {
    double cx, cy, s, ppm;
} map_frame;

/* Loads data_dir/geo/us-states.json once (returns false with a sentence in
 * err). */
bool map_load(const char *data_dir, char *err, size_t errlen);
void map_free(void);
bool map_loaded(void);

/* Projects a point (degrees) into the map's space. False (x and y left
 * alone) when the point is outside the lower 48, Alaska and Hawaii insets
 * (Guam, Puerto Rico, most of the world) or is not a valid coordinate. */
bool map_project(double lat, double lon, double *x, double *y);

/* Projected units per mile around (lat, lon), the mean of north-south and
 * east-west (Albers is equal-area: the two differ by a few percent); 0
 * when the point does not project. */
double map_units_per_mile(double lat, double lon);

/* ---- Geometry (map_geom.c) ---- */

/* Whether a map of these pins around (lat, lon) shows anything useful:
 * the searched place projects, and at least two pins project and are not
 * all within MAP_ONE_SPOT_MILES of one another. */
bool map_useful(double lat, double lon, const map_pin *pins, int n);

/* The view that holds the searched place and every pin that projects,
 * with room for pins at the edges, at least about 1 mile across. False
 * when the searched place does not project. */
bool map_frame_fit(double lat, double lon, const map_pin *pins, int n, map_frame *f);

/* A point in the drawn box's pixels. False when it does not project. */
bool map_to_view(const map_frame *f, double lat, double lon, double *x, double *y);

/* The largest "nice" distance (1, 2 or 5 times a power of ten) not above
 * max_miles; 0 when max_miles is under 0.1. The scale bar is the
 * nice distance that fits in a third of the map's width. */
double map_nice_miles(double max_miles);

/* Distance rings at round miles (0.5, 1, 2, 5, 10, 25, 50, 100, 250,
 * 500): at most max of them, largest first in out[], each at least 18 px
 * in radius and 20 px from the next, none beyond the first round distance
 * that holds every result (farthest_miles) nor beyond reach_px (how far
 * the box's farthest corner is from the searched place). Returns how many. */
int map_rings(double farthest_miles, double ppm, double reach_px, double *out, int max);

/* An obstacle a pin must not cover, in view pixels. */
typedef struct map_box {
    double x0, y0, x1, y1;
} map_box;

/* Places n pins of radius MAP_PIN_R, wanted at (x[i], y[i]), in order:
 * each where it wants to be when that spot is free (no placed pin's
 * centre closer than MAP_PIN_GAP, no obstacle under it, inside the box),
 * else at the nearest free spot found on circles around it (2 px steps).
 * Writes the places to ox, oy. */
void map_spread(const double *x, const double *y, int n, const map_box *obstacles, int nobst, double *ox,
                double *oy);

/* ---- Outlines (map.c), for map_svg.c ---- */

typedef struct map_ring {
    const float *xy; /* x0, y0, x1, y1 ... in projected units */
    int n;           /* points */
    float x0, y0, x1, y1;
} map_ring;

/* The outlines' rings (every state's parts and holes), and the longest
 * ring's point count; 0 rings when the map is not loaded. */
const map_ring *map_rings_all(int *n, int *longest);

/* ---- Drawing (map_svg.c) ---- */

/* Appends the results map as an accessible SVG: role="img",
 * aria-labelledby pointing at its <title> (rq->title) and a <desc> saying
 * what it shows (the cross at the searched place, the rings, and each pin's
 * number, name, distance and direction), all escaped. No style attributes:
 * presentation is left to CSS via classes ("map", "land", "ring",
 * "ring-label", "north", "scale", "here", "lead", "pin"). Appends nothing
 * and returns 0 when the map is not loaded or map_useful() says no; else
 * returns how many pins were drawn. */
int map_svg(buf *out, const map_request *rq, const map_pin *pins, int n);

#endif
