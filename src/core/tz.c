/* tz: reads compiled tz database files (TZif, RFC 8536) and answers
 * "what is the UTC offset here at that instant" and "which instant is this
 * wall-clock time", without touching the process's TZ setting.
 *
 * A zone is its transition table (64-bit block for version 2+ files, the
 * 32-bit one for version 1) plus the POSIX TZ rule from the footer, which
 * decides every instant at or after the last transition. Loaded zones live
 * in a mutex-protected list until tz_cache_free(). */
#include "core/tz.h"

#include "core/util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_FILE_MAX (1024u * 1024u)
#define TZ_NAME_MAX 255
#define TZ_MAX_TIMES 100000u               /* real zones have a few hundred */
#define TZ_MAX_TYPES 256u                  /* indexes are one byte */
#define TZ_MAX_CHARS 65536u
#define TZ_TIME_LIMIT ((int64_t)1 << 59)   /* RFC 8536's lower bound, both ways */
#define TZ_CLAMP ((int64_t)1 << 55)        /* queries: about a billion years */
#define TZ_OFF_MIN (-89999)                /* RFC 8536: -25:59:59 < off < 26:00 */
#define TZ_OFF_MAX 93599
#define TZ_WINDOW (26 * 3600)              /* |offset| is always below this */
#define DAY 86400

typedef struct tz_type {
    int32_t off;
    bool isdst;
} tz_type;

/* One date of a POSIX rule: 'J' (a = 1..365, never Feb 29), 'N' (a =
 * 0..365, counting Feb 29) or 'M' (month a, week b (5 = last), weekday c);
 * time is seconds after local midnight (may be negative or past 24 h). */
typedef struct tz_date {
    char kind;
    int a, b, c;
    int32_t time;
} tz_date;

typedef struct tz_rule {
    bool present, has_dst;
    int32_t std_off, dst_off; /* seconds east */
    tz_date start, end;
} tz_rule;

struct tz {
    char *name;
    int64_t *times;
    uint8_t *idx;
    tz_type *types;
    uint32_t ntimes, ntypes;
    tz_rule rule;
    struct tz *next;
};

/* ------------------------------------------------------------------------
 * Calendar
 * ------------------------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int64_t tz_days_from_civil(int64_t year, int month, int day)
{
    int64_t m0 = (int64_t)month - 1;
    int64_t y = year + floor_div(m0, 12);
    int64_t m = m0 - floor_div(m0, 12) * 12 + 1; /* 1..12 */
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + ((int64_t)day - 1);
}

void tz_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
}

static int weekday_of(int64_t days)
{
    return (int)(days - floor_div(days + 4, 7) * 7 + 4);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_len(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return len[m - 1] + (m == 2 && is_leap(y));
}

static int64_t year_of(int64_t local)
{
    int64_t y;
    int m, d;
    tz_civil_from_days(floor_div(local, DAY), &y, &m, &d);
    return y;
}

static int64_t clamp_t(int64_t t)
{
    return t < -TZ_CLAMP ? -TZ_CLAMP : t > TZ_CLAMP ? TZ_CLAMP : t;
}

/* ------------------------------------------------------------------------
 * POSIX TZ rule (the footer)
 * ------------------------------------------------------------------------ */

/* The local instant (seconds since the epoch, as if local were UTC) of a
 * rule date in a year. */
static int64_t rule_local(const tz_date *d, int64_t year)
{
    int64_t jan1 = tz_days_from_civil(year, 1, 1), day;
    if (d->kind == 'J') {
        day = jan1 + d->a - 1 + (is_leap(year) && d->a >= 60);
    } else if (d->kind == 'N') {
        day = jan1 + d->a;
    } else {
        int64_t first = tz_days_from_civil(year, d->a, 1);
        int md = 1 + (d->c - weekday_of(first) + 7) % 7 + (d->b - 1) * 7;
        while (md > month_len(year, d->a))
            md -= 7;
        day = first + md - 1;
    }
    return day * DAY + d->time;
}

static void rule_bounds(const tz_rule *r, int64_t year, int64_t *start, int64_t *end)
{
    *start = rule_local(&r->start, year) - r->std_off;
    *end = rule_local(&r->end, year) - r->dst_off;
}

static tz_type rule_type(const tz_rule *r, int64_t t)
{
    tz_type std = {r->std_off, false}, dst = {r->dst_off, true};
    if (!r->has_dst)
        return std;
    int64_t s, e;
    rule_bounds(r, year_of(t + r->std_off), &s, &e);
    if (s < e)
        return t >= s && t < e ? dst : std;
    if (s > e)
        return t < e || t >= s ? dst : std;
    return std;
}

static void keep_min_after(int64_t cand, int64_t t, int64_t *best)
{
    if (cand > t && cand < *best)
        *best = cand;
}

/* The first instant after t at which the rule may switch: a start or end
 * date, or a new year (in standard time), where the rule is evaluated for
 * another year; odd rules (start and end in different orders in different
 * years) switch there. */
static int64_t rule_next(const tz_rule *r, int64_t t)
{
    int64_t best = INT64_MAX, y = year_of(t + r->std_off);
    if (!r->has_dst)
        return best;
    for (int64_t yy = y - 1; yy <= y + 1; yy++) {
        int64_t s, e;
        rule_bounds(r, yy, &s, &e);
        keep_min_after(s, t, &best);
        keep_min_after(e, t, &best);
        keep_min_after(tz_days_from_civil(yy + 1, 1, 1) * DAY - r->std_off, t, &best);
    }
    return best;
}

/* Unsigned decimal of at least one digit, at most max. */
static bool p_num(const char **s, int max, int *out)
{
    int v = 0;
    const char *p = *s;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
        if (v > max)
            return false;
    }
    *s = p;
    *out = v;
    return true;
}

/* [+-]h[h][:mm[:ss]], hours at most maxh. */
static bool p_hms(const char **s, int maxh, int32_t *out)
{
    int sign = 1, h, m = 0, sec = 0;
    if (**s == '+' || **s == '-')
        sign = *(*s)++ == '-' ? -1 : 1;
    if (!p_num(s, maxh, &h))
        return false;
    if (**s == ':') {
        (*s)++;
        if (!p_num(s, 59, &m))
            return false;
        if (**s == ':') {
            (*s)++;
            if (!p_num(s, 59, &sec))
                return false;
        }
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
}

/* An abbreviation: three or more letters, or <...> of letters, digits, +, -. */
static bool p_abbr(const char **s)
{
    const char *p = *s;
    size_t n = 0;
    if (*p == '<') {
        for (p++; isalnum_ascii(*p) || *p == '+' || *p == '-'; p++)
            n++;
        if (*p != '>' || n < 3)
            return false;
        *s = p + 1;
        return true;
    }
    for (; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'); p++)
        n++;
    *s = p;
    return n >= 3;
}

static bool p_char(const char **s, char c)
{
    if (**s != c)
        return false;
    (*s)++;
    return true;
}

static bool p_date(const char **s, tz_date *d)
{
    memset(d, 0, sizeof *d);
    d->time = 7200;
    bool ok;
    if (**s == 'J') {
        (*s)++;
        d->kind = 'J';
        ok = p_num(s, 365, &d->a) && d->a >= 1;
    } else if (**s == 'M') {
        (*s)++;
        d->kind = 'M';
        ok = p_num(s, 12, &d->a) && d->a >= 1 && p_char(s, '.') && p_num(s, 5, &d->b) && d->b >= 1 &&
             p_char(s, '.') && p_num(s, 6, &d->c);
    } else {
        d->kind = 'N';
        ok = p_num(s, 365, &d->a);
    }
    if (ok && p_char(s, '/'))
        ok = p_hms(s, 167, &d->time);
    return ok;
}

/* Parses "std offset [dst [offset] [,start[/time],end[/time]]]". A zone
 * with DST but no dates gets the US rule, as glibc does. */
static bool parse_posix(const char *s, tz_rule *r)
{
    int32_t off;
    memset(r, 0, sizeof *r);
    r->present = true;
    if (!p_abbr(&s) || !p_hms(&s, 24, &off))
        return false;
    r->std_off = -off;
    if (!*s)
        return true;
    r->has_dst = true;
    if (!p_abbr(&s))
        return false;
    r->dst_off = r->std_off + 3600;
    if (*s && *s != ',') {
        if (!p_hms(&s, 24, &off))
            return false;
        r->dst_off = -off;
    }
    if (!*s) {
        r->start = (tz_date){'M', 3, 2, 0, 7200};
        r->end = (tz_date){'M', 11, 1, 0, 7200};
        return true;
    }
    return p_char(&s, ',') && p_date(&s, &r->start) && p_char(&s, ',') && p_date(&s, &r->end) && !*s;
}

/* ------------------------------------------------------------------------
 * TZif
 * ------------------------------------------------------------------------ */

typedef struct rd {
    const unsigned char *p;
    size_t len, pos;
} rd;

typedef struct tzhdr {
    unsigned char version;
    uint32_t isut, isstd, leap, time, type, chars;
} tzhdr;

static bool rd_need(const rd *r, size_t n)
{
    return n <= r->len - r->pos;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t s32(const unsigned char *p)
{
    uint32_t u = be32(p);
    return u >> 31 ? -(int64_t)(~u) - 1 : (int64_t)u;
}

static int64_t s64(const unsigned char *p)
{
    uint64_t u = (uint64_t)be32(p) << 32 | be32(p + 4);
    return u >> 63 ? -(int64_t)(~u) - 1 : (int64_t)u;
}

static bool read_header(rd *r, tzhdr *h)
{
    if (!rd_need(r, 44) || memcmp(r->p + r->pos, "TZif", 4) != 0)
        return false;
    const unsigned char *c = r->p + r->pos + 20;
    h->version = r->p[r->pos + 4];
    h->isut = be32(c);
    h->isstd = be32(c + 4);
    h->leap = be32(c + 8);
    h->time = be32(c + 12);
    h->type = be32(c + 16);
    h->chars = be32(c + 20);
    r->pos += 44;
    bool version_ok = h->version == 0 || (h->version >= '2' && h->version <= '4');
    return version_ok && h->leap == 0 && h->time <= TZ_MAX_TIMES && h->type >= 1 && h->type <= TZ_MAX_TYPES &&
           h->chars <= TZ_MAX_CHARS && (h->isut == 0 || h->isut == h->type) &&
           (h->isstd == 0 || h->isstd == h->type);
}

/* Bytes of a data block; the counts are capped so this cannot overflow. */
static size_t block_size(const tzhdr *h, size_t tsize)
{
    return (size_t)h->time * (tsize + 1) + (size_t)h->type * 6 + h->chars + (size_t)h->leap * (tsize + 4) +
           h->isstd + h->isut;
}

static bool read_times(const unsigned char *p, size_t tsize, tz *z)
{
    for (uint32_t i = 0; i < z->ntimes; i++) {
        int64_t t = tsize == 8 ? s64(p + 8 * (size_t)i) : s32(p + 4 * (size_t)i);
        if (t < -TZ_TIME_LIMIT || t > TZ_TIME_LIMIT || (i > 0 && t <= z->times[i - 1]))
            return false;
        z->times[i] = t;
    }
    p += (size_t)z->ntimes * tsize;
    for (uint32_t i = 0; i < z->ntimes; i++) {
        if (p[i] >= z->ntypes)
            return false;
        z->idx[i] = p[i];
    }
    return true;
}

static bool read_types(const unsigned char *p, tz *z)
{
    for (uint32_t i = 0; i < z->ntypes; i++, p += 6) {
        int64_t off = s32(p);
        if (off < TZ_OFF_MIN || off > TZ_OFF_MAX || p[4] > 1)
            return false;
        z->types[i] = (tz_type){(int32_t)off, p[4] == 1};
    }
    return true;
}

static bool read_block(rd *r, const tzhdr *h, size_t tsize, tz *z)
{
    if (!rd_need(r, block_size(h, tsize)))
        return false;
    const unsigned char *p = r->p + r->pos;
    z->ntimes = h->time;
    z->ntypes = h->type;
    z->times = xcalloc(h->time ? h->time : 1, sizeof *z->times);
    z->idx = xcalloc(h->time ? h->time : 1, 1);
    z->types = xcalloc(h->type, sizeof *z->types);
    r->pos += block_size(h, tsize);
    return read_times(p, tsize, z) && read_types(p + (size_t)h->time * (tsize + 1), z);
}

static bool read_footer(rd *r, tz *z)
{
    if (!rd_need(r, 2) || r->p[r->pos] != '\n')
        return false;
    const unsigned char *s = r->p + r->pos + 1;
    const unsigned char *nl = memchr(s, '\n', r->len - r->pos - 1);
    if (!nl)
        return false;
    size_t n = (size_t)(nl - s);
    char text[256];
    if (n == 0)
        return true;
    if (n >= sizeof text || memchr(s, '\0', n))
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    return parse_posix(text, &z->rule);
}

static bool parse_all(rd *r, tz *z)
{
    tzhdr h;
    if (!read_header(r, &h))
        return false;
    if (h.version == 0)
        return read_block(r, &h, 4, z);
    if (!rd_need(r, block_size(&h, 4)))
        return false;
    r->pos += block_size(&h, 4);
    if (!read_header(r, &h) || h.version == 0)
        return false;
    return read_block(r, &h, 8, z) && read_footer(r, z);
}

tz *tz_parse(const unsigned char *data, size_t len, const char *name)
{
    if (!data)
        return NULL;
    rd r = {data, len, 0};
    tz *z = xcalloc(1, sizeof *z);
    z->name = xstrdup(name ? name : "");
    if (!parse_all(&r, z)) {
        tz_free(z);
        return NULL;
    }
    return z;
}

void tz_free(tz *z)
{
    if (!z)
        return;
    free(z->name);
    free(z->times);
    free(z->idx);
    free(z->types);
    free(z);
}

/* ------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------ */

/* Index of the last transition at or before t; t >= times[0]. */
static uint32_t last_at_or_before(const tz *z, int64_t t)
{
    uint32_t lo = 0, hi = z->ntimes - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (z->times[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static tz_type lookup(const tz *z, int64_t t)
{
    if (!z)
        return (tz_type){0, false};
    if (z->ntimes == 0 || t >= z->times[z->ntimes - 1]) {
        if (z->rule.present)
            return rule_type(&z->rule, t);
        return z->types[z->ntimes ? z->idx[z->ntimes - 1] : 0];
    }
    if (t < z->times[0])
        return z->types[0];
    return z->types[z->idx[last_at_or_before(z, t)]];
}

/* The first instant after t at which the offset may change. */
static int64_t next_change(const tz *z, int64_t t)
{
    if (!z)
        return INT64_MAX;
    if (z->ntimes > 0 && t < z->times[z->ntimes - 1]) {
        if (t < z->times[0])
            return z->times[0];
        return z->times[last_at_or_before(z, t) + 1];
    }
    return z->rule.present ? rule_next(&z->rule, t) : INT64_MAX;
}

long tz_offset(const tz *z, int64_t utc)
{
    return lookup(z, clamp_t(utc)).off;
}

void tz_local(const tz *z, int64_t utc, struct tm *out)
{
    utc = clamp_t(utc);
    tz_type ty = lookup(z, utc);
    int64_t local = utc + ty.off;
    int64_t days = floor_div(local, DAY), secs = local - days * DAY, y;
    int m, d;
    tz_civil_from_days(days, &y, &m, &d);
    memset(out, 0, sizeof *out);
    out->tm_year = (int)(y - 1900);
    out->tm_mon = m - 1;
    out->tm_mday = d;
    out->tm_hour = (int)(secs / 3600);
    out->tm_min = (int)(secs / 60 % 60);
    out->tm_sec = (int)(secs % 60);
    out->tm_wday = weekday_of(days);
    out->tm_yday = (int)(days - tz_days_from_civil(y, 1, 1));
    out->tm_isdst = ty.isdst;
}

/* Walks the offset segments around local time L (seconds, as if UTC) in
 * increasing UTC order: the first segment containing L - offset is the
 * earliest match. With no match, L is in a gap: the first forward jump
 * that skips it gives the offset from before the gap. Each step moves to a
 * later transition inside a 52-hour window, so the walk ends. */
int64_t tz_utc(const tz *z, int year, int month, int day, int hour, int minute)
{
    int64_t L = tz_days_from_civil(year, month, day) * DAY + (int64_t)hour * 3600 + (int64_t)minute * 60;
    L = clamp_t(L);
    int64_t seg = L - TZ_WINDOW, stop = L + TZ_WINDOW, gap = INT64_MIN;
    long off = tz_offset(z, seg);
    for (;;) {
        int64_t nxt = next_change(z, seg), u = L - off;
        if (u >= seg && u < nxt)
            return u;
        if (nxt >= stop)
            break;
        long noff = tz_offset(z, nxt);
        if (gap == INT64_MIN && noff > off && L >= nxt + off && L < nxt + noff)
            gap = L - off;
        seg = nxt;
        off = noff;
    }
    return gap != INT64_MIN ? gap : L - tz_offset(z, L);
}

const char *tz_name(const tz *z)
{
    return z ? z->name : "UTC";
}

/* ------------------------------------------------------------------------
 * Loading and the cache
 * ------------------------------------------------------------------------ */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static tz *cache;

/* Only [A-Za-z0-9/_+-]: with no '.' at all there can be no "..". */
static bool name_ok(const char *name)
{
    size_t n = strnlen(name, TZ_NAME_MAX + 1);
    if (n == 0 || n > TZ_NAME_MAX || name[0] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!isalnum_ascii(c) && c != '/' && c != '_' && c != '-' && c != '+')
            return false;
    }
    return true;
}

static tz *load(const char *name)
{
    const char *dir = getenv("TZDIR");
    char path[4096];
    size_t len;
    if (!dir || !*dir)
        dir = TZ_DEFAULT_DIR;
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return NULL;
    char *data = file_read(path, TZ_FILE_MAX, &len);
    if (!data)
        return NULL;
    tz *z = tz_parse((const unsigned char *)data, len, name);
    free(data);
    return z;
}

const tz *tz_get(const char *name)
{
    if (!name || !name_ok(name))
        return NULL;
    pthread_mutex_lock(&cache_lock);
    tz *z = cache;
    while (z && strcmp(z->name, name) != 0)
        z = z->next;
    if (!z && (z = load(name)) != NULL) {
        z->next = cache;
        cache = z;
    }
    pthread_mutex_unlock(&cache_lock);
    return z;
}

void tz_cache_free(void)
{
    pthread_mutex_lock(&cache_lock);
    while (cache) {
        tz *next = cache->next;
        tz_free(cache);
        cache = next;
    }
    pthread_mutex_unlock(&cache_lock);
}
