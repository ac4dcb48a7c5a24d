/* stats_import: CDC statistics files into the stats tables. */
#include "stats/stats_import.h"
#include "core/csv.h"
#include "core/util.h"
#include "db/db.h"
#include "stats/stats_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATS_FILE_MAX (64u * 1024u * 1024u)

static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

enum kind { K_NATIONAL, K_STATE, K_LONGVIEW, K_UNKNOWN };

struct ctx {
    csv_reader r;
    const char *name;
    char *err;
    size_t errlen;
    int col[16];
    stats_summary *sum;
    sqlite3 *db;
};

static bool bad(struct ctx *c, int column, const char *what)
{
    if (column >= 0 && column < c->r.nfields)
        snprintf(c->err, c->errlen, "%s: row %ld, column %d: %s (found \"%.40s\")", c->name, c->r.row, column + 1,
                 what, c->r.fields[column]);
    else
        snprintf(c->err, c->errlen, "%s: row %ld, column %d: %s", c->name, c->r.row, column + 1, what);
    return false;
}

static bool field_long(struct ctx *c, int column, long min, long max, long *out)
{
    if (column >= c->r.nfields)
        return bad(c, column, "the row is missing this column");
    char clean[64];
    size_t n = 0;
    for (const char *p = c->r.fields[column]; *p && n + 1 < sizeof(clean); p++)
        if (*p != ',')
            clean[n++] = *p;
    clean[n] = '\0';
    if (!parse_long(clean, min, max, out))
        return bad(c, column, "expected a whole number");
    return true;
}

static bool field_rate(struct ctx *c, int column, double *out)
{
    *out = -1;
    if (column < 0 || column >= c->r.nfields || !c->r.fields[column][0])
        return true;
    char *end = NULL;
    errno = 0;
    double v = strtod(c->r.fields[column], &end);
    if (errno || *end || v < 0 || v > 100000)
        return bad(c, column, "expected a rate (a number of 0 or more)");
    *out = v;
    return true;
}

static int month_number(const char *s)
{
    for (int i = 0; i < 12; i++)
        if (!strcmp(s, months[i]))
            return i + 1;
    return 0;
}

static enum kind detect(const csv_reader *r)
{
    if (csv_find(r, "reported_12mo_deaths") >= 0 && csv_find(r, "period_end") >= 0)
        return K_NATIONAL;
    if (csv_find(r, "Indicator") >= 0 && csv_find(r, "Data Value") >= 0 && csv_find(r, "State Name") >= 0)
        return K_STATE;
    if (csv_find(r, "Race and Hispanic Origin") >= 0 && csv_find(r, "Deaths") >= 0)
        return K_LONGVIEW;
    return K_UNKNOWN;
}

/* Finds each named header column; false naming the first missing one. */
static bool need_columns(struct ctx *c, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        c->col[i] = csv_find(&c->r, names[i]);
        if (c->col[i] < 0) {
            snprintf(c->err, c->errlen, "%s: row 1: the header has no \"%s\" column", c->name, names[i]);
            return false;
        }
    }
    return true;
}

static void progress(const struct ctx *c, bool done)
{
    if (!isatty(STDERR_FILENO))
        return;
    if (done || c->sum->rows_read % 2000 == 0)
        fprintf(stderr, "\r  %s: %ld rows read, %ld kept%s", c->name, c->sum->rows_read, c->sum->rows_kept,
                done ? "\n" : "");
}

static bool national_row_of(struct ctx *c)
{
    national_row row = {0};
    long year, predicted = -1;
    const char *period = c->col[1] < c->r.nfields ? c->r.fields[c->col[1]] : "";
    if (!field_long(c, c->col[0], 1990, 2100, &year))
        return false;
    if (strlen(period) != 7 || period[4] != '-' || strncmp(period, c->r.fields[c->col[0]], 4))
        return bad(c, c->col[1], "expected a period like 2024-12 in the row's year");
    long month;
    if (!parse_long(period + 5, 1, 12, &month))
        return bad(c, c->col[1], "the month must be 01 to 12");
    if (!field_long(c, c->col[2], 0, 10000000, &row.reported))
        return false;
    if (c->col[3] < c->r.nfields && c->r.fields[c->col[3]][0] && !field_long(c, c->col[3], 0, 10000000, &predicted))
        return false;
    str_copy(row.period, sizeof(row.period), period);
    row.predicted = predicted;
    row.footnote = c->col[4] < c->r.nfields ? c->r.fields[c->col[4]] : "";
    if (!stats_store_national(c->db, &row)) {
        snprintf(c->err, c->errlen, "%s: row %ld: the database refused the row", c->name, c->r.row);
        return false;
    }
    c->sum->rows_kept++;
    return true;
}

static bool state_row_of(struct ctx *c)
{
    if (strcmp(c->r.fields[c->col[3]], "Number of Drug Overdose Deaths")) {
        c->sum->rows_skipped++;
        return true;
    }
    state_row row = {0};
    long year, deaths;
    const char *st = c->r.fields[c->col[0]];
    if (strlen(st) != 2)
        return bad(c, c->col[0], "expected a two-letter state code");
    if (!field_long(c, c->col[1], 1990, 2100, &year))
        return false;
    int month = month_number(c->r.fields[c->col[2]]);
    if (!month)
        return bad(c, c->col[2], "expected a month name such as January");
    if (!field_long(c, c->col[4], 0, 10000000, &deaths))
        return false;
    str_copy(row.state, sizeof(row.state), st);
    row.state_name = c->r.fields[c->col[5]];
    char period[32];
    snprintf(period, sizeof(period), "%04ld-%02d", year, month);
    str_copy(row.period, sizeof(row.period), period);
    row.deaths = deaths;
    if (!stats_store_state(c->db, &row)) {
        snprintf(c->err, c->errlen, "%s: row %ld: the database refused the row", c->name, c->r.row);
        return false;
    }
    c->sum->rows_kept++;
    return true;
}

static bool longview_row_of(struct ctx *c)
{
    if (strcmp(c->r.fields[c->col[1]], "Both Sexes") || strcmp(c->r.fields[c->col[3]], "All Races-All Origins")) {
        c->sum->rows_skipped++;
        return true;
    }
    longview_row row = {0};
    if (!field_long(c, c->col[0], 1900, 2100, &row.year) || !field_long(c, c->col[5], 0, 100000000, &row.deaths) ||
        !field_long(c, c->col[6], 0, 2000000000, &row.population) || !field_rate(c, c->col[7], &row.crude_rate) ||
        !field_rate(c, c->col[8], &row.adjusted_rate))
        return false;
    row.age = c->r.fields[c->col[2]];
    row.state = c->r.fields[c->col[4]];
    if (!row.age[0] || !row.state[0])
        return bad(c, !row.age[0] ? c->col[2] : c->col[4], "must not be empty");
    if (!stats_store_longview(c->db, &row)) {
        snprintf(c->err, c->errlen, "%s: row %ld: the database refused the row", c->name, c->r.row);
        return false;
    }
    c->sum->rows_kept++;
    return true;
}

static bool setup(struct ctx *c, enum kind k)
{
    static const char *const national[] = {"year", "period_end", "reported_12mo_deaths", "predicted_12mo_deaths",
                                           "footnote"};
    static const char *const state[] = {"State", "Year", "Month", "Indicator", "Data Value", "State Name"};
    static const char *const longview[] = {"Year", "Sex", "Age", "Race and Hispanic Origin", "State", "Deaths",
                                           "Population", "Crude Death Rate", "Age-adjusted Rate"};
    switch (k) {
    case K_NATIONAL: c->sum->table = "national"; return need_columns(c, national, 5);
    case K_STATE: c->sum->table = "state"; return need_columns(c, state, 6);
    case K_LONGVIEW: c->sum->table = "longview"; return need_columns(c, longview, 9);
    default:
        snprintf(c->err, c->errlen,
                 "%s: row 1: not a statistics file we know (expected the CDC VSRR national or state file, or the "
                 "NCHS drug poisoning mortality file)",
                 c->name);
        return false;
    }
}

static bool import_rows(struct ctx *c, enum kind k)
{
    int rc;
    while ((rc = csv_next_row(&c->r)) == 1) {
        c->sum->rows_read++;
        int need = k == K_NATIONAL ? 5 : k == K_STATE ? 6 : 9;
        int maxcol = 0;
        for (int i = 0; i < need; i++)
            if (c->col[i] > maxcol)
                maxcol = c->col[i];
        if (c->r.nfields <= maxcol)
            return bad(c, c->r.nfields, "the row has too few columns");
        bool ok = k == K_NATIONAL ? national_row_of(c) : k == K_STATE ? state_row_of(c) : longview_row_of(c);
        if (!ok)
            return false;
        progress(c, false);
    }
    if (rc < 0) {
        snprintf(c->err, c->errlen, "%s: %s", c->name, c->r.error);
        return false;
    }
    if (c->sum->rows_kept == 0) {
        snprintf(c->err, c->errlen, "%s: no usable rows", c->name);
        return false;
    }
    progress(c, true);
    return true;
}

bool stats_import_text(sqlite3 *db, const char *name, const char *text, size_t len, stats_summary *sum, char *err,
                       size_t errlen)
{
    struct ctx c = {.name = name, .err = err, .errlen = errlen, .sum = sum, .db = db};
    memset(sum, 0, sizeof(*sum));
    csv_init(&c.r, text, len);
    bool ok = false;
    int rc = csv_next_row(&c.r);
    if (rc != 1) {
        snprintf(err, errlen, "%s: %s", name, rc < 0 ? c.r.error : "the file is empty");
    } else {
        enum kind k = detect(&c.r);
        if (setup(&c, k) && db_begin(db)) {
            ok = stats_store_clear(db, sum->table) && import_rows(&c, k) &&
                 stats_store_source(db, sum->table, name, sum->rows_kept) && db_commit(db);
            if (!ok)
                db_rollback(db);
        }
    }
    csv_free(&c.r);
    return ok;
}

bool stats_import_file(sqlite3 *db, const char *path, stats_summary *sum, char *err, size_t errlen)
{
    size_t len;
    char *text = file_read(path, STATS_FILE_MAX, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = stats_import_text(db, path, text, len, sum, err, errlen);
    free(text);
    return ok;
}

bool stats_seed(sqlite3 *db, const char *data_dir, char *err, size_t errlen)
{
    static const struct { const char *table, *file; } bundled[] = {
        {"national", "cdc_vsrr_us_12mo_ending_overdose_deaths_2015-01_2025-04.csv"},
        {"state", "cdc_vsrr_state_2015-2018_snapshot.csv"},
        {"longview", "nchs_drug_poisoning_mortality_by_state_1999-2015.csv"},
    };
    for (size_t i = 0; i < sizeof(bundled) / sizeof(bundled[0]); i++) {
        if (stats_store_count(db, bundled[i].table) != 0)
            continue;
        char path[700];
        snprintf(path, sizeof(path), "%s/stats/%s", data_dir, bundled[i].file);
        stats_summary sum;
        if (!stats_import_file(db, path, &sum, err, errlen))
            return false;
    }
    return true;
}
