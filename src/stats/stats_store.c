/* stats_store: SQL for the statistics tables. */
#include "stats/stats_store.h"
#include "core/util.h"
#include "db/db.h"

#include <string.h>

static const char SQL_CLEAR_NATIONAL[] = "DELETE FROM stats_national";
static const char SQL_CLEAR_STATE[] = "DELETE FROM stats_state";
static const char SQL_CLEAR_LONGVIEW[] = "DELETE FROM stats_longview";
static const char SQL_COUNT_NATIONAL[] = "SELECT count(*) FROM stats_national";
static const char SQL_COUNT_STATE[] = "SELECT count(*) FROM stats_state";
static const char SQL_COUNT_LONGVIEW[] = "SELECT count(*) FROM stats_longview";
static const char SQL_PUT_NATIONAL[] =
    "INSERT OR REPLACE INTO stats_national(period, reported, predicted, footnote) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_PUT_STATE[] =
    "INSERT OR REPLACE INTO stats_state(state, state_name, period, deaths) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_PUT_LONGVIEW[] =
    "INSERT OR REPLACE INTO stats_longview(year, state, age, deaths, population, crude_rate, adjusted_rate) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_PUT_SOURCE[] = "INSERT OR REPLACE INTO stats_sources(name, file, rows) VALUES (?1, ?2, ?3)";
static const char SQL_NATIONAL[] =
    "SELECT period, reported, predicted, footnote FROM stats_national ORDER BY period";
static const char SQL_STATES_LATEST[] =
    "SELECT state, state_name, period, deaths FROM stats_state "
    "WHERE period = (SELECT max(period) FROM stats_state WHERE state <> 'US') AND state NOT IN ('US', 'YC') "
    "ORDER BY deaths DESC, state";
static const char SQL_AGES[] =
    "SELECT year, state, age, deaths, population, crude_rate, adjusted_rate FROM stats_longview "
    "WHERE state = 'United States' AND age <> 'All Ages' ORDER BY age, year";
static const char SQL_STATE_CHANGE[] =
    "SELECT year, state, age, deaths, population, crude_rate, adjusted_rate FROM stats_longview "
    "WHERE age = 'All Ages' AND state <> 'United States' "
    "AND year IN ((SELECT min(year) FROM stats_longview), (SELECT max(year) FROM stats_longview)) "
    "ORDER BY state, year";

bool stats_store_clear(sqlite3 *db, const char *table)
{
    const char *sql = !strcmp(table, "national") ? SQL_CLEAR_NATIONAL
                      : !strcmp(table, "state")  ? SQL_CLEAR_STATE
                                                 : SQL_CLEAR_LONGVIEW;
    sqlite3_stmt *st = db_stmt(db, sql);
    return st && db_run(db, st, "stats clear");
}

bool stats_store_national(sqlite3 *db, const national_row *r)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_NATIONAL);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, r->period, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->reported);
    if (r->predicted >= 0)
        sqlite3_bind_int64(st, 3, r->predicted);
    sqlite3_bind_text(st, 4, r->footnote ? r->footnote : "", -1, SQLITE_STATIC);
    return db_run(db, st, "stats national");
}

bool stats_store_state(sqlite3 *db, const state_row *r)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_STATE);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->state_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->period, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->deaths);
    return db_run(db, st, "stats state");
}

bool stats_store_longview(sqlite3 *db, const longview_row *r)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_LONGVIEW);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, r->year);
    sqlite3_bind_text(st, 2, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->age, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->deaths);
    sqlite3_bind_int64(st, 5, r->population);
    if (r->crude_rate >= 0)
        sqlite3_bind_double(st, 6, r->crude_rate);
    if (r->adjusted_rate >= 0)
        sqlite3_bind_double(st, 7, r->adjusted_rate);
    return db_run(db, st, "stats longview");
}

bool stats_store_source(sqlite3 *db, const char *name, const char *file, long rows)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT_SOURCE);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, rows);
    return db_run(db, st, "stats source");
}

long stats_store_count(sqlite3 *db, const char *name)
{
    const char *sql = !strcmp(name, "national") ? SQL_COUNT_NATIONAL
                      : !strcmp(name, "state")  ? SQL_COUNT_STATE
                                                : SQL_COUNT_LONGVIEW;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

/* Runs sql and calls fill for each row into a growing array in a. */
#define LOAD_ROWS(db, a, sql, type, out, fill)                                   \
    do {                                                                        \
        sqlite3_stmt *st_ = db_stmt(db, sql);                                   \
        if (!st_)                                                               \
            return -1;                                                          \
        int cap_ = 64, n_ = 0, rc_;                                             \
        type *rows_ = arena_alloc(a, sizeof(type) * (size_t)cap_);              \
        while ((rc_ = sqlite3_step(st_)) == SQLITE_ROW) {                       \
            if (n_ == cap_) {                                                   \
                type *bigger_ = arena_alloc(a, sizeof(type) * (size_t)cap_ * 2); \
                memcpy(bigger_, rows_, sizeof(type) * (size_t)cap_);            \
                rows_ = bigger_;                                                \
                cap_ *= 2;                                                      \
            }                                                                   \
            fill(a, st_, &rows_[n_]);                                           \
            n_++;                                                               \
        }                                                                       \
        sqlite3_reset(st_);                                                     \
        if (rc_ != SQLITE_DONE) {                                               \
            db_note_error(db, "stats read");                                    \
            return -1;                                                          \
        }                                                                       \
        *(out) = rows_;                                                         \
        return n_;                                                              \
    } while (0)

static void fill_national(arena *a, sqlite3_stmt *st, national_row *r)
{
    str_copy(r->period, sizeof(r->period), (const char *)sqlite3_column_text(st, 0));
    r->reported = (long)sqlite3_column_int64(st, 1);
    r->predicted = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 2);
    r->footnote = db_col_text(a, st, 3);
}

static void fill_state(arena *a, sqlite3_stmt *st, state_row *r)
{
    str_copy(r->state, sizeof(r->state), (const char *)sqlite3_column_text(st, 0));
    r->state_name = db_col_text(a, st, 1);
    str_copy(r->period, sizeof(r->period), (const char *)sqlite3_column_text(st, 2));
    r->deaths = (long)sqlite3_column_int64(st, 3);
}

static void fill_longview(arena *a, sqlite3_stmt *st, longview_row *r)
{
    r->year = (long)sqlite3_column_int64(st, 0);
    r->state = db_col_text(a, st, 1);
    r->age = db_col_text(a, st, 2);
    r->deaths = (long)sqlite3_column_int64(st, 3);
    r->population = (long)sqlite3_column_int64(st, 4);
    r->crude_rate = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 5);
    r->adjusted_rate = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 6);
}

int stats_load_national(sqlite3 *db, arena *a, national_row **out)
{
    LOAD_ROWS(db, a, SQL_NATIONAL, national_row, out, fill_national);
}

int stats_load_states_latest(sqlite3 *db, arena *a, state_row **out)
{
    LOAD_ROWS(db, a, SQL_STATES_LATEST, state_row, out, fill_state);
}

int stats_load_ages(sqlite3 *db, arena *a, longview_row **out)
{
    LOAD_ROWS(db, a, SQL_AGES, longview_row, out, fill_longview);
}

int stats_load_state_change(sqlite3 *db, arena *a, longview_row **out)
{
    LOAD_ROWS(db, a, SQL_STATE_CHANGE, longview_row, out, fill_longview);
}
