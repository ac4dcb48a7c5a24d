/* hsds_tables_store: the SQL of the hsds_ tables (one per HSDS resource,
 * migration 0005; empty since migration 0018: the export fills temp tables
 * of the same names and columns from the stored documents): the temp
 * tables made and dropped, a row written, each table read back for the
 * export, and the stored documents walked. Statements come from
 * hsds_schema_store.c (generated). */
#ifndef WP_HSDS_TABLES_STORE_H
#define WP_HSDS_TABLES_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

/* Temp tables hsds_<resource> (same columns as migration 0005's, which
 * unqualified names then resolve to), empty; any earlier ones dropped. */
bool hsds_tables_temp_create(sqlite3 *db);
bool hsds_tables_temp_drop(sqlite3 *db);
/* Writes one row of resource r (row: field name -> JSON scalar; strings,
 * numbers, true/false; other fields NULL), owned by doc_id. */
bool hsds_tables_put_row(sqlite3 *db, int r, json_t *row, const char *doc_id);

/* Calls fn with each row of resource r's table as text, ordered by id; an
 * id held by several documents comes once (the copy written last). NULL
 * is "", numbers are their shortest text. vals is valid during the call.
 * Return false from fn to stop; the walk then returns false. */
typedef bool (*hsds_row_fn)(void *ctx, int ncols, const char *const *vals);
bool hsds_tables_each_row(sqlite3 *db, int r, hsds_row_fn fn, void *ctx);

/* Calls fn with the id and raw JSON of each stored service, in the order
 * they were last written. fn may write to other (temp) tables. */
typedef bool (*hsds_doc_fn)(void *ctx, const char *id, const char *raw);
bool hsds_tables_each_doc(sqlite3 *db, hsds_doc_fn fn, void *ctx);

#endif
