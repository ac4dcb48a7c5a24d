/* content_store: SQL for the content index and site search. */
#include "content/content_store.h"
#include "core/buf.h"
#include "core/util.h"
#include "db/db.h"

#include <stdatomic.h>
#include <string.h>

static const char SQL_CLEAR_PAGES[] = "DELETE FROM content_pages";
static const char SQL_INSERT_PAGE[] =
    "INSERT INTO content_pages(path, title, summary, section, reviewed, body_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/* One FTS5 index per language (migrations 0001 and 0015). */
struct fts_sql {
    const char *lang, *clear, *insert, *search, *count;
};

static const struct fts_sql fts_tables[] = {
    {"en", "DELETE FROM content_fts", "INSERT INTO content_fts(path, title, summary, body) VALUES (?1, ?2, ?3, ?4)",
     "SELECT path, title, summary, snippet(content_fts, 3, char(1), char(2), '…', 24) "
     "FROM content_fts WHERE content_fts MATCH ?1 "
     "ORDER BY bm25(content_fts, 0.0, 10.0, 4.0, 1.0) LIMIT ?2 OFFSET ?3",
     "SELECT count(*) FROM content_fts WHERE content_fts MATCH ?1"},
    {"es", "DELETE FROM content_fts_es",
     "INSERT INTO content_fts_es(path, title, summary, body) VALUES (?1, ?2, ?3, ?4)",
     "SELECT path, title, summary, snippet(content_fts_es, 3, char(1), char(2), '…', 24) "
     "FROM content_fts_es WHERE content_fts_es MATCH ?1 "
     "ORDER BY bm25(content_fts_es, 0.0, 10.0, 4.0, 1.0) LIMIT ?2 OFFSET ?3",
     "SELECT count(*) FROM content_fts_es WHERE content_fts_es MATCH ?1"},
};

static const struct fts_sql *fts_for(const char *lang)
{
    for (size_t i = 0; i < sizeof(fts_tables) / sizeof(fts_tables[0]); i++)
        if (!strcmp(fts_tables[i].lang, lang))
            return &fts_tables[i];
    return NULL;
}

bool content_store_has_index(const char *lang)
{
    return fts_for(lang) != NULL;
}

static bool insert_page(sqlite3 *db, const struct fts_sql *fts, const page *p)
{
    sqlite3_stmt *st = strcmp(fts->lang, "en") ? NULL : db_stmt(db, SQL_INSERT_PAGE);
    if (!st && !strcmp(fts->lang, "en"))
        return false;
    sqlite3_bind_text(st, 1, p->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->section, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->reviewed, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, p->text, -1, SQLITE_STATIC);
    if (st && !db_run(db, st, "content index"))
        return false;
    st = db_stmt(db, fts->insert);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, p->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->text, -1, SQLITE_STATIC);
    return db_run(db, st, "content index");
}

static atomic_long generation;

long content_store_generation(void)
{
    return atomic_load(&generation);
}

bool content_store_index(sqlite3 *db, const char *lang, const content_set *c)
{
    const struct fts_sql *fts = fts_for(lang);
    if (!fts)
        return true; /* a language without an index of its own: its search shows English pages */
    atomic_fetch_add(&generation, 1); /* before and after: no answer from between is kept as current */
    if (!db_begin(db))
        return false;
    bool en = !strcmp(lang, "en");
    sqlite3_stmt *clear_pages = en ? db_stmt(db, SQL_CLEAR_PAGES) : NULL, *clear_fts = db_stmt(db, fts->clear);
    bool ok = (!en || (clear_pages && db_run(db, clear_pages, "content index"))) && clear_fts &&
              db_run(db, clear_fts, "content index");
    for (size_t i = 0; ok && i < c->count; i++)
        ok = insert_page(db, fts, &c->pages[i]);
    if (ok)
        ok = db_commit(db);
    if (!ok)
        db_rollback(db);
    atomic_fetch_add(&generation, 1);
    return ok;
}

bool content_fts_query(const char *typed, char *out, size_t outlen)
{
    buf b = BUF_INIT;
    b.cap = outlen > 1 ? outlen - 1 : 1;
    int words = 0;
    const unsigned char *s = (const unsigned char *)typed;
    while (*s && words < 16) {
        while (*s && !(isalnum_ascii(*s) || *s >= 0x80))
            s++;
        const unsigned char *start = s;
        while (*s && (isalnum_ascii(*s) || *s >= 0x80))
            s++;
        if (s > start) {
            buf_printf(&b, "%s\"%.*s\"*", words ? " " : "", (int)(s - start), (const char *)start);
            words++;
        }
    }
    bool ok = words > 0 && !b.overflow;
    str_copy(out, outlen, buf_cstr(&b));
    buf_free(&b);
    return ok;
}

int content_store_search(sqlite3 *db, const char *lang, arena *a, const char *q, int offset, int max,
                         search_hit *hits, int *total)
{
    const struct fts_sql *fts = fts_for(lang) ? fts_for(lang) : fts_for("en");
    sqlite3_stmt *st = db_stmt(db, fts->count);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    int rc0 = sqlite3_step(st);
    *total = rc0 == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (rc0 != SQLITE_ROW) {
        db_note_error(db, "search");
        return -1;
    }
    st = db_stmt(db, fts->search);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, max);
    sqlite3_bind_int(st, 3, offset);
    int n = 0, rc = SQLITE_DONE;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        hits[n].path = db_col_text(a, st, 0);
        hits[n].title = db_col_text(a, st, 1);
        hits[n].summary = db_col_text(a, st, 2);
        hits[n].snippet = db_col_text(a, st, 3);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_note_error(db, "search");
        return -1;
    }
    return n;
}
