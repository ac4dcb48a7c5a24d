/* reports_store: the report queue in SQLite. See reports_store.h. Every
 * list and count goes through dir_report's and community_report's
 * (status, id) indexes, one UNION ALL arm per source, newest first by the
 * time sent; a listing is found by the unique service id and its first
 * location through the service_at_location index. */
#include "staff/reports_store.h"
#include "db/db.h"

#include <string.h>
#include <time.h>

/* The columns of one item (read_item below reads them in this order):
 * the listing arm (dir_report with its listing) ... */
#define ITEM_COLUMNS                                                                                             \
    "SELECT r.id, r.kind, r.note, r.created_at, r.status, coalesce(r.decided_at, 0), "                          \
    "coalesce(r.decided_by, ''), r.service_id, s.id IS NOT NULL, coalesce(s.name, ''), coalesce(json_extract(o.doc, '$.name'), ''), "   \
    "coalesce(s.source, ''), coalesce(s.source_date, ''), coalesce(s.is_example, 0), coalesce(wp_doc(s.raw), ''), "     \
    "coalesce((SELECT l.doc FROM dir_service_at_location sal JOIN dir_location_doc l "                               \
    "ON l.rowid = sal.location_rowid WHERE sal.service_rowid = s.rowid ORDER BY sal.rowid LIMIT 1), ''), "       \
    "'listing', '', '', '', '', '', '', 0 "                                                                      \
    "FROM dir_report r LEFT JOIN dir_service s ON s.id = wp_id(r.service_id) "                                          \
    "LEFT JOIN dir_organization_doc o ON o.rowid = s.organization_rowid "
/* ... and the community arm (community_report, migration 0011): kind
 * "drug", no listing, its own fields at the end. */
#define COMMUNITY_COLUMNS                                                                                        \
    "SELECT c.id, 'drug', coalesce(c.note, ''), strftime('%Y-%m-%dT%H:%M:%SZ', c.created_at, 'unixepoch'), "     \
    "c.status, coalesce(c.decided_at, 0), coalesce(c.decided_by, ''), '', 0, '', '', '', '', 0, '', '', "        \
    "'community', c.day, c.area, coalesce(c.sold_as, ''), coalesce(c.seemed, ''), coalesce(c.effects, ''), "     \
    "coalesce(c.looked, ''), c.staff FROM community_report c "
#define OPEN "r.status IN ('new', 'editing')"
#define KIND " AND (?2 = '' OR r.kind = ?2)"
#define C_OPEN "c.status = 'new'"
#define C_KIND " AND (?2 = '' OR ?2 = 'drug')"
#define ORDER " ORDER BY 4 DESC, 1 DESC LIMIT ?3 OFFSET ?4"

static const char SQL_LIST_OPEN[] =
    ITEM_COLUMNS "WHERE " OPEN KIND " UNION ALL " COMMUNITY_COLUMNS "WHERE " C_OPEN C_KIND ORDER;
static const char SQL_LIST_ONE[] =
    ITEM_COLUMNS "WHERE r.status = ?1" KIND " UNION ALL " COMMUNITY_COLUMNS "WHERE c.status = ?1" C_KIND ORDER;
static const char SQL_COUNT_OPEN[] = "SELECT (SELECT count(*) FROM dir_report r WHERE " OPEN KIND
                                     ") + (SELECT count(*) FROM community_report c WHERE " C_OPEN C_KIND ")";
static const char SQL_COUNT_ONE[] = "SELECT (SELECT count(*) FROM dir_report r WHERE r.status = ?1" KIND
                                    ") + (SELECT count(*) FROM community_report c WHERE c.status = ?1" C_KIND ")";
static const char SQL_GET_LISTING[] = ITEM_COLUMNS "WHERE r.id = ?1";
static const char SQL_SET_LISTING[] = "UPDATE dir_report SET status = ?2, decided_at = ?3, decided_by = ?4 WHERE id = ?1";
static const char SQL_GET_COMMUNITY[] = COMMUNITY_COLUMNS "WHERE c.id = ?1";
static const char SQL_SET_COMMUNITY[] =
    "UPDATE community_report SET status = ?2, decided_at = ?3, decided_by = ?4 WHERE id = ?1";

/* The queue's sources (see the header): each with how to read one item
 * and how to decide it. */
static const struct source {
    const char *name;
    const char *get, *set;
} sources[] = {
    {REPORT_SOURCE_LISTING, SQL_GET_LISTING, SQL_SET_LISTING},
    {REPORT_SOURCE_COMMUNITY, SQL_GET_COMMUNITY, SQL_SET_COMMUNITY},
};

static const struct source *source_of(const char *name)
{
    for (size_t i = 0; name && i < sizeof(sources) / sizeof(sources[0]); i++)
        if (!strcmp(sources[i].name, name))
            return &sources[i];
    return NULL;
}

static bool is_open(const report_filter *f)
{
    return !f->status || !f->status[0] || !strcmp(f->status, "open");
}

static void bind_filter(sqlite3_stmt *st, const report_filter *f)
{
    if (!is_open(f))
        db_bind_text_or_null(st, 1, f->status);
    db_bind_text_or_null(st, 2, f->kind ? f->kind : "");
}

long reports_store_count(sqlite3 *db, const report_filter *f)
{
    sqlite3_stmt *st = db_stmt(db, is_open(f) ? SQL_COUNT_OPEN : SQL_COUNT_ONE);
    if (!st)
        return -1;
    bind_filter(st, f);
    long n = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    else
        db_note_error(db, "report queue count");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return n;
}

static bool is_community(sqlite3_stmt *st)
{
    const unsigned char *s = sqlite3_column_text(st, 16);
    return s && !strcmp((const char *)s, REPORT_SOURCE_COMMUNITY);
}

static void read_item(sqlite3_stmt *st, arena *a, report_item *it)
{
    *it = (report_item){
        .source = is_community(st) ? REPORT_SOURCE_COMMUNITY : REPORT_SOURCE_LISTING,
        .id = (long)sqlite3_column_int64(st, 0),
        .kind = db_col_text(a, st, 1),
        .note = db_col_text(a, st, 2),
        .created_at = db_col_text(a, st, 3),
        .status = db_col_text(a, st, 4),
        .decided_at = (long)sqlite3_column_int64(st, 5),
        .decided_by = db_col_text(a, st, 6),
        .service_id = db_col_text(a, st, 7),
        .found = sqlite3_column_int(st, 8) != 0,
        .name = db_col_text(a, st, 9),
        .organization = db_col_text(a, st, 10),
        .listing_source = db_col_text(a, st, 11),
        .source_date = db_col_text(a, st, 12),
        .is_example = sqlite3_column_int(st, 13) != 0,
        .service_raw = db_col_text(a, st, 14),
        .location_raw = db_col_text(a, st, 15),
        .day = db_col_text(a, st, 17),
        .area = db_col_text(a, st, 18),
        .sold_as = db_col_text(a, st, 19),
        .seemed = db_col_text(a, st, 20),
        .effects = db_col_text(a, st, 21),
        .looked = db_col_text(a, st, 22),
        .staff = sqlite3_column_int(st, 23) != 0,
    };
}

bool reports_store_list(sqlite3 *db, arena *a, const report_filter *f, long offset, long limit, report_fn fn,
                        void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, is_open(f) ? SQL_LIST_OPEN : SQL_LIST_ONE);
    if (!st)
        return false;
    bind_filter(st, f);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    int rc;
    bool go = true;
    while (go && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        report_item it;
        read_item(st, a, &it);
        go = fn(&it, ctx);
    }
    bool ok = !go || rc == SQLITE_DONE;
    if (!ok)
        db_note_error(db, "report queue");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

int reports_store_get(sqlite3 *db, arena *a, const char *source, long id, report_item *out)
{
    const struct source *s = source_of(source);
    if (!s)
        return 0;
    sqlite3_stmt *st = db_stmt(db, s->get);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), r = 0;
    if (rc == SQLITE_ROW) {
        read_item(st, a, out);
        out->source = s->name;
        r = 1;
    } else if (rc != SQLITE_DONE) {
        db_note_error(db, "report queue item");
        r = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r;
}

bool reports_store_set_status(sqlite3 *db, const char *source, long id, const char *status, const char *by)
{
    const struct source *s = source_of(source);
    sqlite3_stmt *st = s ? db_stmt(db, s->set) : NULL;
    if (!st)
        return false;
    bool undecided = !strcmp(status, "new");
    sqlite3_bind_int64(st, 1, id);
    db_bind_text_or_null(st, 2, status);
    if (undecided) {
        sqlite3_bind_null(st, 3);
        sqlite3_bind_null(st, 4);
    } else {
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
        db_bind_text_or_null(st, 4, by ? by : "");
    }
    return db_run(db, st, "report decision");
}
