/* import_pages: loading a directory file from the browser (/staff/import),
 * for editors and up.
 *
 * GET /staff/import: the form. A file (HSDS 3.0 JSON or NDJSON, a
 * FindTreatment.gov export, or a spreadsheet as CSV with the column
 * mapping `waypost import csv --columns` takes) is sent as multipart/
 * form-data (field "file"), or pasted into the textarea "text" (which
 * also works as a plain urlencoded form). At most IMPORT_MAX_FILE bytes
 * of UTF-8 text; the page says so, and a larger upload gets 413.
 * POST /staff/import: converts the upload to HSDS (format "auto" tells
 * them apart: JSON with "rows" is FindTreatment, other JSON is HSDS,
 * anything else a spreadsheet; a spreadsheet without a mapping maps the
 * columns named like Waypost's fields), runs the import as a dry run (a
 * transaction rolled back: hsds_import_text_dry) and shows what it would
 * add, change and leave. The converted text waits in memory
 * (import_pending.h) under a random id for the confirm form. A file that
 * cannot be read gets the form back with 422 and the problem named (file,
 * row or line, field).
 * POST /staff/import/confirm (pending, csrf): imports that text for real
 * with one audit row "import" (target the file's name, the counts in
 * after) in the same transaction; the public pages and API follow within
 * about a second (the server's watcher).
 * The roles are the rows of routes.c. */
#ifndef WP_IMPORT_PAGES_H
#define WP_IMPORT_PAGES_H

#include "http/http.h"

#define IMPORT_MAX_FILE (8L * 1024 * 1024)
/* the route's body limit: the file and the form's other fields */
#define IMPORT_MAX_BODY (IMPORT_MAX_FILE + 64L * 1024)

void staff_import(request *rq, response *rs);
void staff_import_preview(request *rq, response *rs);
void staff_import_confirm(request *rq, response *rs);

#endif
