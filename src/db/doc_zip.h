/* doc_zip: the directory's service documents stored compressed.
 *
 * A stored service (dir_service.raw) is its whole HSDS JSON, and most of
 * its bytes are the full text of the taxonomy terms it links, repeated in
 * every document. It is kept as a BLOB: one byte naming the dictionary
 * (db/zdict/NNNN_*, embedded in the binary; 1 is the first, 2 the one new
 * documents are written with), then a zstd frame compressed against that
 * dictionary (about a sixth of a seeded document's text). Rows written
 * before compression are TEXT and read as they are.
 * A location's and an organization's documents are BLOBs of the other
 * stored form, brief_zip.h (byte 0 at or above 0x80); doc_unzip and
 * wp_doc read both. (Or empty: kept by reference, nested_doc.h; SQL reads
 * those through the views dir_location_doc and dir_organization_doc.)
 *
 * Every connection db_open makes has the SQL function wp_doc(x): the text
 * of a stored document (TEXT as it is, a compressed BLOB decompressed,
 * NULL as NULL; a damaged BLOB is an error, never a wrong document). SQL
 * that reads dir_service.raw, dir_location.raw or dir_organization.raw
 * reads wp_doc(raw); the full-text index's
 * triggers do too (migration 0021), so the sqlite3 shell can read the
 * directory but not change a service's name or document. */
#ifndef WP_DOC_ZIP_H
#define WP_DOC_ZIP_H

#include "core/buf.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* The largest document that is stored or given back (bytes of text). */
#define DOC_ZIP_MAX (64u << 20)

/* Appends the stored form of text (len bytes) to out: false when it is
 * too large or compression failed (out is then as it was). */
bool doc_zip(const char *text, size_t len, buf *out);
/* The text of a stored BLOB (malloc'd, NUL-terminated, its length in
 * *len): NULL when the bytes are not a document this build can read. */
char *doc_unzip(const void *blob, size_t n, size_t *len);
/* Adds wp_doc() to a connection. */
bool doc_zip_register(sqlite3 *db);

#endif
