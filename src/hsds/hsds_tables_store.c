/* hsds_tables_store: SQL for the hsds_ tables. See hsds_tables_store.h. */
#include "hsds/hsds_tables_store.h"
#include "core/util.h"
#include "core/log.h"
#include "db/db.h"
#include "hsds/hsds_schema_store.h"
#include "hsds/hsds_tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order the documents were last written (an update sets
 * modified; rowid orders the ones written in the same second). */
static const char SQL_DOCS[] = "SELECT wp_id_text(id), wp_doc(raw) FROM dir_service ORDER BY modified, rowid";

/* Runs sql, a statement made from a resource's name, once (not cached). */
static bool exec_once(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("database: hsds temp tables: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

bool hsds_tables_temp_drop(sqlite3 *db)
{
    bool ok = true;
    for (int r = 0; r < HSDS_NRES; r++) {
        if (hsds_sql_temp_drop[r])
            ok = exec_once(db, hsds_sql_temp_drop[r]) && ok;
    }
    return ok;
}

/* Same columns and types as migration 0005's tables; the export's rows
 * are kept apart from the live file and go when the connection closes. */
bool hsds_tables_temp_create(sqlite3 *db)
{
    if (!hsds_tables_temp_drop(db))
        return false;
    for (int r = 0; r < HSDS_NRES; r++) {
        if (hsds_sql_temp_create[r] && !exec_once(db, hsds_sql_temp_create[r]))
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

bool hsds_tables_each_doc(sqlite3 *db, hsds_doc_fn fn, void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DOCS);
    if (!st)
        return false;
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *id = sqlite3_column_text(st, 0), *raw = sqlite3_column_text(st, 1);
        ok = fn(ctx, id ? (const char *)id : "", raw ? (const char *)raw : "");
    }
    if (ok && rc != SQLITE_DONE) {
        db_note_error(db, "hsds services");
        ok = false;
    }
    sqlite3_reset(st);
    return ok;
}
