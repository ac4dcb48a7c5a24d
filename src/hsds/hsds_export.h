/* hsds_export: `waypost export hsds DIR` writes the directory as an
 * HSDS 3.0 datapackage: one CSV for each of the 21 resources of
 * data/hsds-3.0/datapackage.json (organizations.csv, programs.csv,
 * services.csv, ..., cost_options.csv, taxonomies.csv), headed by the
 * resource's fields in the specification's order and read from temp
 * hsds_ tables that the stored documents are split into for the export
 * (hsds_tables_fill; taxonomies and terms from dir_taxonomy and
 * dir_taxonomy_term);
 * datapackage.json listing them (schemas from hsds_schema_gen.c, generated
 * from the specification); and services.ndjson: one stored service a line, byte
 * for byte, so that `waypost import hsds DIR/services.ndjson` gives back the
 * same data. Rows are ordered by id and each id is written once, so
 * exporting, importing the folder and exporting again gives the same CSVs. */
#ifndef WP_HSDS_EXPORT_H
#define WP_HSDS_EXPORT_H

#include "hsds/hsds_schema.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Creates dir when missing and overwrites the files above; *services is
 * how many services were written. Fails, with the file named in err, when
 * any write or close fails (a full disk), and before writing anything when
 * a resource is wider than HSDS_MAX_FIELDS (hsds_export_fits). */
bool hsds_export(sqlite3 *db, const char *dir, long *services, char *err, size_t errlen);

/* Whether the export can write every column of res; when not, err names
 * the resource and its number of fields. */
bool hsds_export_fits(const hsds_resource_info *res, char *err, size_t errlen);

#endif
