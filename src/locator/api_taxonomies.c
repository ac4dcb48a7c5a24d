/* api_taxonomies: /api/v1/taxonomies and /api/v1/taxonomy_terms (and one
 * of each by id). The Waypost taxonomy's own name and description and its
 * terms' names and descriptions come in the language asked for ("lang", or
 * Accept-Language; English by default): the English of
 * data/taxonomy/waypost.json is the catalog's msgid. */
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

static void tr_key(json_t *o, const char *key, int lang)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (v && *v)
        json_object_set_new(o, key, json_string(i18n_tr(lang, v)));
}

/* The Waypost taxonomy and its terms, anywhere in v, in lang. */
void api_localize_terms(json_t *v, int lang)
{
    if (lang == I18N_SOURCE || !v)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
            api_localize_terms(x, lang);
        return;
    }
    if (!json_is_object(v))
        return;
    const char *tax = json_string_value(json_object_get(v, "taxonomy_id"));
    const char *id = json_string_value(json_object_get(v, "id"));
    bool term = tax && !strcmp(tax, WAYPOST_TAXONOMY_ID);
    if (term || (id && !strcmp(id, WAYPOST_TAXONOMY_ID) && json_object_get(v, "uri"))) {
        tr_key(v, "name", lang);
        tr_key(v, "description", lang);
        /* HSDS's term.language: say it, stored or not, when a client asked
           for another language than the stored one */
        if (term)
            json_object_set_new(v, "language", json_string(i18n_code(lang)));
    }
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x)
        if (json_is_object(x) || json_is_array(x))
            api_localize_terms(x, lang);
}

struct tr_sink {
    sink *s;
    int lang;
};

/* api_sink_raw with the labels in the sink's language. */
static bool tr_sink_raw(void *ctx, const char *raw)
{
    struct tr_sink *t = ctx;
    if (t->lang == I18N_SOURCE)
        return api_sink_raw(t->s, raw);
    json_error_t je;
    json_t *o = json_loads(raw, 0, &je);
    api_localize_terms(o, t->lang);
    return api_sink_obj(t->s, o);
}

void api_send_localized(response *rs, const char *raw, int lang)
{
    json_error_t je;
    json_t *o = lang != I18N_SOURCE ? json_loads(raw, 0, &je) : NULL;
    if (!o) {
        api_send_raw(rs, raw);
        return;
    }
    api_localize_terms(o, lang);
    char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    api_send_raw(rs, t ? t : raw);
    free(t);
    json_decref(o);
}

/* ---- taxonomies and terms ---- */

/* A tr_sink into a stream, in its arena. */
static struct tr_sink *stream_tr(api_stream *as, int lang)
{
    struct tr_sink *t = arena_alloc(api_stream_arena(as), sizeof(*t));
    t->s = api_stream_sink(as);
    t->lang = lang;
    return t;
}

static void taxonomies_stream(response *rs, const char *search, int lang)
{
    api_stream *as = api_stream_begin(rs);
    if (!as)
        return;
    if (!api_store_taxonomies_rows(api_stream_db(as), arena_strdup(api_stream_arena(as), search), api_stream_rows(as))) {
        api_stream_abort(as);
        api_db_failed(rs);
        return;
    }
    api_stream_send_rows(as, rs, tr_sink_raw, stream_tr(as, lang), NULL);
}

static void terms_stream(response *rs, const api_store_term_filter *f, int lang)
{
    api_stream *as = api_stream_begin(rs);
    if (!as)
        return;
    arena *a = api_stream_arena(as);
    api_store_term_filter *fc = arena_alloc(a, sizeof(*fc));
    *fc = (api_store_term_filter){arena_strdup(a, f->taxonomy_id), arena_strdup(a, f->search),
                                  arena_strdup(a, f->parent_id), f->top_only};
    if (!api_store_terms_rows(api_stream_db(as), fc, api_stream_rows(as))) {
        api_stream_abort(as);
        api_db_failed(rs);
        return;
    }
    api_stream_send_rows(as, rs, tr_sink_raw, stream_tr(as, lang), NULL);
}

void api_taxonomies(request *rq, response *rs)
{
    paging p;
    api_read_paging(rq, &p);
    const char *search = api_read_search(rq);
    if (api_streamed(&p)) {
        taxonomies_stream(rs, search, api_lang(rq, rs));
        return;
    }
    sqlite3 *db = db_thread();
    long total = db ? api_store_taxonomies_count(db, search) : -1;
    if (total < 0) {
        api_db_failed(rs);
        return;
    }
    sink s;
    api_sink_init(&s, rs, p.ndjson);
    struct tr_sink t = {&s, api_lang(rq, rs)};
    if (!api_store_taxonomies_each(db, search, api_page_offset(&p), p.per_page, tr_sink_raw, &t))
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
        api_not_found(rs, T(rq, "There is no taxonomy with that id."));
        return;
    }
    api_send_localized(rs, raw, api_lang(rq, rs));
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
    if (api_streamed(&p)) {
        terms_stream(rs, &f, api_lang(rq, rs));
        return;
    }
    sqlite3 *db = db_thread();
    long total = db ? api_store_terms_count(db, &f) : -1;
    if (total < 0) {
        api_db_failed(rs);
        return;
    }
    sink s;
    api_sink_init(&s, rs, p.ndjson);
    struct tr_sink t = {&s, api_lang(rq, rs)};
    if (!api_store_terms_each(db, &f, api_page_offset(&p), p.per_page, tr_sink_raw, &t))
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
        api_not_found(rs, T(rq, "There is no taxonomy term with that id."));
        return;
    }
    api_send_localized(rs, raw, api_lang(rq, rs));
}

