/* api_taxonomies: /api/v1/taxonomies and /api/v1/taxonomy_terms (and one
 * of each by id). */
#include "locator/locator_api.h"
#include "locator/api_int.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_sal.h"
#include "hsds/hsds_store.h"
#include "http/api.h"
#include "locator/locator_api_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (!api_store_taxonomies_each(db, search, api_page_offset(&p), p.per_page, api_sink_raw, &s))
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
    api_send_raw(rs, raw);
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
    if (!api_store_terms_each(db, &f, api_page_offset(&p), p.per_page, api_sink_raw, &s))
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
    api_send_raw(rs, raw);
}

