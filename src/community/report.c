/* report: the check and the masking of a community drug report. See
 * report.h. Pure functions over strings: no I/O, no globals but the
 * choice tables (and areas_check, which reads the areas loaded at start). */
#include "community/report.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const report_choice report_effects[] = {
    {"passed-out", N_("Passed out or could not be woken")},
    {"more-naloxone", N_("Needed more naloxone than usual")},
    {"long-sedation", N_("Long sedation (hours), even after naloxone")},
    {"wounds", N_("Wounds or skin sores")},
    {"seizure", N_("Seizure")},
    {"breathing", N_("Slow or stopped breathing")},
    {"stronger", N_("Much stronger than expected")},
    {"other", N_("Something else (say below)")},
};
const size_t report_neffects = sizeof(report_effects) / sizeof(report_effects[0]);

const report_choice report_whens[] = {
    {"today", N_("Today")},
    {"yesterday", N_("Yesterday")},
    {"this-week", N_("Earlier this week")},
};
const size_t report_nwhens = sizeof(report_whens) / sizeof(report_whens[0]);

const char *report_effect_label(const char *slug)
{
    for (size_t i = 0; slug && i < report_neffects; i++)
        if (!strcmp(report_effects[i].value, slug))
            return report_effects[i].label;
    return slug ? slug : "";
}

size_t report_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ---- masking ---- */

enum { KEEP = 0, EMAIL = 1, PHONE = 2 };

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_local(char c)
{
    return is_alnum(c) || (c && strchr("._%+_-", c));
}

static bool is_domain(char c)
{
    return is_alnum(c) || c == '.' || c == '-';
}

/* Marks the email address around the '@' at at, if there is one: a local
 * part, and a domain with a dot followed by at least two letters. */
static void mark_email(const char *s, size_t n, size_t at, unsigned char *mark)
{
    size_t l = at;
    while (l > 0 && is_local(s[l - 1]))
        l--;
    size_t r = at + 1;
    while (r < n && is_domain(s[r]))
        r++;
    while (r > at + 1 && (s[r - 1] == '.' || s[r - 1] == '-'))
        r--; /* "mail me at a@b.org." ends with the sentence */
    if (l == at || r == at + 1)
        return;
    const char *dot = NULL;
    for (size_t i = at + 1; i < r; i++)
        if (s[i] == '.')
            dot = s + i;
    if (!dot || dot == s + at + 1)
        return;
    size_t letters = 0;
    for (const char *p = dot + 1; p < s + r; p++)
        letters += (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
    if (letters < 2 || (size_t)(s + r - dot - 1) != letters)
        return;
    memset(mark + l, EMAIL, r - l);
}

/* True for a run shaped like a date: 2026-12-04, 04-12-2026, 04.12.2026. */
static bool is_date(const char *s, size_t n)
{
    static const char *const shapes[] = {"dddd-dd-dd", "dd-dd-dddd", "dd.dd.dddd", "dddd.dd.dd"};
    for (size_t k = 0; k < 4; k++) {
        if (strlen(shapes[k]) != n)
            continue;
        bool ok = true;
        for (size_t i = 0; ok && i < n; i++)
            ok = shapes[k][i] == 'd' ? is_digit(s[i]) : s[i] == shapes[k][i];
        if (ok)
            return true;
    }
    return false;
}

/* The run of a possible phone number starting at i: digits with single
 * separators (space, '-', '.', brackets; "+" only first). Returns its end
 * (after its last digit) and the digits in *digits. */
static size_t phone_run(const char *s, size_t n, size_t i, const unsigned char *mark, int *digits)
{
    size_t j = i, end = i;
    int d = 0, seps = 0;
    if (s[j] == '+')
        j++;
    for (; j < n && !mark[j]; j++) {
        if (is_digit(s[j])) {
            d++;
            seps = 0;
            end = j + 1;
        } else if (strchr(" -.()", s[j]) && ++seps <= 2) {
            continue;
        } else {
            break;
        }
    }
    *digits = d;
    return end;
}

static void mark_phones(const char *s, size_t n, unsigned char *mark)
{
    size_t i = 0;
    while (i < n) {
        bool start = !mark[i] && (is_digit(s[i]) || s[i] == '+' || s[i] == '(') && (i == 0 || !is_alnum(s[i - 1]));
        if (!start) {
            i++;
            continue;
        }
        size_t b = s[i] == '(' ? i + 1 : i;
        int digits = 0;
        size_t end = b < n ? phone_run(s, n, b, mark, &digits) : b;
        bool glued = end < n && is_alnum(s[end]); /* "30mg", "555abc": part of a word */
        if (digits >= 7 && digits <= 15 && !glued && !is_date(s + b, end - b))
            memset(mark + i, PHONE, end - i);
        i = end > i ? end : i + 1;
    }
}

static char *mask_once(const char *s, size_t n)
{
    unsigned char *mark = xcalloc(n ? n : 1, 1);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            mark_email(s, n, i, mark);
    mark_phones(s, n, mark);
    buf out = BUF_INIT;
    for (size_t i = 0; i < n;) {
        if (!mark[i]) {
            buf_putc(&out, s[i] ? s[i] : ' ');
            i++;
            continue;
        }
        unsigned char m = mark[i];
        buf_puts(&out, m == EMAIL ? "[email removed]" : "[phone removed]");
        while (i < n && mark[i] == m)
            i++;
    }
    free(mark);
    size_t len;
    char *r = buf_detach(&out, &len);
    return r ? r : xstrdup("");
}

/* Masking can make a new match (a phone number cut out of "x@y.co.555..."
 * leaves the address "x@y.co"), so it runs until nothing changes. That
 * ends: every change replaces at least one digit or '@' by a placeholder
 * that has neither, and after the first pass there is no NUL. */
char *report_mask(const char *s, size_t n)
{
    char *cur = mask_once(s, n);
    for (;;) {
        char *next = mask_once(cur, strlen(cur));
        if (!strcmp(next, cur)) {
            free(next);
            return cur;
        }
        free(cur);
        cur = next;
    }
}

/* ---- the check ---- */

/* Adds msg, already in the form's language, for field (the first per field). */
static void problem(report_problems *pr, const char *field, const char *msg)
{
    for (int i = 0; i < pr->n; i++)
        if (!strcmp(pr->items[i].field, field))
            return;
    if (pr->n >= REPORT_PROBLEMS_MAX)
        return;
    pr->items[pr->n].field = field;
    str_copy(pr->items[pr->n].message, sizeof(pr->items[pr->n].message), msg);
    pr->n++;
}

/* s trimmed of spaces around it, checked (max characters; control
 * characters refused, newlines and tabs only when multiline), masked. */
static char *clean_text(int lang, const char *s, const char *field, const char *what, size_t max, bool multiline,
                        report_problems *pr)
{
    what = i18n_tr(lang, what);
    s = s ? s : "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    char msg[200];
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = c >= 0x20 || (multiline && (c == '\n' || c == '\r' || c == '\t'));
        if (!ok || c == 0x7F) {
            snprintf(msg, sizeof(msg), i18n_tr(lang, "%s has a character that cannot be stored: please type it again."),
                     what);
            problem(pr, field, msg);
            return xstrdup("");
        }
    }
    char *masked = report_mask(s, n);
    size_t chars = 0; /* the limit applies to what was typed, not to the mask's words */
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (chars > max) {
        snprintf(msg, sizeof(msg), i18n_tr(lang, "%s is %zu characters long; at most %zu, please shorten it."), what,
                 chars, max);
        problem(pr, field, msg);
    }
    return masked;
}

static bool check_effects(const report_in *in, report_clean *out, report_problems *pr)
{
    bool chosen[REPORT_EFFECTS_MAX] = {false};
    if (in->neffects > REPORT_EFFECTS_MAX) {
        problem(pr, "effects", i18n_tr(in->lang, "Too many choices were sent for \"What happened\"."));
        return false;
    }
    for (size_t i = 0; i < in->neffects; i++) {
        size_t k = 0;
        while (k < report_neffects && strcmp(report_effects[k].value, in->effects[i] ? in->effects[i] : ""))
            k++;
        if (k == report_neffects) {
            problem(pr, "effects", i18n_tr(in->lang, "One of the choices under \"What happened\" is not on the list."));
            return false;
        }
        chosen[k] = true;
    }
    size_t len = 0;
    out->effects[0] = '\0';
    for (size_t k = 0; k < report_neffects; k++) {
        if (!chosen[k])
            continue;
        int w = snprintf(out->effects + len, sizeof(out->effects) - len, "%s%s", len ? "," : "",
                         report_effects[k].value);
        len += w > 0 ? (size_t)w : 0;
    }
    return len > 0;
}

/* The site's day `back` days before now as YYYY-MM-DD. */
static void day_of(int64_t now, const tz *z, int back, char out[11])
{
    struct tm tm;
    tz_local(z, now, &tm);
    int64_t days = tz_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) - back, y;
    int m, d;
    tz_civil_from_days(days, &y, &m, &d);
    char tmp[40];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", (int)(y % 10000), m % 100, d % 100);
    str_copy(out, 11, tmp);
}

static void check_where_when(const report_in *in, int64_t now, const tz *z, report_clean *out, report_problems *pr)
{
    const char *where = in->area ? in->area : "";
    if (!*where)
        problem(pr, "area", i18n_tr(in->lang, "Say roughly where: a ZIP code or one of the areas on the list."));
    else if (strlen(where) > 200 || !areas_check(where, out->area, sizeof(out->area)))
        problem(pr, "area", i18n_tr(in->lang, "This is not a ZIP code (five digits) or one of the areas on the list."));
    const char *when = in->when ? in->when : "";
    int back = !strcmp(when, "today") ? 0 : !strcmp(when, "yesterday") ? 1 : !strcmp(when, "this-week")
                                                                                 ? REPORT_THIS_WEEK_DAYS
                                                                                 : -1;
    if (back < 0)
        problem(pr, "when", i18n_tr(in->lang, "Choose when: today, yesterday or earlier this week."));
    else
        day_of(now, z, back, out->day);
}

bool report_check(const report_in *in, int64_t now, const tz *z, report_clean *out, report_problems *pr)
{
    memset(out, 0, sizeof(*out));
    pr->n = 0;
    out->sold_as = clean_text(in->lang, in->sold_as, "sold_as", N_("\"Sold as\""), REPORT_SOLD_AS_MAX, false, pr);
    out->seemed = clean_text(in->lang, in->seemed, "seemed", N_("\"What it seemed to be\""), REPORT_SEEMED_MAX, false, pr);
    bool effects = check_effects(in, out, pr);
    out->note = clean_text(in->lang, in->note, "note", N_("\"What happened\""), REPORT_NOTE_MAX, true, pr);
    out->looked = clean_text(in->lang, in->looked, "looked", N_("\"How it looked\""), REPORT_LOOKED_MAX, false, pr);
    check_where_when(in, now, z, out, pr);
    out->staff = in->staff;
    if (!pr->n && !effects && !out->sold_as[0] && !out->seemed[0] && !out->note[0] && !out->looked[0])
        problem(pr, "sold_as", i18n_tr(in->lang, "Tell us at least one thing: what it was sold as, what it seemed to be, what "
                               "happened or how it looked."));
    return pr->n == 0;
}

void report_clean_free(report_clean *c)
{
    free(c->sold_as);
    free(c->seemed);
    free(c->note);
    free(c->looked);
    c->sold_as = c->seemed = c->note = c->looked = NULL;
}
