/* build_brief_dict: writes an LZ4 dictionary for the listing cache's
 * briefs (src/db/brief_zip.c) from a seeded database's briefs.
 *
 * The briefs are packed as they are stored (UUIDs to 16 bytes) and given
 * to zstd's dictionary trainer (ZDICT_trainFromBuffer), which picks the
 * runs of bytes the briefs share most (key names, the common descriptions,
 * addresses' skeleton); only its content is kept (LZ4 has no use for the
 * entropy tables zstd puts in front). Train on the bundled data only
 * (`waypost seed`), never on benchmark data.
 *
 * A dictionary, once shipped, is never changed: every stored brief names
 * its dictionary by number (db/bdict/NNNN_*.bin). A better one is added as
 * the next number.
 *
 * Usage: build/tools/build_brief_dict SEEDED.db db/bdict/0001_briefs.bin */
#include "db/brief_zip.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>

#define DICT_SIZE 65536 /* all of it within LZ4's reach */

typedef struct samples {
    char *bytes;
    size_t len, alloc;
    size_t *sizes;
    unsigned n, cap;
} samples;

static int add(samples *s, const char *text, size_t len)
{
    if (s->len + len > s->alloc) {
        s->alloc = (s->len + len) * 2;
        s->bytes = realloc(s->bytes, s->alloc);
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->sizes = realloc(s->sizes, s->cap * sizeof(size_t));
    }
    if (!s->bytes || !s->sizes)
        return -1;
    size_t n = brief_zip_pack(text, len, s->bytes + s->len);
    s->len += n;
    s->sizes[s->n++] = n;
    return 0;
}

static int read_briefs(const char *path, samples *s)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT brief FROM dir_sal_brief WHERE typeof(brief) = 'text' ORDER BY sal_rowid", -1,
                           &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "build_brief_dict: %s: %s\n", path, sqlite3_errmsg(db));
        return -1;
    }
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
        rc = add(s, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: build_brief_dict SEEDED.db OUT.bin\n");
        return 2;
    }
    samples s = {0};
    if (read_briefs(argv[1], &s) != 0 || s.n < 1000) {
        fprintf(stderr, "build_brief_dict: %s: too few text briefs to train on (%u; seed a new database)\n", argv[1],
                s.n);
        return 1;
    }
    static char dict[DICT_SIZE];
    size_t n = ZDICT_trainFromBuffer(dict, sizeof(dict), s.bytes, s.sizes, s.n);
    size_t head = ZDICT_isError(n) ? n : ZDICT_getDictHeaderSize(dict, n);
    if (ZDICT_isError(n) || ZDICT_isError(head)) {
        fprintf(stderr, "build_brief_dict: training failed: %s\n", ZDICT_getErrorName(ZDICT_isError(n) ? n : head));
        return 1;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out || fwrite(dict + head, 1, n - head, out) != n - head || fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    printf("%s: %zu bytes of dictionary from %u briefs (%zu bytes packed)\n", argv[2], n - head, s.n, s.len);
    return 0;
}
