/* json_load: a JSON parser that builds jansson values straight from the
 * bytes, handing anything it does not take whole to jansson
 * (json_load.h). It follows jansson 2.14's grammar with
 * JSON_REJECT_DUPLICATES and without JSON_DECODE_ANY or JSON_ALLOW_NUL:
 * an object or array at the top, whitespace only after it; strings of
 * well-formed UTF-8 with no control character, escapes \" \\ \/ \b \f \n
 * \r \t and \uXXXX (a surrogate pair together, never \u0000); numbers
 * with no leading zero, an integer when there is neither fraction nor
 * exponent (strtoll, refused past long long) and a real otherwise
 * (strtod, refused on overflow); no key twice in an object. */
#include "core/json_load.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512  /* deeper goes to jansson (which allows 2048) */
#define NUMBER_MAX 64  /* a number this long or longer goes to jansson */

typedef struct parser {
    const unsigned char *p, *end;
    int depth;
    unsigned char *tmp; /* a string's decoded bytes, when it has escapes */
    size_t tmp_cap;
} parser;

/* Bytes a string holds as they are: printable ASCII but " and \. */
static const unsigned char PLAIN[256] = {
    ['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20-0x2f: not " */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,            /* 0x30-0x3f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,            /* 0x40-0x4f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,            /* 0x50-0x5f: not \ */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,            /* 0x60-0x6f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,            /* 0x70-0x7f */
};

static json_t *value(parser *ps);

static void skip_space(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
        ps->p++;
}

static bool is_digit(const parser *ps, const unsigned char *p)
{
    return p < ps->end && *p >= '0' && *p <= '9';
}

/* The length of the well-formed UTF-8 sequence of two to four bytes at
 * p (no overlong form, no surrogate, nothing past U+10FFFF), else 0. */
static size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
    size_t n;
    uint32_t cp;
    if (*p >= 0xC2 && *p <= 0xDF) {
        n = 2;
        cp = *p & 0x1Fu;
    } else if (*p >= 0xE0 && *p <= 0xEF) {
        n = 3;
        cp = *p & 0x0Fu;
    } else if (*p >= 0xF0 && *p <= 0xF4) {
        n = 4;
        cp = *p & 0x07u;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
        return 0;
    return n;
}

/* Four hex digits at p as a number, or -1. */
static long hex4(const unsigned char *p, const unsigned char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* The code point of the \u escape at *pp (at its 'u'), a surrogate pair
 * read whole; *pp moves past it. -1 when jansson would refuse it. */
static long unicode_escape(const unsigned char **pp, const unsigned char *end)
{
    long v = hex4(*pp + 1, end);
    *pp += 5;
    if (v < 0 || v == 0 || (v >= 0xDC00 && v <= 0xDFFF))
        return -1;
    if (v < 0xD800 || v > 0xDBFF)
        return v;
    if (end - *pp < 6 || (*pp)[0] != '\\' || (*pp)[1] != 'u')
        return -1;
    long low = hex4(*pp + 2, end);
    if (low < 0xDC00 || low > 0xDFFF)
        return -1;
    *pp += 6;
    return 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
}

static size_t put_utf8(unsigned char *o, long cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The one-character escape after a backslash, or -1. */
static int simple_escape(unsigned char c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return -1;
    }
}

/* Room in ps->tmp for n bytes (it grows by doubling, as the string it
 * holds is decoded: never more than that string needs). */
static bool tmp_room(parser *ps, size_t n)
{
    if (n <= ps->tmp_cap)
        return true;
    size_t cap = ps->tmp_cap ? ps->tmp_cap : 256;
    while (cap < n)
        cap *= 2;
    unsigned char *t = realloc(ps->tmp, cap);
    if (!t)
        return false;
    ps->tmp = t;
    ps->tmp_cap = cap;
    return true;
}

/* The rest of a string that has an escape, decoded into ps->tmp: s is
 * its first byte, p its first backslash. A step writes at most 4 bytes. */
static bool escaped(parser *ps, const unsigned char *s, const unsigned char *p, const char **out, size_t *len)
{
    size_t o = (size_t)(p - s);
    if (!tmp_room(ps, o + 4))
        return false;
    memcpy(ps->tmp, s, o);
    while (p < ps->end) {
        if (!tmp_room(ps, o + 4))
            return false;
        if (PLAIN[*p]) {
            ps->tmp[o++] = *p++;
        } else if (*p == '"') {
            *out = (const char *)ps->tmp;
            *len = o;
            ps->p = p + 1;
            return true;
        } else if (*p == '\\') {
            if (ps->end - p < 2)
                return false;
            int c = simple_escape(p[1]);
            if (c >= 0) {
                ps->tmp[o++] = (unsigned char)c;
                p += 2;
                continue;
            }
            if (p[1] != 'u')
                return false;
            p++;
            long cp = unicode_escape(&p, ps->end);
            if (cp < 0)
                return false;
            o += put_utf8(ps->tmp + o, cp);
        } else {
            size_t n = *p < 0x80 ? 0 : utf8_length(p, ps->end);
            if (!n)
                return false;
            memcpy(ps->tmp + o, p, n);
            o += n;
            p += n;
        }
    }
    return false;
}

/* The string whose opening quote ps->p is past: *out and *len its bytes
 * (in the text itself when it has no escape, else in ps->tmp, until the
 * next string). */
static bool string(parser *ps, const char **out, size_t *len)
{
    const unsigned char *s = ps->p, *p = s;
    for (;;) {
        while (p < ps->end && PLAIN[*p])
            p++;
        if (p >= ps->end)
            return false;
        if (*p == '"') {
            *out = (const char *)s;
            *len = (size_t)(p - s);
            ps->p = p + 1;
            return true;
        }
        if (*p == '\\')
            return escaped(ps, s, p, out, len);
        size_t n = *p < 0x80 ? 0 : utf8_length(p, ps->end);
        if (!n)
            return false;
        p += n;
    }
}

/* The number at ps->p: jansson's grammar, its integer and real. */
static json_t *number(parser *ps)
{
    const unsigned char *s = ps->p, *p = s;
    bool real = false;
    if (p < ps->end && *p == '-')
        p++;
    if (!is_digit(ps, p))
        return NULL;
    if (*p == '0') {
        if (is_digit(ps, ++p))
            return NULL;
    } else {
        while (is_digit(ps, p))
            p++;
    }
    if (p < ps->end && *p == '.') {
        if (!is_digit(ps, ++p))
            return NULL;
        while (is_digit(ps, p))
            p++;
        real = true;
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < ps->end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(ps, p))
            return NULL;
        while (is_digit(ps, p))
            p++;
        real = true;
    }
    size_t n = (size_t)(p - s);
    if (n >= NUMBER_MAX)
        return NULL;
    char token[NUMBER_MAX], *stop = NULL;
    memcpy(token, s, n);
    token[n] = '\0';
    errno = 0;
    json_t *v = NULL;
    if (!real) {
        long long i = strtoll(token, &stop, 10);
        if (errno != ERANGE && stop == token + n)
            v = json_integer(i);
    } else {
        double d = strtod(token, &stop);
        if (stop == token + n && !((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE))
            v = json_real(d);
    }
    if (v)
        ps->p = p;
    return v;
}

static json_t *literal(parser *ps, const char *word, size_t n, json_t *v)
{
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return NULL;
    ps->p += n;
    return v;
}

/* After a member or element: true at a comma (passed), false at the
 * closing byte (passed, *done set) or anything else. */
static bool next_item(parser *ps, unsigned char close, bool *done)
{
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        return true;
    }
    *done = ps->p < ps->end && *ps->p == close;
    if (*done)
        ps->p++;
    return false;
}

/* One "key": value member of object o; false when jansson would refuse
 * it (a key twice among them). */
static bool member(parser *ps, json_t *o)
{
    skip_space(ps);
    if (ps->p >= ps->end || *ps->p != '"')
        return false;
    ps->p++;
    const char *key;
    size_t klen;
    if (!string(ps, &key, &klen))
        return false;
    char *own = NULL; /* a decoded key lives in ps->tmp, which the value reuses */
    if (key == (const char *)ps->tmp) {
        if (!(own = malloc(klen + 1)))
            return false;
        memcpy(own, key, klen);
        key = own;
    }
    bool ok = !json_object_getn(o, key, klen);
    skip_space(ps);
    ok = ok && ps->p < ps->end && *ps->p == ':';
    json_t *v = NULL;
    if (ok) {
        ps->p++;
        v = value(ps);
    }
    ok = v && json_object_setn_new_nocheck(o, key, klen, v) == 0;
    free(own);
    return ok;
}

static json_t *object(parser *ps)
{
    ps->p++;
    json_t *o = json_object();
    bool done = false;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return o;
    }
    while (o && member(ps, o) && next_item(ps, '}', &done))
        ;
    if (!done) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *array(parser *ps)
{
    ps->p++;
    json_t *a = json_array();
    bool done = false;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return a;
    }
    for (;;) {
        json_t *v = a ? value(ps) : NULL;
        if (!v || json_array_append_new(a, v) != 0 || !next_item(ps, ']', &done))
            break;
    }
    if (!done) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *value(parser *ps)
{
    skip_space(ps);
    if (ps->p >= ps->end)
        return NULL;
    json_t *v = NULL;
    switch (*ps->p) {
    case '{':
    case '[':
        if (ps->depth >= MAX_DEPTH)
            return NULL;
        ps->depth++;
        v = *ps->p == '{' ? object(ps) : array(ps);
        ps->depth--;
        return v;
    case '"': {
        ps->p++;
        const char *s;
        size_t n;
        return string(ps, &s, &n) ? json_stringn_nocheck(s, n) : NULL;
    }
    case 't':
        return literal(ps, "true", 4, json_true());
    case 'f':
        return literal(ps, "false", 5, json_false());
    case 'n':
        return literal(ps, "null", 4, json_null());
    default:
        return number(ps);
    }
}

json_t *json_load_fast_only(const char *text, size_t len)
{
    parser ps = {(const unsigned char *)text, (const unsigned char *)text + len, 0, NULL, 0};
    json_t *v = NULL;
    skip_space(&ps);
    if (ps.p < ps.end && (*ps.p == '{' || *ps.p == '[')) {
        v = value(&ps);
        skip_space(&ps);
        if (v && ps.p != ps.end) {
            json_decref(v);
            v = NULL;
        }
    }
    free(ps.tmp);
    return v;
}

json_t *json_load_fast(const char *text, size_t len, json_error_t *err)
{
    json_t *v = json_load_fast_only(text, len);
    return v ? v : json_loadb(text, len, JSON_REJECT_DUPLICATES, err);
}
