/* hsds_import_file: an import from a path (hsds_import.h): a regular file
 * mapped (core/file_map: no copy, and a message rather than SIGBUS when
 * it shrinks under the import), a gzip file or a pipe read through zlib. */
#include "hsds/hsds_import.h"
#include "core/buf.h"
#include "core/file_map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IMPORT_MAX_BYTES (512u * 1024u * 1024u)

/* Whether text starts with the gzip magic bytes. */
static bool gzipped(const char *text, size_t len)
{
    return len >= 2 && (unsigned char)text[0] == 0x1f && (unsigned char)text[1] == 0x8b;
}

/* Reads a file through zlib: gunzipped when it is gzip, as it is when
 * not (a pipe, say). */
static char *read_gz(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return NULL;
    buf b = BUF_INIT;
    b.cap = IMPORT_MAX_BYTES;
    char chunk[65536];
    int n;
    while ((n = gzread(gz, chunk, sizeof(chunk))) > 0)
        if (!buf_append(&b, chunk, (size_t)n))
            break;
    int errnum = 0;
    gzerror(gz, &errnum);
    gzclose(gz);
    if (n < 0 || b.overflow || (errnum != Z_OK && errnum != Z_STREAM_END)) {
        int e = b.overflow ? EFBIG : EIO; /* buf_free clears the overflow flag */
        buf_free(&b);
        errno = e;
        return NULL;
    }
    return buf_detach(&b, len);
}

bool hsds_import_path(sqlite3 *db, const char *path, hsds_import_counts *counts, char *err, size_t errlen)
{
    /* a regular file is mapped, not copied; a gzip file, or what is not a
     * regular file (a pipe), goes through zlib */
    size_t len = 0;
    const char *mapped = file_map(path, IMPORT_MAX_BYTES, &len);
    bool other = !mapped && errno == EINVAL;
    if (mapped && gzipped(mapped, len)) {
        file_unmap(mapped, len);
        mapped = NULL;
        other = true;
    }
    char *read = other ? read_gz(path, &len) : NULL;
    const char *text = mapped ? mapped : read;
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    char changed[700];
    snprintf(changed, sizeof(changed), "waypost: %s changed while it was read (written again?); it was not imported", path);
    file_map_guard(mapped, len, changed);
    bool ok = hsds_import_text(db, path, text, len, counts, err, errlen);
    file_map_guard(NULL, 0, NULL);
    file_unmap(mapped, len);
    free(read);
    return ok;
}
