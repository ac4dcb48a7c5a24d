/* hours: turns HSDS schedules into weekly rules and closure dates, and
 * answers "is it open now, and until when" and "what are the hours this
 * week" in the location's time zone.
 *
 * Status works on real instants: each rule on each local date from
 * yesterday to nine days ahead becomes a [start, end) span in UTC (via
 * tz_utc, so DST days come out right), the spans are sorted and merged, and
 * the answer is read off the merged list. */
#include "locator/hours.h"

#include "core/i18n.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_MINUTES 1440
#define HORIZON ((int64_t)8 * 86400)
#define SPAN_DAYS 11 /* yesterday .. today + 9 */
#define SPAN_MAX (SPAN_DAYS * HOURS_MAX_RULES)
#define NOW_LIMIT ((int64_t)1 << 50)

/* Short day names, translated where used ("Sun" -> "dom"). */
static const char *const day_name[7] = {N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat")};

static const char *dayname(int lang, int wday)
{
    return i18n_tr(lang, day_name[wday]);
}
static const char *const day_code[7] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

typedef struct span {
    int64_t start, end;
} span;

/* The fields of one schedule that matter here; NULL when absent. */
typedef struct sched {
    const char *byday, *opens, *closes, *from, *to;
} sched;

static bool fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int wday_of(int64_t day)
{
    return (int)((day % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
}

/* ------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------ */

/* "YYYY-MM-DD", a real date, as days since 1970-01-01. */
static bool parse_date(const char *s, int64_t *days)
{
    static const int mlen[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !is_digit(s[i]))
            return false;
    if (s[10])
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > mlen[m - 1] || (m == 2 && d == 29 && !leap))
        return false;
    *days = tz_days_from_civil(y, m, d);
    return true;
}

enum clock_result { CLOCK_OK, CLOCK_BAD, CLOCK_ZONE };

/* "H:MM", "HH:MM" or "HH:MM:SS" (seconds dropped) into minutes; "24:00"
 * only when closing. A valid time followed by 'Z', '+' or '-' is
 * CLOCK_ZONE. */
static enum clock_result parse_clock(const char *s, bool closing, int *out)
{
    int h = *s - '0', m, sec = 0;
    if (!is_digit(*s++))
        return CLOCK_BAD;
    if (is_digit(*s))
        h = h * 10 + (*s++ - '0');
    if (*s++ != ':' || !is_digit(s[0]) || !is_digit(s[1]))
        return CLOCK_BAD;
    m = (s[0] - '0') * 10 + (s[1] - '0');
    s += 2;
    if (s[0] == ':' && is_digit(s[1]) && is_digit(s[2])) {
        sec = (s[1] - '0') * 10 + (s[2] - '0');
        s += 3;
    }
    if (m > 59 || sec > 59 || h > 24 || (h == 24 && (!closing || m || sec)))
        return CLOCK_BAD;
    if (*s)
        return (*s == 'Z' || *s == '+' || *s == '-') ? CLOCK_ZONE : CLOCK_BAD;
    *out = h * 60 + m;
    return CLOCK_OK;
}

static bool read_clock(const char *key, const char *s, bool closing, int *out, char *err, size_t errlen)
{
    enum clock_result r = parse_clock(s, closing, out);
    if (r == CLOCK_ZONE)
        return fail(err, errlen, "%s \"%.20s\" has a time zone suffix (times are the location's local time)",
                    key, s);
    if (r == CLOCK_BAD)
        return fail(err, errlen, "%s \"%.20s\" is not a time (HH:MM or HH:MM:SS)", key, s);
    return true;
}

/* One byday item: optional [+-]digits, then a two-letter day code. */
static int day_item(const char **p)
{
    const char *s = *p;
    if (*s == '+' || *s == '-')
        s++;
    while (is_digit(*s))
        s++;
    for (int d = 0; d < 7; d++) {
        if ((s[0] & ~0x20) == day_code[d][0] && (s[1] & ~0x20) == day_code[d][1]) {
            *p = s + 2;
            return d;
        }
    }
    return -1;
}

/* "MO,TU,WE" (spaces allowed around items) into a mask of weekdays. */
static bool parse_byday(const char *s, unsigned *mask, char *err, size_t errlen)
{
    const char *p = s;
    *mask = 0;
    for (;;) {
        while (*p == ' ')
            p++;
        int d = day_item(&p);
        if (d < 0)
            return fail(err, errlen, "byday \"%.40s\" has a bad day code", s);
        *mask |= 1u << d;
        while (*p == ' ')
            p++;
        if (!*p)
            return true;
        if (*p++ != ',')
            return fail(err, errlen, "byday \"%.40s\" has a bad day code", s);
    }
}

/* A string member: NULL when absent, null or "". */
static bool get_str(json_t *o, const char *key, const char **out, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v))
        return fail(err, errlen, "%s is not a string", key);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return fail(err, errlen, "%s contains a NUL byte", key);
    if (*json_string_value(v))
        *out = json_string_value(v);
    return true;
}

static bool check_freq(json_t *o, char *err, size_t errlen)
{
    const char *freq;
    if (!get_str(o, "freq", &freq, err, errlen))
        return false;
    if (freq && !str_eq_nocase(freq, "WEEKLY"))
        return fail(err, errlen, "freq \"%.20s\" is not supported (only WEEKLY)", freq);
    json_t *iv = json_object_get(o, "interval");
    if (!iv || json_is_null(iv) || (json_is_number(iv) && json_number_value(iv) == 1.0) ||
        (json_is_string(iv) && strcmp(json_string_value(iv), "1") == 0))
        return true;
    return fail(err, errlen, "interval other than 1 is not supported");
}

static bool check_dates(const sched *s, char *err, size_t errlen)
{
    int64_t from = 0, to = 0;
    if (s->from && !parse_date(s->from, &from))
        return fail(err, errlen, "valid_from \"%.20s\" is not a date (YYYY-MM-DD)", s->from);
    if (s->to && !parse_date(s->to, &to))
        return fail(err, errlen, "valid_to \"%.20s\" is not a date (YYYY-MM-DD)", s->to);
    if (s->from && s->to && to < from)
        return fail(err, errlen, "valid_to is before valid_from");
    return true;
}

static bool read_sched(json_t *o, sched *s, char *err, size_t errlen)
{
    return check_freq(o, err, errlen) && get_str(o, "byday", &s->byday, err, errlen) &&
           get_str(o, "opens_at", &s->opens, err, errlen) && get_str(o, "closes_at", &s->closes, err, errlen) &&
           get_str(o, "valid_from", &s->from, err, errlen) && get_str(o, "valid_to", &s->to, err, errlen) &&
           check_dates(s, err, errlen);
}

static bool add_closure(hours *h, const sched *s, char *err, size_t errlen)
{
    if (!s->from)
        return fail(err, errlen, "schedule has no opens_at, closes_at or valid_from");
    if (h->nclosures < 0 || h->nclosures >= HOURS_MAX_CLOSURES)
        return fail(err, errlen, "too many closures (at most %d)", HOURS_MAX_CLOSURES);
    hours_closure *c = &h->closures[h->nclosures++];
    str_copy(c->from, sizeof c->from, s->from);
    str_copy(c->to, sizeof c->to, s->to ? s->to : s->from);
    return true;
}

static bool add_rules(hours *h, const sched *s, char *err, size_t errlen)
{
    int opens, closes;
    unsigned mask;
    if (!s->opens)
        return fail(err, errlen, "closes_at without opens_at");
    if (!s->closes)
        return fail(err, errlen, "opens_at without closes_at");
    if (!read_clock("opens_at", s->opens, false, &opens, err, errlen) ||
        !read_clock("closes_at", s->closes, true, &closes, err, errlen))
        return false;
    if (!s->byday)
        return fail(err, errlen, "byday is missing");
    if (!parse_byday(s->byday, &mask, err, errlen))
        return false;
    if (closes == 0 || closes == DAY_MINUTES - 1)
        closes = DAY_MINUTES; /* "00:00" and "23:59" closing: midnight at the end of the day */
    int ndays = __builtin_popcount(mask);
    if (h->nrules < 0 || h->nrules + ndays > HOURS_MAX_RULES)
        return fail(err, errlen, "too many opening rules (at most %d)", HOURS_MAX_RULES);
    for (int d = 0; d < 7; d++) {
        if (!(mask & (1u << d)))
            continue;
        hours_rule *r = &h->rules[h->nrules++];
        *r = (hours_rule){.wday = d, .opens = opens, .closes = closes};
        str_copy(r->valid_from, sizeof r->valid_from, s->from ? s->from : "");
        str_copy(r->valid_to, sizeof r->valid_to, s->to ? s->to : "");
    }
    return true;
}

void hours_init(hours *h, const tz *zone)
{
    memset(h, 0, sizeof *h);
    h->zone = zone;
}

bool hours_add_hsds(hours *h, json_t *schedule, char *err, size_t errlen)
{
    sched s = {0};
    if (err && errlen)
        err[0] = '\0';
    if (!json_is_object(schedule))
        return fail(err, errlen, "schedule is not an object");
    if (!read_sched(schedule, &s, err, errlen))
        return false;
    if (!s.opens && !s.closes)
        return add_closure(h, &s, err, errlen);
    return add_rules(h, &s, err, errlen);
}

/* ------------------------------------------------------------------------
 * Spans
 * ------------------------------------------------------------------------ */

static int nrules(const hours *h)
{
    return h->nrules < 0 ? 0 : h->nrules > HOURS_MAX_RULES ? HOURS_MAX_RULES : h->nrules;
}

static bool rule_ok(const hours_rule *r)
{
    return r->wday >= 0 && r->wday < 7 && r->opens >= 0 && r->opens < DAY_MINUTES && r->closes >= 0 &&
           r->closes <= DAY_MINUTES;
}

/* A bound that does not parse is no bound. */
static bool valid_on(const hours_rule *r, int64_t day)
{
    int64_t d;
    if (r->valid_from[0] && parse_date(r->valid_from, &d) && day < d)
        return false;
    return !(r->valid_to[0] && parse_date(r->valid_to, &d) && day > d);
}

static bool closed_on(const hours *h, int64_t day)
{
    int n = h->nclosures < 0 ? 0 : h->nclosures > HOURS_MAX_CLOSURES ? HOURS_MAX_CLOSURES : h->nclosures;
    for (int i = 0; i < n; i++) {
        int64_t from, to;
        if (!parse_date(h->closures[i].from, &from))
            continue;
        if (!parse_date(h->closures[i].to, &to))
            to = from;
        if (day >= from && day <= to)
            return true;
    }
    return false;
}

static int64_t local_day(const hours *h, int64_t t)
{
    struct tm tm;
    tz_local(h->zone, t, &tm);
    return tz_days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday);
}

/* The UTC instant of minute `minute` after the local midnight starting day
 * (minute may pass 1440 into the next day). */
static int64_t at(const hours *h, int64_t day, int minute)
{
    int64_t y;
    int m, d;
    tz_civil_from_days(day, &y, &m, &d);
    return tz_utc(h->zone, (int)y, m, d, minute / 60, minute % 60);
}

static bool rule_span(const hours *h, const hours_rule *r, int64_t day, span *out)
{
    int closes = r->closes > r->opens ? r->closes : r->closes + DAY_MINUTES;
    out->start = at(h, day, r->opens);
    out->end = at(h, day, closes);
    return out->end > out->start;
}

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* Sorts and merges spans that overlap or touch; returns the new count. */
static int merge(span *s, int n)
{
    int out = 0;
    if (n == 0)
        return 0;
    qsort(s, (size_t)n, sizeof *s, span_cmp);
    for (int i = 1; i < n; i++) {
        if (s[i].start <= s[out].end) {
            if (s[i].end > s[out].end)
                s[out].end = s[i].end;
        } else {
            s[++out] = s[i];
        }
    }
    return out + 1;
}

/* The merged openings of the rules on local dates first .. first+ndays-1. */
static int collect(const hours *h, int64_t first, int ndays, span *out)
{
    int n = 0, nr = nrules(h);
    for (int64_t day = first; day < first + ndays; day++) {
        if (closed_on(h, day))
            continue;
        for (int i = 0; i < nr; i++) {
            const hours_rule *r = &h->rules[i];
            if (rule_ok(r) && r->wday == wday_of(day) && valid_on(r, day) && rule_span(h, r, day, &out[n]))
                n++;
        }
    }
    return merge(out, n);
}

/* ------------------------------------------------------------------------
 * Wording
 * ------------------------------------------------------------------------ */

/* "9 am", "8:30 am", "noon", "midnight", "12:30 am". */
static void fmt_clock(int lang, int minute, char *out, size_t size)
{
    int hh = minute / 60 % 24, mm = minute % 60;
    if (mm == 0 && (hh == 0 || hh == 12)) {
        snprintf(out, size, "%s", hh == 0 ? i18n_tr(lang, "midnight") : i18n_tr(lang, "noon"));
        return;
    }
    int h12 = hh % 12 == 0 ? 12 : hh % 12;
    if (mm == 0)
        snprintf(out, size, hh < 12 ? i18n_tr(lang, "%d am") : i18n_tr(lang, "%d pm"), h12);
    else
        snprintf(out, size, hh < 12 ? i18n_tr(lang, "%d:%02d am") : i18n_tr(lang, "%d:%02d pm"), h12, mm);
}

/* An instant's local time, and its reference date: its own date, or the
 * day before when it is exactly midnight ("Tue midnight" ends Tuesday). */
static int64_t fmt_instant(const hours *h, int lang, int64_t t, char *clock, size_t size, int *wday)
{
    struct tm tm;
    tz_local(h->zone, t, &tm);
    int minute = tm.tm_hour * 60 + tm.tm_min;
    fmt_clock(lang, minute, clock, size);
    int64_t day = tz_days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday) - (minute == 0);
    *wday = wday_of(day);
    return day;
}

static void say(hours_status *out, enum hours_state st, int64_t next, const char *text)
{
    out->state = st;
    out->next_change = next;
    str_copy(out->text, sizeof out->text, text);
}

static void say_open(const hours *h, int lang, int64_t now, int64_t today, const span *s, hours_status *out)
{
    char clock[32];
    int wday;
    bool far = s->end - now > HORIZON;
    bool all_today = s->start <= at(h, today, 0) && s->end >= at(h, today + 1, 0);
    if (far || (all_today && s->end - now >= 86400)) {
        say(out, HOURS_OPEN, far ? 0 : s->end, i18n_tr(lang, "Open 24 hours"));
        return;
    }
    fmt_instant(h, lang, s->end, clock, sizeof clock, &wday);
    say(out, HOURS_OPEN, s->end, "");
    if (s->end - now >= 86400)
        snprintf(out->text, sizeof out->text, i18n_tr(lang, "Open now, closes %s %s"), dayname(lang, wday), clock);
    else
        snprintf(out->text, sizeof out->text, i18n_tr(lang, "Open now, closes %s"), clock);
}

static void say_closed(const hours *h, int lang, int64_t today, const span *next, hours_status *out)
{
    char clock[32];
    int wday;
    if (closed_on(h, today)) {
        say(out, HOURS_CLOSED, next ? next->start : 0, i18n_tr(lang, "Closed today"));
        return;
    }
    if (!next) {
        say(out, HOURS_CLOSED, 0, i18n_tr(lang, "Closed, opening hours not known"));
        return;
    }
    int64_t day = fmt_instant(h, lang, next->start, clock, sizeof clock, &wday);
    say(out, HOURS_CLOSED, next->start, "");
    if (day == today)
        snprintf(out->text, sizeof out->text, i18n_tr(lang, "Closed, opens %s"), clock);
    else
        snprintf(out->text, sizeof out->text, i18n_tr(lang, "Closed, opens %s %s"), dayname(lang, wday), clock);
}

void hours_status_at(const hours *h, int64_t now, hours_status *out)
{
    hours_status_lang(h, now, I18N_SOURCE, out);
}

void hours_status_lang(const hours *h, int64_t now, int lang, hours_status *out)
{
    span spans[SPAN_MAX];
    memset(out, 0, sizeof *out);
    if (nrules(h) == 0) {
        say(out, HOURS_UNKNOWN, 0, i18n_tr(lang, "Hours not listed"));
        return;
    }
    now = now < -NOW_LIMIT ? -NOW_LIMIT : now > NOW_LIMIT ? NOW_LIMIT : now;
    int64_t today = local_day(h, now);
    int n = collect(h, today - 1, SPAN_DAYS, spans);
    const span *next = NULL;
    for (int i = 0; i < n; i++) {
        if (spans[i].start <= now && now < spans[i].end) {
            say_open(h, lang, now, today, &spans[i], out);
            return;
        }
        if (!next && spans[i].start > now && spans[i].start - now <= HORIZON)
            next = &spans[i];
    }
    say_closed(h, lang, today, next, out);
}

/* ------------------------------------------------------------------------
 * Week summary
 * ------------------------------------------------------------------------ */

static int pair_cmp(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

static void append(char *dst, size_t size, const char *s)
{
    size_t n = strlen(dst);
    if (n + 1 < size)
        snprintf(dst + n, size - n, "%s", s);
}

/* "9 am-5 pm, 6 pm-9 pm", "open 24 hours" or "closed" for the rules of
 * weekday wday valid on date day; false when closed. */
static bool day_spec(const hours *h, int lang, int wday, int64_t day, char *out, size_t size)
{
    int pairs[HOURS_MAX_RULES][2], n = 0, nr = nrules(h);
    for (int i = 0; i < nr; i++) {
        const hours_rule *r = &h->rules[i];
        if (rule_ok(r) && r->wday == wday && valid_on(r, day)) {
            pairs[n][0] = r->opens;
            pairs[n++][1] = r->closes;
        }
    }
    qsort(pairs, (size_t)n, sizeof pairs[0], pair_cmp);
    snprintf(out, size, "%s", n ? "" : i18n_tr(lang, "closed"));
    for (int i = 0; i < n; i++) {
        char a[32], b[32], item[72];
        if (i > 0 && pair_cmp(pairs[i], pairs[i - 1]) == 0)
            continue;
        fmt_clock(lang, pairs[i][0], a, sizeof a);
        fmt_clock(lang, pairs[i][1], b, sizeof b);
        if (pairs[i][0] == 0 && pairs[i][1] == DAY_MINUTES)
            snprintf(item, sizeof item, "%s", i18n_tr(lang, "open 24 hours"));
        else
            snprintf(item, sizeof item, "%s-%s", a, b);
        append(out, size, i > 0 ? ", " : "");
        append(out, size, item);
    }
    return n > 0;
}

/* A line that did not fit ends at its last whole item, with ", ...". */
static void cut_line(char *line)
{
    size_t keep = 60;
    for (size_t k = 0; k + 6 <= 64; k++)
        if (line[k] == ',' && line[k + 1] == ' ')
            keep = k;
    memcpy(line + keep, keep == 60 ? "..." : ", ...", keep == 60 ? 4 : 6);
}

/* "Mon-Fri 9 am-5 pm"; i and j index Monday-first days. */
static void write_line(char *line, int lang, int i, int j, const char *spec)
{
    const char *first = dayname(lang, (i + 1) % 7), *last = dayname(lang, (j + 1) % 7);
    int n;
    if (i == j)
        n = snprintf(line, 64, "%s %s", first, spec);
    else
        n = snprintf(line, 64, "%s-%s %s", first, last, spec);
    if (n >= 64)
        cut_line(line);
}

int hours_week_summary_at(const hours *h, int64_t now, char lines[][64], int max)
{
    return hours_week_summary_lang(h, now, I18N_SOURCE, lines, max);
}

int hours_week_summary_lang(const hours *h, int64_t now, int lang, char lines[][64], int max)
{
    char spec[7][160];
    bool any = false;
    int n = 0;
    now = now < -NOW_LIMIT ? -NOW_LIMIT : now > NOW_LIMIT ? NOW_LIMIT : now;
    int64_t today = local_day(h, now);
    for (int i = 0; i < 7; i++) {
        int wd = (i + 1) % 7;
        any |= day_spec(h, lang, wd, today + (wd - wday_of(today) + 7) % 7, spec[i], sizeof spec[i]);
    }
    if (!any)
        return 0;
    for (int i = 0; i < 7 && n < max; n++) {
        int j = i;
        while (j + 1 < 7 && strcmp(spec[j + 1], spec[i]) == 0)
            j++;
        write_line(lines[n], lang, i, j, spec[i]);
        i = j + 1;
    }
    return n;
}

int hours_week_summary(const hours *h, char lines[][64], int max)
{
    return hours_week_summary_at(h, (int64_t)time(NULL), lines, max);
}
