/* stats_pages: the statistics page, its charts, tables and CSV files. */
#include "stats/stats_pages.h"
#include "core/csv.h"
#include "pages/pages.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/chart.h"
#include "stats/stats_store.h"
#include "pages/site.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>

/* "2023-08" -> "Aug 2023" / "ago 2023": the date of the month's first day
 * in lang ("1 Aug 2023") without the day. */
static const char *period_label(arena *a, int lang, const char *period)
{
    long m = 0;
    char mm[3] = {period[5], period[6], 0};
    if (strlen(period) != 7 || !parse_long(mm, 1, 12, &m))
        return period;
    char iso[16], out[48];
    snprintf(iso, sizeof(iso), "%.7s-01", period);
    if (!i18n_day(lang, iso, out, sizeof(out)))
        return period;
    const char *sp = strchr(out, ' ');
    return arena_strdup(a, sp ? sp + 1 : out);
}

/* The CDC files' place names whose Spanish differs from the English; the
 * others (Texas, Ohio ...) are the same in both. */
static const char *const place_names[] = {
    N_("District of Columbia"), N_("Hawaii"),         N_("Louisiana"),      N_("Missouri"),
    N_("New Hampshire"),        N_("New Jersey"),     N_("New Mexico"),     N_("New York"),
    N_("New York City"),        N_("North Carolina"), N_("North Dakota"),   N_("Pennsylvania"),
    N_("South Carolina"),       N_("South Dakota"),   N_("United States"),  N_("West Virginia"),
};

/* A state's name from the data in lang. */
static const char *place(int lang, const char *name)
{
    for (size_t i = 0; lang != I18N_SOURCE && i < sizeof(place_names) / sizeof(place_names[0]); i++)
        if (!strcmp(name, place_names[i]))
            return i18n_tr(lang, place_names[i]);
    return name;
}

/* An age group of the CDC file ("15-24 years", "75+ years", "Less than 15
 * years") in lang; the file's own words in English. */
static const char *age_label(arena *a, int lang, const char *age)
{
    int lo = 0, hi = 0, used = 0;
    char out[96];
    if (lang == I18N_SOURCE)
        return age;
    if (sscanf(age, "%d-%d years%n", &lo, &hi, &used) == 2 && used && !age[used])
        snprintf(out, sizeof(out), i18n_tr(lang, "%d-%d years"), lo, hi);
    else if (sscanf(age, "%d+ years%n", &lo, &used) == 1 && used && !age[used])
        snprintf(out, sizeof(out), i18n_tr(lang, "%d+ years"), lo);
    else if (sscanf(age, "Less than %d years%n", &lo, &used) == 1 && used && !age[used])
        snprintf(out, sizeof(out), i18n_tr(lang, "Less than %d years"), lo);
    else
        return age;
    return arena_strdup(a, out);
}

/* A count with the language's thousands separator ("114,029", "114 029"). */
static const char *count(arena *a, int lang, double v)
{
    char out[48];
    if (lang == I18N_SOURCE)
        chart_format_count(v, out, sizeof(out));
    else
        i18n_number(lang, v, 0, out, sizeof(out));
    return arena_strdup(a, out);
}

/* A rate with one decimal ("12.5", "12,5"); "" for no data. */
static const char *rate(arena *a, int lang, double v)
{
    char out[48] = "";
    if (v >= 0 && lang == I18N_SOURCE)
        snprintf(out, sizeof(out), "%.1f", v);
    else if (v >= 0)
        i18n_number(lang, v, 1, out, sizeof(out));
    return arena_strdup(a, out);
}

/* The national trend: chart, table rows and the story notes. */
static void national(json_t *d, request *rq, sqlite3 *db)
{
    national_row *rows = NULL;
    int n = stats_load_national(db, &rq->a, &rows);
    if (n <= 1)
        return;
    double *rep = arena_alloc(&rq->a, sizeof(double) * (size_t)n), *pred = arena_alloc(&rq->a, sizeof(double) * (size_t)n);
    const char **ticks = arena_alloc(&rq->a, sizeof(char *) * (size_t)n);
    int peak = 0;
    json_t *table = json_array();
    for (int i = 0; i < n; i++) {
        rep[i] = (double)rows[i].reported;
        pred[i] = rows[i].predicted >= 0 ? (double)rows[i].predicted : -1;
        double v = pred[i] >= 0 ? pred[i] : rep[i];
        if (v > (pred[peak] >= 0 ? pred[peak] : rep[peak]))
            peak = i;
        ticks[i] = !strcmp(rows[i].period + 4, "-01") ? arena_strndup(&rq->a, rows[i].period, 4) : NULL;
        json_t *r = json_object();
        jset_str(r, "period", period_label(&rq->a, rq->lang, rows[i].period));
        jset_str(r, "reported", count(&rq->a, rq->lang, rep[i]));
        jset_str(r, "predicted", pred[i] >= 0 ? count(&rq->a, rq->lang, pred[i]) : "");
        json_array_append_new(table, r);
    }
    int last = n - 1;
    char peak_note[96], last_note[96], desc[600];
    snprintf(peak_note, sizeof(peak_note), T(rq, "Peak: %s (%s)"), count(&rq->a, rq->lang, pred[peak] >= 0 ? pred[peak] : rep[peak]),
             period_label(&rq->a, rq->lang, rows[peak].period));
    snprintf(last_note, sizeof(last_note), T(rq, "Latest: %s (%s)"), count(&rq->a, rq->lang, pred[last] >= 0 ? pred[last] : rep[last]),
             period_label(&rq->a, rq->lang, rows[last].period));
    snprintf(desc, sizeof(desc),
             T(rq, "Drug overdose deaths in the United States in the 12 months ending each month, from %s to %s. "
                   "Deaths rose from %s to a peak of %s in the year ending %s, then fell to %s in the year ending %s "
                   "(predicted counts, which allow for reports still coming in)."),
             period_label(&rq->a, rq->lang, rows[0].period), period_label(&rq->a, rq->lang, rows[last].period),
             count(&rq->a, rq->lang, pred[0] >= 0 ? pred[0] : rep[0]),
             count(&rq->a, rq->lang, pred[peak] >= 0 ? pred[peak] : rep[peak]), period_label(&rq->a, rq->lang, rows[peak].period),
             count(&rq->a, rq->lang, pred[last] >= 0 ? pred[last] : rep[last]), period_label(&rq->a, rq->lang, rows[last].period));
    line_chart c = {.id = "chart-us", .title = T(rq, "US drug overdose deaths, 12 months ending each month"),
                    .desc = desc, .y_label = T(rq, "Deaths in the past 12 months"),
                    .x_label = T(rq, "Year (January of each year marked)"), .n = n, .x_tick_labels = ticks,
                    .nseries = 2, .nnotes = 2, .lang = rq->lang};
    c.series[0] = (chart_series){T(rq, "Predicted"), pred};
    c.series[1] = (chart_series){T(rq, "Reported"), rep};
    c.notes[0] = (chart_note){0, peak, peak_note};
    c.notes[1] = (chart_note){0, last, last_note};
    buf svg = BUF_INIT;
    chart_line_svg(&svg, &c);
    jset_str(d, "us_svg", buf_cstr(&svg));
    buf_free(&svg);
    jset_str(d, "us_desc", desc);
    json_object_set_new(d, "us_rows", table);
    jset_str(d, "us_footnote", rows[last].footnote);
}

static void by_state(json_t *d, request *rq, sqlite3 *db)
{
    state_row *rows = NULL;
    int n = stats_load_states_latest(db, &rq->a, &rows);
    if (n <= 0)
        return;
    const char **labels = arena_alloc(&rq->a, sizeof(char *) * (size_t)n);
    double *vals = arena_alloc(&rq->a, sizeof(double) * (size_t)n);
    json_t *table = json_array();
    for (int i = 0; i < n; i++) {
        labels[i] = place(rq->lang, rows[i].state_name);
        vals[i] = (double)rows[i].deaths;
        json_t *r = json_object();
        jset_str(r, "state", labels[i]);
        jset_str(r, "deaths", count(&rq->a, rq->lang, vals[i]));
        json_array_append_new(table, r);
    }
    char title[128], desc[400];
    const char *when = period_label(&rq->a, rq->lang, rows[0].period);
    snprintf(title, sizeof(title), T(rq, "Drug overdose deaths by state, 12 months ending %s"), when);
    snprintf(desc, sizeof(desc),
             T(rq, "A bar for each state and the District of Columbia, largest first: %s had the most (%s), %s the "
                   "fewest (%s), in the 12 months ending %s."),
             labels[0], count(&rq->a, rq->lang, vals[0]), labels[n - 1], count(&rq->a, rq->lang, vals[n - 1]), when);
    bar_chart c = {.id = "chart-states", .title = title, .desc = desc, .x_label = T(rq, "Deaths in 12 months"),
                   .n = n, .labels = labels, .values = vals, .lang = rq->lang};
    buf svg = BUF_INIT;
    chart_bars_svg(&svg, &c);
    jset_str(d, "states_svg", buf_cstr(&svg));
    buf_free(&svg);
    jset_str(d, "states_title", title);
    jset_str(d, "states_when", when);
    json_object_set_new(d, "states_rows", table);
}

#define MAX_AGES 8
#define MAX_YEARS 40

/* Says in words what the age chart shows, from the data itself. */
static void describe_ages(const request *rq, const line_chart *c, int ny, long y0, long y1, char *out, size_t outlen)
{
    bool all_rose = true;
    int top = -1;
    for (int a = 0; a < c->nseries; a++) {
        const double *ys = c->series[a].y;
        if (ys[0] < 0 || ys[ny - 1] < 0 || ys[ny - 1] <= ys[0])
            all_rose = false;
        if (ys[ny - 1] >= 0 && (top < 0 || ys[ny - 1] > c->series[top].y[ny - 1]))
            top = a;
    }
    char top_rate[48];
    if (rq->lang == I18N_SOURCE)
        snprintf(top_rate, sizeof(top_rate), "%.1f", top >= 0 ? c->series[top].y[ny - 1] : 0.0);
    else
        i18n_number(rq->lang, top >= 0 ? c->series[top].y[ny - 1] : 0.0, 1, top_rate, sizeof(top_rate));
    snprintf(out, outlen,
             T(rq, "One line per age group, %ld to %ld. %s In %ld the highest rate was among people aged %s (%s "
                   "deaths per 100,000). The tables below give the first and last year for each age group and each "
                   "state."),
             y0, y1, all_rose ? T(rq, "Death rates rose in every age group.") : T(rq, "Death rates changed unevenly by age."),
             y1, top >= 0 ? c->series[top].name : "?", top_rate);
}

static void by_age(json_t *d, request *rq, sqlite3 *db)
{
    longview_row *rows = NULL;
    int n = stats_load_ages(db, &rq->a, &rows);
    if (n <= 0)
        return;
    const char *ages[MAX_AGES] = {NULL};
    long y0 = rows[0].year;
    long y1 = y0;
    int na = 0;
    for (int i = 0; i < n; i++) {
        if (rows[i].year < y0) y0 = rows[i].year;
        if (rows[i].year > y1) y1 = rows[i].year;
        if ((na == 0 || strcmp(ages[na - 1], rows[i].age)) && na < MAX_AGES)
            ages[na++] = rows[i].age;
    }
    int ny = (int)(y1 - y0 + 1);
    if (ny < 2 || ny > MAX_YEARS)
        return;
    line_chart c = {.id = "chart-ages", .title = T(rq, "Drug poisoning deaths per 100,000 people, by age, 1999 to 2015"),
                    .y_label = T(rq, "Deaths per 100,000 people"), .x_label = T(rq, "Year"), .n = ny, .lang = rq->lang};
    const char **ticks = arena_alloc(&rq->a, sizeof(char *) * (size_t)ny);
    json_t *table = json_array();
    for (int y = 0; y < ny; y++) {
        char yr[8];
        snprintf(yr, sizeof(yr), "%ld", y0 + y);
        ticks[y] = (y % 2 == 0 || y == ny - 1) ? arena_strdup(&rq->a, yr) : NULL;
    }
    for (int a = 0; a < na && a < CHART_MAX_SERIES; a++) {
        double *ys = arena_alloc(&rq->a, sizeof(double) * (size_t)ny);
        for (int y = 0; y < ny; y++)
            ys[y] = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(rows[i].age, ages[a]) && rows[i].crude_rate >= 0)
                ys[rows[i].year - y0] = rows[i].crude_rate;
        const char *label = age_label(&rq->a, rq->lang, ages[a]);
        c.series[c.nseries++] = (chart_series){label, ys};
        json_t *r = json_object();
        jset_str(r, "age", label);
        jset_str(r, "first", rate(&rq->a, rq->lang, ys[0]));
        jset_str(r, "last", rate(&rq->a, rq->lang, ys[ny - 1]));
        json_array_append_new(table, r);
    }
    char desc[400];
    describe_ages(rq, &c, ny, y0, y1, desc, sizeof(desc));
    c.desc = desc;
    c.x_tick_labels = ticks;
    buf svg = BUF_INIT;
    chart_line_svg(&svg, &c);
    jset_str(d, "ages_svg", buf_cstr(&svg));
    buf_free(&svg);
    json_object_set_new(d, "ages_rows", table);
    json_object_set_new(d, "first_year", json_integer(y0));
    json_object_set_new(d, "last_year", json_integer(y1));
}

static void state_change(json_t *d, request *rq, sqlite3 *db)
{
    longview_row *rows = NULL;
    int n = stats_load_state_change(db, &rq->a, &rows);
    json_t *table = json_array();
    for (int i = 0; i + 1 < n; i++) {
        if (strcmp(rows[i].state, rows[i + 1].state))
            continue;
        json_t *r = json_object();
        jset_str(r, "state", place(rq->lang, rows[i].state));
        jset_str(r, "first", rate(&rq->a, rq->lang, rows[i].adjusted_rate));
        jset_str(r, "last", rate(&rq->a, rq->lang, rows[i + 1].adjusted_rate));
        json_array_append_new(table, r);
        i++;
    }
    json_object_set_new(d, "change_rows", table);
}

void stats_page(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db) {
        resp_error(rq, rs, 500, T(rq, "The statistics are not available right now."));
        return;
    }
    site *s = site_acquire();
    bool fallback = false;
    const page *intro = s ? site_page(s, rq->lang, "/data", &fallback) : NULL;
    json_t *d = view_data(rq, intro ? intro->title : T(rq, "Understanding addiction through data"));
    if (intro) {
        pages_add_intro(d, intro);
        /* the facts block, with its sources */
        pages_add_include(d, site_content(s, fallback ? I18N_SOURCE : rq->lang), intro);
        if (fallback)
            pages_mark_untranslated(d);
        if (!json_object_get(d, "include_html") && !fallback && rq->lang != I18N_SOURCE) {
            pages_add_include(d, site_content(s, I18N_SOURCE), intro); /* the facts in English, marked so */
            jset_str(d, "include_lang", "en");
        }
    }
    if (s)
        site_release(s);
    national(d, rq, db);
    by_state(d, rq, db);
    by_age(d, rq, db);
    state_change(d, rq, db);
    rs->cache_control = "public, max-age=600";
    view_page(rq, rs, "data", d);
}

void stats_csv(request *rq, response *rs)
{
    const char *name = req_param(rq, "name");
    sqlite3 *db = db_thread();
    if (!db) {
        resp_error(rq, rs, 500, T(rq, "The statistics are not available right now."));
        return;
    }
    buf *b = &rs->body;
    if (!strcmp(name, "overdose-deaths-us.csv")) {
        national_row *rows = NULL;
        int n = stats_load_national(db, &rq->a, &rows);
        buf_puts(b, "period_end,reported_12mo_deaths,predicted_12mo_deaths,footnote\n");
        for (int i = 0; i < n; i++) {
            buf_printf(b, "%s,%ld,", rows[i].period, rows[i].reported);
            if (rows[i].predicted >= 0)
                buf_printf(b, "%ld", rows[i].predicted);
            buf_putc(b, ',');
            csv_put_field(b, rows[i].footnote);
            buf_putc(b, '\n');
        }
    } else if (!strcmp(name, "overdose-deaths-by-state.csv")) {
        state_row *rows = NULL;
        int n = stats_load_states_latest(db, &rq->a, &rows);
        buf_puts(b, "state,state_name,period_end,deaths_12mo\n");
        for (int i = 0; i < n; i++) {
            buf_printf(b, "%s,", rows[i].state);
            csv_put_field(b, rows[i].state_name);
            buf_printf(b, ",%s,%ld\n", rows[i].period, rows[i].deaths);
        }
    } else if (!strcmp(name, "drug-poisoning-by-age.csv")) {
        longview_row *rows = NULL;
        int n = stats_load_ages(db, &rq->a, &rows);
        buf_puts(b, "year,age,deaths,population,crude_rate_per_100000\n");
        for (int i = 0; i < n; i++) {
            buf_printf(b, "%ld,", rows[i].year);
            csv_put_field(b, rows[i].age);
            buf_printf(b, ",%ld,%ld,", rows[i].deaths, rows[i].population);
            if (rows[i].crude_rate >= 0)
                buf_printf(b, "%.1f", rows[i].crude_rate);
            buf_putc(b, '\n');
        }
    } else {
        resp_error(rq, rs, 404, T(rq, "There is no data file with that name."));
        return;
    }
    rs->content_type = "text/csv; charset=utf-8";
    rs->cache_control = "public, max-age=600";
    resp_header(rs, "Content-Disposition", "attachment");
}
