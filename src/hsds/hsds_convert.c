/* hsds_convert: what the converters share: errors, text clean-up, stable
 * uuid5 ids, the start and end of a conversion and the NDJSON writer. The
 * rules (clean-up, keys, namespaces) are tools/convert_directories.py's, so
 * that both make the same ids. See hsds_convert.h and
 * hsds_convert_internal.h for the files that do the rest. */
#include "hsds/hsds_convert.h"
#include "core/util.h"
#include "core/uuid.h"
#include "hsds/hsds_convert_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const unsigned char CONV_NS_URL[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                       0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

void conv_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void hsds_convert_slug(const char *source_name, char *out, size_t outlen)
{
    size_t o = 0;
    bool dash = false;
    if (!outlen)
        return;
    for (const char *p = source_name ? source_name : ""; *p && o + 1 < outlen; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum_ascii(ch)) {
            if (dash && o && o + 2 < outlen)
                out[o++] = '-';
            dash = false;
            out[o++] = (char)tolower_ascii(ch);
        } else {
            dash = true;
        }
    }
    out[o] = '\0';
}

/* Trims and collapses white space; "NA" and "N/A" become "". */
static void clean_into(buf *b, const char *s)
{
    buf_reset(b);
    bool space = false;
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            space = b->len > 0;
            continue;
        }
        if (space)
            buf_putc(b, ' ');
        space = false;
        buf_putc(b, (char)ch);
    }
    const char *v = buf_cstr(b);
    if (!strcmp(v, "NA") || !strcmp(v, "N/A"))
        buf_reset(b);
}

char *conv_clean(const char *s)
{
    buf b = BUF_INIT;
    clean_into(&b, s);
    char *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* norm_key: each part lower-cased, reduced to its runs of [0-9a-z] joined
 * by one space; parts joined by '|'. (Python also folds accents with NFKD;
 * here bytes outside ASCII are dropped, which agrees for ASCII data.) */
static void norm_part(buf *b, const char *s)
{
    bool inword = false, any = false;
    char *c = conv_clean(s);
    for (const char *p = c; *p; p++) {
        unsigned char ch = (unsigned char)tolower_ascii((unsigned char)*p);
        if (isalnum_ascii(ch)) {
            if (!inword && any)
                buf_putc(b, ' ');
            buf_putc(b, (char)ch);
            inword = any = true;
        } else {
            inword = false;
        }
    }
    free(c);
}

char *conv_norm_key(int n, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, '|');
        norm_part(&b, va_arg(ap, const char *));
    }
    va_end(ap);
    char *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* uid(ns, *parts): uuid5 of the parts joined by '|'. */
void conv_uid(const unsigned char ns[16], char out[37], int n, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, '|');
        buf_puts(&b, va_arg(ap, const char *));
    }
    va_end(ap);
    uuid5(ns, buf_cstr(&b), b.len, out);
    buf_free(&b);
}

void conv_zip5(const char *v, char out[6])
{
    char *c = conv_clean(v);
    size_t d = 0;
    while (c[d] >= '0' && c[d] <= '9')
        d++;
    bool ok = d >= 1 && d <= 5;
    if (ok && c[d]) {
        ok = c[d] == '-' && strlen(c + d + 1) == 4;
        for (size_t i = d + 1; ok && c[i]; i++)
            ok = c[i] >= '0' && c[i] <= '9';
    }
    out[0] = '\0';
    if (ok) {
        size_t pad = 5 - d;
        for (size_t i = 0; i < pad; i++)
            out[i] = '0';
        memcpy(out + pad, c, d);
        out[5] = '\0';
    }
    free(c);
}

/* A US phone number as NNN-NNN-NNNN (a leading 1 dropped), else the
 * cleaned text; "" when there is none. */
char *conv_phone(const char *v)
{
    char *c = conv_clean(v);
    char digits[16];
    size_t n = 0;
    bool other = false;
    for (const char *p = c; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n < sizeof(digits) - 1)
                digits[n] = *p;
            n++;
        } else if (!strchr(" ()-.+", *p)) {
            other = true;
        }
    }
    if (!other && (n == 10 || (n == 11 && digits[0] == '1'))) {
        const char *d = n == 11 ? digits + 1 : digits;
        char out[13];
        snprintf(out, sizeof(out), "%.3s-%.3s-%.4s", d, d + 3, d + 6);
        free(c);
        return xstrdup(out);
    }
    return c;
}

bool conv_is_http_url(const char *s)
{
    if (!str_has_prefix(s, "http://") && !str_has_prefix(s, "https://"))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>')
            return false;
    return strchr(strstr(s, "//") + 2, '.') != NULL;
}

bool conv_parse_num(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

void conv_add_code(const char **list, int *n, const char *code)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(list[i], code))
            return;
    if (*n < MAX_CODES)
        list[(*n)++] = code;
}

bool conv_coords(rec *r, const char *lat, const char *lon, long row, const char *kind, const char *latname,
                 const char *lonname, char *err, size_t errlen)
{
    if (!*lat && !*lon)
        return true;
    if (!conv_parse_num(lat, &r->lat) || r->lat < -90 || r->lat > 90) {
        conv_fail(err, errlen, "row %ld, %s %s: \"%.40s\" is not a latitude (-90 to 90)", row, kind, latname, lat);
        return false;
    }
    if (!conv_parse_num(lon, &r->lon) || r->lon < -180 || r->lon > 180) {
        conv_fail(err, errlen, "row %ld, %s %s: \"%.40s\" is not a longitude (-180 to 180)", row, kind, lonname,
                  lon);
        return false;
    }
    r->has_coords = !(r->lat == 0 && r->lon == 0);
    return true;
}

bool conv_init(conv *c, const char *source_name, const char *as_of, const char *taxonomy_path,
               const char *samhsa_path, char *err, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    if (!source_name || !*source_name || !as_of || !*as_of) {
        conv_fail(err, errlen, "a source name and an as-of date are required");
        return false;
    }
    char slug[128], url[256], id[37];
    hsds_convert_slug(source_name, slug, sizeof(slug));
    snprintf(url, sizeof(url), "%s/sources/%s", WAYPOST_URL, slug);
    uuid5(CONV_NS_URL, url, strlen(url), id);
    uuid_parse(id, c->ns);
    const char *st = WAYPOST_URL "/taxonomy/samhsa-service-codes";
    uuid5(CONV_NS_URL, st, strlen(st), c->samhsa_tax_id);
    uuid_parse(c->samhsa_tax_id, c->samhsa_tax);
    c->source = source_name;
    c->as_of = as_of;
    c->services = json_array();
    c->by_id = json_object();
    return conv_taxo_load(&c->tax, taxonomy_path, err, errlen) &&
           (!samhsa_path || conv_samhsa_load(&c->sam, samhsa_path, &c->tax, err, errlen));
}

void conv_free(conv *c)
{
    conv_taxo_free(&c->tax);
    conv_samhsa_free(&c->sam);
    json_decref(c->services);
    json_decref(c->by_id);
    c->services = c->by_id = NULL;
}

char *conv_ndjson(json_t *docs, const char *what, char *err, size_t errlen)
{
    buf out = BUF_INIT;
    buf_init(&out, 1024u * 1024u * 1024u);
    size_t i;
    json_t *s;
    json_array_foreach(docs, i, s)
    {
        char *line = json_dumps(s, JSON_COMPACT);
        bool ok = line && buf_puts(&out, line) && buf_putc(&out, '\n');
        free(line);
        if (!ok) {
            buf_free(&out);
            conv_fail(err, errlen, "%s is too large", what);
            return NULL;
        }
    }
    return buf_detach(&out, NULL);
}
