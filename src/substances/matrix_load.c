/* matrix_load: reading and checking the hand-authored interaction matrix
 * folder, data/interactions/ (its README.md describes it): matrix.json (the
 * review date, the substance order, the groups and the levels),
 * sources.json, and one substances/<slug>.json per substance with its
 * name, group, aliases (with optional notes for look-alike names), its
 * "self" cell (two names for the same substance or class) and the pairs it
 * owns. A pair lives in the file of the slug that comes first
 * alphabetically. {{emergency_number}} in the
 * texts becomes the site's number; each text is also kept as written, the
 * msgid its translations are found by. Aliases may be in any language
 * (UTF-8: "cocaína", "éxtasis"); they must be unambiguous once accents and
 * case are folded. Any fault stops the load with the file and the pair,
 * substance or alias named. */
#include "core/buf.h"
#include "core/util.h"
#include "substances/matrix.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATRIX_FILE_MAX (8u * 1024u * 1024u)
#define MATRIX_MAX_GROUPS 32
#define KEY_MAX 96
#define TOKEN "{{emergency_number}}"

/* The checker's order: worst first, unknown before the low-risk levels
 * (not knowing is not a reason to feel safe). */
static const char *const severity_order[] = {"dangerous", "unsafe", "caution", "unknown",
                                             "low-risk-synergy", "low-risk-no-synergy", "low-risk-decrease"};

typedef struct group {
    const char *id; /* points into the matrix.json document */
    bool depressant;
} group;

typedef struct loader {
    matrix *m;
    const char *dir;
    const char *emergency; /* replaces TOKEN in the texts */
    char file[640]; /* the file being read or blamed, for messages */
    char *err;
    size_t errlen;
    json_t *main;  /* matrix.json */
    json_t **docs; /* substances/<slug>.json, in the substance order */
    group groups[MATRIX_MAX_GROUPS];
    int ngroups;
} loader;

static bool fail(loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes "file: message" to err; returns false for the caller to pass on. */
static bool fail(loader *ld, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    snprintf(ld->err, ld->errlen, "%s: %s", ld->file, why);
    return false;
}

static void blame(loader *ld, const char *rel)
{
    snprintf(ld->file, sizeof(ld->file), "%s/%s", ld->dir, rel);
}

static void blame_sub(loader *ld, const char *slug)
{
    snprintf(ld->file, sizeof(ld->file), "%s/substances/%s.json", ld->dir, slug);
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool text(const char *s)
{
    return s && *s;
}

/* A copy of t with every {{emergency_number}} replaced by the site's
 * number; NULL when t holds any other {{...}} placeholder. */
static char *fill(const loader *ld, const char *t)
{
    buf b = BUF_INIT;
    const char *hit;
    while ((hit = strstr(t, "{{")) != NULL) {
        if (strncmp(hit, TOKEN, strlen(TOKEN))) {
            buf_free(&b);
            return NULL;
        }
        buf_append(&b, t, (size_t)(hit - t));
        buf_puts(&b, ld->emergency);
        t = hit + strlen(TOKEN);
    }
    buf_puts(&b, t);
    return buf_detach(&b, NULL);
}

#define PLACEHOLDER_HELP "an unknown {{...}} placeholder (only " TOKEN " is filled in)"

/* The JSON object in the file ld->file names, or NULL with err set. */
static json_t *read_json(loader *ld)
{
    size_t len;
    char *t = file_read(ld->file, MATRIX_FILE_MAX, &len);
    if (!t) {
        snprintf(ld->err, ld->errlen, "cannot read %s: %s", ld->file, strerror(errno));
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(t, len, JSON_REJECT_DUPLICATES, &je);
    free(t);
    if (!root) {
        fail(ld, "line %d: %s", je.line, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        fail(ld, "the file is not a JSON object");
        return NULL;
    }
    return root;
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

static const group *find_group(const loader *ld, const char *id)
{
    for (int i = 0; i < ld->ngroups; i++)
        if (!strcmp(ld->groups[i].id, id))
            return &ld->groups[i];
    return NULL;
}

static bool load_levels(loader *ld, json_t *arr)
{
    matrix *m = ld->m;
    size_t n = json_array_size(arr);
    if (n == 0 || n > MATRIX_MAX_LEVELS)
        return fail(ld, "\"levels\" must list 1 to %d levels", MATRIX_MAX_LEVELS);
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_array_get(arr, i);
        const char *id = jstr(l, "id"), *name = jstr(l, "name"), *def = jstr(l, "definition");
        if (!id || !name || !def)
            return fail(ld, "level %zu needs id, name and definition", i + 1);
        if (matrix_level(m, id) >= 0)
            return fail(ld, "the level \"%s\" is listed twice", id);
        level *lv = &m->levels[m->nlevels++];
        lv->id = xstrdup(id);
        lv->name = fill(ld, name);
        lv->definition = fill(ld, def);
        lv->name_src = xstrdup(name);
        lv->definition_src = xstrdup(def);
        if (!lv->name || !lv->definition)
            return fail(ld, "the level \"%s\" has " PLACEHOLDER_HELP, id);
        lv->rank = (int)json_integer_value(json_object_get(l, "rank"));
        lv->severity = -1;
        for (int k = 0; k < 7; k++)
            if (!strcmp(id, severity_order[k]))
                lv->severity = k;
        if (lv->severity < 0)
            return fail(ld, "unknown level \"%s\"", id);
    }
    return true;
}

static bool load_groups(loader *ld, json_t *arr)
{
    size_t n = json_array_size(arr);
    if (n == 0 || n > MATRIX_MAX_GROUPS)
        return fail(ld, "\"groups\" must list 1 to %d groups", MATRIX_MAX_GROUPS);
    for (size_t i = 0; i < n; i++) {
        json_t *g = json_array_get(arr, i);
        const char *id = jstr(g, "id");
        json_t *dep = json_object_get(g, "depressant");
        if (!text(id) || !json_is_boolean(dep))
            return fail(ld, "group %zu needs an id and \"depressant\": true or false", i + 1);
        if (find_group(ld, id))
            return fail(ld, "the group \"%s\" is listed twice", id);
        ld->groups[ld->ngroups++] = (group){id, json_is_true(dep)};
    }
    return true;
}

/* A slug names a file, so it may hold only a-z, 0-9 and dashes. */
static bool slug_ok(const char *s)
{
    if (!text(s))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* matrix.json: the review date, levels, groups and the substance order
 * (the substances are filled in from their files later). */
static bool load_main(loader *ld)
{
    blame(ld, "matrix.json");
    ld->main = read_json(ld);
    if (!ld->main)
        return false;
    matrix *m = ld->m;
    m->reviewed = xstrdup(jstr(ld->main, "reviewed") ? jstr(ld->main, "reviewed") : "");
    if (!load_levels(ld, json_object_get(ld->main, "levels")) || !load_groups(ld, json_object_get(ld->main, "groups")))
        return false;
    json_t *order = json_object_get(ld->main, "substances");
    size_t n = json_array_size(order);
    if (n < 2 || n > MATRIX_MAX_SUBS)
        return fail(ld, "\"substances\" must list 2 to %d substance slugs", MATRIX_MAX_SUBS);
    m->subs = xcalloc(n, sizeof(substance));
    ld->docs = xcalloc(n, sizeof(json_t *));
    for (size_t i = 0; i < n; i++) {
        const char *slug = json_string_value(json_array_get(order, i));
        if (!slug_ok(slug))
            return fail(ld, "substance %zu in \"substances\" is not a slug (a-z, 0-9 and dashes)", i + 1);
        if (find_sub(m, slug) >= 0)
            return fail(ld, "the substance \"%s\" is listed twice", slug);
        m->subs[m->nsubs++].slug = xstrdup(slug);
    }
    return true;
}

static bool load_sources(loader *ld)
{
    blame(ld, "sources.json");
    json_t *obj = read_json(ld);
    if (!obj)
        return false;
    matrix *m = ld->m;
    m->refs = xcalloc(json_object_size(obj) + 1, sizeof(ref));
    const char *id;
    json_t *v;
    bool ok = true;
    json_object_foreach(obj, id, v)
    {
        const char *title = jstr(v, "title"), *url = jstr(v, "url");
        if (!title) {
            ok = fail(ld, "source \"%s\" has no title", id);
            break;
        }
        ref *r = &m->refs[m->nrefs++];
        r->id = xstrdup(id);
        r->title = xstrdup(title);
        r->url = url ? xstrdup(url) : NULL;
    }
    json_decref(obj);
    return ok;
}

/* Every key of "alias_notes" must be one of the substance's aliases, and
 * every note a text. */
static bool check_notes(loader *ld, const substance *sub, json_t *notes)
{
    const char *alias;
    json_t *v;
    json_object_foreach(notes, alias, v)
    {
        bool found = false;
        for (int k = 0; k < sub->naliases && !found; k++)
            found = !strcmp(sub->aliases[k], alias);
        if (!found)
            return fail(ld, "%s: the alias note \"%s\" is not one of its aliases", sub->slug, alias);
        if (!text(json_string_value(v)))
            return fail(ld, "%s: the alias note \"%s\" must be a non-empty text", sub->slug, alias);
    }
    return true;
}

/* substances/<slug>.json for substance i: its own facts (the pairs come
 * later, once every substance is known). */
static bool load_sub(loader *ld, int i)
{
    substance *sub = &ld->m->subs[i];
    blame_sub(ld, sub->slug);
    json_t *doc = ld->docs[i] = read_json(ld);
    if (!doc)
        return false;
    const char *slug = jstr(doc, "slug"), *name = jstr(doc, "name"), *gid = jstr(doc, "group");
    if (!slug || strcmp(slug, sub->slug))
        return fail(ld, "\"slug\" must be \"%s\", the file's name", sub->slug);
    if (!text(name) || !gid)
        return fail(ld, "%s needs a name and a group", sub->slug);
    const group *g = find_group(ld, gid);
    if (!g)
        return fail(ld, "%s has the group \"%s\", which matrix.json does not list", sub->slug, gid);
    json_t *dep = json_object_get(doc, "depressant"), *al = json_object_get(doc, "aliases");
    if (dep && !json_is_boolean(dep))
        return fail(ld, "%s: \"depressant\" must be true or false", sub->slug);
    if (!json_is_array(al) || !json_is_object(json_object_get(doc, "pairs")))
        return fail(ld, "%s needs \"aliases\" (a list) and \"pairs\" (an object, {} when empty)", sub->slug);
    if (!json_is_object(json_object_get(doc, "self")))
        return fail(ld, "%s needs \"self\": the cell for two names of the same substance or class", sub->slug);
    json_t *notes = json_object_get(doc, "alias_notes");
    if (notes && !json_is_object(notes))
        return fail(ld, "%s: \"alias_notes\" must be an object of alias: note", sub->slug);
    sub->name = fill(ld, name);
    sub->name_src = xstrdup(name);
    if (!sub->name)
        return fail(ld, "the name of %s has " PLACEHOLDER_HELP, sub->slug);
    sub->group = xstrdup(gid);
    sub->depressant = dep ? json_is_true(dep) : g->depressant;
    sub->aliases = xcalloc(json_array_size(al) + 1, sizeof(char *));
    for (size_t k = 0; k < json_array_size(al); k++) {
        const char *a = json_string_value(json_array_get(al, k));
        if (!text(a))
            return fail(ld, "%s: alias %zu is not a non-empty string", sub->slug, k + 1);
        sub->aliases[sub->naliases++] = xstrdup(a);
    }
    return check_notes(ld, sub, notes);
}

/* Every .json file in substances/ must be in the substance order: a file a
 * writer added but forgot to list would otherwise be ignored. */
static bool check_listing(loader *ld)
{
    blame(ld, "substances");
    DIR *d = opendir(ld->file);
    if (!d) {
        snprintf(ld->err, ld->errlen, "cannot read %s: %s", ld->file, strerror(errno));
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        char slug[256];
        if (e->d_name[0] == '.' || !str_has_suffix(e->d_name, ".json"))
            continue;
        snprintf(slug, sizeof(slug), "%.*s", (int)(strlen(e->d_name) - 5), e->d_name);
        if (find_sub(ld->m, slug) < 0) {
            blame_sub(ld, slug);
            ok = fail(ld, "\"%s\" is not in the \"substances\" list of matrix.json (add it there or remove this file)",
                      slug);
        }
    }
    closedir(d);
    return ok;
}

static bool load_cell_refs(loader *ld, cell *c, json_t *arr, const char *a, const char *b)
{
    matrix *m = ld->m;
    if (arr && !json_is_array(arr))
        return fail(ld, "the pair %s + %s: \"sources\" must be a list", a, b);
    c->refs = xcalloc(json_array_size(arr) + 1, sizeof(int));
    for (size_t k = 0; k < json_array_size(arr); k++) {
        const char *id = json_string_value(json_array_get(arr, k));
        int r = id ? find_ref(m, id) : -1;
        if (r < 0)
            return fail(ld, "the pair %s + %s cites an unknown source \"%s\"", a, b, id ? id : "?");
        c->refs[c->nrefs++] = r;
    }
    if (c->nrefs == 0 && m->levels[c->level].severity <= 3)
        return fail(ld, "the pair %s + %s is \"%s\" but cites no source", a, b, m->levels[c->level].id);
    return true;
}

/* The cell for ia + ib (ia == ib: the self cell) from the JSON object p. */
static bool load_cell(loader *ld, int ia, int ib, json_t *p)
{
    matrix *m = ld->m;
    const char *a = m->subs[ia].slug, *b = ia == ib ? "itself" : m->subs[ib].slug;
    if (m->grid[ia * m->nsubs + ib] >= 0)
        return fail(ld, "the pair %s + %s is listed twice", a, b);
    const char *lv = jstr(p, "level"), *summary = jstr(p, "summary"), *advice = jstr(p, "advice");
    int lvl = lv ? matrix_level(m, lv) : -1;
    if (lvl < 0 || !text(summary) || !text(advice))
        return fail(ld, "the pair %s + %s needs a known level, a summary and advice", a, b);
    int index = m->ncells++; /* counted at once so matrix_free frees it on any failure below */
    cell *c = &m->cells[index];
    c->level = lvl;
    c->summary = fill(ld, summary);
    c->advice = fill(ld, advice);
    c->summary_src = xstrdup(summary);
    c->advice_src = xstrdup(advice);
    if (!c->summary || !c->advice)
        return fail(ld, "the pair %s + %s has " PLACEHOLDER_HELP, a, b);
    if (!load_cell_refs(ld, c, json_object_get(p, "sources"), a, b))
        return false;
    m->grid[ia * m->nsubs + ib] = m->grid[ib * m->nsubs + ia] = index;
    return true;
}

/* One entry of substance ia's "pairs": the cell for ia + other. */
static bool load_pair(loader *ld, int ia, const char *other, json_t *p)
{
    matrix *m = ld->m;
    const char *a = m->subs[ia].slug;
    int ib = find_sub(m, other);
    if (ib < 0)
        return fail(ld, "the pair %s + %s names an unknown substance \"%s\"", a, other, other);
    if (ib == ia)
        return fail(ld, "%s is paired with itself (write that cell as \"self\")", a);
    if (strcmp(a, other) > 0)
        return fail(ld, "the pair %s + %s belongs in substances/%s.json (a pair lives in the file of the slug that "
                        "comes first alphabetically)",
                    a, other, other);
    return load_cell(ld, ia, ib, p);
}

/* The pairs of every file, then a cell for every pair. */
static bool load_pairs(loader *ld)
{
    matrix *m = ld->m;
    int n = m->nsubs;
    m->grid = xmalloc((size_t)n * (size_t)n * sizeof(int));
    for (int i = 0; i < n * n; i++)
        m->grid[i] = -1;
    m->cells = xcalloc((size_t)(n * (n - 1) / 2 + n) + 1, sizeof(cell));
    for (int i = 0; i < n; i++) {
        blame_sub(ld, m->subs[i].slug);
        if (!load_cell(ld, i, i, json_object_get(ld->docs[i], "self")))
            return false;
        const char *other;
        json_t *p;
        json_object_foreach(json_object_get(ld->docs[i], "pairs"), other, p)
        {
            if (!load_pair(ld, i, other, p))
                return false;
        }
    }
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (m->grid[a * n + b] < 0) {
                const char *x = m->subs[a].slug, *y = m->subs[b].slug;
                if (strcmp(x, y) > 0) {
                    const char *t = x;
                    x = y;
                    y = t;
                }
                blame_sub(ld, x);
                return fail(ld, "the matrix has no cell for %s + %s (every pair needs one, in this file)", x, y);
            }
    return true;
}

static int key_cmp(const void *x, const void *y)
{
    return strcmp(((const matrix_key *)x)->key, ((const matrix_key *)y)->key);
}

/* Adds a lookup key for sub; duplicates for the same substance are fine,
 * a key shared by two substances is an ambiguity and fails the load. */
static bool add_key(loader *ld, const char *t, const char *note, int sub, int cap)
{
    matrix *m = ld->m;
    char k[KEY_MAX];
    matrix_normalise(t, k, sizeof(k));
    if (!k[0])
        return true;
    for (int i = 0; i < m->nkeys; i++)
        if (!strcmp(m->keys[i].key, k)) {
            if (m->keys[i].sub == sub)
                return true;
            blame_sub(ld, m->subs[sub].slug);
            return fail(ld, "\"%s\" could mean %s or %s: names and aliases must be unambiguous", t,
                        m->subs[m->keys[i].sub].slug, m->subs[sub].slug);
        }
    if (m->nkeys >= cap)
        return true;
    m->keys[m->nkeys].key = xstrdup(k);
    m->keys[m->nkeys].sub = sub;
    if (note) {
        m->keys[m->nkeys].note = fill(ld, note);
        m->keys[m->nkeys].note_src = xstrdup(note);
        if (!m->keys[m->nkeys].note) {
            m->nkeys++;
            blame_sub(ld, m->subs[sub].slug);
            return fail(ld, "the note of the alias \"%s\" has " PLACEHOLDER_HELP, t);
        }
    }
    m->nkeys++;
    return true;
}

static bool build_keys(loader *ld)
{
    matrix *m = ld->m;
    int cap = 0;
    for (int i = 0; i < m->nsubs; i++)
        cap += 2 + m->subs[i].naliases;
    m->keys = xcalloc((size_t)cap, sizeof(matrix_key));
    for (int i = 0; i < m->nsubs; i++) {
        if (!add_key(ld, m->subs[i].slug, NULL, i, cap) || !add_key(ld, m->subs[i].name, NULL, i, cap))
            return false;
        json_t *notes = json_object_get(ld->docs[i], "alias_notes");
        for (int k = 0; k < m->subs[i].naliases; k++) {
            const char *a = m->subs[i].aliases[k];
            if (!add_key(ld, a, json_string_value(json_object_get(notes, a)), i, cap))
                return false;
        }
    }
    qsort(m->keys, (size_t)m->nkeys, sizeof(matrix_key), key_cmp);
    return true;
}

static bool load_all(loader *ld)
{
    if (!load_main(ld) || !load_sources(ld))
        return false;
    for (int i = 0; i < ld->m->nsubs; i++)
        if (!load_sub(ld, i))
            return false;
    return check_listing(ld) && load_pairs(ld) && build_keys(ld);
}

bool matrix_load(const char *dir, const char *emergency, matrix **out, char *err, size_t errlen)
{
    loader ld = {.dir = dir, .emergency = emergency, .err = err, .errlen = errlen};
    ld.m = xcalloc(1, sizeof(matrix));
    ld.m->emergency = xstrdup(emergency);
    bool ok = load_all(&ld);
    for (int i = 0; ld.docs && i < ld.m->nsubs; i++)
        json_decref(ld.docs[i]);
    free(ld.docs);
    json_decref(ld.main);
    if (!ok) {
        matrix_free(ld.m);
        return false;
    }
    *out = ld.m;
    return true;
}
