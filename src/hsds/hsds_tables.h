/* hsds_tables: one HSDS 3.0 service document split into the rows of the
 * HSDS tabular resources (hsds_schema.h): checked at import, and written
 * to the export's temp hsds_ tables (hsds_tables_fill).
 *
 * A service document nests its objects (organization, program,
 * service_at_locations[].location, phones, schedules, contacts, addresses,
 * languages, cost_options, accessibility, required_documents,
 * service_areas, funding, organization_identifiers, attributes, metadata,
 * attributes' taxonomy_term and its taxonomy_detail). hsds_decompose walks
 * it and gives one row per object id and resource: the object's scalar
 * fields that are columns of its resource, plus the parent ids the nesting
 * leaves out (a phone under a contact gets contact_id, an attribute gets
 * link_id and link_entity, metadata resource_id and resource_type, and a
 * service its organization_id and program_id from the nested objects).
 * Values the document gives are never overwritten. When one id appears in
 * several places (the official examples nest the same phone under the
 * service, its location, contact and organization), the copies are merged
 * into one row, each parent column filled from wherever it is known.
 *
 * A document may carry "waypost_unlinked": {"<resource>": [rows...]}, the
 * rows of a CSV datapackage that no service reaches (hsds_convert.c
 * puts them there so that nothing a datapackage held is lost); they are
 * kept as given.
 *
 * Every object needs an id: a missing one is an error naming its path
 * ("service_at_locations[0].location.phones[1].id"). */
#ifndef WP_HSDS_TABLES_H
#define WP_HSDS_TABLES_H

#include "hsds/hsds_schema.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct hsds_rows {
    /* per resource: an object id -> row. Rows of the stored resources hold
     * only their columns; taxonomy_term and taxonomy rows are the objects
     * as the document gave them (they are stored whole, as raw JSON).
     * NULL for a resource the document has none of. */
    json_t *t[HSDS_NRES];
} hsds_rows;

/* The key of a nested object or list in HSDS JSON ("phones", "location")
 * -> the resource its objects belong to, or -1. *one says whether the key
 * holds one object rather than a list. */
int hsds_child_resource(const char *key, bool *one);

/* Fills rows (freed with hsds_rows_free, also after a failure). On an
 * error, field gets the object's path and *what a sentence. */
bool hsds_decompose(json_t *svc, hsds_rows *rows, char *field, size_t fieldlen, const char **what);
void hsds_rows_free(hsds_rows *rows);

/* The import's check of a document (it needs no database: the import's
 * reader thread runs it): svc splits into HSDS rows (every object has an
 * id, every term and taxonomy a name), and rows gets the taxonomy terms
 * and taxonomies nested below its attributes (the rows of the other
 * resources are not built: the document itself, dir_service.raw, is the
 * one copy, and the export splits it again, hsds_tables_fill). false with
 * field and *what set. Free rows with hsds_rows_free either way. */
bool hsds_tables_check_terms(json_t *svc, hsds_rows *rows, char *field, size_t fieldlen, const char **what);
/* Writes the terms and taxonomies the check found to dir_taxonomy_term
 * and dir_taxonomy (inside the import transaction); *terms gets how many
 * terms. */
bool hsds_tables_write_terms(sqlite3 *db, const hsds_rows *rows, size_t *terms);

/* For the export: temp tables that shadow the (empty) hsds_ tables of
 * migration 0005, filled with the rows of every stored service, split
 * again in the order the services were last written (so an id that
 * several documents carry reads back as the copy written last), in one
 * transaction. progress: a count on a terminal. false with a sentence in
 * err. hsds_tables_temp_drop removes them. */
bool hsds_tables_fill(sqlite3 *db, bool progress, char *err, size_t errlen);

/* The shortest text that reads back as d ("35", "40.7128", "0.1"). */
void hsds_number_text(double d, char *out, size_t outlen);

#endif
