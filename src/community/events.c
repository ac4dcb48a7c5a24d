/* events: reading and storing the daily counts. See events.h. */
#include "community/events.h"
#include "community/areas.h"
#include "community/events_store.h"
#include "core/csv.h"
#include "core/tz.h"
#include "core/util.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const columns[4] = {"date", "area", "kind", "count"};

bool events_kind_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= EVENTS_KIND_MAX || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

bool events_check_kind(const char *s, char *err, size_t errlen)
{
    if (!events_kind_ok(s)) {
        snprintf(err, errlen, "a kind is lower-case letters, digits and dashes (at most %d), like ems-overdose-calls",
                 EVENTS_KIND_MAX - 1);
        return false;
    }
    if (strcmp(s, EVENTS_REPORTS_KIND) == 0) {
        snprintf(err, errlen, "the kind %s is counted from reviewed community reports and cannot be entered",
                 EVENTS_REPORTS_KIND);
        return false;
    }
    return true;
}

bool events_day_ok(const char *s, long *days)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    int64_t n = tz_days_from_civil(y, m, d);
    int64_t yy;
    int mm, dd;
    tz_civil_from_days(n, &yy, &mm, &dd);
    if (mm != m || dd != d) /* 2025-02-30 */
        return false;
    if (days)
        *days = (long)n;
    return true;
}

void events_day_str(long days, char out[11])
{
    int64_t y;
    int m, d;
    tz_civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y % 10000 + 10000) % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

static bool bad(char *err, size_t errlen, long row, int col, const char *why)
{
    snprintf(err, errlen, "row %ld, column %s: %s", row, columns[col], why);
    return false;
}

static bool header_ok(csv_reader *r, char *err, size_t errlen)
{
    int got = csv_next_row(r);
    if (got < 0) {
        snprintf(err, errlen, "%s", r->error);
        return false;
    }
    bool ok = got == 1 && r->nfields == 4;
    for (int i = 0; ok && i < 4; i++)
        ok = strcmp(r->fields[i], columns[i]) == 0;
    if (!ok)
        snprintf(err, errlen, "row 1: the header must be exactly date,area,kind,count");
    return ok;
}

/* One data row into out; false with err. */
static bool row_of(const csv_reader *r, event_row *out, char *err, size_t errlen)
{
    if (r->nfields != 4) {
        int col = r->nfields < 4 ? r->nfields : 3;
        return bad(err, errlen, r->row, col, r->nfields < 4 ? "missing (a row has 4 columns)" : "too many columns");
    }
    if (!events_day_ok(r->fields[0], NULL))
        return bad(err, errlen, r->row, 0, "expected a date like 2025-03-14");
    str_copy(out->day, sizeof(out->day), r->fields[0]);
    if (!areas_check(r->fields[1], out->area, sizeof(out->area)))
        return bad(err, errlen, r->row, 1, "expected a ZIP code or a named area's slug");
    char why[160];
    if (!events_check_kind(r->fields[2], why, sizeof(why)))
        return bad(err, errlen, r->row, 2, why);
    str_copy(out->kind, sizeof(out->kind), r->fields[2]);
    if (!parse_long(r->fields[3], 0, EVENTS_MAX_COUNT, &out->count))
        return bad(err, errlen, r->row, 3, "expected a whole number from 0 to 1000000");
    return true;
}

static int cmp_rows(const void *a, const void *b)
{
    const event_row *x = a, *y = b;
    int c = strcmp(x->kind, y->kind);
    if (!c)
        c = strcmp(x->area, y->area);
    return c ? c : strcmp(x->day, y->day);
}

bool events_parse(const char *text, size_t len, event_row **rows, size_t *n, char *err, size_t errlen)
{
    csv_reader r;
    csv_init(&r, text, len);
    size_t cap = 0, k = 0;
    event_row *out = NULL;
    long *rowno = NULL;
    bool ok = header_ok(&r, err, errlen);
    int got;
    while (ok && (got = csv_next_row(&r)) != 0) {
        if (got < 0) {
            snprintf(err, errlen, "%s", r.error);
            ok = false;
            break;
        }
        if (r.nfields == 1 && r.fields[0][0] == '\0')
            continue; /* a blank line */
        if (k == cap) {
            cap = cap ? cap * 2 : 256;
            out = xrealloc(out, cap * sizeof(*out));
            rowno = xrealloc(rowno, cap * sizeof(*rowno));
        }
        rowno[k] = r.row;
        ok = row_of(&r, &out[k], err, errlen);
        k++;
    }
    csv_free(&r);
    if (ok && k > 1) { /* a (date, area, kind) twice: name the later row */
        event_row *sorted = xmalloc(k * sizeof(*sorted));
        memcpy(sorted, out, k * sizeof(*sorted));
        qsort(sorted, k, sizeof(*sorted), cmp_rows);
        for (size_t i = 1; ok && i < k; i++)
            if (cmp_rows(&sorted[i - 1], &sorted[i]) == 0) {
                long last = 0;
                for (size_t j = 0; j < k; j++)
                    if (cmp_rows(&out[j], &sorted[i]) == 0)
                        last = rowno[j];
                ok = bad(err, errlen, last, 0, "this date, area and kind is already in an earlier row");
            }
        free(sorted);
    }
    free(rowno);
    if (!ok) {
        free(out);
        return false;
    }
    *rows = out;
    *n = k;
    return true;
}

bool events_store_rows(sqlite3 *db, const event_row *rows, size_t n, const char *source, const char *who,
                       events_summary *sum, events_progress_fn progress)
{
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < n; i++) {
        int had = events_store_put(db, &rows[i], source, who, now);
        if (had < 0)
            return false;
        sum->rows++;
        if (had)
            sum->replaced++;
        else
            sum->added++;
        if (progress && (i + 1) % 5000 == 0)
            progress((long)i + 1, (long)n);
    }
    if (progress)
        progress((long)n, (long)n);
    return true;
}

bool events_import_text(sqlite3 *db, const char *text, size_t len, events_summary *sum,
                        events_progress_fn progress, char *err, size_t errlen)
{
    event_row *rows = NULL;
    size_t n = 0;
    memset(sum, 0, sizeof(*sum));
    if (!events_parse(text, len, &rows, &n, err, errlen))
        return false;
    bool ok = db_begin(db);
    ok = ok && events_store_rows(db, rows, n, "import", "", sum, progress);
    ok = ok && db_commit(db);
    if (!ok) {
        db_rollback(db);
        snprintf(err, errlen, "the database refused the counts: %s", sqlite3_errmsg(db));
    }
    free(rows);
    return ok;
}
