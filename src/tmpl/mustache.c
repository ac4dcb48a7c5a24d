/* mustache: the named set of compiled templates behind mustache.h (create,
 * add, look up, free, the step bound). Compiling is in mustache_parse.c,
 * rendering in mustache_render.c; the structures they share are in
 * mustache_int.h. */
#include "tmpl/mustache_int.h"

#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_cmp(const tmpl *t, const char *name, size_t len)
{
    int c = memcmp(t->name, name, t->name_len < len ? t->name_len : len);
    if (c)
        return c;
    return t->name_len < len ? -1 : t->name_len > len;
}

/* Index of the template called name[0, len), or where it would go. */
static size_t set_find(const mus_set *s, const char *name, size_t len, bool *found)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = name_cmp(s->v[mid], name, len);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

const tmpl *mus_set_get(const mus_set *s, const char *name, size_t len)
{
    bool found;
    size_t i = set_find(s, name, len, &found);
    return found ? s->v[i] : NULL;
}

mus_set *mus_set_new(void)
{
    mus_set *s = xcalloc(1, sizeof *s);
    s->max_steps = MUS_DEFAULT_MAX_STEPS;
    return s;
}

void mus_set_free(mus_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        mus_tmpl_free(s->v[i]);
    free(s->v);
    free(s);
}

void mus_set_max_steps(mus_set *s, unsigned long max_steps)
{
    if (s)
        s->max_steps = max_steps;
}

bool mus_set_add(mus_set *s, const char *name, const char *src, size_t len,
                 char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!s || !name) {
        if (err && errlen)
            snprintf(err, errlen, "mus_set_add: no set or no name");
        return false;
    }
    tmpl *t = mus_tmpl_compile(name, src, len, err, errlen);
    if (!t)
        return false;
    bool found;
    size_t i = set_find(s, t->name, t->name_len, &found);
    if (found) {
        mus_tmpl_free(s->v[i]);
        s->v[i] = t;
        return true;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof *s->v);
    s->v[i] = t;
    s->n++;
    return true;
}

bool mus_set_has(const mus_set *s, const char *name)
{
    return s && name && mus_set_get(s, name, strlen(name)) != NULL;
}
