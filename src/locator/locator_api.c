/* locator_api: what the HSDS 3.0 API handlers share: errors, paging,
 * collecting rows as a JSON page or NDJSON, modified_after, the filters
 * /services and /service_at_locations share, and /api/v1 with its OpenAPI
 * document. The handlers are in api_services.c (services, organizations),
 * api_taxonomies.c and api_sal.c (service_at_locations). */
#include "locator/locator_api.h"
#include "locator/api_int.h"
#include "core/tz.h"
#include "core/uuid.h"
#include "core/util.h"
#include "db/db.h"
#include "locator/locator.h"
#include "locator/locator_api_store.h"
#include "hsds/hsds_store.h"
#include "locator/geo.h"
#include "locator/listing.h"
#include "hsds/hsds_sal.h"
#include "http/api.h"
#include "http/server.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OPENAPI_MAX (4u << 20)

/* ---- errors and parameters ---- */

void api_bad_param(response *rs, const char *name, const char *message)
{
    api_error(rs, 400, message, json_pack("{s:s}", "parameter", name));
}

void api_not_found(response *rs, const char *what)
{
    api_error(rs, 404, what, NULL);
}

void api_db_failed(response *rs)
{
    api_error(rs, 500, N_("The directory could not be read. Please try again later."), NULL);
}


/* page, per_page and format (checked by the route's spec). */
void api_read_paging(const request *rq, paging *p)
{
    p->ndjson = !strcmp(req_str(rq, "format") ? req_str(rq, "format") : "json", "ndjson");
    p->page = req_has(rq, "page") ? req_int(rq, "page") : 1;
    p->per_page = req_has(rq, "per_page") ? req_int(rq, "per_page") : p->ndjson ? -1 : PER_PAGE_DEFAULT;
    if (p->per_page < 0)
        p->page = 1;
}

long api_page_offset(const paging *p)
{
    return p->per_page < 0 ? 0 : (p->page - 1) * p->per_page;
}

/* How many pages total items make (ndjson without per_page: one). */
long api_pages_for(const paging *p, long total)
{
    long per = p->per_page < 0 ? (total > 0 ? total : 1) : p->per_page;
    return (total + per - 1) / per;
}

/* The HSDS page object around contents (reference stolen). */
json_t *api_page_of(const paging *p, long total, json_t *contents)
{
    long pages = api_pages_for(p, total);
    json_t *o = json_object();
    json_object_set_new(o, "total_items", json_integer(total));
    json_object_set_new(o, "total_pages", json_integer(pages));
    json_object_set_new(o, "page_number", json_integer(p->page));
    json_object_set_new(o, "size", json_integer((json_int_t)json_array_size(contents)));
    json_object_set_new(o, "first_page", json_boolean(p->page == 1));
    json_object_set_new(o, "last_page", json_boolean(p->page >= pages));
    json_object_set_new(o, "empty", json_boolean(json_array_size(contents) == 0));
    json_object_set_new(o, "contents", contents);
    return o;
}

/* ---- collecting rows: a JSON array, or ndjson lines in the body ---- */


void api_sink_init(sink *s, response *rs, bool ndjson)
{
    s->rs = rs;
    s->out = &rs->body;
    s->ndjson = ndjson;
    s->list = json_array();
    s->failed = false;
    if (ndjson)
        buf_reset(&rs->body);
}

/* One stored JSON text as one line: raw newlines can only be whitespace. */
void api_ndjson_line(buf *out, const char *raw)
{
    size_t start = out->len;
    buf_puts(out, raw);
    for (size_t i = start; i < out->len; i++)
        if (out->data[i] == '\n' || out->data[i] == '\r')
            out->data[i] = ' ';
    buf_putc(out, '\n');
}

bool api_sink_raw(void *ctx, const char *raw)
{
    sink *s = ctx;
    if (s->ndjson) {
        api_ndjson_line(s->out, raw);
        return true;
    }
    json_error_t je;
    json_t *o = json_loads(raw, 0, &je);
    if (!o) {
        s->failed = true;
        return false;
    }
    json_array_append_new(s->list, o);
    return true;
}

/* Adds a list object (reference stolen). */
bool api_sink_obj(sink *s, json_t *o)
{
    if (!o) {
        s->failed = true;
        return false;
    }
    if (s->ndjson) {
        char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (t)
            api_ndjson_line(s->out, t);
        else
            s->failed = true;
        free(t);
        json_decref(o);
    } else {
        json_array_append_new(s->list, o);
    }
    return true;
}

/* Sends what the sink collected: a page, or the ndjson body. */
void api_sink_send(sink *s, const paging *p, long total)
{
    if (s->failed) {
        json_decref(s->list);
        api_db_failed(s->rs);
        return;
    }
    if (s->ndjson) {
        json_decref(s->list);
        s->rs->status = 200;
        s->rs->content_type = "application/x-ndjson";
        return;
    }
    api_send(s->rs, 200, api_page_of(p, total, s->list));
}

void api_send_raw(response *rs, const char *raw)
{
    rs->status = 200;
    rs->content_type = "application/json";
    buf_reset(&rs->body);
    buf_puts(&rs->body, raw);
    buf_putc(&rs->body, '\n');
}

/* ---- modified_after ---- */

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* An ISO 8601 date or date-time (YYYY-MM-DD, or with THH:MM[:SS[.fff]] and
 * Z, +HH:MM or none for UTC) as "YYYY-MM-DDTHH:MM:SSZ" in UTC. */
bool api_iso_to_utc(const char *s, char out[32])
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    int64_t days = tz_days_from_civil(y, mo, d);
    int64_t cy;
    int cm, cd;
    tz_civil_from_days(days, &cy, &cm, &cd);
    if (cy != y || cm != mo || cd != d)
        return false;
    const char *p = s + 10;
    long offset = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi) || h > 23 || mi > 59)
            return false;
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2, &sec) || sec > 60)
                return false;
            p += 3;
            if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9')
                    return false;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            int sign = *p == '-' ? -1 : 1;
            p++;
            if (!digits(p, 2, &oh) || oh > 23)
                return false;
            p += 2;
            if (*p == ':')
                p++;
            if (!digits(p, 2, &om) || om > 59)
                return false;
            p += 2;
            offset = sign * (oh * 3600L + om * 60L);
        }
    }
    if (*p)
        return false;
    time_t t = (time_t)(days * 86400 + h * 3600 + mi * 60 + sec - offset);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return false;
    return strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

/* ---- /api/v1 and /api/v1/openapi.json ---- */

void api_root(request *rq, response *rs)
{
    (void)rq;
    api_send(rs, 200,
             json_pack("{s:s, s:s, s:s}", "version", "3.0", "profile", "https://docs.openreferral.org/en/3.0/",
                       "openapi_url", "/api/v1/openapi.json"));
}

static pthread_mutex_t openapi_lock = PTHREAD_MUTEX_INITIALIZER;
static char *openapi_doc;
static size_t openapi_len;

bool locator_api_load_openapi(const char *data_dir, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/openapi.json", data_dir);
    size_t len = 0;
    char *doc = file_read(path, OPENAPI_MAX, &len);
    if (!doc) {
        snprintf(err, errlen, "%s: cannot read the API description", path);
        return false;
    }
    pthread_mutex_lock(&openapi_lock);
    free(openapi_doc);
    openapi_doc = doc;
    openapi_len = len;
    pthread_mutex_unlock(&openapi_lock);
    return true;
}

void locator_api_free(void)
{
    pthread_mutex_lock(&openapi_lock);
    free(openapi_doc);
    openapi_doc = NULL;
    openapi_len = 0;
    pthread_mutex_unlock(&openapi_lock);
}

void api_openapi(request *rq, response *rs)
{
    pthread_mutex_lock(&openapi_lock);
    bool have = openapi_doc != NULL;
    pthread_mutex_unlock(&openapi_lock);
    if (!have) {
        char err[1100];
        if (!rq->cfg || !locator_api_load_openapi(rq->cfg->data_dir, err, sizeof(err))) {
            api_error(rs, 500, T(rq, "The API description is not available."), NULL);
            return;
        }
    }
    pthread_mutex_lock(&openapi_lock);
    buf_reset(&rs->body);
    buf_append(&rs->body, openapi_doc, openapi_len);
    pthread_mutex_unlock(&openapi_lock);
    rs->status = 200;
    rs->content_type = "application/json";
}

/* ---- shared parameters ---- */

/* search ("" when absent; its length is checked by the route's spec). */
const char *api_read_search(const request *rq)
{
    const char *v = req_str(rq, "search");
    return v ? v : "";
}

/* A JSON array as compact text in the request arena. */
const char *api_json_text(arena *a, json_t *v)
{
    char *t = json_dumps(v, JSON_COMPACT);
    const char *out = arena_strdup(a, t ? t : "[]");
    free(t);
    return out;
}


/* The id of a Waypost term from its code (uuid5 of the taxonomy id and
 * the code, as data/taxonomy/waypost.json's ids are made), in arena a;
 * NULL when code is not a Waypost code. */
static const char *waypost_term_id(arena *a, const char *code)
{
    unsigned char ns[16];
    char id[37];
    if (!loc_code_find(code) || !uuid_parse(WAYPOST_TAXONOMY_ID, ns))
        return NULL;
    uuid5(ns, code, strlen(code), id);
    return arena_strdup(a, id);
}

/* One term to filter by into t; false when answered (400 naming param
 * for an unknown term, 500 when the database fails). */
static bool read_one_term(request *rq, response *rs, sqlite3 *db, const char *key, const char *value, term_ids *t,
                          json_t *all, json_t *rest)
{
    const char *id = value, *code = NULL, *tax = NULL;
    bool failed = false, by_code = !strcmp(key, "code");
    bool ok = !by_code && api_store_term(db, &rq->a, id, &code, &tax, &failed);
    if (!ok && !failed && (id = waypost_term_id(&rq->a, value)) != NULL) /* a Waypost code */
        ok = api_store_term(db, &rq->a, id, &code, &tax, &failed);
    if (failed) {
        api_db_failed(rs);
        return false;
    }
    if (!ok) {
        api_bad_param(rs, key, by_code ? T(rq, "There is no Waypost code with that name (see /api/v1/taxonomy_terms).")
                                         : T(rq, "There is no taxonomy term with that id or Waypost code."));
        return false;
    }
    uint64_t bit = !strcmp(tax, WAYPOST_TAXONOMY_ID) ? loc_code_bit(code) : 0;
    t->bits |= bit;
    json_array_append_new(all, json_string(id));
    if (!bit)
        json_array_append_new(rest, json_string(id));
    return true;
}

/* Reads taxonomy_term_id and code (each repeatable; a taxonomy_term_id may
 * also be a Waypost code such as "naloxone"; each must exist); false when
 * answered: 400 for an unknown term, 500 when the database fails. */
bool api_read_terms(request *rq, response *rs, sqlite3 *db, term_ids *t)
{
    static const char *const keys[] = {"taxonomy_term_id", "code"};
    const params *qp = &rq->query;
    json_t *all = json_array(), *rest = json_array();
    t->bits = 0;
    bool ok = true;
    for (size_t k = 0; k < 2; k++) {
        size_t nt = params_count(qp, keys[k]);
        for (size_t i = 0; ok && i < nt; i++)
            ok = read_one_term(rq, rs, db, keys[k], params_get_nth(qp, keys[k], i), t, all, rest);
    }
    t->all_json = api_json_text(&rq->a, all);
    t->rest_json = api_json_text(&rq->a, rest);
    json_decref(all);
    json_decref(rest);
    return ok;
}

/* The filters /services and /service_at_locations share: search,
 * organization_id, taxonomy_id, taxonomy_term_id and modified_after. The
 * term ids, split for the index, go to *terms. */
bool api_read_filter(request *rq, response *rs, sqlite3 *db, api_store_filter *f, term_ids *terms)
{
    memset(f, 0, sizeof(*f));
    f->postcode = "";
    f->search = api_read_search(rq);
    const char *after = req_str(rq, "modified_after");
    char *since = arena_alloc(&rq->a, 32);
    since[0] = '\0';
    if (after && !api_iso_to_utc(after, since)) {
        api_bad_param(rs, "modified_after", T(rq, "modified_after must be an ISO 8601 date or date-time, "
                                                "such as 2024-05-01 or 2024-05-01T12:00:00Z."));
        return false;
    }
    f->since = since;
    const char *org = params_get(&rq->query, "organization_id"), *tax = params_get(&rq->query, "taxonomy_id");
    f->organization_id = org ? org : "";
    f->taxonomy_id = tax ? tax : "";
    int known = tax ? api_store_taxonomy_known(db, tax) : 1;
    if (known < 0) {
        api_db_failed(rs);
        return false;
    }
    if (!known) {
        api_bad_param(rs, "taxonomy_id", T(rq, "There is no taxonomy with that id."));
        return false;
    }
    if (!api_read_terms(rq, rs, db, terms))
        return false;
    f->terms_json = terms->all_json;
    return true;
}

api_store_filter api_filter_copy(arena *a, const api_store_filter *f)
{
    api_store_filter c;
    c.since = arena_strdup(a, f->since ? f->since : "");
    c.search = arena_strdup(a, f->search ? f->search : "");
    c.organization_id = arena_strdup(a, f->organization_id ? f->organization_id : "");
    c.taxonomy_id = arena_strdup(a, f->taxonomy_id ? f->taxonomy_id : "");
    c.terms_json = arena_strdup(a, f->terms_json ? f->terms_json : "[]");
    c.postcode = arena_strdup(a, f->postcode ? f->postcode : "");
    return c;
}
