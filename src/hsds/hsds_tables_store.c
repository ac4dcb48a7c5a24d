/* hsds_tables_store: SQL for the hsds_ tables. See hsds_tables_store.h. */
#include "hsds/hsds_tables_store.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_schema_store.h"
#include "hsds/hsds_tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_UNSPLIT[] = "SELECT s.id FROM dir_service s WHERE NOT EXISTS "
                                  "(SELECT 1 FROM hsds_service h WHERE h.doc_service_id = s.id) ORDER BY s.id";
static const char SQL_RAW[] = "SELECT raw FROM dir_service WHERE id = ?1";

bool hsds_tables_delete_doc(sqlite3 *db, const char *doc_id)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        if (!hsds_sql_delete[r])
            continue;
        sqlite3_stmt *st = db_stmt(db, hsds_sql_delete[r]);
        if (!st)
            return false;
        db_bind_text_or_null(st, 1, doc_id);
        if (!db_run(db, st, "hsds delete"))
            return false;
    }
    return true;
}

static void bind_value(sqlite3_stmt *st, int i, json_t *v)
{
    if (json_is_string(v))
        db_bind_text_or_null(st, i, json_string_value(v));
    else if (json_is_integer(v))
        sqlite3_bind_int64(st, i, (sqlite3_int64)json_integer_value(v));
    else if (json_is_real(v))
        sqlite3_bind_double(st, i, json_real_value(v));
    else if (json_is_boolean(v))
        db_bind_text_or_null(st, i, json_is_true(v) ? "true" : "false");
    else
        sqlite3_bind_null(st, i);
}

bool hsds_tables_put_row(sqlite3 *db, int r, json_t *row, const char *doc_id)
{
    if (!hsds_sql_insert[r])
        return false;
    sqlite3_stmt *st = db_stmt(db, hsds_sql_insert[r]);
    if (!st)
        return false;
    const hsds_resource_info *info = &hsds_resources[r];
    for (int i = 0; i < info->nfields; i++)
        bind_value(st, i + 1, json_object_get(row, info->fields[i].name));
    db_bind_text_or_null(st, info->nfields + 1, doc_id);
    return db_run(db, st, "hsds insert");
}

/* Column i as text into cell (numbers in their shortest form). */
static const char *cell_text(sqlite3_stmt *st, int i, char *cell, size_t cellen)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return "";
    case SQLITE_INTEGER:
        snprintf(cell, cellen, "%lld", (long long)sqlite3_column_int64(st, i));
        return cell;
    case SQLITE_FLOAT:
        hsds_number_text(sqlite3_column_double(st, i), cell, cellen);
        return cell;
    default: {
        const unsigned char *t = sqlite3_column_text(st, i);
        return t ? (const char *)t : "";
    }
    }
}

bool hsds_tables_each_row(sqlite3 *db, int r, hsds_row_fn fn, void *ctx)
{
    int n = hsds_resources[r].nfields;
    if (!hsds_sql_select[r] || n > HSDS_MAX_FIELDS)
        return false; /* hsds_export checks the widths first and says so */
    sqlite3_stmt *st = db_stmt(db, hsds_sql_select[r]);
    if (!st)
        return false;
    char cells[HSDS_MAX_FIELDS][40];
    const char *vals[HSDS_MAX_FIELDS];
    char *last = NULL;
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            vals[i] = cell_text(st, i, cells[i], sizeof(cells[i]));
        if (last && !strcmp(vals[0], last))
            continue; /* an older copy of the same id */
        free(last);
        last = xstrdup(vals[0]);
        ok = fn(ctx, n, vals);
    }
    free(last);
    if (ok && rc != SQLITE_DONE) {
        db_note_error(db, "hsds export");
        ok = false;
    }
    sqlite3_reset(st);
    return ok;
}

/* The ids first: the callback writes to the tables the query reads. */
static json_t *unsplit_ids(sqlite3 *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_UNSPLIT);
    if (!st)
        return NULL;
    json_t *ids = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(ids, json_string((const char *)sqlite3_column_text(st, 0)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, "hsds unsplit services");
        json_decref(ids);
        return NULL;
    }
    return ids;
}

bool hsds_tables_each_unsplit(sqlite3 *db, hsds_doc_fn fn, void *ctx)
{
    json_t *ids = unsplit_ids(db);
    if (!ids)
        return false;
    bool ok = true;
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id)
    {
        sqlite3_stmt *st = db_stmt(db, SQL_RAW);
        if (!st) {
            ok = false;
            break;
        }
        db_bind_text_or_null(st, 1, json_string_value(id));
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            db_note_error(db, "hsds unsplit service");
            ok = false;
            break;
        }
        const unsigned char *t = sqlite3_column_text(st, 0);
        char *raw = xstrdup(t ? (const char *)t : "");
        sqlite3_reset(st);
        ok = fn(ctx, json_string_value(id), raw);
        free(raw);
        if (!ok)
            break;
    }
    json_decref(ids);
    return ok;
}
