/* map: the service finder's results map, drawn by the server as SVG.
 *
 * The state outlines come from data/geo/us-states.json (us-atlas, projected
 * with Albers USA into a 975x610 box; see data/geo/US-ATLAS.md), so showing
 * a map makes no request to any third party. Pins are placed in the same
 * space by map_project(), a C implementation of d3-geo's geoAlbersUsa with
 * scale 1300 and translate (487.5, 305): the lower 48 in a conic equal-area
 * projection, Alaska and Hawaii as insets in the lower left.
 *
 * Threads: call map_load() once at startup (it is serialised and does
 * nothing when the map is already loaded); map_project() and map_svg() only
 * read and may then run on any number of threads. map_free() must not race
 * with them. */
#ifndef WP_MAP_H
#define WP_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* The map's coordinate space (the SVG user units of the whole US). */
#define MAP_WIDTH 975.0
#define MAP_HEIGHT 610.0

typedef struct map_pin {
    double lat, lon;
    int number; /* the label shown on the pin, matching the results list */
} map_pin;

/* Loads data_dir/geo/us-states.json once (returns false with a sentence in
 * err). */
bool map_load(const char *data_dir, char *err, size_t errlen);
void map_free(void);
bool map_loaded(void);

/* Projects a point (degrees) into the map's space. False (x and y left
 * alone) when the point is outside the lower 48, Alaska and Hawaii insets
 * (Guam, Puerto Rico, most of the world) or is not a valid coordinate. */
bool map_project(double lat, double lon, double *x, double *y);

/* Appends an accessible SVG: role="img", aria-labelledby pointing at its
 * <title> and <desc> (given; both escaped), the states as paths (class
 * "state"; only those that reach into the view), and numbered pins for the
 * pins that project: <g class="pin" transform="translate(x y) scale(s)">
 * holding a circle and the number as text, scaled so a pin is the same size
 * on screen at any zoom. The viewBox is cropped to the pins' bounding box
 * with a margin (at least a 200x130 region, the aspect ratio of the whole
 * map, kept inside it), or the whole US when no pin projects. id (escaped)
 * is the svg's id and the prefix of the title's and desc's ids. No style
 * attributes: presentation is left to CSS via the classes "map", "state"
 * and "pin". Returns how many pins were drawn. When the map is not loaded
 * nothing is appended and 0 is returned. */
int map_svg(buf *out, const char *id, const char *title, const char *desc, const map_pin *pins, int n);

#endif
