/* frontmatter: a small, strict parser for page headers. See frontmatter.h. */
#include "content/frontmatter.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    return xstrndup(s, n);
}

static bool is_fence(const char *line, size_t n)
{
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
        n--;
    return n == 3 && memcmp(line, "---", 3) == 0;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

static bool valid_key(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* Handles one line inside the fences; false with err set on a bad line. */
static bool parse_line(fm *f, const char *line, size_t n, int lineno, char *err, size_t errlen)
{
    if (blank(line, n) || line[0] == '#')
        return true;
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (line[i] == '-' && (i + 1 == n || line[i + 1] == ' ')) {
        fm_entry *e = f->count ? &f->entries[f->count - 1] : NULL;
        if (!e || e->value) {
            snprintf(err, errlen, "line %d: a list item with no list key above it", lineno);
            return false;
        }
        if (e->nitems >= FM_MAX_ITEMS) {
            snprintf(err, errlen, "line %d: more than %d items in \"%s\"", lineno, FM_MAX_ITEMS, e->key);
            return false;
        }
        e->items[e->nitems++] = trim_dup(line + i + 1, n - i - 1);
        return true;
    }
    const char *colon = memchr(line, ':', n);
    if (!colon || i != 0 || !valid_key(line, (size_t)(colon - line))) {
        snprintf(err, errlen, "line %d: expected \"key: value\" or \"- item\"", lineno);
        return false;
    }
    char *key = xstrndup(line, (size_t)(colon - line));
    if (fm_get(f, key) || fm_list(f, key)) {
        snprintf(err, errlen, "line %d: the key \"%s\" appears twice", lineno, key);
        free(key);
        return false;
    }
    if (f->count >= FM_MAX_KEYS) {
        snprintf(err, errlen, "line %d: more than %d keys", lineno, FM_MAX_KEYS);
        free(key);
        return false;
    }
    fm_entry *e = &f->entries[f->count++];
    e->key = key;
    size_t rest = n - (size_t)(colon + 1 - line);
    e->value = blank(colon + 1, rest) ? NULL : trim_dup(colon + 1, rest);
    return true;
}

bool fm_parse(fm *f, const char *src, size_t len, char *err, size_t errlen)
{
    memset(f, 0, sizeof(*f));
    size_t pos = 0;
    int lineno = 0;
    bool opened = false;
    while (pos < len) {
        const char *line = src + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        if (!opened) {
            if (!is_fence(line, n)) {
                snprintf(err, errlen, "line %d: the file must start with a --- line (front matter)", lineno);
                return false;
            }
            opened = true;
            continue;
        }
        if (is_fence(line, n)) {
            f->body = src + pos;
            f->body_len = len - pos;
            f->body_line = lineno + 1;
            return true;
        }
        if (memchr(line, '\0', n)) {
            snprintf(err, errlen, "line %d: a NUL byte", lineno);
            fm_free(f);
            return false;
        }
        if (!parse_line(f, line, n, lineno, err, errlen)) {
            fm_free(f);
            return false;
        }
    }
    if (!opened)
        snprintf(err, errlen, "line 1: the file must start with a --- line (front matter)");
    else
        snprintf(err, errlen, "line %d: the front matter has no closing --- line", lineno);
    fm_free(f);
    return false;
}

void fm_free(fm *f)
{
    for (int i = 0; i < f->count; i++) {
        free(f->entries[i].key);
        free(f->entries[i].value);
        for (int k = 0; k < f->entries[i].nitems; k++)
            free(f->entries[i].items[k]);
    }
    f->count = 0;
}

const char *fm_get(const fm *f, const char *key)
{
    for (int i = 0; i < f->count; i++)
        if (!strcmp(f->entries[i].key, key))
            return f->entries[i].value;
    return NULL;
}

const fm_entry *fm_list(const fm *f, const char *key)
{
    for (int i = 0; i < f->count; i++)
        if (!strcmp(f->entries[i].key, key) && !f->entries[i].value)
            return &f->entries[i];
    return NULL;
}
