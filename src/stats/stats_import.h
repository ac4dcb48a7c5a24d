/* stats_import: reads CDC statistics files and replaces the matching table
 * in one transaction. The kind of file is told by its header:
 *  - VSRR national (state, year, month, period_end, indicator,
 *    reported_12mo_deaths, predicted_12mo_deaths, footnote),
 *  - VSRR by state (State, Year, Month, Period, Indicator, Data Value, ...,
 *    State Name, ..., Predicted Value): rows whose Indicator is
 *    "Number of Drug Overdose Deaths",
 *  - NCHS drug poisoning mortality (Year, Sex, Age, Race and Hispanic
 *    Origin, State, Deaths, Population, Crude Death Rate, ...,
 *    Age-adjusted Rate, ...): rows for both sexes and all races.
 * A malformed file changes nothing and the error names the file, row and
 * column. Progress goes to stderr when it is a terminal. */
#ifndef WP_STATS_IMPORT_H
#define WP_STATS_IMPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct stats_summary {
    const char *table; /* "national", "state" or "longview" */
    long rows_read, rows_kept, rows_skipped;
} stats_summary;

bool stats_import_file(sqlite3 *db, const char *path, stats_summary *sum, char *err, size_t errlen);
bool stats_import_text(sqlite3 *db, const char *name, const char *text, size_t len, stats_summary *sum, char *err,
                       size_t errlen);
/* Loads the bundled files from data_dir/stats/ into any empty table. */
bool stats_seed(sqlite3 *db, const char *data_dir, char *err, size_t errlen);

#endif
