/* i18n_text: putting a language into text: template markers, the links of
 * a page, the language of a URL or an Accept-Language header, dates and
 * numbers. */
#include "core/i18n.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define MSGID_MAX 8192

static const char OPEN[] = "{{#_}}", CLOSE[] = "{{/_}}";

bool i18n_msgid(const char *text, size_t len, char *out, size_t outlen)
{
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n + 1 >= outlen)
                return false;
            out[n++] = ' ';
            space = false;
        }
        if (n + 1 >= outlen)
            return false;
        out[n++] = c;
    }
    if (outlen)
        out[n] = '\0';
    return true;
}

static int line_of(const char *src, const char *p)
{
    int line = 1;
    for (const char *q = src; q < p; q++)
        line += *q == '\n';
    return line;
}

/* A tag inside a marker that would change the template's structure. */
static const char *bad_tag(const char *p, const char *end)
{
    for (const char *t = p; t + 2 < end; t++)
        if (t[0] == '{' && t[1] == '{' && strchr("#^/>!<$=", t[2]))
            return t;
    return NULL;
}

bool i18n_template(int lang, const char *src, size_t len, buf *out, char *err, size_t errlen)
{
    const char *p = src, *end = src + len;
    char *id = xmalloc(MSGID_MAX);
    bool ok = true;
    while (ok && p < end) {
        const char *m = memmem(p, (size_t)(end - p), OPEN, sizeof(OPEN) - 1);
        if (!m) {
            buf_append(out, p, (size_t)(end - p));
            break;
        }
        buf_append(out, p, (size_t)(m - p));
        const char *text = m + sizeof(OPEN) - 1;
        const char *c = memmem(text, (size_t)(end - text), CLOSE, sizeof(CLOSE) - 1);
        const char *bad = bad_tag(text, c ? c : end);
        if (!c) {
            snprintf(err, errlen, "line %d: {{#_}} is not closed with {{/_}}", line_of(src, m));
            ok = false;
        } else if (bad) {
            snprintf(err, errlen, "line %d: a section, partial or comment tag inside {{#_}}...{{/_}}",
                     line_of(src, bad));
            ok = false;
        } else if (!i18n_msgid(text, (size_t)(c - text), id, MSGID_MAX)) {
            snprintf(err, errlen, "line %d: the text in {{#_}}...{{/_}} is longer than %d bytes", line_of(src, m),
                     MSGID_MAX);
            ok = false;
        } else {
            buf_puts(out, i18n_tr(lang, id));
            p = c + sizeof(CLOSE) - 1;
        }
    }
    free(id);
    if (ok && out->overflow) {
        snprintf(err, errlen, "the template is too large");
        ok = false;
    }
    return ok;
}

/* ---- links ---- */

static bool starts(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* Whether the link target at p ("/..." up to the quote) stays as it is. */
static bool keep_target(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    if (starts(p, end, "//") || starts(p, end, "/static/") || starts(p, end, "/api/") || starts(p, end, "/metrics") ||
        starts(p, end, "/healthz"))
        return true;
    return (size_t)(end - p) > n && memcmp(p, prefix, n) == 0 && (p[n] == '/' || p[n] == '"' || p[n] == '?');
}

/* The next `="/` in [p, end), or NULL: from one '=' to the next with
 * memchr (a page has an '=' every 40 bytes or so, and glibc's memchr reads
 * 32 bytes at a time; this took 15% fewer instructions than testing 16
 * places at once with vectors, and memmem is slower for a needle this
 * short). */
static const char *next_eq_slash(const char *p, const char *end)
{
    while (end - p >= 3) {
        p = memchr(p, '=', (size_t)(end - p - 2));
        if (!p)
            return NULL;
        if (p[1] == '"' && p[2] == '/')
            return p;
        p++;
    }
    return NULL;
}

/* The next link target in [p, e): the start of the attribute (" href=\"/",
 * " action=\"/" or " formaction=\"/") with *skip the length up to its
 * '/', or NULL. One search for the `="/` every such attribute has, then a
 * look at the name before it. */
static const char *next_target(const char *p, const char *e, size_t *skip)
{
    static const struct {
        const char *name;
        size_t len;
    } attrs[] = {{" href", 5}, {" action", 7}, {" formaction", 11}};
    for (const char *z = p; z < e;) {
        z = next_eq_slash(z, e);
        if (!z)
            return NULL;
        for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
            if ((size_t)(z - p) >= attrs[i].len && !memcmp(z - attrs[i].len, attrs[i].name, attrs[i].len)) {
                *skip = attrs[i].len + 2;
                return z - attrs[i].len;
            }
        z++;
    }
    return NULL;
}

/* Whether the tag [t, e) has an hreflang attribute (a link to a language
 * of its own). memmem would set up a table for each of a page's tags. */
static bool has_hreflang(const char *t, const char *e)
{
    static const char attr[] = " hreflang=";
    const size_t n = sizeof(attr) - 1;
    for (const char *p = t; e - p >= (ptrdiff_t)n; p++) {
        p = memchr(p, ' ', (size_t)(e - p) - n + 1);
        if (!p)
            return false;
        if (!memcmp(p, attr, n))
            return true;
    }
    return false;
}

/* Copies one tag (from '<' to its '>'), prefixing its href and action. */
static void copy_tag(const char *t, const char *e, const char *prefix, buf *out)
{
    if (has_hreflang(t, e)) {
        buf_append(out, t, (size_t)(e - t));
        return;
    }
    const char *p = t;
    while (p < e) {
        size_t skip = 0;
        const char *h = next_target(p, e, &skip);
        if (!h) {
            buf_append(out, p, (size_t)(e - p));
            return;
        }
        buf_append(out, p, (size_t)(h + skip - p));
        if (!keep_target(h + skip, e, prefix))
            buf_puts(out, prefix);
        p = h + skip;
    }
}

/* The tag (from '<' to its '>', or the end) holding the `="/` at z, or
 * NULL when z is in text. p is a point in text (not inside a tag), z > p.
 * Reading '<' and '>' from p, the first '<' in text opens a tag and the
 * first '>' after it closes it; so after any '>' we are in text, after any
 * '<' in a tag: z is in a tag when the last of them before z is a '<', and
 * that tag opened at the first '<' after the last '>'. */
static const char *tag_at(const char *p, const char *z, const char *end, const char **tag_end)
{
    const char *g = memrchr(p, '>', (size_t)(z - p));
    const char *s = g ? g + 1 : p;
    const char *t = memchr(s, '<', (size_t)(z - s));
    if (!t)
        return NULL;
    const char *e = memchr(z, '>', (size_t)(end - z));
    *tag_end = e ? e + 1 : end;
    return t;
}

/* A link is only ever changed at a `="/`, so the scan jumps from one to the
 * next and reads tags only around them: the text and tags between
 * are copied in one piece (a page of 500 <option>s is one copy). The same
 * bytes as reading every tag from the start. */
void i18n_links(const char *html, size_t len, const char *prefix, buf *out)
{
    const char *p = html, *end = html + len, *copied = html, *z;
    if (!prefix || !*prefix) {
        buf_append(out, html, len);
        return;
    }
    buf_reserve(out, len + len / 8 + 64); /* a prefix on about one link in 200 bytes */
    while (p < end && (z = next_eq_slash(p, end)) != NULL) {
        const char *e = NULL, *t = tag_at(p, z, end, &e);
        if (!t) {
            p = z + 1; /* '=' is neither '<' nor '>': still in text */
            continue;
        }
        bool linky = t + 1 < end && (t[1] == 'a' || t[1] == 'f' || t[1] == 'l' || t[1] == 'b' || t[1] == 'i');
        if (linky) {
            buf_append(out, copied, (size_t)(t - copied));
            copy_tag(t, e, prefix, out);
            copied = e;
        }
        p = e;
    }
    buf_append(out, copied, (size_t)(end - copied));
}

/* ---- the language of a request ---- */

int i18n_from_path(const char *path, const char **rest)
{
    *rest = path;
    if (!path || path[0] != '/')
        return i18n_default();
    size_t n = strcspn(path + 1, "/");
    for (int i = 0; i < i18n_count(); i++) {
        if (i == i18n_default())
            continue;
        const char *c = i18n_code(i);
        if (strlen(c) == n && !memcmp(path + 1, c, n)) {
            *rest = path[n + 1] ? path + n + 1 : "/";
            return i;
        }
    }
    return i18n_default();
}

/* One "tag;q=0.8" item of an Accept-Language header. */
static double accept_item(const char *p, size_t n, char *tag, size_t taglen)
{
    size_t t = 0;
    while (t < n && p[t] == ' ')
        p++, n--;
    while (t < n && p[t] != ';' && p[t] != ' ' && t + 1 < taglen) {
        tag[t] = p[t];
        t++;
    }
    tag[t] = '\0';
    const char *q = memmem(p, n, ";q=", 3);
    if (!q)
        return 1.0;
    char num[8] = {0};
    size_t k = 0;
    for (q += 3; q < p + n && k + 1 < sizeof(num) && (*q == '.' || (*q >= '0' && *q <= '9')); q++)
        num[k++] = *q;
    return strtod(num, NULL);
}

int i18n_accept(const char *header)
{
    int best = -1;
    double best_q = 0.0;
    for (const char *p = header; p && *p;) {
        size_t n = strcspn(p, ",");
        char tag[32];
        double q = accept_item(p, n, tag, sizeof(tag));
        int lang = i18n_find(tag);
        if (lang >= 0 && q > best_q) {
            best = lang;
            best_q = q;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return best;
}

/* ---- dates and numbers ---- */

static const char *const months_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void i18n_date_tm(int lang, const struct tm *tm, char *out, size_t n)
{
    /* TRANSLATORS: the short month names, as written in a date like "4 Dec 2026" */
    static const char *const months[12] = {N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
                                            N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec")};
    int m = tm->tm_mon >= 0 && tm->tm_mon < 12 ? tm->tm_mon : 0;
    const char *name = lang == I18N_SOURCE ? months_en[m] : i18n_tr(lang, months[m]);
    snprintf(out, n, "%d %s %d", tm->tm_mday, name, tm->tm_year + 1900);
}

void i18n_date(int lang, time_t t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    i18n_date_tm(lang, &tm, out, n);
}

bool i18n_day(int lang, const char *iso, char *out, size_t n)
{
    struct tm tm = {0};
    int y, mo, d;
    char tail;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || mo < 1 || mo > 12 || d < 1 || d > 31) {
        str_copy(out, n, iso ? iso : "");
        return false;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    i18n_date_tm(lang, &tm, out, n);
    return true;
}

/* Groups the digits of an integer part: "12345" -> "12,345". */
static void group_digits(const char *digits, const char *sep, bool from_five, char *out, size_t n)
{
    size_t len = strlen(digits), k = 0, seplen = strlen(sep);
    bool group = len > 3 && (!from_five || len > 4);
    for (size_t i = 0; i < len && k + 1 < n; i++) {
        if (group && i > 0 && (len - i) % 3 == 0 && k + seplen + 1 < n) {
            memcpy(out + k, sep, seplen);
            k += seplen;
        }
        out[k++] = digits[i];
    }
    out[k < n ? k : n - 1] = '\0';
}

/* "%.*f" of a (>= 0) without printf (whose exact decimal conversion was
 * a few percent of a finder page): a * 10^decimals is within 1e-7 of the
 * exact value below 1e9, so it rounds the same as printf's exact value
 * unless it is within 1e-6 of a tie, when false is returned (and printf
 * decides). */
static bool fixed_fast(double a, int decimals, char *raw, size_t n)
{
    static const double scale[] = {1, 10, 100, 1000};
    if (decimals > 3 || !(a < 1e6) || n < 32)
        return false;
    double t = a * scale[decimals], whole = floor(t), frac = t - whole;
    if (fabs(frac - 0.5) < 1e-6)
        return false;
    uint64_t r = (uint64_t)whole + (frac > 0.5);
    char rev[32];
    int k = 0;
    do {
        rev[k++] = (char)('0' + r % 10);
        r /= 10;
    } while (r);
    while (k <= decimals)
        rev[k++] = '0';
    size_t o = 0;
    for (int i = k - 1; i >= 0; i--) {
        raw[o++] = rev[i];
        if (i == decimals && decimals > 0)
            raw[o++] = '.';
    }
    raw[o] = '\0';
    return true;
}

void i18n_number(int lang, double v, int decimals, char *out, size_t n)
{
    if (decimals < 0 || decimals > 6)
        decimals = 0;
    if (!isfinite(v)) {
        str_copy(out, n, "-");
        return;
    }
    char raw[64], whole[64], grouped[96];
    if (!fixed_fast(fabs(v), decimals, raw, sizeof(raw)))
        snprintf(raw, sizeof(raw), "%.*f", decimals, fabs(v));
    const char *dot = strchr(raw, '.');
    size_t wl = dot ? (size_t)(dot - raw) : strlen(raw);
    memcpy(whole, raw, wl);
    whole[wl] = '\0';
    bool es = lang != I18N_SOURCE && !strcmp(i18n_code(lang), "es");
    /* Spanish: a comma before the decimals; a no-break space between
     * groups of three from five digits on (RAE, Ortografía 2010). */
    group_digits(whole, es ? "\u00a0" : ",", es, grouped, sizeof(grouped));
    bool negative = v < 0 && strspn(raw, "0.") != strlen(raw);
    const char *parts[] = {negative ? "-" : "", grouped, dot ? (es ? "," : ".") : "", dot ? dot + 1 : ""};
    size_t k = 0;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && n; i++)
        for (const char *c = parts[i]; *c && k + 1 < n; c++)
            out[k++] = *c;
    if (n)
        out[k] = '\0';
}
