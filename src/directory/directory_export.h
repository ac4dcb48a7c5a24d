/* directory_export: `waypost export hsds DIR` writes the directory as an
 * HSDS 3.0 datapackage: datapackage.json (the resources' schemas as in
 * data/hsds-3.0/datapackage.json), services.csv, organizations.csv,
 * locations.csv, service_at_location.csv, addresses.csv, phones.csv,
 * schedules.csv, taxonomies.csv, taxonomy_terms.csv, attributes.csv,
 * languages.csv and metadata.csv, flattened from the services' stored HSDS
 * JSON (parent ids that nested objects leave out are filled in), and
 * services.ndjson: one stored service a line, byte for byte, so that
 * `waypost import hsds DIR/services.ndjson` gives back the same data.
 * Nested lists the CSV tables above do not cover (service areas, cost
 * options, contacts, ...) are only in services.ndjson. */
#ifndef WP_DIRECTORY_EXPORT_H
#define WP_DIRECTORY_EXPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Creates dir when missing and overwrites the files above; *services is
 * how many services were written. */
bool dir_export(sqlite3 *db, const char *dir, long *services, char *err, size_t errlen);

#endif
