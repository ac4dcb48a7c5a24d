/* listings_store: the SQL of the staff listings. See listings_store.h.
 * These reads scan dir_service (a name substring and a JSON field have no
 * index); they serve staff pages, a few requests a minute, never the
 * public. */
#include "staff/listings_store.h"
#include "db/db.h"
#include "hsds/hsds_store.h"

#define LISTINGS_WHERE                                                                                         \
    "FROM dir_service s LEFT JOIN dir_organization_doc o ON o.rowid = s.organization_rowid "                   \
    "WHERE (?1 = '' OR instr(lower(s.name), lower(?1)) > 0 OR s.id = wp_id(?1)) "                                    \
    "AND (?2 IS NULL OR s.source = ?2) "                                                                       \
    "AND (?3 = '' OR EXISTS (SELECT 1 FROM dir_service_term st JOIN dir_taxonomy_term t "                      \
    "ON t.rowid = st.term_rowid WHERE st.service_rowid = s.rowid AND t.code = ?3 AND t.taxonomy_id = ?4)) "   \
    "AND (?5 < 0 OR coalesce(json_extract(wp_doc(s.raw), '$.assured_date'), '') < date('now', printf('-%d days', ?5))) "

static const char SQL_SEARCH[] =
    "SELECT wp_id_text(s.id), s.name, coalesce(json_extract(o.doc, '$.name'), ''), s.source, s.status, "
    "strftime('%Y-%m-%dT%H:%M:%SZ', s.modified, 'unixepoch'), "
    "coalesce(json_extract(wp_doc(s.raw), '$.assured_date'), ''), coalesce(json_extract(wp_doc(s.raw), '$.assurer_email'), '') "
    LISTINGS_WHERE "ORDER BY s.modified DESC, s.rowid DESC LIMIT ?6 OFFSET ?7";
static const char SQL_COUNT[] = "SELECT count(*) " LISTINGS_WHERE;
static const char SQL_SOURCES[] = "SELECT DISTINCT source FROM dir_service WHERE source <> '' ORDER BY source LIMIT ?1";
static const char SQL_DOC[] = "SELECT wp_doc(raw) FROM dir_service WHERE id = wp_id(?1)";

static void bind_query(sqlite3_stmt *st, const listings_query *q)
{
    db_bind_text_or_null(st, 1, q->q ? q->q : "");
    db_bind_text_or_null(st, 2, q->source);
    db_bind_text_or_null(st, 3, q->code ? q->code : "");
    db_bind_text_or_null(st, 4, WAYPOST_TAXONOMY_ID);
    sqlite3_bind_int64(st, 5, q->stale_days);
}

int listings_store_search(sqlite3 *db, arena *a, const listings_query *q, listings_row *rows, int max, long *total)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNT);
    if (!st)
        return -1;
    bind_query(st, q);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        db_note_error(db, "staff listings");
        return -1;
    }
    st = db_stmt(db, SQL_SEARCH);
    if (!st)
        return -1;
    bind_query(st, q);
    sqlite3_bind_int(st, 6, q->limit);
    sqlite3_bind_int(st, 7, q->offset);
    int n = 0;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        listings_row *r = &rows[n++];
        r->id = db_col_text(a, st, 0);
        r->name = db_col_text(a, st, 1);
        r->organization = db_col_text(a, st, 2);
        r->source = db_col_text(a, st, 3);
        r->status = db_col_text(a, st, 4);
        r->modified_at = db_col_text(a, st, 5);
        r->verified_on = db_col_text(a, st, 6);
        r->verified_by = db_col_text(a, st, 7);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_note_error(db, "staff listings");
        return -1;
    }
    return n;
}

int listings_store_sources(sqlite3 *db, arena *a, const char **out, int max)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SOURCES);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, max);
    int n = 0, rc;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        out[n++] = db_col_text(a, st, 0);
    sqlite3_reset(st);
    return n;
}

int listings_store_doc(sqlite3 *db, arena *a, const char *id, const char **raw)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DOC);
    if (!st)
        return -1;
    db_bind_text_or_null(st, 1, id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        *raw = db_col_text(a, st, 0);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "staff listings");
        found = -1;
    }
    sqlite3_reset(st);
    return found;
}
