/* id_key: a directory row's id as it is stored and indexed. HSDS ids are
 * UUIDs, 36 characters of text; the four directory tables keyed by them
 * (dir_service, dir_organization, dir_location, dir_service_at_location,
 * migration 0027) store a lowercase UUID as its 16 bytes, a BLOB, and any
 * other id as the text it is. The two forms never compare equal, so the
 * unique index on id still holds every id once; 16-byte keys make each
 * row and each index entry 20 bytes smaller (183 MB of 1,365 at a million
 * services). Bytes sort as the lowercase text did; ids that are not
 * lowercase UUIDs (TEXT) sort before all of them.
 *
 * Every connection db_open makes has two SQL functions:
 *   wp_id(x)       the stored form of the id x (text in, as written)
 *   wp_id_text(x)  the id's text (a 16-byte BLOB as its UUID; else x)
 * SQL writes and looks up by wp_id(?), and reads ids as wp_id_text(id). */
#ifndef WP_ID_KEY_H
#define WP_ID_KEY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define ID_KEY_TEXT 36 /* a UUID's characters */
#define ID_KEY_BYTES 16

/* The len characters at text are a lowercase UUID (8-4-4-4-12 hex digits). */
bool id_key_is_uuid(const char *text, size_t len);
/* Writes the 16 bytes of the lowercase UUID at text (id_key_is_uuid). */
void id_key_pack(const char *text, unsigned char *out);
/* Writes 16 bytes as a UUID's 36 characters (no NUL). */
void id_key_text(const unsigned char *in, char *out);

/* Adds wp_id() and wp_id_text() to a connection. */
bool id_key_register(sqlite3 *db);

#endif
