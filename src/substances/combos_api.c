/* combos_api: the checker and the substance list as JSON, in the language
 * the "lang" parameter or the Accept-Language header asks for (English
 * when neither names a language of the site). */
#include "substances/combos_api.h"
#include "core/i18n.h"
#include "http/api.h"
#include "substances/combos.h"

#define MAX_VALUES 16

/* Gathers every "substances" value (comma lists, repeatable). */
static int gather(const request *rq, char out[][128])
{
    const char *vals[MAX_VALUES];
    int nv = 0;
    size_t count = params_count(&rq->query, "substances");
    for (size_t i = 0; i < count && nv < MAX_VALUES; i++)
        vals[nv++] = params_get_nth(&rq->query, "substances", i);
    return combos_collect(vals, nv, out, COMBOS_MAX + 1);
}

static json_t *error_extra(const matrix *m, int lang, const combo_error *e)
{
    if (!e->unknown[0])
        return NULL;
    json_t *x = json_object(), *sug = json_array();
    json_object_set_new(x, "unknown", json_string(e->unknown));
    for (int i = 0; i < e->nsuggestions; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "slug", json_string(m->subs[e->suggestions[i]].slug));
        combos_set_text(s, "name", m, lang, m->subs[e->suggestions[i]].name_src);
        json_array_append_new(sug, s);
    }
    json_object_set_new(x, "suggestions", sug);
    return x;
}

void combos_api_check(request *rq, response *rs)
{
    const matrix *m = combos_matrix();
    char queries[COMBOS_MAX + 1][128];
    int n = gather(rq, queries);
    int lang = api_lang(rq, rs);
    combo_error e;
    json_t *result = combos_check_lang(m, lang, queries, n, &e);
    if (!result) {
        api_error(rs, 400, e.message, error_extra(m, lang, &e));
        return;
    }
    rs->cache_control = "public, max-age=3600";
    api_send(rs, 200, result);
}

void combos_api_substances(request *rq, response *rs)
{
    const matrix *m = combos_matrix();
    int lang = api_lang(rq, rs);
    json_t *list = json_array();
    for (int i = 0; i < m->nsubs; i++)
        json_array_append_new(list, combos_substance_json(m, lang, i));
    json_t *root = json_object();
    json_object_set_new(root, "substances", list);
    rs->cache_control = "public, max-age=3600";
    api_send(rs, 200, root);
}
