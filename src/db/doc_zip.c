/* doc_zip: zstd with an embedded dictionary for stored documents
 * (doc_zip.h). The dictionaries are digested once per process; each
 * thread keeps its own compression and decompression contexts (about
 * 1.3 MB and 160 KB), freed when the thread ends. Frames carry their
 * length and a checksum (4 bytes of XXH64), so damaged bytes are refused
 * rather than read as another document; not the dictionary's id (byte 0
 * names the dictionary). Dictionary 1 (db/zdict/0001_services.txt) is
 * plain text built from the terms and an HSDS skeleton; 2 (0002, new
 * documents since migration 0028's build) is that text, 64 KB trained by
 * zstd on a seeded database's documents and entropy tables for both
 * (tools/build_brief_dict.c --documents): seeded documents 37% smaller,
 * synthetic ones 12%. */
#include "db/doc_zip.h"
#include "db/brief_zip.h"
#include "db/embedded.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define LEVEL 1       /* zstd's fastest: level 3 took 10-20% longer for no smaller documents here */
#define CURRENT 2     /* the dictionary new documents are written with */

static ZSTD_CDict *cdict;
static ZSTD_DDict *ddicts[8]; /* by number; [0] unused */
static size_t ndicts;
static pthread_once_t dicts_once = PTHREAD_ONCE_INIT;

typedef struct contexts {
    ZSTD_CCtx *c;
    ZSTD_DCtx *d;
} contexts;

static _Thread_local contexts tc;
static pthread_key_t exit_key;

static void contexts_free(void *unused)
{
    (void)unused;
    ZSTD_freeCCtx(tc.c);
    ZSTD_freeDCtx(tc.d);
    tc.c = NULL;
    tc.d = NULL;
}

static void main_exit(void)
{
    contexts_free(NULL);
}

static void dicts_load(void)
{
    ndicts = zdicts_count < sizeof(ddicts) / sizeof(ddicts[0]) - 1 ? zdicts_count : sizeof(ddicts) / sizeof(ddicts[0]) - 1;
    for (size_t i = 0; i < ndicts; i++)
        ddicts[i + 1] = ZSTD_createDDict(zdicts[i].data, (size_t)zdicts[i].len);
    if (ndicts >= CURRENT)
        cdict = ZSTD_createCDict(zdicts[CURRENT - 1].data, (size_t)zdicts[CURRENT - 1].len, LEVEL);
    pthread_key_create(&exit_key, contexts_free);
    atexit(main_exit);
}

/* This thread's contexts, made on first use: false when out of memory. */
static bool contexts_ready(void)
{
    pthread_once(&dicts_once, dicts_load);
    if (!cdict)
        return false;
    if (tc.c && tc.d)
        return true;
    if (!tc.c && (tc.c = ZSTD_createCCtx()) != NULL &&
        (ZSTD_isError(ZSTD_CCtx_refCDict(tc.c, cdict)) ||
         ZSTD_isError(ZSTD_CCtx_setParameter(tc.c, ZSTD_c_checksumFlag, 1)) ||
         ZSTD_isError(ZSTD_CCtx_setParameter(tc.c, ZSTD_c_dictIDFlag, 0)))) {
        ZSTD_freeCCtx(tc.c);
        tc.c = NULL;
    }
    if (!tc.d)
        tc.d = ZSTD_createDCtx();
    pthread_setspecific(exit_key, &tc);
    return tc.c && tc.d;
}

bool doc_zip(const char *text, size_t len, buf *out)
{
    if (len > DOC_ZIP_MAX || !contexts_ready() || !cdict)
        return false;
    size_t room = 1 + ZSTD_compressBound(len), at = out->len;
    buf_reserve(out, room);
    if (out->alloc < at + room + 1)
        return false; /* past the buffer's cap */
    unsigned char *p = (unsigned char *)out->data + at;
    p[0] = CURRENT;
    size_t n = ZSTD_compress2(tc.c, p + 1, room - 1, text, len);
    if (ZSTD_isError(n))
        return false;
    out->len = at + 1 + n;
    out->data[out->len] = '\0';
    return true;
}

/* A small document (brief_zip.h: byte 0 at or above BRIEF_ZIP_KIND) as text. */
static char *small_unzip(const void *blob, size_t n, size_t *len)
{
    buf b = BUF_INIT;
    if (!brief_unzip_into(blob, n, &b)) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b, len);
}

char *doc_unzip(const void *blob, size_t n, size_t *len)
{
    const unsigned char *p = blob;
    if (n && p[0] >= BRIEF_ZIP_KIND)
        return small_unzip(blob, n, len);
    if (n < 2 || !contexts_ready() || p[0] == 0 || p[0] > ndicts || !ddicts[p[0]])
        return NULL;
    unsigned long long size = ZSTD_getFrameContentSize(p + 1, n - 1);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > DOC_ZIP_MAX)
        return NULL;
    char *text = malloc((size_t)size + 1);
    if (!text)
        return NULL;
    size_t got = ZSTD_decompress_usingDDict(tc.d, text, (size_t)size, p + 1, n - 1, ddicts[p[0]]);
    if (ZSTD_isError(got) || got != size) {
        free(text);
        return NULL;
    }
    text[got] = '\0';
    *len = got;
    return text;
}

/* A connection's last two documents, stored and as text: SQL that reads
 * two fields of a document calls wp_doc twice on the same bytes (SQLite
 * does not share the call), and the second is then a comparison; a
 * trigger comparing a service's old and new documents (migration 0031)
 * reads both in turn. A connection is used by one thread at a time. */
typedef struct kept_doc {
    unsigned char *blob;
    size_t blob_len;
    char *text;
    size_t text_len;
} kept_doc;

typedef struct last_doc {
    kept_doc d[2];
    int newest; /* the index in d of the one kept last */
} last_doc;

static void last_doc_free(void *p)
{
    last_doc *l = p;
    for (int i = 0; i < 2; i++) {
        free(l->d[i].blob);
        free(l->d[i].text);
    }
    free(l);
}

/* Keeps blob and text in place of the older of the two (text is taken). */
static void last_doc_keep(last_doc *l, const void *blob, size_t n, char *text, size_t len)
{
    l->newest = !l->newest;
    kept_doc *k = &l->d[l->newest];
    unsigned char *copy = malloc(n ? n : 1);
    free(k->blob);
    free(k->text);
    k->blob = copy;
    k->text = copy ? text : NULL;
    k->blob_len = copy ? n : 0;
    k->text_len = len;
    if (copy)
        memcpy(copy, blob, n);
    else
        free(text);
}

/* The kept text of blob (n bytes), or NULL. */
static const kept_doc *last_doc_find(const last_doc *l, const void *blob, size_t n)
{
    for (int i = 0; i < 2; i++) {
        const kept_doc *k = &l->d[l->newest ^ i];
        if (k->text && n == k->blob_len && !memcmp(blob, k->blob, n))
            return k;
    }
    return NULL;
}

/* wp_doc(x): the stored document as text (doc_zip.h). */
static void sql_doc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    last_doc *l = sqlite3_user_data(ctx);
    const void *blob = sqlite3_value_blob(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    const kept_doc *k = last_doc_find(l, blob, n);
    if (k) {
        sqlite3_result_text64(ctx, k->text, k->text_len, SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    size_t len = 0;
    char *text = doc_unzip(blob, n, &len);
    if (!text) {
        sqlite3_result_error(ctx, "wp_doc: a stored document is damaged or of an unknown kind", -1);
        return;
    }
    sqlite3_result_text64(ctx, text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
    last_doc_keep(l, blob, n, text, len);
}

bool doc_zip_register(sqlite3 *db)
{
    last_doc *l = calloc(1, sizeof(*l));
    return l && sqlite3_create_function_v2(db, "wp_doc", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, l,
                                           sql_doc, NULL, NULL, last_doc_free) == SQLITE_OK;
}
