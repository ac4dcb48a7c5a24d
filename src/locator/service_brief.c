/* service_brief: the one-to-one fields of a stored service, cut out of its
 * JSON text by one pass over it. See service_brief.h. */
#include "locator/service_brief.h"

#include <stddef.h>

/* The bytes a skip stops at: in a string (STR), between a container's
 * strings (BOX); NUL ends both. A table and a byte loop: strcspn was a
 * quarter of the time, its setup paid again for every short string. */
enum { STR = 1, BOX = 2 };
static const unsigned char stops[256] = {
    [0] = STR | BOX, ['"'] = STR | BOX, ['\\'] = STR, ['['] = BOX, [']'] = BOX, ['{'] = BOX, ['}'] = BOX,
};

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* p at a string's opening quote: the byte after its closing quote, or NULL.
 * (A kept string is checked by jansson when the caller parses the brief.) */
static const char *skip_string(const char *p)
{
    for (p++;;) {
        while (!(stops[(unsigned char)*p] & STR))
            p++;
        if (*p == '"')
            return p + 1;
        if (!*p || !p[1])
            return NULL;
        p += 2; /* a backslash and the character it escapes */
    }
}

/* p at a value: the byte after it, or NULL. Objects and arrays are skipped
 * by counting brackets outside strings; their insides are checked by
 * jansson when the caller parses the brief (arrays are never kept). */
static const char *skip_value(const char *p)
{
    if (*p == '"')
        return skip_string(p);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        for (; *p; p++) {
            while (!(stops[(unsigned char)*p] & BOX))
                p++;
            if (!*p)
                break;
            if (*p == '"') {
                p = skip_string(p);
                if (!p)
                    return NULL;
                p--;
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if (*p == '}' || *p == ']') {
                if (--depth == 0)
                    return p + 1;
                if (depth < 0)
                    return NULL;
            }
        }
        return NULL;
    }
    const char *start = p; /* a number, true, false or null */
    while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
        p++;
    return p > start ? p : NULL;
}

bool service_brief_text(const char *raw, buf *out)
{
    if (!raw)
        return false;
    const char *p = skip_ws(raw);
    if (*p != '{')
        return false;
    p = skip_ws(p + 1);
    bool first = true;
    buf_putc(out, '{');
    if (*p == '}')
        return buf_putc(out, '}') && !*skip_ws(p + 1);
    for (;;) {
        if (*p != '"')
            return false;
        const char *key = p;
        p = skip_string(p);
        if (!p)
            return false;
        size_t key_len = (size_t)(p - key);
        p = skip_ws(p);
        if (*p != ':')
            return false;
        const char *val = skip_ws(p + 1);
        p = skip_value(val);
        if (!p)
            return false;
        if (*val != '[') {
            if (!first)
                buf_putc(out, ',');
            first = false;
            buf_append(out, key, key_len);
            buf_putc(out, ':');
            buf_append(out, val, (size_t)(p - val));
        }
        p = skip_ws(p);
        if (*p == '}')
            break;
        if (*p != ',')
            return false;
        p = skip_ws(p + 1);
    }
    return buf_putc(out, '}') && !*skip_ws(p + 1);
}
