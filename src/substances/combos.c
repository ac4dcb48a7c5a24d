/* combos: resolving names and building checker results. */
#include "substances/combos.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "substances/combos_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static matrix *loaded;
static combos_views *views; /* the page's data per language, made with loaded */

bool combos_load(const config *cfg, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/interactions", cfg->data_dir);
    matrix *m = NULL;
    if (!matrix_load(path, cfg->emergency_number, &m, err, errlen))
        return false;
    combos_views_free(views);
    matrix_free(loaded);
    loaded = m;
    views = combos_views_build(m);
    return true;
}

void combos_unload(void)
{
    combos_views_free(views);
    views = NULL;
    matrix_free(loaded);
    loaded = NULL;
}

const combos_view *combos_view_of(int lang)
{
    return combos_views_get(views, lang);
}

const matrix *combos_matrix(void)
{
    return loaded;
}

int combos_collect(const char *const *values, int nvalues, char out[][128], int max)
{
    int n = 0;
    for (int i = 0; i < nvalues && n < max; i++) {
        const char *p = values[i];
        while (*p && n < max) {
            size_t len = strcspn(p, ",");
            const char *s = p, *e = p + len;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if (e > s) {
                size_t k = (size_t)(e - s) < 127 ? (size_t)(e - s) : 127;
                memcpy(out[n], s, k);
                out[n][k] = '\0';
                n++;
            }
            p += len;
            if (*p == ',')
                p++;
        }
    }
    return n;
}

void combos_set_text(json_t *o, const char *key, const matrix *m, int lang, const char *src)
{
    buf b = BUF_INIT;
    matrix_text(m, lang, src, &b);
    json_object_set_new(o, key, json_string(buf_cstr(&b)));
    buf_free(&b);
}

json_t *combos_substance_json(const matrix *m, int lang, int i)
{
    const substance *s = &m->subs[i];
    json_t *o = json_object();
    json_object_set_new(o, "slug", json_string(s->slug));
    combos_set_text(o, "name", m, lang, s->name_src);
    json_object_set_new(o, "group", json_string(s->group));
    json_t *al = json_array();
    for (int k = 0; k < s->naliases; k++)
        json_array_append_new(al, json_string(s->aliases[k]));
    json_object_set_new(o, "aliases", al);
    return o;
}

json_t *combos_refs_json(const matrix *m, const cell *c)
{
    json_t *list = json_array();
    for (int k = 0; k < c->nrefs; k++) {
        const ref *r = &m->refs[c->refs[k]];
        json_t *o = json_object();
        json_object_set_new(o, "title", json_string(r->title));
        if (r->url)
            json_object_set_new(o, "url", json_string(r->url));
        json_array_append_new(list, o);
    }
    return list;
}

static int by_severity(const void *x, const void *y)
{
    const combo_pair *p = x, *q = y;
    if (p->severity != q->severity)
        return p->severity - q->severity;
    if (p->a != q->a)
        return p->a - q->a;
    return p->b - q->b;
}

static bool resolve_all(const matrix *m, int lang, char queries[][128], int n, int *subs, combo_error *e)
{
    for (int i = 0; i < n; i++) {
        subs[i] = matrix_resolve_lang(m, lang, queries[i]);
        if (subs[i] < 0) {
            snprintf(e->message, sizeof(e->message), i18n_tr(lang, "We do not know the substance \"%s\"."),
                      queries[i]);
            str_copy(e->unknown, sizeof(e->unknown), queries[i]);
            e->nsuggestions = matrix_suggest(m, queries[i], e->suggestions, 3);
            return false;
        }
    }
    return true;
}

static json_t *pair_json(const matrix *m, int lang, const combo_pair *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "a", json_string(m->subs[p->a].slug));
    json_object_set_new(o, "b", json_string(m->subs[p->b].slug));
    json_object_set_new(o, "same", json_boolean(p->a == p->b));
    json_object_set_new(o, "level", json_string(m->levels[p->c->level].id));
    combos_set_text(o, "summary", m, lang, p->c->summary_src);
    combos_set_text(o, "advice", m, lang, p->c->advice_src);
    json_object_set_new(o, "sources", combos_refs_json(m, p->c));
    return o;
}

static json_t *substances_json(const matrix *m, int lang, char queries[][128], int n, const int *subs)
{
    json_t *slist = json_array();
    for (int i = 0; i < n; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "query", json_string(queries[i]));
        json_object_set_new(s, "slug", json_string(m->subs[subs[i]].slug));
        combos_set_text(s, "name", m, lang, m->subs[subs[i]].name_src);
        const char *note = matrix_note_src(m, queries[i]);
        if (note)
            combos_set_text(s, "note", m, lang, note);
        json_array_append_new(slist, s);
    }
    return slist;
}

json_t *combos_check(const matrix *m, char queries[][128], int n, combo_error *e)
{
    return combos_check_lang(m, I18N_SOURCE, queries, n, e);
}

bool combos_plan_lang(const matrix *m, int lang, char queries[][128], int n, combo_plan *p, combo_error *e)
{
    memset(e, 0, sizeof(*e));
    p->n = p->npairs = 0;
    if (n < COMBOS_MIN || n > COMBOS_MAX) {
        snprintf(e->message, sizeof(e->message), i18n_tr(lang, "Choose from %d to %d substances (you gave %d)."),
                  COMBOS_MIN, COMBOS_MAX, n);
        return false;
    }
    if (!resolve_all(m, lang, queries, n, p->subs, e))
        return false;
    p->n = n;
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++) {
            int a = p->subs[i] < p->subs[k] ? p->subs[i] : p->subs[k];
            int b = p->subs[i] < p->subs[k] ? p->subs[k] : p->subs[i];
            bool seen = false;
            for (int q = 0; q < p->npairs && !seen; q++)
                seen = p->pairs[q].a == a && p->pairs[q].b == b;
            if (seen)
                continue; /* "lsd, shrooms, alcohol": psychedelics + alcohol once */
            const cell *c = matrix_cell(m, a, b);
            p->pairs[p->npairs++] = (combo_pair){a, b, c, m->levels[c->level].severity};
        }
    qsort(p->pairs, (size_t)p->npairs, sizeof(p->pairs[0]), by_severity);
    return true;
}

json_t *combos_check_lang(const matrix *m, int lang, char queries[][128], int n, combo_error *e)
{
    combo_plan p;
    if (!combos_plan_lang(m, lang, queries, n, &p, e))
        return NULL;
    json_t *root = json_object(), *plist = json_array();
    json_t *slist = substances_json(m, lang, queries, n, p.subs);
    for (int i = 0; i < p.npairs; i++)
        json_array_append_new(plist, pair_json(m, lang, &p.pairs[i]));
    json_object_set_new(root, "substances", slist);
    json_object_set_new(root, "pairs", plist);
    return root;
}
