/* fuzz_gzip: libFuzzer harness for the gzip reading of `waypost import hsds
 * FILE.gz` (read_maybe_gz and hsds_import_path in src/hsds/hsds_import.c):
 * the file is written to a temp file (fuzz_tmp.h) named *.ndjson.gz and imported into
 * the shared in-memory database (fuzz_db.h).
 *
 * The first input byte picks what the file holds (the rest of the input is
 * R below):
 *   0: R itself (any bytes: gzip or not; zlib reads plain files as they are)
 *   1: R gzipped here, whole (so the importer's checks behind the gzip layer
 *      are reached)
 *   2: R gzipped, then cut short at a point the second byte of R picks
 *   3: R gzipped, with one byte changed (position and value from R's first
 *      two bytes)
 *   4: two gzip members, R's halves, one after the other (gzip allows that)
 * Checks: a refusal always has a message, and leaves the database as it
 * was (the count of services, locations, organizations, terms and HSDS rows
 * does not move); an accepted file leaves no listing on the cache's dirty
 * list. */
#include "db/db.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz_db.h"
#include "fuzz_tmp.h"

/* A name picked once; the file is written and removed for every input (so
 * nothing is left behind however libFuzzer ends). */
static char path[300];

static long rows(void)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM dir_service) + (SELECT count(*) FROM dir_location) + "
                              "(SELECT count(*) FROM dir_organization) + (SELECT count(*) FROM dir_taxonomy_term) + "
                              "(SELECT count(*) FROM dir_service_at_location) + (SELECT count(*) FROM dir_service_term)";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        abort();
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Gzips src into f as one member; false when zlib fails (never expected). */
static bool gz_member(FILE *f, const uint8_t *src, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    size_t cap = deflateBound(&z, (uLong)len) + 32;
    unsigned char *out = malloc(cap);
    if (!out)
        abort();
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    bool ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    if (ok)
        ok = fwrite(out, 1, n, f) == n;
    free(out);
    return ok;
}

/* Writes the file the mode asks for; false when the input is too short. */
static bool write_file(const uint8_t *data, size_t size)
{
    int mode = data[0] % 5;
    const uint8_t *r = data + 1;
    size_t n = size - 1;
    FILE *f = fopen(path, "wb+");
    if (!f)
        abort();
    bool ok = true;
    switch (mode) {
    case 0:
        ok = !n || fwrite(r, 1, n, f) == n;
        break;
    case 1:
        ok = gz_member(f, r, n);
        break;
    case 2:
    case 3: {
        if (n < 2 || !gz_member(f, r, n) || fflush(f) != 0) {
            ok = false;
            break;
        }
        long total = ftell(f);
        if (total <= 0) {
            ok = false;
            break;
        }
        if (mode == 2) {
            long cut = (long)((uint64_t)total * r[1] / 256);
            ok = ftruncate(fileno(f), cut) == 0;
        } else {
            long at = (long)((uint64_t)total * r[0] / 256);
            unsigned char b = 0;
            ok = fseek(f, at, SEEK_SET) == 0 && fread(&b, 1, 1, f) == 1;
            b ^= (unsigned char)(r[1] ? r[1] : 1);
            ok = ok && fseek(f, at, SEEK_SET) == 0 && fwrite(&b, 1, 1, f) == 1;
        }
        break;
    }
    default:
        ok = gz_member(f, r, n / 2) && gz_member(f, r + n / 2, n - n / 2);
        break;
    }
    if (fclose(f) != 0)
        abort();
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 262144)
        return 0;
    if (!path[0]) {
        snprintf(path, sizeof(path), "%s/wp-fuzz-gzip.XXXXXX.ndjson.gz", fuzz_tmp_dir());
        int fd = mkstemps(path, 10);
        if (fd < 0)
            abort();
        close(fd);
    }
    bool written = write_file(data, size);
    if (!written) {
        unlink(path);
        return 0;
    }
    long before = rows();
    char err[512];
    memset(err, 'x', sizeof(err));
    hsds_import_counts c;
    bool ok = hsds_import_path(db, path, &c, err, sizeof(err));
    unlink(path);
    if (!ok) {
        if (!memchr(err, '\0', sizeof(err)) || !err[0] || rows() != before) {
            fprintf(stderr, "refused with [%.*s]; rows %ld -> %ld\n", (int)sizeof(err), err, before, rows());
            abort();
        }
        return 0;
    }
    uint32_t *missing = NULL;
    long dirty = hsds_store_cache_dirty(db, &missing);
    free(missing);
    if (dirty != 0)
        abort();
    return 0;
}
