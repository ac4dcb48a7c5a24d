/* hsds_opening_hours: reads the OpenStreetMap opening_hours subset the CSV
 * import accepts into a week of spans. See hsds_opening_hours.h. */
#include "hsds/hsds_opening_hours.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RULE_MAX 200

static const char *const DAYS[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};
static const char *const BYDAY[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

const char *oh_byday(int d)
{
    return d >= 0 && d < 7 ? BYDAY[d] : "";
}

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

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_alpha(char c)
{
    c = lower(c);
    return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* The length of the token at p (up to a space, ',' or ';'), capped for messages. */
static int token_len(const char *p)
{
    int n = 0;
    while (p[n] && p[n] != ' ' && p[n] != ',' && p[n] != ';' && n < 40)
        n++;
    return n ? n : 1;
}

/* A two-letter day name at p not followed by a letter: its number, else -1. */
static int day_at(const char *p)
{
    if (!is_alpha(p[0]) || !is_alpha(p[1]) || is_alpha(p[2]))
        return -1;
    for (int d = 0; d < 7; d++)
        if (lower(p[0]) == DAYS[d][0] && lower(p[1]) == DAYS[d][1])
            return d;
    return -1;
}

/* Reads "Mo-Fr,Su" at *pp into mask; leaves *pp after it. False (nothing
 * read) when p does not start with a day; err set when it starts like one
 * but is wrong. */
static bool read_days(const char **pp, unsigned *mask, char *err, size_t errlen, bool *bad)
{
    const char *p = *pp;
    *bad = false;
    if (day_at(p) < 0)
        return false;
    for (;;) {
        int a = day_at(p), b;
        if (a < 0) {
            *bad = true;
            return fail(err, errlen, "\"%.*s\" is not a day (Mo Tu We Th Fr Sa Su)", token_len(p), p);
        }
        p += 2;
        b = a;
        if (*p == '-') {
            b = day_at(p + 1);
            if (b < 0) {
                *bad = true;
                return fail(err, errlen, "\"%.*s\" is not a day range (like Mo-Fr)", token_len(p - 2), p - 2);
            }
            p += 3;
        }
        for (int d = a;; d = (d + 1) % 7) {
            *mask |= 1u << d;
            if (d == b)
                break;
        }
        const char *q = skip_space(p);
        if (*q == ',' && day_at(skip_space(q + 1)) >= 0) {
            p = skip_space(q + 1);
            continue;
        }
        *pp = p;
        return true;
    }
}

/* "HH:MM" (one or two hour digits) at p; minutes into out, end into *end. */
static bool read_clock(const char *p, bool closing, int *out, const char **end)
{
    int h = 0, n = 0;
    while (n < 2 && is_digit(p[n]))
        h = h * 10 + (p[n++] - '0');
    if (n == 0 || p[n] != ':' || !is_digit(p[n + 1]) || !is_digit(p[n + 2]) || is_digit(p[n + 3]))
        return false;
    int m = (p[n + 1] - '0') * 10 + (p[n + 2] - '0');
    if (m > 59 || h > 24 || (h == 24 && (!closing || m)))
        return false;
    *out = h * 60 + m;
    *end = p + n + 3;
    return true;
}

/* One "HH:MM-HH:MM" at *pp. */
static bool read_span(const char **pp, int *opens, int *closes, char *err, size_t errlen)
{
    const char *p = *pp, *q;
    if (!read_clock(p, false, opens, &q) || *(q = skip_space(q)) != '-' ||
        !read_clock(skip_space(q + 1), true, closes, &q))
        return fail(err, errlen, "\"%.*s\" is not a time range (HH:MM-HH:MM, 00:00 to 24:00)", token_len(p), p);
    if (*opens == *closes)
        return fail(err, errlen, "\"%.*s\" opens and closes at the same time", token_len(p), p);
    *pp = q;
    return true;
}

/* The times (or off) of one rule at p for the days in mask. */
static bool read_times(const char *p, unsigned mask, oh_week *w, char *err, size_t errlen)
{
    int opens[OH_MAX_SPANS], closes[OH_MAX_SPANS], n = 0;
    p = skip_space(p);
    if (!*p)
        return fail(err, errlen, "the days have no times (add HH:MM-HH:MM, or off)");
    if (!strcmp(p, "off") || !strcmp(p, "closed") || !strcmp(p, "Off") || !strcmp(p, "Closed"))
        n = 0;
    else
        for (;;) {
            if (n == OH_MAX_SPANS)
                return fail(err, errlen, "more than %d time ranges in a day", OH_MAX_SPANS);
            if (!read_span(&p, &opens[n], &closes[n], err, errlen))
                return false;
            n++;
            p = skip_space(p);
            if (!*p)
                break;
            if (*p != ',')
                return fail(err, errlen, "\"%.*s\" is not understood after a time range", token_len(p), p);
            p = skip_space(p + 1);
        }
    for (int d = 0; d < 7; d++)
        if (mask & (1u << d)) {
            w->nspans[d] = n;
            for (int i = 0; i < n; i++) {
                w->span[d][i].opens = opens[i];
                w->span[d][i].closes = closes[i];
            }
        }
    return true;
}

/* One rule (between ';'), already trimmed. */
static bool read_rule(const char *rule, oh_week *w, char *err, size_t errlen)
{
    if (!strcmp(rule, "24/7")) {
        for (int d = 0; d < 7; d++) {
            w->nspans[d] = 1;
            w->span[d][0].opens = 0;
            w->span[d][0].closes = 1440;
        }
        return true;
    }
    const char *p = rule;
    unsigned mask = 0;
    bool bad;
    if (!read_days(&p, &mask, err, errlen, &bad)) {
        if (bad)
            return false;
        if (is_alpha(*p) && strcmp(p, "off") && strcmp(p, "closed"))
            return fail(err, errlen, "\"%.*s\" is not understood (days are Mo Tu We Th Fr Sa Su)", token_len(p),
                        p);
        mask = 0x7f;
    }
    return read_times(p, mask, w, err, errlen);
}

bool oh_parse(const char *text, oh_week *w, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    if (err && errlen)
        err[0] = '\0';
    const char *p = text;
    int nrules = 0;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        char rule[RULE_MAX];
        const char *a = skip_space(p);
        const char *b = p + n;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if ((size_t)(b - a) >= sizeof rule)
            return fail(err, errlen, "\"%.40s...\" is too long for one rule", a);
        memcpy(rule, a, (size_t)(b - a));
        rule[b - a] = '\0';
        if (rule[0]) {
            if (!read_rule(rule, w, err, errlen))
                return false;
            nrules++;
        } else if (semi && nrules == 0)
            return fail(err, errlen, "\";\" with no rule before it");
        p = semi ? semi + 1 : p + n;
    }
    if (!nrules)
        return fail(err, errlen, "no opening hours given");
    return true;
}
