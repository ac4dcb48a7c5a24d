/* stats_store: the SQL of the statistics feature: replacing a table's rows
 * in one transaction, and reading the series the charts draw. */
#ifndef WP_STATS_STORE_H
#define WP_STATS_STORE_H

#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>

typedef struct national_row {
    char period[8];
    long reported, predicted; /* predicted -1 when absent */
    const char *footnote;
} national_row;

typedef struct state_row {
    char state[4];
    const char *state_name;
    char period[8];
    long deaths;
} state_row;

typedef struct longview_row {
    long year;
    const char *state, *age;
    long deaths, population;
    double crude_rate, adjusted_rate; /* < 0 when absent */
} longview_row;

bool stats_store_clear(sqlite3 *db, const char *table);
bool stats_store_national(sqlite3 *db, const national_row *r);
bool stats_store_state(sqlite3 *db, const state_row *r);
bool stats_store_longview(sqlite3 *db, const longview_row *r);
bool stats_store_source(sqlite3 *db, const char *name, const char *file, long rows);
/* Rows in a table ("national", "state", "longview"); -1 on error. */
long stats_store_count(sqlite3 *db, const char *name);

/* Reading for the charts; rows in a; return count or -1. */
int stats_load_national(sqlite3 *db, arena *a, national_row **out);
/* The latest period present for states, and every state's deaths in it. */
int stats_load_states_latest(sqlite3 *db, arena *a, state_row **out);
/* US rows (state "United States") for every age group but "All Ages". */
int stats_load_ages(sqlite3 *db, arena *a, longview_row **out);
/* All Ages rows for every state, first and last year. */
int stats_load_state_change(sqlite3 *db, arena *a, longview_row **out);

#endif
