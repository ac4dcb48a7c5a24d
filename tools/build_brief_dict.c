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
 * With --documents it writes the zstd dictionary the stored service
 * documents are compressed with (src/db/doc_zip.c) instead: the first
 * dictionary's text (every term's full text, db/zdict/0001_services.txt)
 * followed by 64 KB trained the same way on a seeded database's documents
 * (read through wp_doc), with zstd's entropy tables for the whole made
 * from the same documents (ZDICT_finalizeDictionary). 500 seeded
 * documents (2,599 bytes of text on average) are stored in 461 bytes each
 * (the first dictionary: 734; the trained text alone: 473, but documents
 * of rarely used terms grew); synthetic ones in 259 (first: 295).
 *
 * Usage: build/tools/build_brief_dict SEEDED.db db/bdict/0001_briefs.bin
 *        build/tools/build_brief_dict --documents SEEDED.db db/zdict/0002_services.zstd */
#include "db/brief_zip.h"
#include "db/doc_zip.h"
#include "db/embedded.h"

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

static int add(samples *s, const char *text, size_t len, bool pack)
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
    size_t n = len;
    if (pack)
        n = brief_zip_pack(text, len, s->bytes + s->len);
    else
        memcpy(s->bytes + s->len, text, len);
    s->len += n;
    s->sizes[s->n++] = n;
    return 0;
}

/* The samples: the text briefs, packed, or (documents) every service's
 * document as text. */
static int read_samples(const char *path, bool documents, samples *s)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    const char *sql = documents ? "SELECT wp_doc(raw) FROM dir_service ORDER BY rowid"
                                : "SELECT brief FROM dir_sal_brief WHERE typeof(brief) = 'text' ORDER BY sal_rowid";
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK || !doc_zip_register(db) ||
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "build_brief_dict: %s: %s\n", path, sqlite3_errmsg(db));
        return -1;
    }
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
        rc = add(s, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0), !documents);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* The documents' dictionary: the trained content (n bytes at dict, its
 * header cut) with the first dictionary's text after it (the terms' full
 * text, which a document of a rarely used term still finds), then entropy
 * tables for the whole, made by zstd from the samples. Its length, or a
 * zstd error. */
static size_t documents_dictionary(char *dict, size_t cap, size_t n, const samples *s)
{
    size_t head = ZDICT_getDictHeaderSize(dict, n);
    if (ZDICT_isError(head))
        return head;
    size_t first = (size_t)zdicts[0].len, content_len = n - head + first;
    char *content = malloc(content_len);
    if (!content)
        return (size_t)-1;
    memcpy(content, zdicts[0].data, first);
    memcpy(content + first, dict + head, n - head);
    ZDICT_params_t params = {.compressionLevel = 1, .notificationLevel = 0, .dictID = 2};
    size_t got = ZDICT_finalizeDictionary(dict, cap, content, content_len, s->bytes, s->sizes, s->n, params);
    free(content);
    return got;
}

int main(int argc, char **argv)
{
    bool documents = argc == 4 && !strcmp(argv[1], "--documents");
    if (argc != 3 && !documents) {
        fprintf(stderr, "usage: build_brief_dict [--documents] SEEDED.db OUT\n");
        return 2;
    }
    const char *db = argv[argc - 2], *path = argv[argc - 1], *what = documents ? "documents" : "briefs";
    samples s = {0};
    if (read_samples(db, documents, &s) != 0 || s.n < 1000) {
        fprintf(stderr, "build_brief_dict: %s: too few %s to train on (%u; seed a new database)\n", db, what, s.n);
        return 1;
    }
    static char dict[3 * DICT_SIZE];
    size_t n = ZDICT_trainFromBuffer(dict, DICT_SIZE, s.bytes, s.sizes, s.n);
    if (documents && !ZDICT_isError(n))
        n = documents_dictionary(dict, sizeof(dict), n, &s);
    /* LZ4 has no use for the entropy tables zstd puts in front */
    size_t head = ZDICT_isError(n) || documents ? 0 : ZDICT_getDictHeaderSize(dict, n);
    if (ZDICT_isError(n) || ZDICT_isError(head)) {
        fprintf(stderr, "build_brief_dict: training failed: %s\n", ZDICT_getErrorName(ZDICT_isError(n) ? n : head));
        return 1;
    }
    FILE *out = fopen(path, "wb");
    if (!out || fwrite(dict + head, 1, n - head, out) != n - head || fclose(out) != 0) {
        perror(path);
        return 1;
    }
    printf("%s: %zu bytes of dictionary from %u %s (%zu bytes)\n", path, n - head, s.n, what, s.len);
    return 0;
}
