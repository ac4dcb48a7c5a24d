/* places: what a person may type as "Where?" in the service finder, made
 * into a point and a state. A ZIP code or "lat,lon" (locator_where), a city
 * and state ("Denver, CO", "denver co", "Saint Louis Missouri"), a county
 * ("Multnomah County, OR"), or a state alone. Place names come from
 * data/geo/places.tsv (derived from GeoNames, CC BY 4.0, by
 * tools/build_places.py). A name in several states, or one we cannot find
 * (a typo), gets a short list of suggestions to offer as "did you mean".
 *
 * places_load reads the file once at start; after it every function is
 * read-only and safe from any thread. Without places_load, names are never
 * found (ZIPs and coordinates still work through locator_where). */
#ifndef WP_PLACES_H
#define WP_PLACES_H

#include <stdbool.h>
#include <stddef.h>

#define PLACE_MAX_SUGGEST 6
#define PLACE_LABEL 96

typedef enum place_status {
    PLACE_FOUND,       /* lat, lon, label; state when known; suggest: others of the same name */
    PLACE_STATE,       /* only a state: state, label; suggest: its largest places */
    PLACE_AMBIGUOUS,   /* the name is in several states: suggest */
    PLACE_NOT_FOUND,   /* no such place: suggest holds near spellings (may be none) */
    PLACE_UNKNOWN_ZIP, /* five digits that are not a ZIP code we know */
    PLACE_BAD_COORDS,  /* "lat,lon" off the Earth */
    PLACE_UNREADABLE,  /* empty, too long, or nothing like a place */
} place_status;

typedef struct place_result {
    place_status status;
    double lat, lon;
    char state[3];                              /* two-letter code, or "" */
    char label[PLACE_LABEL];                    /* "Denver, CO", "Multnomah County, OR", "ZIP 97214" */
    int nsuggest;
    char suggest[PLACE_MAX_SUGGEST][PLACE_LABEL]; /* labels that place_resolve finds again */
} place_result;

/* Reads data_dir/geo/places.tsv; false with err naming the file and line. */
bool places_load(const char *data_dir, char *err, size_t errlen);
void places_free(void);

/* Resolves what a person typed (any bytes; at most the first 127 are read). */
void place_resolve(const char *text, place_result *out);
/* The same without the near spellings of a name not found (nsuggest stays
 * 0 for PLACE_NOT_FOUND): comparing the name with every place was nearly
 * all of a site search's time, and site search offers only places found. */
void place_resolve_known(const char *text, place_result *out);

/* The state a ZIP code is in ("" when unknown); out has 3 bytes. */
void place_zip_state(const char *zip, char out[3]);
/* The state of the nearest known place to a point ("" when none loaded). */
void place_nearest_state(double lat, double lon, char out[3]);
/* "Texas" for "TX", NULL for a code that is not a state, DC or territory. */
const char *place_state_name(const char *code);

/* For tests: folds text the way names are compared (lower case ASCII
 * letters and digits, single spaces, "st"/"ft"/"mt" spelt out). */
void place_fold(const char *text, char *out, size_t outlen);
/* For tests: Levenshtein distance, or max + 1 when it is larger than max. */
int place_distance(const char *a, const char *b, int max);

#endif
