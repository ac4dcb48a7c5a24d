/* hsds_convert_vocab: the vocabularies the converters map onto, read from
 * data files so that they exist once:
 *   data/taxonomy/waypost.json       the Waypost taxonomy: term ids, codes,
 *                                    names, order, and each term's link_type
 *                                    (the filter group it belongs to)
 *   data/taxonomy/samhsa-codes.json  SAMHSA's locator codes: meaning, the
 *                                    Waypost codes each maps onto, the
 *                                    language codes; also read by
 *                                    tools/convert_directories.py
 * Fields neither file is known to have are ignored. */
#include "core/util.h"
#include "hsds/hsds_convert_internal.h"

#include <stdlib.h>
#include <string.h>

void conv_taxo_free(taxo *t)
{
    json_decref(t->root);
    json_decref(t->terms);
    json_decref(t->order);
    json_decref(t->links);
    memset(t, 0, sizeof(*t));
}

/* The term as waypost_term() in the Python converter writes it: language
 * and term_uri left out, parent_id only when set, other fields ignored. */
static json_t *nested_term(json_t *src)
{
    json_t *term = json_object();
    static const char *const keys[] = {"id", "code", "name", "description", "parent_id", "taxonomy", "taxonomy_id"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        json_t *v = json_object_get(src, keys[k]);
        if (v && !json_is_null(v))
            json_object_set(term, keys[k], v);
    }
    return term;
}

bool conv_taxo_load(taxo *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    json_error_t je;
    t->root = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!t->root) {
        conv_fail(err, errlen, "cannot read the taxonomy %s: %s", path ? path : "(none)", path ? je.text : "no path");
        return false;
    }
    t->terms = json_object();
    t->order = json_object();
    t->links = json_object();
    static const char *const lists[] = {"terms", "attributes"};
    static const char *const default_link[] = {"service_type", "attribute"};
    long pos = 0;
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *src;
        json_array_foreach(json_object_get(t->root, lists[l]), i, src)
        {
            const char *code = json_string_value(json_object_get(src, "code"));
            if (!code || !json_is_string(json_object_get(src, "id")))
                continue;
            const char *lt = json_string_value(json_object_get(src, "link_type"));
            json_object_set_new(t->terms, code, nested_term(src));
            json_object_set_new(t->order, code, json_integer(pos++));
            json_object_set_new(t->links, code, json_string(lt && *lt ? lt : default_link[l]));
        }
    }
    if (!json_object_size(t->terms)) {
        conv_fail(err, errlen, "the taxonomy %s has no terms", path);
        conv_taxo_free(t);
        return false;
    }
    return true;
}

/* ---- SAMHSA codes ------------------------------------------------------ */

void conv_samhsa_free(samhsa *s)
{
    json_decref(s->root);
    json_decref(s->codes);
    json_decref(s->langs);
    memset(s, 0, sizeof(*s));
}

static bool is_text(json_t *o, const char *key, bool empty_ok)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v && (empty_ok || *v);
}

/* Checks codes[i]: a code, a meaning, and Waypost codes that are in tax. */
static bool check_code(json_t *e, size_t i, const taxo *tax, const char *path, char *err, size_t errlen)
{
    if (!is_text(e, "code", false) || !is_text(e, "meaning", false)) {
        conv_fail(err, errlen, "%s: codes[%zu] needs a code and a meaning", path, i);
        return false;
    }
    json_t *wp = json_object_get(e, "waypost"), *w;
    size_t k;
    if (wp && !json_is_array(wp)) {
        conv_fail(err, errlen, "%s: codes[%zu] (%s): waypost must be a list of codes", path, i,
                  json_string_value(json_object_get(e, "code")));
        return false;
    }
    json_array_foreach(wp, k, w)
    {
        if (!json_is_string(w) || !json_object_get(tax->terms, json_string_value(w))) {
            conv_fail(err, errlen, "%s: codes[%zu] (%s): waypost[%zu] is not a code of the Waypost taxonomy", path, i,
                      json_string_value(json_object_get(e, "code")), k);
            return false;
        }
    }
    return true;
}

/* Indexes list (codes or languages) by code into *by, checking each. */
static bool index_list(samhsa *s, const char *name, json_t **by, const taxo *tax, const char *path, char *err,
                       size_t errlen)
{
    json_t *list = json_object_get(s->root, name), *e;
    size_t i;
    if (!json_is_array(list)) {
        conv_fail(err, errlen, "%s: \"%s\" must be a list", path, name);
        return false;
    }
    bool langs = !strcmp(name, "languages");
    *by = json_object();
    json_array_foreach(list, i, e)
    {
        json_t *iso = json_object_get(e, "iso");
        if (langs && (!is_text(e, "code", false) || !is_text(e, "language", false) || (iso && !json_is_string(iso)))) {
            conv_fail(err, errlen, "%s: languages[%zu] needs a code, a language and an iso text", path, i);
            return false;
        }
        if (!langs && !check_code(e, i, tax, path, err, errlen))
            return false;
        const char *code = json_string_value(json_object_get(e, "code"));
        if (json_object_get(s->codes, code) || json_object_get(s->langs, code)) {
            conv_fail(err, errlen, "%s: %s[%zu]: the code %s is listed twice", path, name, i, code);
            return false;
        }
        json_object_set(*by, code, e);
    }
    return true;
}

bool conv_samhsa_load(samhsa *s, const char *path, const taxo *tax, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    json_error_t je;
    s->root = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!s->root) {
        conv_fail(err, errlen, "cannot read the SAMHSA codes %s: %s", path ? path : "(none)",
                  path ? je.text : "no path");
        return false;
    }
    s->taxonomy_name = json_string_value(json_object_get(json_object_get(s->root, "taxonomy"), "name"));
    if (!s->taxonomy_name || !*s->taxonomy_name) {
        conv_fail(err, errlen, "%s: taxonomy.name is missing", path);
        conv_samhsa_free(s);
        return false;
    }
    if (!index_list(s, "codes", &s->codes, tax, path, err, errlen) ||
        !index_list(s, "languages", &s->langs, tax, path, err, errlen)) {
        conv_samhsa_free(s);
        return false;
    }
    return true;
}

const char *conv_samhsa_meaning(const samhsa *s, const char *code)
{
    return json_string_value(json_object_get(json_object_get(s->codes, code), "meaning"));
}

json_t *conv_samhsa_waypost(const samhsa *s, const char *code)
{
    return json_object_get(json_object_get(s->codes, code), "waypost");
}

bool conv_samhsa_language(const samhsa *s, const char *code, const char **name, const char **iso)
{
    json_t *e = json_object_get(s->langs, code);
    if (!e)
        return false;
    *name = json_string_value(json_object_get(e, "language"));
    *iso = json_string_value(json_object_get(e, "iso"));
    if (!*iso)
        *iso = "";
    return true;
}
