/* locator_api_store: SQL for the HSDS 3.0 API. See locator_api_store.h. */
#include "locator/locator_api_store.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* Search parameter P ('' for none) in the name, alternate name or
 * description of the row whose columns start with T (a table alias and a
 * dot, or ""). */
#define SEARCH_MATCHES(T, P)                                                                                    \
    "(" P " = '' OR instr(lower(" T "name), lower(" P ")) > 0 "                                                 \
    " OR instr(lower(coalesce(json_extract(wp_doc(" T "raw), '$.alternate_name'), '')), lower(" P ")) > 0 "     \
    " OR instr(lower(coalesce(json_extract(wp_doc(" T "raw), '$.description'), '')), lower(" P ")) > 0)"
/* A service's last change (dir_service.modified, seconds since 1970 since
 * migration 0029) as the API writes it; T is a table alias and a dot, or "". */
#define LAST_MODIFIED(T) "strftime('%Y-%m-%dT%H:%M:%SZ', " T "modified, 'unixepoch')"
/* ?1 since, ?2 search as an FTS5 query (search_query; '' for none), ?3
 * organization_id, ?4 taxonomy_id, ?5 term ids. The search is answered by
 * the full-text index of migration 0014, not by reading every service. */
/* Any search: one full-text lookup per row (for one listing, or none). */
#define SERVICE_MATCHES                                                                                         \
    "s.modified >= coalesce(unixepoch(nullif(?1, '')), 0) "                                                     \
    "AND (?2 = '' OR EXISTS (SELECT 1 FROM dir_service_fts WHERE dir_service_fts MATCH ?2 AND rowid = s.rowid)) " \
    "AND " SERVICE_FILTERS
/* A search given: the rows come from the full-text index (the since test
 * written so that the planner does not read every service through the
 * modified index instead, nor read modified, after the large raw
 * column, when there is no since). */
#define SERVICE_SEARCHED                                                                                        \
    "s.rowid IN (SELECT rowid FROM dir_service_fts WHERE dir_service_fts MATCH ?2) "                            \
    "AND (?1 = '' OR +s.modified >= unixepoch(?1)) "                                                            \
    "AND " SERVICE_FILTERS
#define SERVICE_FILTERS                                                                                         \
    "(?3 = '' OR s.organization_rowid = (SELECT rowid FROM dir_organization WHERE id = wp_id(?3))) "               \
    "AND (?4 = '' OR EXISTS (SELECT 1 FROM dir_service_term st JOIN dir_taxonomy_term t "                      \
    " ON t.rowid = st.term_rowid WHERE st.service_rowid = s.rowid AND t.taxonomy_id = ?4)) "                    \
    "AND (json_array_length(?5) = 0 OR (SELECT count(DISTINCT st.term_rowid) FROM dir_service_term st "        \
    " JOIN dir_taxonomy_term t ON t.rowid = st.term_rowid "                                                     \
    " WHERE st.service_rowid = s.rowid AND t.id IN (SELECT value FROM json_each(?5))) = json_array_length(?5))"
/* A page in id order walks the id index and stops after OFFSET + LIMIT
 * rows. With SERVICE_MATCHES the planner took the modified index for
 * the since test, even with no since, then read and sorted every service
 * (and SQLite computes a row's result before it sorts: every document
 * was read, then decompressed, for a page of ten; 2.3 ms a page at 32,000
 * services). The count keeps SERVICE_MATCHES: that index covers it. */
#define SERVICE_MATCHES_IN_ID_ORDER                                                                             \
    "(?1 = '' OR +s.modified >= unixepoch(?1)) "                                                                \
    "AND (?2 = '' OR EXISTS (SELECT 1 FROM dir_service_fts WHERE dir_service_fts MATCH ?2 AND rowid = s.rowid)) " \
    "AND " SERVICE_FILTERS
static const char SQL_SERVICES_COUNT[] = "SELECT count(*) FROM dir_service s WHERE " SERVICE_MATCHES;
static const char SQL_SERVICES_PAGE[] =
    "SELECT wp_doc(s.raw) FROM dir_service s WHERE " SERVICE_MATCHES_IN_ID_ORDER " ORDER BY s.id LIMIT ?6 OFFSET ?7";
static const char SQL_SERVICES_MINIMAL[] = "SELECT json_object('id', wp_id_text(s.id), 'last_modified', " LAST_MODIFIED("s.") ") "
                                           "FROM dir_service s WHERE " SERVICE_MATCHES_IN_ID_ORDER
                                           " ORDER BY s.id LIMIT ?6 OFFSET ?7";
static const char SQL_SERVICES_COUNT_S[] = "SELECT count(*) FROM dir_service s WHERE " SERVICE_SEARCHED;
static const char SQL_SERVICES_PAGE_S[] =
    "SELECT wp_doc(s.raw) FROM dir_service s WHERE " SERVICE_SEARCHED " ORDER BY s.id LIMIT ?6 OFFSET ?7";
static const char SQL_SERVICES_MINIMAL_S[] = "SELECT json_object('id', wp_id_text(s.id), 'last_modified', " LAST_MODIFIED("s.") ") "
                                             "FROM dir_service s WHERE " SERVICE_SEARCHED " ORDER BY s.id LIMIT ?6 OFFSET ?7";
/* ?2 only (bind_services binds the others, unused here): every indexed row
 * is one service */
static const char SQL_SERVICES_COUNT_FTS[] = "SELECT count(*) FROM dir_service_fts WHERE dir_service_fts MATCH ?2";
/* A search and nothing else, a page of it: the ids in order from the id
 * index (a covering scan that stops at the page's end), kept when the
 * full-text index has them, and only then the page's raw documents (sorting
 * every match's large document was most of the time). */
#define FTS_PAGE_ROWIDS                                                                                         \
    "s.rowid IN (SELECT s2.rowid FROM dir_service s2 INDEXED BY sqlite_autoindex_dir_service_1 "               \
    "WHERE s2.rowid IN (SELECT rowid FROM dir_service_fts WHERE dir_service_fts MATCH ?2) "                    \
    "ORDER BY s2.id LIMIT ?6 OFFSET ?7) ORDER BY s.id"
static const char SQL_SERVICES_PAGE_FTS[] = "SELECT wp_doc(s.raw) FROM dir_service s WHERE " FTS_PAGE_ROWIDS;
static const char SQL_SERVICES_MINIMAL_FTS[] =
    "SELECT json_object('id', wp_id_text(s.id), 'last_modified', " LAST_MODIFIED("s.") ") FROM dir_service s WHERE " FTS_PAGE_ROWIDS;
static const char SQL_SERVICE[] = "SELECT wp_doc(raw) FROM dir_service WHERE id = wp_id(?1)";
/* Every match of a search alone, in id order, at most ?2 of them (the
 * search cache's fill, once per query and version of the data): one walk
 * of the id index, which is small, kept where the full-text index has the
 * rowid. Sorting the matches by id instead reads each match's table row,
 * and with the database mapped into memory the pages around every one of
 * them (87 MB more resident for "methadone"). */
static const char SQL_SERVICES_FTS_ROWIDS[] =
    "SELECT s.rowid FROM dir_service s INDEXED BY sqlite_autoindex_dir_service_1 WHERE s.rowid IN "
    "(SELECT rowid FROM dir_service_fts WHERE dir_service_fts MATCH ?1) ORDER BY s.id LIMIT ?2";
static const char SQL_SERVICE_BY_ROWID[] = "SELECT wp_doc(raw) FROM dir_service WHERE rowid = ?1";
static const char SQL_SERVICE_MINIMAL_BY_ROWID[] =
    "SELECT json_object('id', wp_id_text(id), 'last_modified', " LAST_MODIFIED("") ") FROM dir_service WHERE rowid = ?1";
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
/* ?1 search */
#define RAW_MATCHES SEARCH_MATCHES("", "?1")
/* An organization's name is in its document (migration 0030), read
 * through dir_organization_doc (0031: it may be the copy its first service
 * carries); wp_doc keeps its last answer, so the three fields cost one
 * decompression. */
#define ORG_MATCHES                                                                                             \
    "(?1 = '' OR instr(lower(coalesce(json_extract(doc, '$.name'), '')), lower(?1)) > 0 "                      \
    " OR instr(lower(coalesce(json_extract(doc, '$.alternate_name'), '')), lower(?1)) > 0 "                   \
    " OR instr(lower(coalesce(json_extract(doc, '$.description'), '')), lower(?1)) > 0)"
static const char SQL_ORGS_COUNT[] = "SELECT count(*) FROM dir_organization_doc WHERE " ORG_MATCHES;
static const char SQL_ORGS_PAGE[] =
    "SELECT doc FROM dir_organization_doc WHERE " ORG_MATCHES " ORDER BY id LIMIT ?2 OFFSET ?3";
static const char SQL_ORG[] = "SELECT doc FROM dir_organization_doc WHERE id = wp_id(?1)";
static const char SQL_ORG_SERVICES[] = "SELECT wp_doc(raw) FROM dir_service "
                                       "WHERE organization_rowid = (SELECT rowid FROM dir_organization WHERE id = wp_id(?1)) "
                                       "ORDER BY id";
static const char SQL_TAXONOMIES_COUNT[] = "SELECT count(*) FROM dir_taxonomy WHERE " RAW_MATCHES;
static const char SQL_TAXONOMIES_PAGE[] =
    "SELECT raw FROM dir_taxonomy WHERE " RAW_MATCHES " ORDER BY name, id LIMIT ?2 OFFSET ?3";
static const char SQL_TAXONOMY[] = "SELECT raw FROM dir_taxonomy WHERE id = ?1";
static const char SQL_TAXONOMY_KNOWN[] = "SELECT EXISTS (SELECT 1 FROM dir_taxonomy WHERE id = ?1) OR "
                                         "EXISTS (SELECT 1 FROM dir_taxonomy_term WHERE taxonomy_id = ?1)";
/* ?1 taxonomy_id, ?2 search, ?3 parent_id, ?4 top_only */
#define TERM_MATCHES                                                                                            \
    "(?1 = '' OR taxonomy_id = ?1) "                                                                            \
    "AND (?2 = '' OR instr(lower(name), lower(?2)) > 0 OR instr(lower(code), lower(?2)) > 0 "                  \
    " OR instr(lower(coalesce(json_extract(raw, '$.description'), '')), lower(?2)) > 0) "                      \
    "AND (?3 = '' OR parent_id = ?3) AND (?4 = 0 OR coalesce(parent_id, '') = '')"
static const char SQL_TERMS_COUNT[] = "SELECT count(*) FROM dir_taxonomy_term WHERE " TERM_MATCHES;
static const char SQL_TERMS_PAGE[] = "SELECT raw FROM dir_taxonomy_term WHERE " TERM_MATCHES
                                     " ORDER BY taxonomy, code, name, id LIMIT ?5 OFFSET ?6";
static const char SQL_TERM_RAW[] = "SELECT raw FROM dir_taxonomy_term WHERE id = ?1";
static const char SQL_TERM[] = "SELECT code, coalesce(taxonomy_id, '') FROM dir_taxonomy_term WHERE id = ?1";
static const char SQL_SAL_ROWID[] = "SELECT rowid FROM dir_service_at_location WHERE id = wp_id(?1)";
static const char SQL_SAL_FILTER[] =
    "SELECT sal.rowid FROM dir_service_at_location sal JOIN dir_service s ON s.rowid = sal.service_rowid "
    "JOIN dir_location l ON l.rowid = sal.location_rowid "
    "WHERE (?6 = '' OR substr(l.postal_code, 1, 5) = ?6) AND " SERVICE_MATCHES " ORDER BY sal.rowid";
static const char SQL_SAL_FILTER_S[] =
    "SELECT sal.rowid FROM dir_service_at_location sal JOIN dir_service s ON s.rowid = sal.service_rowid "
    "JOIN dir_location l ON l.rowid = sal.location_rowid "
    "WHERE (?6 = '' OR substr(l.postal_code, 1, 5) = ?6) AND " SERVICE_SEARCHED " ORDER BY sal.rowid";
static const char SQL_SAL_MATCH[] =
    "SELECT 1 FROM dir_service_at_location sal JOIN dir_service s ON s.rowid = sal.service_rowid "
    "JOIN dir_location l ON l.rowid = sal.location_rowid "
    "WHERE sal.rowid = ?7 AND (?6 = '' OR substr(l.postal_code, 1, 5) = ?6) AND " SERVICE_MATCHES;

static const char SQL_SAL_HOURS[] =
    "SELECT instr(wp_doc(s.raw), '\"schedules\"') > 0 OR instr(l.doc, '\"schedules\"') > 0 "
    "FROM dir_service_at_location sal JOIN dir_service s ON s.rowid = sal.service_rowid "
    "JOIN dir_location_doc l ON l.rowid = sal.location_rowid WHERE sal.rowid = ?1";

static void text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static long count_of(sqlite3 *db, sqlite3_stmt *st)
{
    long n = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    else
        db_note_error(db, "api count");
    sqlite3_reset(st);
    return n;
}

/* Steps st, calling fn with column 0 of each row. */
static bool each_raw(sqlite3 *db, sqlite3_stmt *st, api_store_raw_fn fn, void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (!fn(ctx, t ? (const char *)t : "{}")) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "api rows");
        return false;
    }
    return true;
}

static const char *one_text(sqlite3 *db, arena *a, sqlite3_stmt *st, bool *failed)
{
    const char *out = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        out = arena_strdup(a, t ? (const char *)t : "");
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "api row");
        *failed = true;
    }
    sqlite3_reset(st);
    return out;
}

/* One document by id: NULL when there is none, or (with *failed set) when
 * the database could not be read. */
static const char *raw_by_id(sqlite3 *db, arena *a, const char *sql, const char *id, bool *failed)
{
    *failed = false;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st) {
        *failed = true;
        return NULL;
    }
    text(st, 1, id);
    return one_text(db, a, st, failed);
}

/* The FTS5 query for a search: every word (a run of letters and digits;
 * at most 16) as a quoted prefix, all of them required, so "bupre clinic"
 * finds "Buprenorphine Clinic". '' for no search; '""' (matches nothing)
 * for a search with no word in it. */
static void search_query(const char *search, char *out, size_t outlen)
{
    size_t n = 0;
    int words = 0;
    out[0] = '\0';
    if (!search || !*search)
        return;
    for (const unsigned char *p = (const unsigned char *)search; *p && words < 16;) {
        while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
            p++;
        const unsigned char *w = p;
        while (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
            p++;
        size_t len = (size_t)(p - w);
        if (!len || n + len + 5 >= outlen)
            continue;
        out[n++] = words ? ' ' : '"';
        if (words)
            out[n++] = '"';
        memcpy(out + n, w, len);
        n += len;
        out[n++] = '"';
        out[n++] = '*';
        out[n] = '\0';
        words++;
    }
    if (!words)
        snprintf(out, outlen, "\"\"");
}

static bool searched(const api_store_filter *f)
{
    return f->search && *f->search;
}

/* A search and no other filter. */
static bool only_search(const api_store_filter *f)
{
    return searched(f) && !(f->since && *f->since) && !(f->organization_id && *f->organization_id) &&
           !(f->taxonomy_id && *f->taxonomy_id) && (!f->terms_json || !*f->terms_json || !strcmp(f->terms_json, "[]"));
}

static void bind_services(sqlite3_stmt *st, const api_store_filter *f)
{
    char q[1200];
    search_query(f->search, q, sizeof(q));
    text(st, 1, f->since);
    sqlite3_bind_text(st, 2, q, -1, SQLITE_TRANSIENT);
    text(st, 3, f->organization_id);
    text(st, 4, f->taxonomy_id);
    sqlite3_bind_text(st, 5, f->terms_json && *f->terms_json ? f->terms_json : "[]", -1, SQLITE_STATIC);
    text(st, 6, f->postcode);
}

long api_store_services_count(sqlite3 *db, const api_store_filter *f)
{
    /* a search and nothing else: the full-text index alone has the count */
    sqlite3_stmt *st = db_stmt(db, only_search(f) ? SQL_SERVICES_COUNT_FTS : searched(f) ? SQL_SERVICES_COUNT_S : SQL_SERVICES_COUNT);
    if (!st)
        return -1;
    bind_services(st, f);
    return count_of(db, st);
}

static sqlite3_stmt *services_stmt(sqlite3 *db, const api_store_filter *f, bool minimal, long offset, long limit)
{
    const char *sql = only_search(f) ? (minimal ? SQL_SERVICES_MINIMAL_FTS : SQL_SERVICES_PAGE_FTS)
                      : searched(f)  ? (minimal ? SQL_SERVICES_MINIMAL_S : SQL_SERVICES_PAGE_S)
                                     : (minimal ? SQL_SERVICES_MINIMAL : SQL_SERVICES_PAGE);
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return NULL;
    bind_services(st, f);
    sqlite3_bind_int64(st, 6, limit);
    sqlite3_bind_int64(st, 7, offset);
    return st;
}

bool api_store_services_each(sqlite3 *db, const api_store_filter *f, bool minimal, long offset, long limit, api_store_raw_fn fn,
                        void *ctx)
{
    sqlite3_stmt *st = services_stmt(db, f, minimal, offset, limit);
    return st && each_raw(db, st, fn, ctx);
}

bool api_store_services_rows(sqlite3 *db, const api_store_filter *f, bool minimal, api_store_rows *r)
{
    r->db = db;
    r->st = services_stmt(db, f, minimal, 0, -1);
    return r->st != NULL;
}

int api_store_rows_next(api_store_rows *r, const char **raw, uint32_t *rowid)
{
    if (!r->st)
        return 0;
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW) {
        if (raw) {
            const unsigned char *t = sqlite3_column_text(r->st, 0);
            *raw = t ? (const char *)t : "{}";
        }
        if (rowid)
            *rowid = (uint32_t)sqlite3_column_int64(r->st, 0);
        return 1;
    }
    if (rc != SQLITE_DONE)
        db_note_error(r->db, "api rows");
    api_store_rows_close(r);
    return rc == SQLITE_DONE ? 0 : -1;
}

void api_store_rows_close(api_store_rows *r)
{
    if (r->st) {
        sqlite3_reset(r->st);
        sqlite3_clear_bindings(r->st);
    }
    r->st = NULL;
}

bool api_store_only_search(const api_store_filter *f)
{
    return only_search(f);
}

long api_store_search_rowids(sqlite3 *db, const char *search, uint32_t *out, long max)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SERVICES_FTS_ROWIDS);
    if (!st)
        return -1;
    char q[1200];
    search_query(search, q, sizeof(q));
    sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, max + 1);
    long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n < max)
            out[n] = (uint32_t)sqlite3_column_int64(st, 0);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "api search rowids");
        return -1;
    }
    return n;
}

bool api_store_services_rowids(sqlite3 *db, const uint32_t *ids, size_t n, bool minimal, api_store_raw_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, minimal ? SQL_SERVICE_MINIMAL_BY_ROWID : SQL_SERVICE_BY_ROWID);
    if (!st)
        return false;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        int rc = sqlite3_step(st);
        const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
        bool go = rc == SQLITE_DONE || fn(ctx, t ? (const char *)t : "{}");
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            db_note_error(db, "api rows");
            return false;
        }
        if (!go)
            break;
    }
    return true;
}

bool api_store_data_version(sqlite3 *db, int64_t *version)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DATA_VERSION);
    if (!st)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *version = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ok;
}

const char *api_store_service(sqlite3 *db, arena *a, const char *id, bool *failed)
{
    return raw_by_id(db, a, SQL_SERVICE, id, failed);
}

static long search_count(sqlite3 *db, const char *sql, const char *search)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    text(st, 1, search);
    return count_of(db, st);
}

static sqlite3_stmt *search_stmt(sqlite3 *db, const char *sql, const char *search, long offset, long limit)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return NULL;
    text(st, 1, search);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    return st;
}

static bool search_each(sqlite3 *db, const char *sql, const char *search, long offset, long limit, api_store_raw_fn fn,
                        void *ctx)
{
    sqlite3_stmt *st = search_stmt(db, sql, search, offset, limit);
    return st && each_raw(db, st, fn, ctx);
}

bool api_store_organizations_rows(sqlite3 *db, const char *search, api_store_rows *r)
{
    r->db = db;
    r->st = search_stmt(db, SQL_ORGS_PAGE, search, 0, -1);
    return r->st != NULL;
}

bool api_store_taxonomies_rows(sqlite3 *db, const char *search, api_store_rows *r)
{
    r->db = db;
    r->st = search_stmt(db, SQL_TAXONOMIES_PAGE, search, 0, -1);
    return r->st != NULL;
}

long api_store_organizations_count(sqlite3 *db, const char *search)
{
    return search_count(db, SQL_ORGS_COUNT, search);
}

bool api_store_organizations_each(sqlite3 *db, const char *search, long offset, long limit, api_store_raw_fn fn, void *ctx)
{
    return search_each(db, SQL_ORGS_PAGE, search, offset, limit, fn, ctx);
}

const char *api_store_organization(sqlite3 *db, arena *a, const char *id, bool *failed)
{
    return raw_by_id(db, a, SQL_ORG, id, failed);
}

bool api_store_organization_services(sqlite3 *db, const char *org_id, api_store_raw_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ORG_SERVICES);
    if (!st)
        return false;
    text(st, 1, org_id);
    return each_raw(db, st, fn, ctx);
}

long api_store_taxonomies_count(sqlite3 *db, const char *search)
{
    return search_count(db, SQL_TAXONOMIES_COUNT, search);
}

bool api_store_taxonomies_each(sqlite3 *db, const char *search, long offset, long limit, api_store_raw_fn fn, void *ctx)
{
    return search_each(db, SQL_TAXONOMIES_PAGE, search, offset, limit, fn, ctx);
}

const char *api_store_taxonomy(sqlite3 *db, arena *a, const char *id, bool *failed)
{
    return raw_by_id(db, a, SQL_TAXONOMY, id, failed);
}

int api_store_taxonomy_known(sqlite3 *db, const char *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TAXONOMY_KNOWN);
    if (!st)
        return -1;
    text(st, 1, id);
    long n = count_of(db, st);
    return n < 0 ? -1 : n > 0;
}

static void bind_terms(sqlite3_stmt *st, const api_store_term_filter *f)
{
    text(st, 1, f->taxonomy_id);
    text(st, 2, f->search);
    text(st, 3, f->parent_id);
    sqlite3_bind_int(st, 4, f->top_only);
}

long api_store_terms_count(sqlite3 *db, const api_store_term_filter *f)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TERMS_COUNT);
    if (!st)
        return -1;
    bind_terms(st, f);
    return count_of(db, st);
}

static sqlite3_stmt *terms_stmt(sqlite3 *db, const api_store_term_filter *f, long offset, long limit)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TERMS_PAGE);
    if (!st)
        return NULL;
    bind_terms(st, f);
    sqlite3_bind_int64(st, 5, limit);
    sqlite3_bind_int64(st, 6, offset);
    return st;
}

bool api_store_terms_each(sqlite3 *db, const api_store_term_filter *f, long offset, long limit, api_store_raw_fn fn, void *ctx)
{
    sqlite3_stmt *st = terms_stmt(db, f, offset, limit);
    return st && each_raw(db, st, fn, ctx);
}

bool api_store_terms_rows(sqlite3 *db, const api_store_term_filter *f, api_store_rows *r)
{
    r->db = db;
    r->st = terms_stmt(db, f, 0, -1);
    return r->st != NULL;
}

const char *api_store_term_raw(sqlite3 *db, arena *a, const char *id, bool *failed)
{
    return raw_by_id(db, a, SQL_TERM_RAW, id, failed);
}

bool api_store_term(sqlite3 *db, arena *a, const char *id, const char **code, const char **taxonomy_id,
                    bool *failed)
{
    *failed = false;
    sqlite3_stmt *st = db_stmt(db, SQL_TERM);
    if (!st) {
        *failed = true;
        return false;
    }
    text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_text(st, 0), *t = sqlite3_column_text(st, 1);
        *code = arena_strdup(a, c ? (const char *)c : "");
        *taxonomy_id = arena_strdup(a, t ? (const char *)t : "");
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "api term");
        *failed = true;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW;
}

uint32_t api_store_sal_rowid(sqlite3 *db, const char *id, bool *failed)
{
    *failed = false;
    sqlite3_stmt *st = db_stmt(db, SQL_SAL_ROWID);
    if (!st) {
        *failed = true;
        return 0;
    }
    text(st, 1, id);
    int rc = sqlite3_step(st);
    uint32_t r = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_note_error(db, "api row");
        *failed = true;
    }
    sqlite3_reset(st);
    return r;
}

bool api_store_sal_rows(sqlite3 *db, const api_store_filter *f, api_store_rows *r)
{
    r->db = db;
    r->st = db_stmt(db, searched(f) ? SQL_SAL_FILTER_S : SQL_SAL_FILTER);
    if (r->st)
        bind_services(r->st, f);
    return r->st != NULL;
}

bool api_store_sal_filter(sqlite3 *db, const api_store_filter *f, api_store_rowid_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, searched(f) ? SQL_SAL_FILTER_S : SQL_SAL_FILTER);
    if (!st)
        return false;
    bind_services(st, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!fn(ctx, (uint32_t)sqlite3_column_int64(st, 0))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "api service_at_locations");
        return false;
    }
    return true;
}

int api_store_sal_match(sqlite3 *db, uint32_t rowid, const api_store_filter *f)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SAL_MATCH);
    if (!st)
        return -1;
    bind_services(st, f);
    sqlite3_bind_int64(st, 7, rowid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    db_note_error(db, "api service_at_location match");
    return -1;
}

int api_store_sal_may_have_hours(sqlite3 *db, uint32_t rowid)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SAL_HOURS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) != 0 : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    if (out < 0)
        db_note_error(db, "api service_at_location hours");
    return out;
}
