/* hsds_store: SQL for the service directory. See hsds_store.h. */
#include "hsds/hsds_store.h"
#include "core/util.h"
#include "db/brief_zip.h"
#include "db/db.h"
#include "db/doc_zip.h"
#include "hsds/hsds_store_run.h"
#include "hsds/hsds_tables_store.h"

#include <stdlib.h>
#include <string.h>

/* The upserts below leave a row alone when its document is unchanged:
 * every service that carries a shared organization, location or term
 * writes it again, and an identical row need not be rewritten. */
static const char SQL_STORED[] = "SELECT raw, rowid FROM dir_service WHERE id = wp_id(?1)";
static const char SQL_INSERT_SERVICE[] =
    "INSERT INTO dir_service(id, organization_rowid, name, status, source, source_date, is_example, raw, modified) "
    "VALUES (wp_id(?1), nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, unixepoch())";
static const char SQL_UPDATE_SERVICE[] =
    "UPDATE dir_service SET organization_rowid = nullif(?2, 0), name = ?3, status = ?4, source = ?5, source_date = ?6, "
    "is_example = ?7, raw = ?8, modified = unixepoch() WHERE rowid = ?9";
/* A new service's entry in the search index (what the insert trigger did
 * before migration 0033): made now, or noted for the import's catch-up. */
static const char SQL_SEARCH_ADD[] =
    "INSERT INTO dir_service_fts(rowid, name, alternate_name, description) "
    "SELECT rowid, name, coalesce(json_extract(wp_doc(raw), '$.alternate_name'), ''), "
    "coalesce(json_extract(wp_doc(raw), '$.description'), '') FROM dir_service WHERE rowid = ?1";
static const char SQL_SEARCH_NOTE[] = "INSERT INTO dir_fts_pending(service_rowid) VALUES (?1) ON CONFLICT DO NOTHING";
static const char SQL_SEARCH_ADD_TEXT[] =
    "INSERT INTO dir_service_fts(rowid, name, alternate_name, description) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_CLEAR_SAL[] = "DELETE FROM dir_service_at_location WHERE service_rowid = ?1";
static const char SQL_CLEAR_TERMS[] = "DELETE FROM dir_service_term WHERE service_rowid = ?1";
static const char SQL_DROP_OTHER_SALS[] = "DELETE FROM dir_service_at_location WHERE service_rowid = ?1 "
                                          "AND rowid NOT IN (SELECT value FROM json_each(?2))";
/* The upserts of organizations and locations (migration 0031): ?2 the
 * stored form, ?3 what a new row stores (?2, or an empty BLOB: by
 * reference), ?4 the text. An existing row is rewritten when its document
 * differs: its own copy by its stored form (the same text zips to the
 * same bytes), one by reference by the text its source carries. */
#define DIFFERS(VIEW, TABLE)                                                                                   \
    "CASE WHEN length(raw) > 0 THEN raw IS NOT ?2 ELSE "                                                        \
    "(SELECT doc FROM " VIEW " d WHERE d.rowid = " TABLE ".rowid) IS NOT ?4 END"
static const char SQL_PUT_ORG[] =
    "INSERT INTO dir_organization(id, raw) VALUES (wp_id(?1), ?3) "
    "ON CONFLICT(id) DO UPDATE SET raw = ?2 WHERE " DIFFERS("dir_organization_doc", "dir_organization");
static const char SQL_ORG_ROWID[] = "SELECT rowid FROM dir_organization WHERE id = wp_id(?1)";
static const char SQL_ORG_ROW[] = "SELECT rowid, length(raw) = 0 FROM dir_organization WHERE id = wp_id(?1)";
static const char SQL_ORG_BY_REF[] =
    "UPDATE dir_organization SET raw = zeroblob(0) WHERE rowid = ?1 AND length(raw) > 0 AND raw = ?2 "
    "AND (SELECT min(rowid) FROM dir_service WHERE organization_rowid = ?1) = ?3";
/* Locations and listings are inserted, and updated only when the insert
 * met their id: an upsert that can update a table with update triggers
 * runs with a statement journal (migration 0033). */
static const char SQL_ADD_LOCATION[] =
    "INSERT INTO dir_location(id, raw, name, latitude, longitude, postal_code) VALUES (wp_id(?1), ?3, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(id) DO NOTHING";
static const char SQL_CHANGE_LOCATION[] =
    "UPDATE dir_location SET name = ?5, latitude = ?6, longitude = ?7, postal_code = ?8, raw = ?2 "
    "WHERE id = wp_id(?1) AND " DIFFERS("dir_location_doc", "dir_location");
static const char SQL_LOCATION_ROWID[] = "SELECT rowid FROM dir_location WHERE id = wp_id(?1)";
static const char SQL_LOCATION_ROW[] = "SELECT rowid, length(raw) = 0 FROM dir_location WHERE id = wp_id(?1)";
static const char SQL_LOCATION_BY_REF[] =
    "UPDATE dir_location SET raw = zeroblob(0) WHERE rowid = ?1 AND length(raw) > 0 AND raw = ?2 "
    "AND (SELECT min(rowid) FROM dir_service_at_location WHERE location_rowid = ?1) = ?3";
static const char SQL_ADD_SAL[] =
    "INSERT INTO dir_service_at_location(id, service_rowid, location_rowid) VALUES (wp_id(?1), ?2, ?3) "
    "ON CONFLICT(id) DO NOTHING";
static const char SQL_CHANGE_SAL[] = "UPDATE dir_service_at_location SET service_rowid = ?2, location_rowid = ?3 "
                                     "WHERE id = wp_id(?1) AND (service_rowid IS NOT ?2 OR location_rowid IS NOT ?3)";
static const char SQL_SAL_ROWID[] = "SELECT rowid FROM dir_service_at_location WHERE id = wp_id(?1)";
static const char SQL_PUT_TAXONOMY[] =
    "INSERT INTO dir_taxonomy(id, name, raw) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name, raw = excluded.raw WHERE raw IS NOT excluded.raw";
static const char SQL_PUT_TERM[] =
    "INSERT INTO dir_taxonomy_term(id, code, name, taxonomy, taxonomy_id, parent_id, raw) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET code = excluded.code, "
    "name = excluded.name, taxonomy = excluded.taxonomy, taxonomy_id = excluded.taxonomy_id, "
    "parent_id = excluded.parent_id, raw = excluded.raw WHERE raw IS NOT excluded.raw";
/* A term is found, then linked: an insert from a SELECT runs with a
 * statement journal (migration 0033). */
static const char SQL_TERM_ROWID[] = "SELECT rowid FROM dir_taxonomy_term WHERE id = ?1";
static const char SQL_TERM_CODE[] = "SELECT code FROM dir_taxonomy_term WHERE rowid = ?1 AND taxonomy_id = ?2";
static const char SQL_LINK_TERM[] =
    "INSERT INTO dir_service_term(service_rowid, term_rowid) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_COUNT_SERVICES[] = "SELECT count(*) FROM dir_service";
static const char SQL_SEARCH_DEFER[] = "UPDATE dir_fts_defer SET deferring = 1 WHERE id = 1";
static const char SQL_SEARCH_UNDEFER[] = "UPDATE dir_fts_defer SET deferring = 0 WHERE id = 1";
static const char SQL_SEARCH_PENDING[] = "SELECT count(*) FROM dir_fts_pending";
/* wp_doc keeps its last answer, so the second field costs no second
 * decompression (doc_zip.c). */
static const char SQL_SEARCH_ADD_NEW[] =
    "INSERT INTO dir_service_fts(rowid, name, alternate_name, description) "
    "SELECT s.rowid, s.name, coalesce(json_extract(wp_doc(s.raw), '$.alternate_name'), ''), "
    "coalesce(json_extract(wp_doc(s.raw), '$.description'), '') "
    "FROM dir_fts_pending p CROSS JOIN dir_service s ON s.rowid = p.service_rowid ORDER BY p.service_rowid";
static const char SQL_SEARCH_CLEAR[] = "DELETE FROM dir_fts_pending";
static const char SQL_LISTING[] =
    "SELECT sal.rowid, wp_id_text(sal.id), wp_id_text(s.id), wp_id_text(l.id), wp_doc(s.raw), (SELECT doc FROM dir_location_doc d WHERE d.rowid = l.rowid), "
    "coalesce((SELECT doc FROM dir_organization_doc d WHERE d.rowid = o.rowid), ''), s.source, s.source_date, "
    "s.is_example, l.latitude, l.longitude "
    "FROM dir_service_at_location sal JOIN dir_service s ON s.rowid = sal.service_rowid "
    "JOIN dir_location l ON l.rowid = sal.location_rowid LEFT JOIN dir_organization o ON o.rowid = s.organization_rowid "
    "WHERE sal.rowid = ?1";
static const char SQL_LISTING_BY_SERVICE[] =
    "SELECT sal.rowid, wp_id_text(sal.id), wp_id_text(s.id), wp_id_text(l.id), wp_doc(s.raw), (SELECT doc FROM dir_location_doc d WHERE d.rowid = l.rowid), "
    "coalesce((SELECT doc FROM dir_organization_doc d WHERE d.rowid = o.rowid), ''), s.source, s.source_date, "
    "s.is_example, l.latitude, l.longitude "
    "FROM dir_service s JOIN dir_service_at_location sal ON sal.service_rowid = s.rowid "
    "JOIN dir_location l ON l.rowid = sal.location_rowid LEFT JOIN dir_organization o ON o.rowid = s.organization_rowid "
    "WHERE s.id = wp_id(?1) ORDER BY sal.rowid LIMIT 1";
static const char SQL_TERMS[] = "SELECT raw FROM dir_taxonomy_term ORDER BY taxonomy, code, name LIMIT ?1";
static const char SQL_TAXONOMIES[] = "SELECT raw FROM dir_taxonomy ORDER BY name LIMIT ?1";
/* What three triggers did before migration 0032 (hsds_store.h). */
static const char SQL_CACHE_MARK[] = "INSERT INTO dir_sal_dirty VALUES (?1) ON CONFLICT DO NOTHING";
static const char SQL_CACHE_MARK_SERVICE[] = "INSERT INTO dir_sal_dirty "
                                             "SELECT rowid FROM dir_service_at_location WHERE service_rowid = ?1 "
                                             "ON CONFLICT DO NOTHING";

/* Whether the stored value old (n bytes, of SQLite type type) is the
 * document stored/text. */
static bool same_document(int type, const void *old, size_t n, const void *stored, size_t stored_len,
                          const char *text)
{
    if (type == SQLITE_BLOB && n == stored_len && !memcmp(old, stored, n))
        return true;
    if (type == SQLITE_TEXT)
        return n == strlen(text) && !memcmp(old, text, n);
    size_t len = 0;
    char *was = type == SQLITE_BLOB ? doc_unzip(old, n, &len) : NULL;
    bool same = was && len == strlen(text) && !memcmp(was, text, len);
    free(was);
    return same;
}

bool hsds_store_service_same(sqlite3 *db, const char *id, const void *stored, size_t stored_len, const char *text,
                             long long *rowid)
{
    *rowid = 0;
    sqlite3_stmt *st = db_stmt(db, SQL_STORED);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, id);
    bool same = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const void *old = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        same = old && same_document(sqlite3_column_type(st, 0), old, n, stored, stored_len, text);
        *rowid = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return same;
}

#define SEARCH_INDEX "directory search index" /* what a failure is noted as */

bool hsds_store_put_service(sqlite3 *db, const hsds_service_row *r, long long *rowid)
{
    bool exists = *rowid > 0;
    sqlite3_stmt *st = db_stmt(db, exists ? SQL_UPDATE_SERVICE : SQL_INSERT_SERVICE);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, r->id);
    sqlite3_bind_int64(st, 2, r->organization_rowid);
    db_bind_text_or_null(st, 3, r->name);
    db_bind_text_or_null(st, 4, r->status);
    db_bind_text_or_null(st, 5, r->source);
    db_bind_text_or_null(st, 6, r->source_date);
    sqlite3_bind_int(st, 7, r->is_example);
    sqlite3_bind_blob64(st, 8, r->stored, r->stored_len, SQLITE_STATIC);
    if (exists)
        sqlite3_bind_int64(st, 9, *rowid);
    if (!db_run(db, st, "directory service"))
        return false;
    if (exists)
        return true;
    *rowid = sqlite3_last_insert_rowid(db);
    return r->search == HSDS_SEARCH_BY_CALLER ||
           hsds_run_row(db, r->search == HSDS_SEARCH_LATER ? SQL_SEARCH_NOTE : SQL_SEARCH_ADD, *rowid, SEARCH_INDEX);
}

/* Runs sql with ?1 the service's row number (and ?2 text, when given). */
static bool run_service(sqlite3 *db, const char *sql, long long service_rowid, const char *text)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, service_rowid);
    if (text)
        db_bind_text_or_null(st, 2, text);
    return db_run(db, st, "directory links");
}

bool hsds_store_clear_links(sqlite3 *db, long long service_rowid)
{
    return run_service(db, SQL_CLEAR_SAL, service_rowid, NULL) && hsds_store_clear_terms(db, service_rowid);
}

bool hsds_store_clear_terms(sqlite3 *db, long long service_rowid)
{
    return run_service(db, SQL_CLEAR_TERMS, service_rowid, NULL);
}

bool hsds_store_drop_other_sals(sqlite3 *db, long long service_rowid, const char *keep)
{
    return run_service(db, SQL_DROP_OTHER_SALS, service_rowid, keep);
}

/* A small document's stored form: the one given, else one made here into
 * made (freed by the caller after the statement); NULL: stored as text. */
static const buf *stored_of(hsds_doc d, buf *made)
{
    const buf *z = d.stored;
    if ((!z || !z->len) && d.text && brief_zip(d.text, strlen(d.text), made))
        z = made;
    return z && z->len ? z : NULL;
}

static void bind_stored(sqlite3_stmt *st, int i, const buf *z, const char *text)
{
    if (z)
        sqlite3_bind_blob64(st, i, z->data, z->len, SQLITE_STATIC);
    else
        db_bind_text_or_null(st, i, text);
}

/* Binds an upsert's document: ?2 stored, ?3 what a new row stores (?2,
 * or an empty BLOB: by reference), ?4 the text. */
static void bind_doc(sqlite3_stmt *st, hsds_doc d, buf *made)
{
    const buf *z = stored_of(d, made);
    bind_stored(st, 2, z, d.text);
    if (d.nested)
        sqlite3_bind_zeroblob(st, 3, 0);
    else
        bind_stored(st, 3, z, d.text);
    db_bind_text_or_null(st, 4, d.text);
}

/* Steps an upsert and resets it: 1 when it inserted a row (its row
 * number in *rowid), 0 when it updated one or left it alone, -1 on error
 * (noted as what). No RETURNING (a table of its own per statement): the
 * last inserted rowid, which triggers' inserts and updates leave alone. */
static int upsert_step(sqlite3 *db, sqlite3_stmt *st, const char *what, long long *rowid)
{
    sqlite3_set_last_insert_rowid(db, 0);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, what);
        return -1;
    }
    *rowid = sqlite3_last_insert_rowid(db);
    return *rowid != 0;
}

/* The rowid sql (one parameter: an id) gives: 0 when none, -1 on a
 * database error (noted as what); in *flag (when given) its second
 * column. */
static long long row_of(sqlite3 *db, const char *sql, const char *id, const char *what, bool *flag)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    db_bind_text_or_null(st, 1, id);
    int rc = sqlite3_step(st);
    long long rowid = rc == SQLITE_ROW ? (long long)sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    if (flag)
        *flag = rc == SQLITE_ROW && sqlite3_column_int(st, 1);
    if (rowid < 0)
        db_note_error(db, what);
    sqlite3_reset(st);
    return rowid;
}

static long long rowid_of(sqlite3 *db, const char *sql, const char *id, const char *what)
{
    return row_of(db, sql, id, what, NULL);
}

/* The row an upsert of id wrote (st, bound to raw, made holding its
 * stored document): a new one (by reference when raw is nested), else
 * the one lookup finds (its rowid and whether it is kept by reference):
 * false on error. */
static bool upserted(sqlite3 *db, sqlite3_stmt *st, buf *made, hsds_doc raw, const char *lookup, const char *id,
                     const char *what, long long *rowid, bool *by_ref)
{
    int made_row = upsert_step(db, st, what, rowid);
    buf_free(made);
    if (made_row < 0)
        return false;
    if (made_row) {
        *by_ref = raw.nested;
        return true;
    }
    *rowid = row_of(db, lookup, id, what, by_ref);
    return *rowid > 0;
}

/* Binds a location's insert or update: ?1 id, ?2-?4 its document
 * (bind_doc), ?5 name, ?6 and ?7 its point (NULL when it has none), ?8
 * postal code. */
static void bind_location(sqlite3_stmt *st, const char *id, const char *name, const double *point,
                          const char *postal_code, hsds_doc raw, buf *made)
{
    db_bind_text_or_null(st, 1, id);
    bind_doc(st, raw, made);
    db_bind_text_or_null(st, 5, name ? name : "");
    if (point) {
        sqlite3_bind_double(st, 6, point[0]);
        sqlite3_bind_double(st, 7, point[1]);
    }
    db_bind_text_or_null(st, 8, postal_code ? postal_code : "");
}

bool hsds_store_put_organization(sqlite3 *db, const char *id, hsds_doc raw, long long *rowid, bool *by_ref)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_ORG);
    if (!st)
        return false;
    buf made = BUF_INIT;
    db_bind_text_or_null(st, 1, id);
    bind_doc(st, raw, &made);
    return upserted(db, st, &made, raw, SQL_ORG_ROW, id, "directory organization", rowid, by_ref);
}

/* Runs sql with ?1 a row number, ?2 a small document as stored and (when
 * source > 0) ?3 source: SQL_PUT_BRIEF and SQL_*_BY_REF. */
bool hsds_run_doc(sqlite3 *db, const char *sql, long long rowid, hsds_doc raw, long long source, const char *what)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    buf made = BUF_INIT;
    sqlite3_bind_int64(st, 1, rowid);
    bind_stored(st, 2, stored_of(raw, &made), raw.text);
    if (source > 0)
        sqlite3_bind_int64(st, 3, source);
    bool ok = db_run(db, st, what);
    buf_free(&made);
    return ok;
}

bool hsds_store_organization_by_ref(sqlite3 *db, long long org_rowid, long long service_rowid, hsds_doc raw)
{
    return hsds_run_doc(db, SQL_ORG_BY_REF, org_rowid, raw, service_rowid, "directory organization");
}

long long hsds_store_organization_rowid(sqlite3 *db, const char *id)
{
    return rowid_of(db, SQL_ORG_ROWID, id, "directory organization");
}

bool hsds_store_put_location(sqlite3 *db, const char *id, const char *name, double lat, double lon, bool has_coords,
                            const char *postal_code, hsds_doc raw, long long *rowid, bool *by_ref)
{
    const double point[2] = {lat, lon};
    sqlite3_stmt *st = db_stmt(db, SQL_ADD_LOCATION);
    if (!st)
        return false;
    buf made = BUF_INIT;
    bind_location(st, id, name, has_coords ? point : NULL, postal_code, raw, &made);
    int made_row = upsert_step(db, st, "directory location", rowid);
    if (made_row == 0 && (st = db_stmt(db, SQL_CHANGE_LOCATION))) {
        buf_free(&made); /* bind_doc makes it again */
        bind_location(st, id, name, has_coords ? point : NULL, postal_code, raw, &made);
        made_row = db_run(db, st, "directory location") ? 0 : -1;
    }
    buf_free(&made);
    if (made_row < 0 || !st)
        return false;
    if (made_row) {
        *by_ref = raw.nested;
        return true;
    }
    *rowid = row_of(db, SQL_LOCATION_ROW, id, "directory location", by_ref);
    return *rowid > 0;
}

bool hsds_store_location_by_ref(sqlite3 *db, long long location_rowid, long long sal_rowid, hsds_doc raw)
{
    return hsds_run_doc(db, SQL_LOCATION_BY_REF, location_rowid, raw, sal_rowid, "directory location");
}

long long hsds_store_location_rowid(sqlite3 *db, const char *id)
{
    return rowid_of(db, SQL_LOCATION_ROWID, id, "directory location");
}

/* Runs sql (no parameters). */
bool hsds_run_plain(sqlite3 *db, const char *sql, const char *what)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    return st && db_run(db, st, what);
}

/* Runs sql with ?1 a row number. */
bool hsds_run_row(sqlite3 *db, const char *sql, long long rowid, const char *what)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, rowid);
    return db_run(db, st, what);
}

bool hsds_store_put_sal(sqlite3 *db, const char *id, long long service_rowid, long long location_rowid,
                        long long *rowid, bool *fresh, bool cached_after)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ADD_SAL);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, id);
    sqlite3_bind_int64(st, 2, service_rowid);
    sqlite3_bind_int64(st, 3, location_rowid);
    int made_row = upsert_step(db, st, "directory service at location", rowid);
    *fresh = made_row > 0;
    if (!made_row) {
        if (!(st = db_stmt(db, SQL_CHANGE_SAL)))
            return false;
        db_bind_text_or_null(st, 1, id);
        sqlite3_bind_int64(st, 2, service_rowid);
        sqlite3_bind_int64(st, 3, location_rowid);
        if (!db_run(db, st, "directory service at location"))
            return false;
        *rowid = rowid_of(db, SQL_SAL_ROWID, id, "directory service at location");
    }
    if (made_row > 0 && !cached_after && !hsds_run_row(db, SQL_CACHE_MARK, *rowid, "directory cache"))
        return false;
    return made_row >= 0 && *rowid > 0;
}

bool hsds_store_put_taxonomy(sqlite3 *db, const char *id, const char *name, const char *raw)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_TAXONOMY);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, id);
    db_bind_text_or_null(st, 2, name);
    db_bind_text_or_null(st, 3, raw);
    return db_run(db, st, "directory taxonomy");
}

bool hsds_store_put_term(sqlite3 *db, const char *id, const char *code, const char *name, const char *taxonomy,
                        const char *taxonomy_id, const char *parent_id, const char *raw)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_TERM);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, id);
    db_bind_text_or_null(st, 2, code ? code : "");
    db_bind_text_or_null(st, 3, name);
    db_bind_text_or_null(st, 4, taxonomy ? taxonomy : "");
    db_bind_text_or_null(st, 5, taxonomy_id);
    db_bind_text_or_null(st, 6, parent_id);
    db_bind_text_or_null(st, 7, raw);
    return db_run(db, st, "directory term");
}

long long hsds_store_term_rowid(sqlite3 *db, const char *term_id)
{
    return rowid_of(db, SQL_TERM_ROWID, term_id, "directory service term");
}

bool hsds_store_link_term(sqlite3 *db, long long service_rowid, long long term_rowid, bool has_listings,
                          long long *linked)
{
    if (linked)
        *linked = 0;
    sqlite3_stmt *st = term_rowid > 0 ? db_stmt(db, SQL_LINK_TERM) : NULL;
    if (!st)
        return false; /* a term never stored, or an error */
    sqlite3_bind_int64(st, 1, service_rowid);
    sqlite3_bind_int64(st, 2, term_rowid);
    if (!db_run(db, st, "directory service term"))
        return false;
    /* nothing written: the link was there */
    if (sqlite3_changes(db) == 0)
        return true;
    if (linked)
        *linked = term_rowid;
    return !has_listings || hsds_run_row(db, SQL_CACHE_MARK_SERVICE, service_rowid, "directory cache");
}

int hsds_store_term_code(sqlite3 *db, long long term_rowid, const char *taxonomy_id, char **code)
{
    *code = NULL;
    sqlite3_stmt *st = db_stmt(db, SQL_TERM_CODE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, term_rowid);
    db_bind_text_or_null(st, 2, taxonomy_id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        found = t && strlen(t) == n ? 1 : -1; /* a NUL inside: not as C text */
        if (found > 0 && !(*code = strdup(t)))
            found = -1;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_note_error(db, "directory term");
        found = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

/* The one number sql gives, or -1 on error. */
static long one_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

long hsds_store_count_services(sqlite3 *db)
{
    return one_count(db, SQL_COUNT_SERVICES);
}









static bool read_listing(sqlite3 *db, arena *a, sqlite3_stmt *st, hsds_listing *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->sal_rowid = (uint32_t)sqlite3_column_int64(st, 0);
        out->sal_id = db_col_text(a, st, 1);
        out->service_id = db_col_text(a, st, 2);
        out->location_id = db_col_text(a, st, 3);
        out->service_raw = db_col_text(a, st, 4);
        out->location_raw = db_col_text(a, st, 5);
        out->organization_raw = db_col_text(a, st, 6);
        out->source = db_col_text(a, st, 7);
        out->source_date = db_col_text(a, st, 8);
        out->is_example = sqlite3_column_int(st, 9) != 0;
        out->lat = sqlite3_column_double(st, 10);
        out->lon = sqlite3_column_double(st, 11);
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "directory listing");
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW;
}

bool hsds_store_listing(sqlite3 *db, arena *a, uint32_t sal_rowid, hsds_listing *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LISTING);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, sal_rowid);
    return read_listing(db, a, st, out);
}

bool hsds_store_listing_by_service(sqlite3 *db, arena *a, const char *service_id, hsds_listing *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LISTING_BY_SERVICE);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, service_id);
    return read_listing(db, a, st, out);
}

static int raws(sqlite3 *db, arena *a, sqlite3_stmt *st, const char **out, int max)
{
    int n = 0, rc;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        out[n++] = db_col_text(a, st, 0);
    sqlite3_reset(st);
    (void)db;
    return n;
}

int hsds_store_terms(sqlite3 *db, arena *a, const char **out, int max)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TERMS);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, max);
    return raws(db, a, st, out, max);
}

int hsds_store_taxonomies(sqlite3 *db, arena *a, const char **out, int max)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TAXONOMIES);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, max);
    return raws(db, a, st, out, max);
}

bool hsds_store_index_stamp(sqlite3 *db, long *generation, bool *dirty)
{
    static const char SQL_STAMP[] =
        "SELECT (SELECT n FROM dir_generation WHERE id = 1), EXISTS (SELECT 1 FROM dir_sal_dirty)";
    sqlite3_stmt *st = db_stmt(db, SQL_STAMP);
    bool ok = st && sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        *generation = (long)sqlite3_column_int64(st, 0);
        *dirty = sqlite3_column_int(st, 1) != 0;
    }
    if (st)
        sqlite3_reset(st);
    return ok;
}

/* ---- removing one service (the staff portal and API) ---- */

static const char SQL_SERVICE_ORG[] = "SELECT coalesce(wp_id_text(o.id), ''), s.rowid FROM dir_service s LEFT JOIN dir_organization o ON o.rowid = s.organization_rowid "
    "WHERE s.id = wp_id(?1)";
static const char SQL_SERVICE_LOCATIONS[] =
    "SELECT DISTINCT wp_id_text(l.id) FROM dir_service_at_location sal JOIN dir_location l ON l.rowid = sal.location_rowid "
    "WHERE sal.service_rowid = ?1 LIMIT 1000";
static const char SQL_DELETE_SERVICE[] = "DELETE FROM dir_service WHERE id = wp_id(?1)";
static const char SQL_DELETE_ORPHAN_LOCATION[] =
    "DELETE FROM dir_location WHERE id = wp_id(?1) AND NOT EXISTS "
    "(SELECT 1 FROM dir_service_at_location WHERE location_rowid = dir_location.rowid)";
static const char SQL_DELETE_ORPHAN_ORG[] =
    "DELETE FROM dir_organization WHERE id = wp_id(?1) AND NOT EXISTS "
    "(SELECT 1 FROM dir_service WHERE organization_rowid = dir_organization.rowid)";

static bool run_id(sqlite3 *db, const char *sql, const char *id)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return false;
    db_bind_text_or_null(st, 1, id);
    return db_run(db, st, "directory delete");
}

/* The ids of the locations the service's listings use (at most max). */
static int service_locations(sqlite3 *db, arena *a, long long service_rowid, const char **out, int max)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SERVICE_LOCATIONS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, service_rowid);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
        out[n++] = db_col_text(a, st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_note_error(db, "directory delete");
        return -1;
    }
    return n;
}

int hsds_store_delete_service(sqlite3 *db, arena *a, const char *id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SERVICE_ORG);
    if (!st)
        return -1;
    db_bind_text_or_null(st, 1, id);
    int rc = sqlite3_step(st);
    const char *org = rc == SQLITE_ROW ? db_col_text(a, st, 0) : NULL;
    long long rowid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_note_error(db, "directory delete");
        return -1;
    }
    if (!org)
        return 0;
    const char *locs[1000];
    int nlocs = service_locations(db, a, rowid, locs, 1000);
    if (nlocs < 0 || !hsds_store_clear_links(db, rowid) || !run_id(db, SQL_DELETE_SERVICE, id))
        return -1;
    for (int i = 0; i < nlocs; i++)
        if (!run_id(db, SQL_DELETE_ORPHAN_LOCATION, locs[i]))
            return -1;
    if (*org && !run_id(db, SQL_DELETE_ORPHAN_ORG, org))
        return -1;
    return 1;
}

bool hsds_store_search_defer(sqlite3 *db)
{
    return hsds_run_plain(db, SQL_SEARCH_DEFER, SEARCH_INDEX);
}

long hsds_store_search_catch_up(sqlite3 *db)
{
    long n = one_count(db, SQL_SEARCH_PENDING);
    if (n < 0) {
        db_note_error(db, "directory search index");
        return -1;
    }
    /* the deferral ends first, so the rows written below are not noted */
    if (!hsds_run_plain(db, SQL_SEARCH_UNDEFER, SEARCH_INDEX))
        return -1;
    if (n > 0 && (!hsds_run_plain(db, SQL_SEARCH_ADD_NEW, SEARCH_INDEX) ||
                  !hsds_run_plain(db, SQL_SEARCH_CLEAR, SEARCH_INDEX)))
        return -1;
    return n;
}

bool hsds_store_search_note(sqlite3 *db, long long service_rowid)
{
    return hsds_run_row(db, SQL_SEARCH_NOTE, service_rowid, SEARCH_INDEX);
}

bool hsds_store_search_add_text(sqlite3 *db, long long service_rowid, const char *name, const char *alt,
                                const char *desc)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SEARCH_ADD_TEXT);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, service_rowid);
    db_bind_text_or_null(st, 2, name);
    db_bind_text_or_null(st, 3, alt ? alt : "");
    db_bind_text_or_null(st, 4, desc ? desc : "");
    return db_run(db, st, SEARCH_INDEX);
}
