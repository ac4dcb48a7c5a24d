/* matrix: loading, checking and querying the interaction matrix. */
#include "substances/matrix.h"
#include "core/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATRIX_FILE_MAX (8u * 1024u * 1024u)
#define KEY_MAX 96

/* The checker's order: worst first, unknown before the low-risk levels
 * (not knowing is not a reason to feel safe). */
static const char *const severity_order[] = {"dangerous", "unsafe", "caution", "unknown",
                                             "low-risk-synergy", "low-risk-no-synergy", "low-risk-decrease"};

void matrix_normalise(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    for (; *s && n + 1 < outlen; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum_ascii(c))
            out[n++] = (char)tolower_ascii(c);
    }
    if (outlen)
        out[n] = '\0';
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : NULL;
}

int matrix_level(const matrix *m, const char *id)
{
    for (int i = 0; i < m->nlevels; i++)
        if (!strcmp(m->levels[i].id, id))
            return i;
    return -1;
}

static int find_sub(const matrix *m, const char *slug)
{
    for (int i = 0; i < m->nsubs; i++)
        if (!strcmp(m->subs[i].slug, slug))
            return i;
    return -1;
}

static int find_ref(const matrix *m, const char *id)
{
    for (int i = 0; i < m->nrefs; i++)
        if (!strcmp(m->refs[i].id, id))
            return i;
    return -1;
}

static bool load_levels(matrix *m, json_t *arr, char *err, size_t errlen)
{
    size_t n = json_array_size(arr);
    if (n == 0 || n > MATRIX_MAX_LEVELS) {
        snprintf(err, errlen, "\"levels\" must list 1 to %d levels", MATRIX_MAX_LEVELS);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_array_get(arr, i);
        const char *id = jstr(l, "id"), *name = jstr(l, "name"), *def = jstr(l, "definition");
        if (!id || !name || !def) {
            snprintf(err, errlen, "level %zu needs id, name and definition", i + 1);
            return false;
        }
        level *lv = &m->levels[m->nlevels++];
        lv->id = xstrdup(id);
        lv->name = xstrdup(name);
        lv->definition = xstrdup(def);
        lv->rank = (int)json_integer_value(json_object_get(l, "rank"));
        lv->severity = -1;
        for (int k = 0; k < 7; k++)
            if (!strcmp(id, severity_order[k]))
                lv->severity = k;
        if (lv->severity < 0) {
            snprintf(err, errlen, "unknown level \"%s\"", id);
            return false;
        }
    }
    return true;
}

static bool load_refs(matrix *m, json_t *obj, char *err, size_t errlen)
{
    m->refs = xcalloc(json_object_size(obj) + 1, sizeof(ref));
    const char *id;
    json_t *v;
    json_object_foreach(obj, id, v)
    {
        const char *title = jstr(v, "title"), *url = jstr(v, "url");
        if (!title) {
            snprintf(err, errlen, "source \"%s\" has no title", id);
            return false;
        }
        ref *r = &m->refs[m->nrefs++];
        r->id = xstrdup(id);
        r->title = xstrdup(title);
        r->url = url ? xstrdup(url) : NULL;
    }
    return true;
}

static bool load_subs(matrix *m, json_t *arr, char *err, size_t errlen)
{
    size_t n = json_array_size(arr);
    if (n < 2 || n > MATRIX_MAX_SUBS) {
        snprintf(err, errlen, "\"substances\" must list 2 to %d substances", MATRIX_MAX_SUBS);
        return false;
    }
    m->subs = xcalloc(n, sizeof(substance));
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(arr, i);
        const char *slug = jstr(s, "slug"), *name = jstr(s, "name"), *group = jstr(s, "group");
        if (!slug || !name || !group) {
            snprintf(err, errlen, "substance %zu needs slug, name and group", i + 1);
            return false;
        }
        if (find_sub(m, slug) >= 0) {
            snprintf(err, errlen, "the substance \"%s\" is listed twice", slug);
            return false;
        }
        substance *sub = &m->subs[m->nsubs++];
        sub->slug = xstrdup(slug);
        sub->name = xstrdup(name);
        sub->group = xstrdup(group);
        json_t *al = json_object_get(s, "aliases");
        sub->aliases = xcalloc(json_array_size(al) + 1, sizeof(char *));
        for (size_t k = 0; k < json_array_size(al); k++)
            if (json_string_value(json_array_get(al, k)))
                sub->aliases[sub->naliases++] = xstrdup(json_string_value(json_array_get(al, k)));
    }
    return true;
}

static bool load_cell_refs(matrix *m, cell *c, json_t *arr, const char *a, const char *b, char *err, size_t errlen)
{
    c->refs = xcalloc(json_array_size(arr) + 1, sizeof(int));
    for (size_t k = 0; k < json_array_size(arr); k++) {
        const char *id = json_string_value(json_array_get(arr, k));
        int r = id ? find_ref(m, id) : -1;
        if (r < 0) {
            snprintf(err, errlen, "the pair %s + %s cites an unknown source \"%s\"", a, b, id ? id : "?");
            return false;
        }
        c->refs[c->nrefs++] = r;
    }
    if (c->nrefs == 0 && m->levels[c->level].severity <= 3) {
        snprintf(err, errlen, "the pair %s + %s is \"%s\" but cites no source", a, b, m->levels[c->level].id);
        return false;
    }
    return true;
}

static bool load_pair(matrix *m, json_t *p, char *err, size_t errlen)
{
    const char *a = jstr(p, "a"), *b = jstr(p, "b"), *lv = jstr(p, "level");
    const char *summary = jstr(p, "summary"), *advice = jstr(p, "advice");
    int ia = a ? find_sub(m, a) : -1, ib = b ? find_sub(m, b) : -1;
    if (ia < 0 || ib < 0 || ia == ib) {
        snprintf(err, errlen, "pair %d names unknown or identical substances (%s, %s)", m->ncells + 1, a ? a : "?",
                 b ? b : "?");
        return false;
    }
    if (m->grid[ia * m->nsubs + ib] >= 0) {
        snprintf(err, errlen, "the pair %s + %s is listed twice", a, b);
        return false;
    }
    int lvl = lv ? matrix_level(m, lv) : -1;
    if (lvl < 0 || !summary || !*summary || !advice || !*advice) {
        snprintf(err, errlen, "the pair %s + %s needs a known level, a summary and advice", a, b);
        return false;
    }
    int index = m->ncells++; /* counted at once so matrix_free frees it on any failure below */
    cell *c = &m->cells[index];
    c->level = lvl;
    c->summary = xstrdup(summary);
    c->advice = xstrdup(advice);
    if (!load_cell_refs(m, c, json_object_get(p, "sources"), a, b, err, errlen))
        return false;
    m->grid[ia * m->nsubs + ib] = m->grid[ib * m->nsubs + ia] = index;
    return true;
}

static bool load_pairs(matrix *m, json_t *arr, char *err, size_t errlen)
{
    int n = m->nsubs;
    m->grid = xmalloc((size_t)n * (size_t)n * sizeof(int));
    for (int i = 0; i < n * n; i++)
        m->grid[i] = -1;
    m->cells = xcalloc(json_array_size(arr) + 1, sizeof(cell));
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (!load_pair(m, json_array_get(arr, i), err, errlen))
            return false;
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (m->grid[a * n + b] < 0) {
                snprintf(err, errlen, "the matrix has no cell for %s + %s (every pair needs one)", m->subs[a].slug,
                         m->subs[b].slug);
                return false;
            }
    return true;
}

static int key_cmp(const void *x, const void *y)
{
    return strcmp(((const matrix_key *)x)->key, ((const matrix_key *)y)->key);
}

/* Adds a lookup key for sub; duplicates for the same substance are fine,
 * a key shared by two substances is an ambiguity and fails the load. */
static bool add_key(matrix *m, const char *text, int sub, int cap, char *err, size_t errlen)
{
    char k[KEY_MAX];
    matrix_normalise(text, k, sizeof(k));
    if (!k[0])
        return true;
    for (int i = 0; i < m->nkeys; i++)
        if (!strcmp(m->keys[i].key, k)) {
            if (m->keys[i].sub == sub)
                return true;
            snprintf(err, errlen, "\"%s\" could mean %s or %s: names and aliases must be unambiguous", text,
                     m->subs[m->keys[i].sub].slug, m->subs[sub].slug);
            return false;
        }
    if (m->nkeys >= cap)
        return true;
    m->keys[m->nkeys].key = xstrdup(k);
    m->keys[m->nkeys].sub = sub;
    m->nkeys++;
    return true;
}

static bool build_keys(matrix *m, char *err, size_t errlen)
{
    int cap = 0;
    for (int i = 0; i < m->nsubs; i++)
        cap += 2 + m->subs[i].naliases;
    m->keys = xcalloc((size_t)cap, sizeof(matrix_key));
    for (int i = 0; i < m->nsubs; i++) {
        if (!add_key(m, m->subs[i].slug, i, cap, err, errlen) || !add_key(m, m->subs[i].name, i, cap, err, errlen))
            return false;
        for (int k = 0; k < m->subs[i].naliases; k++)
            if (!add_key(m, m->subs[i].aliases[k], i, cap, err, errlen))
                return false;
    }
    qsort(m->keys, (size_t)m->nkeys, sizeof(matrix_key), key_cmp);
    return true;
}

bool matrix_parse(const char *text, size_t len, matrix **out, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "line %d: %s", je.line, je.text);
        return false;
    }
    matrix *m = xcalloc(1, sizeof(*m));
    m->reviewed = xstrdup(jstr(root, "reviewed") ? jstr(root, "reviewed") : "");
    bool ok = json_is_object(root) && load_levels(m, json_object_get(root, "levels"), err, errlen) &&
              load_refs(m, json_object_get(root, "sources"), err, errlen) &&
              load_subs(m, json_object_get(root, "substances"), err, errlen) &&
              load_pairs(m, json_object_get(root, "pairs"), err, errlen) && build_keys(m, err, errlen);
    if (!json_is_object(root))
        snprintf(err, errlen, "the file is not a JSON object");
    json_decref(root);
    if (!ok) {
        matrix_free(m);
        return false;
    }
    *out = m;
    return true;
}

bool matrix_load(const char *path, matrix **out, char *err, size_t errlen)
{
    size_t len;
    char *text = file_read(path, MATRIX_FILE_MAX, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    char why[512];
    bool ok = matrix_parse(text, len, out, why, sizeof(why));
    if (!ok)
        snprintf(err, errlen, "%s: %s", path, why);
    free(text);
    return ok;
}

void matrix_free(matrix *m)
{
    if (!m)
        return;
    free(m->reviewed);
    for (int i = 0; i < m->nlevels; i++) {
        free(m->levels[i].id);
        free(m->levels[i].name);
        free(m->levels[i].definition);
    }
    for (int i = 0; i < m->nrefs; i++) {
        free(m->refs[i].id);
        free(m->refs[i].title);
        free(m->refs[i].url);
    }
    free(m->refs);
    for (int i = 0; i < m->nsubs; i++) {
        free(m->subs[i].slug);
        free(m->subs[i].name);
        free(m->subs[i].group);
        for (int k = 0; k < m->subs[i].naliases; k++)
            free(m->subs[i].aliases[k]);
        free(m->subs[i].aliases);
    }
    free(m->subs);
    for (int i = 0; i < m->ncells; i++) {
        free(m->cells[i].summary);
        free(m->cells[i].advice);
        free(m->cells[i].refs);
    }
    free(m->cells);
    free(m->grid);
    for (int i = 0; i < m->nkeys; i++)
        free(m->keys[i].key);
    free(m->keys);
    free(m);
}

int matrix_resolve(const matrix *m, const char *query)
{
    char k[KEY_MAX];
    matrix_normalise(query, k, sizeof(k));
    if (!k[0])
        return -1;
    matrix_key probe = {k, 0};
    const matrix_key *hit = bsearch(&probe, m->keys, (size_t)m->nkeys, sizeof(matrix_key), key_cmp);
    return hit ? hit->sub : -1;
}

/* Levenshtein distance, giving up (returning limit + 1) past limit. */
static int edit_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return limit + 1;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best)
                best = cur[j];
        }
        if (best > limit)
            return limit + 1;
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb];
}

int matrix_suggest(const matrix *m, const char *query, int *out, int max)
{
    char q[KEY_MAX];
    matrix_normalise(query, q, sizeof(q));
    size_t ql = strlen(q);
    if (!ql || max <= 0)
        return 0;
    int limit = ql <= 4 ? 1 : ql <= 8 ? 2 : 3;
    int best[MATRIX_MAX_SUBS];
    for (int i = 0; i < m->nsubs; i++)
        best[i] = 1000;
    for (int i = 0; i < m->nkeys; i++) {
        const matrix_key *k = &m->keys[i];
        int d = (ql >= 3 && !strncmp(k->key, q, ql)) ? 0 : edit_distance(q, k->key, limit);
        if (d <= limit && d < best[k->sub])
            best[k->sub] = d;
    }
    int n = 0;
    for (int d = 0; d <= limit && n < max; d++)
        for (int i = 0; i < m->nsubs && n < max; i++)
            if (best[i] == d)
                out[n++] = i;
    return n;
}

const cell *matrix_cell(const matrix *m, int a, int b)
{
    if (a < 0 || b < 0 || a >= m->nsubs || b >= m->nsubs || a == b)
        return NULL;
    return &m->cells[m->grid[a * m->nsubs + b]];
}

bool matrix_is_depressant(const matrix *m, int sub)
{
    const substance *s = &m->subs[sub];
    return !strcmp(s->group, "opioids") || !strcmp(s->group, "depressants") || !strcmp(s->group, "adulterants") ||
           !strcmp(s->slug, "kratom");
}
