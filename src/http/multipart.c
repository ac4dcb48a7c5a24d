/* multipart: multipart/form-data bodies. See multipart.h for the contract. */
#include "http/multipart.h"
#include "core/util.h"

#include <string.h>
#include <strings.h>

#define PART_HEADERS_MAX 4096 /* the header block of one part */

static bool is_bchar(char c)
{
    /* RFC 2046 bcharsnospace, plus the space it allows inside */
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c);
}

/* The value of parameter name (lower case) in a header value such as
 * `form-data; name="x"; filename="y"` (from its first ';'): into out (at
 * most outlen - 1 bytes); false when absent, too long or badly quoted.
 * Parameters are read one after another, so a quoted value that holds
 * "; filename=" is not taken for another parameter. Quoted values end at
 * the next quote (browsers escape quotes in names as %22). */
static bool header_param(const char *v, size_t n, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name), i = 0;
    while (i < n && v[i] != ';')
        i++;
    while (i < n) {
        i++; /* past ';' */
        while (i < n && (v[i] == ' ' || v[i] == '\t'))
            i++;
        size_t key = i;
        while (i < n && v[i] != '=' && v[i] != ';')
            i++;
        size_t keylen = i - key;
        if (i >= n || v[i] == ';')
            continue; /* a parameter without a value */
        size_t start = ++i, end;
        if (i < n && v[i] == '"') {
            start = ++i;
            while (i < n && v[i] != '"')
                i++;
            if (i >= n)
                return false;
            end = i++;
        } else {
            while (i < n && v[i] != ';' && v[i] != ' ' && v[i] != '\t')
                i++;
            end = i;
        }
        if (keylen == nl && strncasecmp(v + key, name, nl) == 0) {
            if (end - start >= outlen)
                return false;
            memcpy(out, v + start, end - start);
            out[end - start] = '\0';
            return true;
        }
        while (i < n && v[i] != ';')
            i++;
    }
    return false;
}

bool multipart_boundary(const char *ct, char out[MULTIPART_BOUNDARY_MAX + 1])
{
    static const char type[] = "multipart/form-data";
    if (!ct || strncasecmp(ct, type, sizeof(type) - 1) != 0)
        return false;
    const char *rest = ct + sizeof(type) - 1;
    if (*rest && *rest != ';' && *rest != ' ')
        return false;
    if (!header_param(rest, strlen(rest), "boundary", out, MULTIPART_BOUNDARY_MAX + 1) || !out[0])
        return false;
    size_t n = strlen(out);
    for (size_t i = 0; i < n; i++)
        if (!is_bchar(out[i]))
            return false;
    return out[n - 1] != ' ';
}

/* Adds one pair: copies the value, checks it is NUL-free UTF-8. */
static enum params_result add(arena *a, const param_spec *spec, params *out, const char *key, const char *v,
                              size_t n, const char **why)
{
    if (spec && !param_spec_find(spec, key, strlen(key)))
        return PARAMS_OK;
    if (memchr(v, '\0', n) || !utf8_valid(v, n)) {
        *why = "a form field or file that is not UTF-8 text (or holds a NUL byte)";
        return PARAMS_BAD;
    }
    if (out->count >= PARAMS_MAX) {
        *why = "too many parameters";
        return PARAMS_BAD;
    }
    out->items[out->count].key = arena_strdup(a, key);
    out->items[out->count].value = arena_strndup(a, v, n);
    out->count++;
    return PARAMS_OK;
}

struct part {
    char name[256], filename[256];
    bool has_name, has_filename;
};

/* Reads the header block [h, h+n) of one part (lines separated by CRLF). */
static bool part_headers(const char *h, size_t n, struct part *p, const char **why)
{
    static const char cd[] = "content-disposition:";
    size_t i = 0;
    while (i < n) {
        const char *eol = memmem(h + i, n - i, "\r\n", 2);
        size_t len = eol ? (size_t)(eol - (h + i)) : n - i;
        const char *line = h + i;
        if (len >= sizeof(cd) - 1 && strncasecmp(line, cd, sizeof(cd) - 1) == 0) {
            const char *v = line + sizeof(cd) - 1;
            size_t vl = len - (sizeof(cd) - 1);
            while (vl && (*v == ' ' || *v == '\t'))
                v++, vl--;
            if (vl < 9 || strncasecmp(v, "form-data", 9) != 0 || (vl > 9 && v[9] != ';' && v[9] != ' ')) {
                *why = "a part that is not form-data";
                return false;
            }
            p->has_name = header_param(v + 9, vl - 9, "name", p->name, sizeof(p->name));
            p->has_filename = header_param(v + 9, vl - 9, "filename", p->filename, sizeof(p->filename));
        }
        i += len + 2;
    }
    if (!p->has_name || !p->name[0]) {
        *why = "a part without a name";
        return false;
    }
    return true;
}

/* The file name without any folder a browser may have sent. */
static const char *base_name(const char *s)
{
    const char *b = s;
    for (const char *p = s; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

/* What is done with each part: parse keeps it as a pair, find looks for one name. */
typedef enum params_result (*part_fn)(void *ctx, const struct part *p, const char *v, size_t vn, const char **why);

/* One part at [s, s+n): headers, blank line, value, handed to fn. */
static enum params_result one_part(const char *s, size_t n, part_fn fn, void *ctx, const char **why)
{
    struct part p = {0};
    size_t hlen;
    if (n >= 2 && s[0] == '\r' && s[1] == '\n') {
        hlen = 0; /* no headers at all */
    } else {
        const char *end = memmem(s, n < PART_HEADERS_MAX + 4 ? n : PART_HEADERS_MAX + 4, "\r\n\r\n", 4);
        if (!end) {
            *why = n > PART_HEADERS_MAX ? "a part whose headers are too long" : "a part without a blank line";
            return PARAMS_BAD;
        }
        hlen = (size_t)(end - s) + 2;
    }
    if (!utf8_valid(s, hlen) || memchr(s, '\0', hlen)) {
        *why = "a part whose headers are not UTF-8 text";
        return PARAMS_BAD;
    }
    if (!part_headers(s, hlen, &p, why))
        return PARAMS_BAD;
    return fn(ctx, &p, s + hlen + 2, n - hlen - 2, why);
}

struct parse_ctx {
    arena *a;
    const param_spec *spec;
    params *out;
};

/* A part as a pair, and its file name as KEY.filename. */
static enum params_result keep_part(void *ctx, const struct part *p, const char *v, size_t vn, const char **why)
{
    struct parse_ctx *c = ctx;
    if (add(c->a, c->spec, c->out, p->name, v, vn, why) != PARAMS_OK)
        return PARAMS_BAD;
    if (!p->has_filename)
        return PARAMS_OK;
    char key[272];
    size_t kl = strlen(p->name);
    if (kl + sizeof(".filename") > sizeof(key))
        return PARAMS_OK;
    memcpy(key, p->name, kl);
    memcpy(key + kl, ".filename", sizeof(".filename"));
    const char *f = base_name(p->filename);
    return add(c->a, c->spec, c->out, key, f, strlen(f), why);
}

/* Calls fn for each part of body; PARAMS_BAD as soon as one is wrong. */
static enum params_result walk(const char *content_type, const char *body, size_t n, part_fn fn, void *ctx,
                               const char **why)
{
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    if (!multipart_boundary(content_type, boundary)) {
        *why = "a multipart body without a usable boundary";
        return PARAMS_BAD;
    }
    char delim[MULTIPART_BOUNDARY_MAX + 5] = "\r\n--";
    size_t bl = strlen(boundary), dl = bl + 4;
    memcpy(delim + 4, boundary, bl + 1);
    /* the first delimiter may open the body (no CRLF before it) */
    size_t pos;
    if (n >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
        pos = dl - 2;
    } else {
        const char *d = n >= dl ? memmem(body, n, delim, dl) : NULL;
        if (!d) {
            *why = "a multipart body without its boundary";
            return PARAMS_BAD;
        }
        pos = (size_t)(d - body) + dl;
    }
    for (;;) {
        /* after a delimiter: "--" closes, else optional blanks and CRLF */
        if (n - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            return PARAMS_OK;
        while (pos < n && (body[pos] == ' ' || body[pos] == '\t'))
            pos++;
        if (n - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
            *why = "a multipart body that ends before its closing boundary";
            return PARAMS_BAD;
        }
        pos += 2;
        const char *next = memmem(body + pos, n - pos, delim, dl);
        if (!next) {
            *why = "a multipart body that ends before its closing boundary";
            return PARAMS_BAD;
        }
        size_t len = (size_t)(next - (body + pos));
        if (one_part(body + pos, len, fn, ctx, why) != PARAMS_OK)
            return PARAMS_BAD;
        pos += len + dl;
    }
}

enum params_result multipart_parse(arena *a, const char *content_type, const char *body, size_t n,
                                   const param_spec *spec, params *out, const char **why)
{
    out->count = 0;
    struct parse_ctx c = {a, spec, out};
    return walk(content_type, body, n, keep_part, &c, why);
}

struct find_ctx {
    const char *name;
    const char **data;
    size_t *len;
    bool found;
};

static enum params_result find_part(void *ctx, const struct part *p, const char *v, size_t vn, const char **why)
{
    (void)why;
    struct find_ctx *c = ctx;
    if (!c->found && strcmp(p->name, c->name) == 0) {
        *c->data = v;
        *c->len = vn;
        c->found = true;
    }
    return PARAMS_OK;
}

bool multipart_file(const char *content_type, const char *body, size_t n, const char *name, const char **data,
                    size_t *len)
{
    const char *why = NULL;
    struct find_ctx c = {name, data, len, false};
    *data = NULL;
    *len = 0;
    if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0)
        return false;
    return walk(content_type, body, n, find_part, &c, &why) == PARAMS_OK && c.found;
}

enum params_result params_parse_body(arena *a, const char *content_type, const char *body, size_t n,
                                     const param_spec *spec, params *out, const char **why)
{
    out->count = 0;
    if (!content_type)
        return PARAMS_OK;
    if (str_has_prefix(content_type, "application/x-www-form-urlencoded"))
        return params_parse_query(a, body, n, spec, out, why);
    if (strncasecmp(content_type, "multipart/form-data", 19) == 0)
        return multipart_parse(a, content_type, body, n, spec, out, why);
    return PARAMS_OK;
}
