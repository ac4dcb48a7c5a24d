/* db_plans: with WAYPOST_QUERY_PLANS=FILE in the environment, every
 * statement the statement cache prepares has its query plan appended to
 * FILE (the SQL on one line, each plan step on a line starting with a
 * tab). The HTTP tests run the server this way and fail on a full scan of
 * a large table; nothing is written when the variable is unset. */
#include "db/db.h"
#include "core/buf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_plan(sqlite3 *db, const char *sql, FILE *f)
{
    buf q = BUF_INIT;
    buf_puts(&q, "EXPLAIN QUERY PLAN ");
    buf_puts(&q, sql);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, buf_cstr(&q), -1, &st, NULL) == SQLITE_OK) {
        fprintf(f, "%s\n", sql);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *d = sqlite3_column_text(st, 3);
            fprintf(f, "\t%s\n", d ? (const char *)d : "");
        }
    }
    sqlite3_finalize(st);
    buf_free(&q);
}

void db_plan_note(sqlite3 *db, const char *sql)
{
    const char *path = getenv("WAYPOST_QUERY_PLANS");
    if (!path || !*path || strncmp(sql, "PRAGMA", 6) == 0)
        return;
    pthread_mutex_lock(&plan_lock);
    FILE *f = fopen(path, "a");
    if (f) {
        write_plan(db, sql, f);
        fclose(f);
    }
    pthread_mutex_unlock(&plan_lock);
}
