/* nested_doc: a location's or an organization's document kept once, as
 * the copy nested in the service document that carries it.
 *
 * An imported service (dir_service.raw) is its whole HSDS record: its
 * organization and each listing's location are in it, byte for byte as
 * they are stored on their own. So a dir_location or dir_organization row
 * whose raw is an empty BLOB (migration 0031: "by reference") has as its
 * document the copy nested in its source:
 *   a location's   the location of the first listing there (lowest
 *                  dir_service_at_location rowid), found in that
 *                  listing's service as the "location" of the element of
 *                  "service_at_locations" with the listing's id;
 *   an organization's  the "organization" of its first service (lowest
 *                  dir_service rowid).
 * The views dir_location_doc(rowid, doc) and dir_organization_doc(rowid,
 * doc) give every row's document either way; SQL reads them, never raw.
 * Triggers (0031) store a by-reference document on its own (raw set)
 * before anything changes its source: a listing or service deleted, a
 * service's document or organization changed, a listing moved. New
 * listings and services take higher rowids, so a source is never
 * displaced by a newer row.
 *
 * Every connection db_open makes has three SQL functions:
 *   wp_nested_location(doc, sal_id)  the "location" text of the listing
 *        sal_id in the service document doc (NULL: none, or an id that
 *        JSON would escape)
 *   wp_nested_organization(doc)      the "organization" text of doc
 *   wp_small(text)                   the stored form of a small document
 *        (brief_zip.h), or the text when it is not stored compressed
 * doc is compact JSON as the importer dumps it (core/json_span.h). */
#ifndef WP_NESTED_DOC_H
#define WP_NESTED_DOC_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether id can be found as a nested copy's key: printable ASCII with no
 * quote or backslash (JSON writes it as it is). */
bool nested_doc_plain_id(const char *id);
/* The text of the location nested in listing sal_id of the service
 * document doc (len bytes): false when there is none. */
bool nested_doc_location(const char *doc, size_t len, const char *sal_id, const char **out, size_t *outlen);
/* The text of the organization nested in doc: false when none. */
bool nested_doc_organization(const char *doc, size_t len, const char **out, size_t *outlen);

/* Adds the three functions to a connection. */
bool nested_doc_register(sqlite3 *db);

#endif
