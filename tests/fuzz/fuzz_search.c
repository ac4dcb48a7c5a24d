/* fuzz_search: libFuzzer harness for the site search's query builder,
 * content_fts_query (src/content/content_store.c), which turns what a
 * visitor typed into an FTS5 query.
 *
 * The first input byte picks the size of the output buffer (1 to 256, or
 * 512 as /search uses); the rest is the typed text (cut at its first NUL,
 * as a query parameter would be). The output buffer is allocated at exactly
 * that size, so AddressSanitizer catches any write past it.
 * Checks: the output is always terminated inside the buffer; a query that
 * is built (true) has 1 to 16 quoted prefix terms and, run through
 * content_store_search against the real content_fts table (the migrated
 * schema, in memory, with a few pages), never gets an SQLite error such as
 * "fts5: syntax error"; false comes only with no words or a full buffer. */
#include "content/content_store.h"
#include "core/arena.h"
#include "db/db.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;

static const char *const pages[][4] = {
    {"/naloxone", "Naloxone", "How to use naloxone (Narcan)",
     "Naloxone reverses an opioid overdose. Call 911, give naloxone, start rescue breathing."},
    {"/substances/xylazine", "Xylazine", "Tranq in the supply",
     "Xylazine (tranq) is a sedative found in fentanyl. Naloxone still helps with the opioid."},
    {"/recovery", "Recovery", "Many pathways", "Méthadone, buprenorphine, peer support, naïve café résumé 日本語 ü."},
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[256];
    db = db_open_command(":memory:", err, sizeof(err));
    if (!db || !db_migrate(db, NULL, err, sizeof(err)))
        abort();
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO content_fts(path, title, summary, body) VALUES (?1, ?2, ?3, ?4)", -1,
                           &st, NULL) != SQLITE_OK)
        abort();
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        for (int c = 0; c < 4; c++)
            sqlite3_bind_text(st, c + 1, pages[i][c], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            abort();
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

/* The builder's output shape: "w1"* "w2"* ... with 1 to 16 terms, each a
 * run of ASCII letters and digits or bytes >= 0x80 (so no quote inside). */
static void check_shape(const char *q)
{
    int terms = 0;
    const unsigned char *p = (const unsigned char *)q;
    while (*p) {
        if (terms && *p++ != ' ')
            abort();
        if (*p++ != '"')
            abort();
        const unsigned char *start = p;
        while (*p && *p != '"') {
            if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p >= 0x80))
                abort();
            p++;
        }
        if (p == start || *p++ != '"' || *p++ != '*')
            abort();
        terms++;
    }
    if (terms < 1 || terms > 16)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    size_t outlen = data[0] == 0xff ? 512 : (size_t)(data[0] % 256) + 1;
    char *typed = malloc(size);
    char *out = malloc(outlen);
    if (!typed || !out)
        abort();
    memcpy(typed, data + 1, size - 1);
    typed[size - 1] = '\0';
    memset(out, 'x', outlen);

    bool ok = content_fts_query(typed, out, outlen);
    if (!memchr(out, '\0', outlen))
        abort();
    if (ok) {
        check_shape(out);
        arena a;
        arena_init(&a);
        search_hit hits[10];
        int total = -1;
        int n = content_store_search(db, "en", &a, out, 0, 10, hits, &total);
        if (n < 0 || total < n) {
            fprintf(stderr, "query [%s] from [%s]: %s\n", out, typed, sqlite3_errmsg(db));
            abort();
        }
        arena_free(&a);
    } else {
        /* false: no word at all, or the query did not fit */
        bool word = false;
        for (const unsigned char *p = (const unsigned char *)typed; *p && !word; p++)
            word = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p >= 0x80;
        if (word && outlen >= 512 && strlen(typed) <= 200)
            abort(); /* /search's own limits (200 characters, 512 bytes) always fit */
    }
    free(out);
    free(typed);
    return 0;
}
