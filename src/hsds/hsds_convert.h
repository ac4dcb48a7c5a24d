/* hsds_convert: other directory formats into HSDS 3.0 JSON text.
 *
 * Each converter returns NDJSON (one HSDS service a line, the shape
 * tools/convert_directories.py writes) for hsds_import_text to load, or NULL
 * with a message in err naming the row and the field or column ("row 3,
 * field latitude: not a number"); the caller puts the file name in front.
 * Records get stable name-based UUIDs: uuid5 of a namespace per source
 * (uuid5(NAMESPACE_URL, "https://waypost.example/sources/<slug of
 * source_name>")) and the record's normalised name and address, so a
 * re-import updates instead of duplicating. Every service carries a
 * metadata record with updated_by = source_name and last_action_date =
 * as_of. taxonomy_path is data/taxonomy/waypost.json: the attributes'
 * taxonomy_term objects and their link_type come from it.
 * The result is malloc'd. */
#ifndef WP_HSDS_CONVERT_H
#define WP_HSDS_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

/* The FindTreatment.gov locator export: {"rows": [{name1, name2, street1,
 * street2, city, state, zip, phone, website, latitude, longitude,
 * type_facility, services: [{f1, f2, f3}]}]}, f3 holding SAMHSA service
 * codes ("OTP; METH; BU"). samhsa_path is data/taxonomy/samhsa-codes.json,
 * the map tools/convert_directories.py reads too: codes are mapped onto
 * the Waypost terms it names, language codes become languages, and every
 * code is also kept as a term of the "SAMHSA service codes" taxonomy
 * (link_type "samhsa_code"). */
char *hsds_convert_findtreatment(const char *text, size_t len, const char *source_name, const char *as_of,
                                 const char *taxonomy_path, const char *samhsa_path, char *err, size_t errlen);

/* A spreadsheet with a header row. columns_spec maps Waypost's field names
 * to the file's header names: "name=Name,address=Street,city=City,...".
 * Fields: name (required), alternate_name, description, organization,
 * address, address2, city, state, zip, phone, lat, lon, url, services
 * (Waypost taxonomy codes separated by ';' or ','), hours. */
char *hsds_convert_csv(const char *text, size_t len, const char *columns_spec, const char *source_name,
                       const char *as_of, const char *taxonomy_path, char *err, size_t errlen);

/* Where a row without coordinates goes on the map: the centroid of its ZIP
 * code, or of its city and state (either may be ""), and what it is
 * ("ZIP 04101", "Portland, ME") in label. False when neither is known. The
 * command hands in the locator's ZIP and place tables (features never
 * include each other). */
typedef bool (*hsds_centroid_fn)(const char *zip, const char *city, const char *state, double *lat, double *lon,
                                 char *label, size_t labellen);

/* The resolver the program set (app.c hands in the locator's, at start of
 * `serve` and of `import csv`), or NULL: for the command and the staff
 * upload page alike. Set before any thread starts. */
void hsds_set_centroid_resolver(hsds_centroid_fn fn);
hsds_centroid_fn hsds_centroid_resolver(void);

#define HSDS_CSV_LIST_ROWS 10

/* hsds_convert_csv with more: a field "hours" (an OpenStreetMap
 * opening_hours value, hsds_opening_hours.h, made into weekly schedules)
 * and, when centroid is set, rows without coordinates placed at their ZIP's
 * or place's centroid; a row with neither is refused by its row number.
 * On success centroid_rows counts the rows so placed and row[] holds the
 * first HSDS_CSV_LIST_ROWS of their row numbers. */
typedef struct hsds_csv_opts {
    const char *columns_spec, *source_name, *as_of, *taxonomy_path;
    hsds_centroid_fn centroid; /* may be NULL: rows may lack coordinates */
    long centroid_rows;
    long row[HSDS_CSV_LIST_ROWS];
} hsds_csv_opts;

char *hsds_convert_csv_opts(const char *text, size_t len, hsds_csv_opts *o, char *err, size_t errlen);

/* The columns spec for a spreadsheet whose header names the fields
 * themselves (any case): "name=Name,city=city,..." for every header that
 * is a field's name, "" when none is (malloc'd). */
char *hsds_convert_csv_columns_guess(const char *text, size_t len);

/* An HSDS 3.0 CSV datapackage folder (as `waypost export hsds` writes, or
 * the official examples): services.csv and whichever of the other 20
 * resources' CSVs are there, joined by their ids into nested service
 * objects, one a line, the way HSDS 3.0 JSON nests them (organization and
 * program by the service's ids, service_at_locations and their location,
 * phones, schedules, contacts, languages, addresses, accessibility,
 * funding, cost_options, required_documents, service_areas,
 * organization_identifiers by their parent ids, attributes by link_id and
 * metadata by resource_id on whatever object has that id, taxonomy_term and
 * its taxonomy_detail). Rows that no service reaches are put in the first
 * service's "waypost_unlinked" (see hsds_tables.h), so that importing the
 * folder keeps every row. Column types (number, integer, boolean) come from
 * dir/datapackage.json when it has them, else from HSDS 3.0; empty cells are
 * left out. Errors name the file, row and column. */
char *hsds_convert_datapackage(const char *dir, char *err, size_t errlen);

/* The lower-case slug of a source name ("FindTreatment.gov" ->
 * "findtreatment-gov"), used for its namespace. */
void hsds_convert_slug(const char *source_name, char *out, size_t outlen);

#endif
