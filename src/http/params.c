/* params: query, form and cookie parsing. See params.h for the contract. */
#include "http/params.h"
#include "core/escape.h"
#include "core/util.h"

#include <string.h>

bool params_key_allowed(const char *allowed, const char *key, size_t keylen)
{
    if (!allowed)
        return true;
    const char *p = allowed;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == keylen && memcmp(p, key, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

/* Decodes [s, s+n) into arena memory; NULL when malformed. */
static const char *decode(arena *a, const char *s, size_t n, bool plus, const char **why)
{
    char *out = arena_alloc(a, n + 1);
    long len = url_decode(s, n, out, n + 1, plus);
    if (len < 0) {
        *why = "malformed percent-encoding or a NUL byte";
        return NULL;
    }
    if (!utf8_valid(out, (size_t)len)) {
        *why = "text that is not valid UTF-8";
        return NULL;
    }
    return out;
}

/* Adds one "key=value" piece. */
static enum params_result add_pair(arena *a, const char *s, size_t n, const char *allowed, params *out,
                                   const char **why)
{
    if (n == 0)
        return PARAMS_OK;
    const char *eq = memchr(s, '=', n);
    size_t klen = eq ? (size_t)(eq - s) : n;
    const char *key = decode(a, s, klen, true, why);
    if (!key)
        return PARAMS_BAD;
    const char *val = eq ? decode(a, eq + 1, n - klen - 1, true, why) : "";
    if (!val)
        return PARAMS_BAD;
    if (!params_key_allowed(allowed, key, strlen(key)))
        return PARAMS_OK;
    if (out->count >= PARAMS_MAX) {
        *why = "too many parameters";
        return PARAMS_BAD;
    }
    out->items[out->count].key = key;
    out->items[out->count].value = val;
    out->count++;
    return PARAMS_OK;
}

enum params_result params_parse_query(arena *a, const char *s, size_t n, const char *allowed, params *out,
                                      const char **why)
{
    out->count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '&' || s[i] == ';') {
            if (add_pair(a, s + start, i - start, allowed, out, why) != PARAMS_OK)
                return PARAMS_BAD;
            start = i + 1;
        }
    }
    return PARAMS_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

enum params_result params_parse_cookie(arena *a, const char *s, size_t n, params *out, const char **why)
{
    out->count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (is_space(s[i]) || s[i] == ';'))
            i++;
        size_t start = i;
        while (i < n && s[i] != ';')
            i++;
        size_t end = i;
        while (end > start && is_space(s[end - 1]))
            end--;
        if (end == start)
            continue;
        const char *eq = memchr(s + start, '=', end - start);
        if (!eq || eq == s + start) {
            *why = "a cookie without a name";
            return PARAMS_BAD;
        }
        if (memchr(s + start, '\0', end - start) || !utf8_valid(s + start, end - start)) {
            *why = "a cookie that is not valid text";
            return PARAMS_BAD;
        }
        if (out->count >= PARAMS_MAX) {
            *why = "too many cookies";
            return PARAMS_BAD;
        }
        const char *v = eq + 1;
        size_t vlen = (size_t)(s + end - v);
        if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
            v++;
            vlen -= 2;
        }
        out->items[out->count].key = arena_strndup(a, s + start, (size_t)(eq - (s + start)));
        out->items[out->count].value = arena_strndup(a, v, vlen);
        out->count++;
    }
    return PARAMS_OK;
}

const char *params_get(const params *p, const char *key)
{
    return params_get_nth(p, key, 0);
}

size_t params_count(const params *p, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->items[i].key, key))
            n++;
    return n;
}

const char *params_get_nth(const params *p, const char *key, size_t nth)
{
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->items[i].key, key) && nth-- == 0)
            return p->items[i].value;
    return NULL;
}
