/* api_taxonomies: /api/v1/taxonomies and /api/v1/taxonomy_terms (and one
 * of each by id), and the language of their labels (also in a service's
 * attributes). */
#include "locator/locator_api.h"
#include "locator/api_int.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_sal.h"
#include "hsds/hsds_store.h"
#include "http/api.h"
#include "locator/locator_api_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the language of the labels ---- */

/* The language the caller asked for: ?lang=es, else Accept-Language, else
 * the URL's. The answer says which (Content-Language) and that it depends
 * on the header (Vary). */
int api_lang(request *rq, response *rs)
{
    const char *code = req_str(rq, "lang");
    int lang = code && *code ? i18n_find(code) : -1;
    if (lang < 0 && !(code && *code))
        lang = i18n_accept(req_header(rq, "Accept-Language"));
    if (lang < 0)
        lang = rq->lang;
    resp_header(rs, "Vary", "Accept-Language");
    resp_header(rs, "Content-Language", i18n_code(lang));
    return lang;
}

/* A taxonomy's or term's name and description in lang (the English of
 * data/taxonomy/waypost.json is the msgid); a term's "language" says which
 * it is. Terms without a translation (SAMHSA's codes) stay as they are. */
static void localise(json_t *o, int lang)
{
    if (!o || lang == I18N_SOURCE)
        return;
    bool changed = false;
    static const char *const keys[] = {"name", "description"};
    for (size_t i = 0; i < 2; i++) {
        const char *en = json_string_value(json_object_get(o, keys[i]));
        const char *tr = en ? i18n_tr(lang, en) : NULL;
        if (tr && tr != en && strcmp(tr, en)) {
            json_object_set_new(o, keys[i], json_string(tr));
            changed = true;
        }
    }
    if (changed && json_object_get(o, "taxonomy_id")) /* HSDS: a term has a language, a taxonomy not */
        json_object_set_new(o, "language", json_string(i18n_code(lang)));
}

void api_localise_terms(json_t *service, int lang)
{
    size_t i;
    json_t *a;
    if (lang == I18N_SOURCE)
        return;
    json_array_foreach(json_object_get(service, "attributes"), i, a)
        localise(json_object_get(a, "taxonomy_term"), lang);
}

struct lang_sink {
    sink *s;
    int lang;
};

/* api_sink_raw for a list of taxonomies or terms in a language. */
static bool sink_localised(void *ctx, const char *raw)
{
    struct lang_sink *ls = ctx;
    if (ls->lang == I18N_SOURCE)
        return api_sink_raw(ls->s, raw);
    json_error_t je;
    json_t *o = json_loads(raw, 0, &je);
    localise(o, ls->lang);
    return api_sink_obj(ls->s, o);
}

/* api_send_raw for one taxonomy or term in a language. */
static void send_localised(response *rs, const char *raw, int lang)
{
    json_error_t je;
    json_t *o = lang == I18N_SOURCE ? NULL : json_loads(raw, 0, &je);
    if (!o) {
        api_send_raw(rs, raw);
        return;
    }
    localise(o, lang);
    char *t = json_dumps(o, JSON_COMPACT);
    api_send_raw(rs, t ? t : raw);
    free(t);
    json_decref(o);
}

/* ---- taxonomies and terms ---- */

void api_taxonomies(request *rq, response *rs)
{
    paging p;
    api_read_paging(rq, &p);
    const char *search = api_read_search(rq);
    sqlite3 *db = db_thread();
    long total = db ? api_store_taxonomies_count(db, search) : -1;
    if (total < 0) {
        api_db_failed(rs);
        return;
    }
    sink s;
    api_sink_init(&s, rs, p.ndjson);
    struct lang_sink ls = {&s, api_lang(rq, rs)};
    if (!api_store_taxonomies_each(db, search, api_page_offset(&p), p.per_page, sink_localised, &ls))
        s.failed = true;
    api_sink_send(&s, &p, total);
}

void api_taxonomy(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    bool failed = true;
    const char *raw = db ? api_store_taxonomy(db, &rq->a, req_param(rq, "id"), &failed) : NULL;
    if (failed) {
        api_db_failed(rs);
        return;
    }
    if (!raw) {
        api_not_found(rs, "There is no taxonomy with that id.");
        return;
    }
    send_localised(rs, raw, api_lang(rq, rs));
}

void api_taxonomy_terms(request *rq, response *rs)
{
    paging p;
    api_store_term_filter f = {"", "", "", false};
    api_read_paging(rq, &p);
    f.search = api_read_search(rq);
    f.top_only = req_bool(rq, "top_only");
    const char *tax = req_str(rq, "taxonomy_id"), *parent = req_str(rq, "parent_id");
    f.taxonomy_id = tax ? tax : "";
    f.parent_id = parent ? parent : "";
    sqlite3 *db = db_thread();
    long total = db ? api_store_terms_count(db, &f) : -1;
    if (total < 0) {
        api_db_failed(rs);
        return;
    }
    sink s;
    api_sink_init(&s, rs, p.ndjson);
    struct lang_sink ls = {&s, api_lang(rq, rs)};
    if (!api_store_terms_each(db, &f, api_page_offset(&p), p.per_page, sink_localised, &ls))
        s.failed = true;
    api_sink_send(&s, &p, total);
}

void api_taxonomy_term(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    bool failed = true;
    const char *raw = db ? api_store_term_raw(db, &rq->a, req_param(rq, "id"), &failed) : NULL;
    if (failed) {
        api_db_failed(rs);
        return;
    }
    if (!raw) {
        api_not_found(rs, "There is no taxonomy term with that id.");
        return;
    }
    send_localised(rs, raw, api_lang(rq, rs));
}

