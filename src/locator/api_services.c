/* api_services: /api/v1/services and /api/v1/organizations (and one of
 * each by id), from the stored HSDS documents. */
#include "locator/locator_api.h"
#include "locator/api_int.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_sal.h"
#include "hsds/hsds_store.h"
#include "http/api.h"
#include "locator/api_search_cache.h"
#include "locator/locator_api_store.h"
#include "locator/service_brief.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- services ---- */

typedef struct shape {
    sink *s;
    bool full;
    int lang;  /* of the Waypost terms' labels */
    buf brief; /* one service's one-to-one fields as text, reused */
} shape;

/* A service's one-to-one fields, parsed from the text service_brief_text
 * cuts out of its document (a few hundred bytes of up to 40 KB: parsing
 * every list's whole documents was most of a search's time). NULL when
 * the text is not one it follows. */
static json_t *brief_of(shape *sh, const char *raw)
{
    buf_reset(&sh->brief);
    if (!service_brief_text(raw, &sh->brief) || sh->brief.overflow)
        return NULL;
    json_error_t je;
    return json_loadb(sh->brief.data, sh->brief.len, 0, &je);
}

/* A service in a list: whole with full=true, else its one-to-one fields. */
static bool add_service(void *ctx, const char *raw)
{
    shape *sh = ctx;
    if (sh->full && sh->lang == I18N_SOURCE)
        return api_sink_raw(sh->s, raw);
    json_t *brief = sh->full ? NULL : brief_of(sh, raw);
    if (brief)
        return api_sink_obj(sh->s, brief);
    json_error_t je;
    json_t *svc = json_loads(raw, 0, &je);
    if (sh->full) {
        api_localize_terms(svc, sh->lang);
        return api_sink_obj(sh->s, svc);
    }
    brief = svc ? hsds_sal_service_brief(svc) : NULL;
    json_decref(svc);
    return api_sink_obj(sh->s, brief);
}

/* A streamed shape's brief buffer, with its stream (the shape itself is
 * in the stream's arena). */
static void free_shape(void *ctx)
{
    buf_free(&((shape *)ctx)->brief);
}

/* format=ndjson without per_page: every matching service, streamed. */
static void services_stream(request *rq, response *rs, const api_store_filter *f, bool minimal, bool full)
{
    int lang = api_lang(rq, rs);
    api_stream *as = api_stream_begin(rs);
    if (!as)
        return;
    arena *a = api_stream_arena(as);
    api_store_filter *fc = arena_alloc(a, sizeof(*fc));
    *fc = api_filter_copy(a, f);
    shape *sh = arena_alloc(a, sizeof(*sh));
    *sh = (shape){api_stream_sink(as), full || minimal, lang, BUF_INIT};
    if (!api_store_services_rows(api_stream_db(as), fc, minimal, api_stream_rows(as))) {
        api_stream_abort(as);
        api_db_failed(rs);
        return;
    }
    api_stream_send_rows(as, rs, add_service, sh, free_shape);
}

void api_services(request *rq, response *rs)
{
    paging p;
    api_read_paging(rq, &p);
    sqlite3 *db = db_thread();
    if (!db) {
        api_db_failed(rs);
        return;
    }
    api_store_filter f;
    term_ids terms;
    if (!api_read_filter(rq, rs, db, &f, &terms))
        return;
    bool minimal = req_bool(rq, "minimal"), full = req_bool(rq, "full");
    if (api_streamed(&p)) {
        services_stream(rq, rs, &f, minimal, full);
        return;
    }
    /* a search alone: its matches from this thread's search cache */
    size_t nids = 0;
    bool failed = false;
    bool txn = db_read_begin(db); /* one snapshot and lock for the count and the page */
    const uint32_t *ids = api_store_only_search(&f) ? api_search_cache_ids(db, f.search, &nids, &failed) : NULL;
    long total = ids ? (long)nids : failed ? -1 : api_store_services_count(db, &f);
    if (total < 0) {
        if (txn)
            db_read_end(db);
        api_db_failed(rs);
        return;
    }
    sink s;
    api_sink_init(&s, rs, p.ndjson);
    shape sh = {&s, full || minimal, api_lang(rq, rs), BUF_INIT};
    long offset = api_page_offset(&p);
    if (ids) {
        size_t from = (size_t)offset < nids ? (size_t)offset : nids;
        size_t count = p.per_page < 0 || (size_t)p.per_page > nids - from ? nids - from : (size_t)p.per_page;
        s.failed |= !api_store_services_rowids(db, ids + from, count, minimal, add_service, &sh);
    } else if (!api_store_services_each(db, &f, minimal, offset, p.per_page, add_service, &sh)) {
        s.failed = true;
    }
    if (txn)
        db_read_end(db);
    buf_free(&sh.brief);
    api_sink_send(&s, &p, total);
}

void api_service(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    bool failed = true;
    const char *raw = db ? api_store_service(db, &rq->a, req_param(rq, "id"), &failed) : NULL;
    if (failed) {
        api_db_failed(rs);
        return;
    }
    if (!raw) {
        api_not_found(rs, T(rq, "There is no service with that id."));
        return;
    }
    api_send_localized(rs, raw, api_lang(rq, rs));
}

/* ---- organizations ---- */

typedef struct org_shape {
    sink *s;
    sqlite3 *db;
    bool full, full_service;
} org_shape;

typedef struct org_services {
    json_t *list;
    bool full_service;
} org_services;

/* One of an organization's services: whole with full_service, else its
 * one-to-one fields. */
static bool add_org_service(void *ctx, const char *raw)
{
    org_services *os = ctx;
    json_error_t je;
    json_t *svc = json_loads(raw, 0, &je);
    if (!svc)
        return true;
    json_array_append_new(os->list, os->full_service ? json_incref(svc) : hsds_sal_service_brief(svc));
    json_decref(svc);
    return true;
}

/* An organization as HSDS gives it: in lists its one-to-one fields; whole
 * with its services (one-to-one fields, or whole with full_service) for
 * one organization or with full. NULL on a database error. */
static json_t *org_object(sqlite3 *db, const char *raw, bool with_services, bool full_service)
{
    json_error_t je;
    json_t *org = json_loads(raw, 0, &je);
    if (!org)
        return NULL;
    if (!with_services && !full_service) {
        json_t *brief = hsds_sal_service_brief(org);
        json_decref(org);
        return brief;
    }
    org_services os = {json_array(), full_service};
    const char *id = json_string_value(json_object_get(org, "id"));
    if (!api_store_organization_services(db, id ? id : "", add_org_service, &os)) {
        json_decref(os.list);
        json_decref(org);
        return NULL;
    }
    json_object_set_new(org, "services", os.list);
    return org;
}

static bool add_org(void *ctx, const char *raw)
{
    org_shape *sh = ctx;
    return api_sink_obj(sh->s, org_object(sh->db, raw, sh->full, sh->full_service));
}

/* format=ndjson without per_page: every organization, streamed (with
 * its services, read in the same snapshot, for full or full_service). */
static void organizations_stream(response *rs, const char *search, bool full, bool full_service)
{
    api_stream *as = api_stream_begin(rs);
    if (!as)
        return;
    arena *a = api_stream_arena(as);
    org_shape *sh = arena_alloc(a, sizeof(*sh));
    *sh = (org_shape){api_stream_sink(as), api_stream_db(as), full, full_service};
    if (!api_store_organizations_rows(sh->db, arena_strdup(a, search), api_stream_rows(as))) {
        api_stream_abort(as);
        api_db_failed(rs);
        return;
    }
    api_stream_send_rows(as, rs, add_org, sh, NULL);
}

void api_organizations(request *rq, response *rs)
{
    paging p;
    api_read_paging(rq, &p);
    const char *search = api_read_search(rq);
    bool full = req_bool(rq, "full"), full_service = req_bool(rq, "full_service");
    if (api_streamed(&p)) {
        organizations_stream(rs, search, full, full_service);
        return;
    }
    sqlite3 *db = db_thread();
    long total = db ? api_store_organizations_count(db, search) : -1;
    if (total < 0) {
        api_db_failed(rs);
        return;
    }
    sink s;
    api_sink_init(&s, rs, p.ndjson);
    org_shape sh = {&s, db, full, full_service};
    if (!api_store_organizations_each(db, search, api_page_offset(&p), p.per_page, add_org, &sh))
        s.failed = true;
    api_sink_send(&s, &p, total);
}

void api_organization(request *rq, response *rs)
{
    bool full_service = req_bool(rq, "full_service");
    sqlite3 *db = db_thread();
    bool failed = true;
    const char *raw = db ? api_store_organization(db, &rq->a, req_param(rq, "id"), &failed) : NULL;
    if (failed) {
        api_db_failed(rs);
        return;
    }
    if (!raw) {
        api_not_found(rs, T(rq, "There is no organization with that id."));
        return;
    }
    json_t *org = org_object(db, raw, true, full_service);
    if (!org) {
        api_db_failed(rs);
        return;
    }
    api_send(rs, 200, org);
}

