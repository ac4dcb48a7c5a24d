/* combos_view: the /combos page's shared, read-only data per language
 * (levels, suggestions, names and every pair), made when the matrix loads. */
#include "substances/combos_view.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"
#include "http/assets.h"
#include "substances/combos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_str(json_t *o, const char *key, const char *value)
{
    json_object_set_new(o, key, json_string(value ? value : ""));
}

void combos_set_icon_url(json_t *o, const char *level_id)
{
    char name[96];
    snprintf(name, sizeof(name), "img/levels/%s.svg", level_id);
    const char *url = assets_url(name);
    if (url) {
        set_str(o, "icon_url", url);
        return;
    }
    char plain[128];
    snprintf(plain, sizeof(plain), "/static/%s", name);
    set_str(o, "icon_url", plain);
}

static json_t *text_json(const matrix *m, int lang, const char *src)
{
    buf b = BUF_INIT;
    matrix_text(m, lang, src, &b);
    json_t *s = json_string(buf_cstr(&b));
    buf_free(&b);
    return s;
}

static json_t *levels_json(const matrix *m, int lang)
{
    json_t *list = json_array();
    for (int sev = 0; sev < 7; sev++)
        for (int i = 0; i < m->nlevels; i++) {
            if (m->levels[i].severity != sev)
                continue;
            json_t *o = json_object();
            set_str(o, "id", m->levels[i].id);
            combos_set_text(o, "name", m, lang, m->levels[i].name_src);
            combos_set_text(o, "definition", m, lang, m->levels[i].definition_src);
            combos_set_icon_url(o, m->levels[i].id);
            json_array_append_new(list, o);
        }
    return list;
}

/* Every name (in lang) and alias, for the inputs' suggestions; an alias
 * that only repeats the shown name in other case or accents is left out. */
static json_t *datalist_json(const matrix *m, int lang, json_t *const *names)
{
    json_t *list = json_array();
    for (int i = 0; i < m->nsubs; i++) {
        char shown[128], key[128];
        matrix_normalise(json_string_value(names[i]), shown, sizeof(shown));
        json_array_append(list, names[i]);
        for (int k = 0; k < m->subs[i].naliases; k++) {
            matrix_normalise(m->subs[i].aliases[k], key, sizeof(key));
            if (lang == I18N_SOURCE || strcmp(key, shown))
                json_array_append_new(list, json_string(m->subs[i].aliases[k]));
        }
    }
    return list;
}

/* The pair as combos_check_lang writes it, with the page's additions. */
void combos_datalist_html(const json_t *list, buf *out)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        buf_puts(out, "<option value=\"");
        esc_html(out, json_string_value(v), json_string_length(v));
        buf_puts(out, "\"></option>");
    }
}

static json_t *datalist_html(const json_t *list)
{
    buf b = BUF_INIT;
    combos_datalist_html(list, &b);
    json_t *out = json_string(buf_cstr(&b));
    buf_free(&b);
    return out;
}

static json_t *pair_json(const matrix *m, int lang, json_t *const *names, int a, int b)
{
    const cell *c = matrix_cell(m, a, b);
    const level *lv = &m->levels[c->level];
    json_t *o = json_object();
    set_str(o, "a", m->subs[a].slug);
    set_str(o, "b", m->subs[b].slug);
    json_object_set_new(o, "same", json_boolean(a == b));
    set_str(o, "level", lv->id);
    combos_set_text(o, "summary", m, lang, c->summary_src);
    combos_set_text(o, "advice", m, lang, c->advice_src);
    json_object_set_new(o, "sources", combos_refs_json(m, c));
    combos_set_text(o, "level_name", m, lang, lv->name_src);
    json_object_set(o, "a_name", names[a]);
    json_object_set(o, "b_name", names[b]);
    combos_set_icon_url(o, lv->id);
    json_object_set_new(o, "has_sources", json_boolean(c->nrefs > 0));
    return o;
}

static void view_build(combos_view *v, const matrix *m, int lang)
{
    int n = m->nsubs;
    v->nsubs = n;
    v->names = xcalloc((size_t)n, sizeof(json_t *));
    for (int i = 0; i < n; i++)
        v->names[i] = text_json(m, lang, m->subs[i].name_src);
    v->levels = levels_json(m, lang);
    v->datalist = datalist_json(m, lang, v->names);
    v->datalist_html = datalist_html(v->datalist);
    v->pairs = xcalloc((size_t)n * (size_t)n, sizeof(json_t *));
    for (int a = 0; a < n; a++)
        for (int b = a; b < n; b++)
            v->pairs[a * n + b] = pair_json(m, lang, v->names, a, b);
}

static void view_free(combos_view *v)
{
    for (int i = 0; v->pairs && i < v->nsubs * v->nsubs; i++)
        json_decref(v->pairs[i]);
    for (int i = 0; v->names && i < v->nsubs; i++)
        json_decref(v->names[i]);
    free(v->pairs);
    free(v->names);
    json_decref(v->levels);
    json_decref(v->datalist);
    json_decref(v->datalist_html);
}

combos_views *combos_views_build(const matrix *m)
{
    combos_views *v = xcalloc(1, sizeof(*v));
    v->nlangs = i18n_count() > 0 ? i18n_count() : 1; /* English without catalogs */
    v->langs = xcalloc((size_t)(v->nlangs > 0 ? v->nlangs : 1), sizeof(combos_view));
    for (int l = 0; l < v->nlangs; l++)
        view_build(&v->langs[l], m, l);
    return v;
}

void combos_views_free(combos_views *v)
{
    if (!v)
        return;
    for (int l = 0; l < v->nlangs; l++)
        view_free(&v->langs[l]);
    free(v->langs);
    free(v);
}

const combos_view *combos_views_get(const combos_views *v, int lang)
{
    return v && lang >= 0 && lang < v->nlangs ? &v->langs[lang] : NULL;
}

json_t *combos_view_pair(const combos_view *v, int a, int b)
{
    return a <= b ? v->pairs[a * v->nsubs + b] : v->pairs[b * v->nsubs + a];
}
