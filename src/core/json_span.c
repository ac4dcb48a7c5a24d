/* json_span: ranges of compact JSON text (json_span.h). A scanner, not a
 * parser: it finds where each value ends (strings with their escapes,
 * nested objects and arrays, bare numbers and literals) and checks only
 * what it needs to stay inside the range. */
#include "core/json_span.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* The end of the string starting at p (its opening quote): the byte after
 * the closing quote, or NULL. A quote closes it when an even number of
 * backslashes stands before it (each backslash escapes the byte after
 * it); quotes are found with memchr, most of a record's bytes being in
 * its strings. */
static const char *string_end(const char *p, const char *end)
{
    const char *first = p + 1;
    for (const char *at = first; at < end;) {
        const char *q = memchr(at, '"', (size_t)(end - at));
        if (!q)
            return NULL;
        size_t slashes = 0;
        while (q - slashes > first && q[-1 - (ptrdiff_t)slashes] == '\\')
            slashes++;
        if (slashes % 2 == 0)
            return q + 1;
        at = q + 1;
    }
    return NULL;
}

/* The end of the value starting at p: the byte after it, or NULL. Depth
 * is counted, not stacked: the text is the dumper's, and a mismatched
 * bracket only makes the caller's next check fail. */
static const char *value_end(const char *p, const char *end)
{
    if (p >= end)
        return NULL;
    if (*p == '"')
        return string_end(p, end);
    if (*p != '{' && *p != '[') { /* a number, true, false or null */
        while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.'))
            p++;
        return p;
    }
    int depth = 0;
    while (p < end) {
        char c = *p;
        if (c == '"') {
            if (!(p = string_end(p, end)))
                return NULL;
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            return p + 1;
        p++;
    }
    return NULL;
}

int json_span_members(json_span o, json_member *out, int max)
{
    const char *p = o.p, *end = o.p + o.n;
    if (o.n < 2 || *p != '{' || end[-1] != '}')
        return -1;
    end--; /* the closing brace */
    p++;
    int n = 0;
    while (p < end) {
        if (n == max || *p != '"')
            return -1;
        const char *k = string_end(p, end);
        if (!k || k >= end || *k != ':')
            return -1;
        const char *v = value_end(k + 1, end);
        if (!v || v == k + 1 || (v < end && *v != ','))
            return -1;
        out[n].key = (json_span){p, (size_t)(k - p)};
        out[n].value = (json_span){k + 1, (size_t)(v - k - 1)};
        n++;
        p = v < end ? v + 1 : v;
        if (v < end && p == end)
            return -1; /* a trailing comma */
    }
    return n;
}

int json_span_elements(json_span a, json_span *out, int max)
{
    const char *p = a.p, *end = a.p + a.n;
    if (a.n < 2 || *p != '[' || end[-1] != ']')
        return -1;
    end--;
    p++;
    int n = 0;
    while (p < end) {
        const char *v = value_end(p, end);
        if (n == max || !v || v == p || (v < end && *v != ','))
            return -1;
        out[n++] = (json_span){p, (size_t)(v - p)};
        p = v < end ? v + 1 : v;
        if (v < end && p == end)
            return -1;
    }
    return n;
}

bool json_span_key_is(const json_member *m, const char *key)
{
    size_t n = strlen(key);
    return m->key.n == n + 2 && !memcmp(m->key.p + 1, key, n);
}

bool json_span_member(const json_member *m, int n, const char *key, json_span *value)
{
    for (int i = 0; i < n; i++) {
        if (json_span_key_is(&m[i], key)) {
            *value = m[i].value;
            return true;
        }
    }
    return false;
}

bool json_span_get(json_span o, const char *key, json_span *value)
{
    json_member m[128];
    return json_span_member(m, json_span_members(o, m, 128), key, value);
}
