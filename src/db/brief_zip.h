/* brief_zip: the directory's small documents stored small and read back
 * fast: the listing cache's briefs (dir_sal_brief.brief), and each
 * location's and organization's document kept on its own
 * (dir_location.raw, dir_organization.raw, read in SQL through wp_doc,
 * doc_zip.h; most are kept by reference instead, nested_doc.h).
 *
 * A brief is the compact JSON list object the API sends for a listing;
 * the API copies ten of them into every page, so reading one must cost
 * far less than the request (zstd, as the service documents use, took
 * 0.7 µs a brief; this takes about 0.2 µs). Most of a brief's bytes are
 * its UUIDs (each written twice: "service_id" and "service"."id") and the
 * same key names. So the stored form is:
 *   byte 0      0x80 | the dictionary (db/bdict/NNNN_*.bin, embedded; 1
 *               first); a zstd document's byte 0 is below 0x80
 *   varint      the text's length
 *   varint      the packed text's length
 *   the rest    the packed text as an LZ4 block against that dictionary
 * where the packed text is the brief with each quoted lowercase UUID's 36
 * characters replaced by byte 0x01 and its 16 bytes (0x01 never appears
 * in JSON text, which escapes control characters). A brief of 575 bytes
 * (the synthetic million) is stored in about 200, a seeded one of 1,071
 * in about 260; a synthetic location of 131 in 59, an organization of
 * 107 in 67. Rows written before are TEXT and read as they are.
 *
 * There is no checksum (nor is there one on a TEXT row; SQLite keeps
 * none): a stored form whose lengths, markers or block do not agree is
 * refused (a brief is then built from the documents; wp_doc fails). */
#ifndef WP_BRIEF_ZIP_H
#define WP_BRIEF_ZIP_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Byte 0 of a stored form is BRIEF_ZIP_KIND | its dictionary's number;
 * a zstd document's (doc_zip.h) is below it. */
#define BRIEF_ZIP_KIND 0x80u

/* The largest brief stored compressed (longer ones stay text). */
#define BRIEF_ZIP_MAX (1u << 20)

/* Appends the stored form of text (len bytes) to out: false when it is
 * not stored compressed (too long, holds byte 0x01, or out of room), out
 * then as it was. */
bool brief_zip(const char *text, size_t len, buf *out);
/* Appends the text of a stored form to out: false when the bytes are not
 * a brief this build can read (out then as it was). */
bool brief_unzip_into(const void *stored, size_t n, buf *out);

/* Writes text with its quoted lowercase UUIDs packed to out (room for
 * len bytes): the packed length. (tools/build_brief_dict.c trains the
 * dictionary on packed briefs.) */
size_t brief_zip_pack(const char *text, size_t len, char *out);

#endif
