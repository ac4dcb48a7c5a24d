/* locator: the service locator's core. The Waypost taxonomy codes, read
 * from data/taxonomy/waypost.json at start, and their bits in the
 * geographic index; building the index from the database
 * and swapping it in (geo_publish) at start and whenever another process
 * changes the database (a watcher thread polls PRAGMA data_version, so an
 * import shows up within a few seconds without a restart); and ZIP codes
 * (the bundled 2020 Census ZCTA centroids) for "where". */
#ifndef WP_LOCATOR_H
#define WP_LOCATOR_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct loc_code {
    const char *code, *label; /* the term's code and name */
    bool attribute;           /* from "attributes": a filter (free, walk-in ...), not a kind of service */
    int bit;                  /* its bit in the geographic index, 0 to 63 */
} loc_code;

/* The codes of data/taxonomy/waypost.json in the file's order ("terms",
 * then "attributes"), which is the order the finder's form lists them.
 * Empty until locator_codes_load; read-only after it. */
extern const loc_code *loc_codes;
extern int loc_ncodes;

/* Reads data_dir/taxonomy/waypost.json. Each term and attribute needs a
 * code (a slug), a name and a "bit" (0 to 63); codes and bits must be
 * unique. False with err naming the file and entry; the codes loaded
 * before (if any) are then kept. Call before serving, not while requests
 * run. */
bool locator_codes_load(const config *cfg, char *err, size_t errlen);
void locator_codes_free(void);

/* The bit of a code, or 0 when it is not a Waypost code. */
uint64_t loc_code_bit(const char *code);
/* The bits of a comma-separated list of codes. */
uint64_t loc_codes_bits(const char *codes);
const loc_code *loc_code_find(const char *code);

/* Builds the index from the database at path and publishes it: from the
 * points' kept copy (migration 0020) when it matches the directory's stamp
 * and taxonomy, else every listing's point row by row. The watcher keeps a
 * new copy after a build that read the rows (off the start's path). */
bool locator_rebuild(const char *db_path, char *err, size_t errlen);
/* Whether the latest index was built from the kept copy (tests, logs). */
bool locator_index_from_copy(void);
/* Start-up: begin works off the listing cache's dirty list, then builds
 * the first index from the database at path in a thread that only reads
 * (the codes loaded first), so the server's other loading runs beside it; end waits for it, then starts the watcher. False with err
 * when the index could not be built. */
void locator_index_begin(const char *db_path);
bool locator_index_end(char *err, size_t errlen);
/* Starts and stops the watcher thread. */
bool locator_watch_start(const char *db_path, int interval_ms);
void locator_watch_stop(void);

/* ZIP centroids from data_dir/geo/zcta2020_centroids.csv, and the place
 * names of data_dir/geo/places.tsv (places.h); freed together. */
bool locator_zips_load(const config *cfg, char *err, size_t errlen);
void locator_zips_free(void);
/* The centroid of a five-digit ZIP code; false when unknown. */
bool locator_zip(const char *zip, double *lat, double *lon);

/* Parses what a person typed as "where": a ZIP code, or "lat,lon". Returns
 * 0 on success, 1 for an unknown ZIP, 2 for impossible coordinates, 3 for
 * anything else. */
int locator_where(const char *text, double *lat, double *lon);

#endif
