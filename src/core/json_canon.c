/* json_canon: canonical JSON text without jansson's writer (json_canon.h). */
#include "core/json_canon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 2048  /* jansson's parser goes no deeper */
#define KEYS_ON_STACK 64

static const char HEX[] = "0123456789ABCDEF";

static void put_u(buf *out, unsigned v)
{
    char s[6] = {'\\', 'u', HEX[(v >> 12) & 15], HEX[(v >> 8) & 15], HEX[(v >> 4) & 15], HEX[v & 15]};
    buf_append(out, s, sizeof(s));
}

/* The code point of the UTF-8 sequence at s (n bytes left, s[0] >= 0x80):
 * its length, or 0 when it is not well formed. */
static size_t utf8_point(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!len || len > n || s[0] > 0xF4)
        return 0;
    uint32_t v = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* One escaped character at s (a control, a quote, a backslash or past
 * ASCII): the bytes it took, 0 when not UTF-8. */
static size_t put_escaped(buf *out, const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    const char *two = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                    : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
    if (two) {
        buf_append(out, two, 2);
        return 1;
    }
    if (c < 0x20) {
        put_u(out, c);
        return 1;
    }
    uint32_t cp = 0;
    size_t len = utf8_point(s, n, &cp);
    if (len && cp < 0x10000) {
        put_u(out, cp);
    } else if (len) {
        cp -= 0x10000;
        put_u(out, 0xD800 | ((cp >> 10) & 0x3FF));
        put_u(out, 0xDC00 | (cp & 0x3FF));
    }
    return len;
}

static bool put_string(buf *out, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    buf_putc(out, '"');
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i)
            buf_append(out, s + i, run - i);
        if (run == n)
            break;
        size_t took = put_escaped(out, s + run, n - run);
        if (!took)
            return false;
        i = run + took;
    }
    return buf_putc(out, '"');
}

/* A real as jansson writes it: %.17g, then ".0" when it would read back
 * as an integer, and the exponent without its '+' or leading zeros. */
static bool put_real(buf *out, double v)
{
    char s[40];
    int len = snprintf(s, sizeof(s) - 3, "%.17g", v);
    if (len < 0 || len >= (int)sizeof(s) - 3)
        return false;
    if (!strchr(s, '.') && !strchr(s, 'e')) {
        memcpy(s + len, ".0", 3);
        len += 2;
    }
    char *e = strchr(s, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(s + len - end) + 1);
            len -= (int)(end - start);
        }
    }
    return buf_append(out, s, (size_t)len);
}

typedef struct key_at {
    const char *key;
    size_t len;
    json_t *value;
} key_at;

static int by_key(const void *a, const void *b)
{
    const key_at *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

static bool put_value(buf *out, const json_t *v, int depth);

static bool put_object(buf *out, const json_t *o, int depth)
{
    size_t n = json_object_size(o), i = 0;
    key_at small[KEYS_ON_STACK], *keys = n <= KEYS_ON_STACK ? small : malloc(n * sizeof(key_at));
    if (!keys)
        return false;
    for (void *it = json_object_iter((json_t *)o); it && i < n; it = json_object_iter_next((json_t *)o, it), i++)
        keys[i] = (key_at){json_object_iter_key(it), json_object_iter_key_len(it), json_object_iter_value(it)};
    if (i > 1)
        qsort(keys, i, sizeof(key_at), by_key);
    bool ok = buf_putc(out, '{');
    for (size_t k = 0; ok && k < i; k++) {
        if (k)
            buf_putc(out, ',');
        ok = put_string(out, keys[k].key, keys[k].len) && buf_putc(out, ':') && put_value(out, keys[k].value, depth + 1);
    }
    if (keys != small)
        free(keys);
    return ok && buf_putc(out, '}');
}

static bool put_array(buf *out, const json_t *a, int depth)
{
    size_t n = json_array_size(a);
    bool ok = buf_putc(out, '[');
    for (size_t i = 0; ok && i < n; i++) {
        if (i)
            buf_putc(out, ',');
        ok = put_value(out, json_array_get(a, i), depth + 1);
    }
    return ok && buf_putc(out, ']');
}

static bool put_value(buf *out, const json_t *v, int depth)
{
    char num[32];
    if (!v || depth > DEPTH_MAX)
        return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return put_object(out, v, depth);
    case JSON_ARRAY:
        return put_array(out, v, depth);
    case JSON_STRING:
        return put_string(out, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf_puts(out, num);
    case JSON_REAL:
        return put_real(out, json_real_value(v));
    case JSON_TRUE:
        return buf_puts(out, "true");
    case JSON_FALSE:
        return buf_puts(out, "false");
    case JSON_NULL:
        return buf_puts(out, "null");
    }
    return false;
}

bool json_canon_append(buf *out, const json_t *v)
{
    size_t at = out->len;
    bool ok = put_value(out, v, 0) && !out->overflow;
    if (!ok && out->len >= at) {
        out->len = at;
        if (out->data)
            out->data[at] = '\0';
    }
    return ok;
}

char *json_canon(const json_t *v)
{
    buf out = BUF_INIT;
    buf_reserve(&out, 256);
    if (!json_canon_append(&out, v)) {
        buf_free(&out);
        return NULL;
    }
    return buf_detach(&out, NULL);
}
