/* directory_api: the HSDS 3.0 API handlers. See directory_api.h. */
#include "locator/locator_api.h"
#include "core/tz.h"
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

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX 100
#define PAGE_MAX 1000000L
#define MAX_TERMS 16
#define SEARCH_MAX 200
#define PROXIMITY_MAX_M 20100000.0 /* a little more than half the Earth's circumference */
#define OPENAPI_MAX (4u << 20)

/* ---- errors and parameters ---- */

static void bad_param(response *rs, const char *name, const char *message)
{
    api_error(rs, 400, message, json_pack("{s:s}", "parameter", name));
}

static void not_found(response *rs, const char *what)
{
    api_error(rs, 404, what, NULL);
}

static void db_failed(response *rs)
{
    api_error(rs, 500, "The directory could not be read. Please try again later.", NULL);
}

typedef struct paging {
    long page, per_page; /* per_page -1: everything (ndjson without per_page) */
    bool ndjson;
} paging;

/* page, per_page and format; false when answered 400. */
static bool read_paging(request *rq, response *rs, paging *p)
{
    const char *page = params_get(&rq->query, "page"), *per = params_get(&rq->query, "per_page");
    const char *fmt = params_get(&rq->query, "format");
    p->ndjson = false;
    if (fmt && strcmp(fmt, "json")) {
        if (strcmp(fmt, "ndjson")) {
            bad_param(rs, "format", "format must be json or ndjson.");
            return false;
        }
        p->ndjson = true;
    }
    p->page = 1;
    if (page && !parse_long(page, 1, PAGE_MAX, &p->page)) {
        bad_param(rs, "page", "page must be a whole number from 1.");
        return false;
    }
    p->per_page = p->ndjson && !per ? -1 : PER_PAGE_DEFAULT;
    if (per && !parse_long(per, 1, PER_PAGE_MAX, &p->per_page)) {
        bad_param(rs, "per_page", "per_page must be a whole number from 1 to 100.");
        return false;
    }
    if (p->per_page < 0)
        p->page = 1;
    return true;
}

static long page_offset(const paging *p)
{
    return p->per_page < 0 ? 0 : (p->page - 1) * p->per_page;
}

/* How many pages total items make (ndjson without per_page: one). */
static long pages_for(const paging *p, long total)
{
    long per = p->per_page < 0 ? (total > 0 ? total : 1) : p->per_page;
    return (total + per - 1) / per;
}

/* The HSDS page object around contents (reference stolen). */
static json_t *page_of(const paging *p, long total, json_t *contents)
{
    long pages = pages_for(p, total);
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

typedef struct sink {
    response *rs;
    bool ndjson;
    json_t *list;
    bool failed;
} sink;

static void sink_init(sink *s, response *rs, bool ndjson)
{
    s->rs = rs;
    s->ndjson = ndjson;
    s->list = json_array();
    s->failed = false;
    if (ndjson)
        buf_reset(&rs->body);
}

/* One stored JSON text as one line: raw newlines can only be whitespace. */
static void ndjson_line(response *rs, const char *raw)
{
    size_t start = rs->body.len;
    buf_puts(&rs->body, raw);
    for (size_t i = start; i < rs->body.len; i++)
        if (rs->body.data[i] == '\n' || rs->body.data[i] == '\r')
            rs->body.data[i] = ' ';
    buf_putc(&rs->body, '\n');
}

static bool sink_raw(void *ctx, const char *raw)
{
    sink *s = ctx;
    if (s->ndjson) {
        ndjson_line(s->rs, raw);
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
static bool sink_obj(sink *s, json_t *o)
{
    if (!o) {
        s->failed = true;
        return false;
    }
    if (s->ndjson) {
        char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (t)
            ndjson_line(s->rs, t);
        free(t);
        json_decref(o);
    } else {
        json_array_append_new(s->list, o);
    }
    return true;
}

/* Sends what the sink collected: a page, or the ndjson body. */
static void sink_send(sink *s, const paging *p, long total)
{
    if (s->failed) {
        json_decref(s->list);
        db_failed(s->rs);
        return;
    }
    if (s->ndjson) {
        json_decref(s->list);
        s->rs->status = 200;
        s->rs->content_type = "application/x-ndjson";
        return;
    }
    api_send(s->rs, 200, page_of(p, total, s->list));
}

static void send_raw(response *rs, const char *raw)
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
static bool iso_to_utc(const char *s, char out[32])
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
            api_error(rs, 500, "The API description is not available.", NULL);
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

/* A true/false parameter (absent: false); false when answered 400. */
static bool read_bool(request *rq, response *rs, const char *name, bool *out)
{
    const char *v = params_get(&rq->query, name);
    *out = v && !strcmp(v, "true");
    if (v && strcmp(v, "true") && strcmp(v, "false")) {
        char msg[96];
        snprintf(msg, sizeof(msg), "%s must be true or false.", name);
        bad_param(rs, name, msg);
        return false;
    }
    return true;
}

static bool read_search(request *rq, response *rs, const char **out)
{
    *out = params_get(&rq->query, "search");
    if (*out && strlen(*out) > SEARCH_MAX) {
        bad_param(rs, "search", "search must be at most 200 characters.");
        return false;
    }
    if (!*out)
        *out = "";
    return true;
}

/* A JSON array as compact text in the request arena. */
static const char *json_text(arena *a, json_t *v)
{
    char *t = json_dumps(v, JSON_COMPACT);
    const char *out = arena_strdup(a, t ? t : "[]");
    free(t);
    return out;
}

/* taxonomy_term_id, looked up once: every id, and split for the
 * geographic index into Waypost codes (bits) and the other terms. */
typedef struct term_ids {
    const char *all_json;  /* every id, a JSON array */
    const char *rest_json; /* ids the index cannot test (no Waypost bit) */
    uint64_t bits;         /* Waypost term bits */
} term_ids;

/* Reads taxonomy_term_id (repeatable; each must exist); false when
 * answered 400. */
static bool read_terms(request *rq, response *rs, sqlite3 *db, term_ids *t)
{
    const params *qp = &rq->query;
    size_t nt = params_count(qp, "taxonomy_term_id");
    if (nt > MAX_TERMS) {
        bad_param(rs, "taxonomy_term_id", "Give at most 16 taxonomy_term_id values.");
        return false;
    }
    json_t *all = json_array(), *rest = json_array();
    t->bits = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < nt; i++) {
        const char *id = params_get_nth(qp, "taxonomy_term_id", i), *code = NULL, *tax = NULL;
        ok = api_store_term(db, &rq->a, id, &code, &tax);
        uint64_t bit = ok && !strcmp(tax, WAYPOST_TAXONOMY_ID) ? loc_code_bit(code) : 0;
        t->bits |= bit;
        json_array_append_new(all, json_string(id));
        if (!bit)
            json_array_append_new(rest, json_string(id));
    }
    t->all_json = json_text(&rq->a, all);
    t->rest_json = json_text(&rq->a, rest);
    json_decref(all);
    json_decref(rest);
    if (!ok)
        bad_param(rs, "taxonomy_term_id", "There is no taxonomy term with that id.");
    return ok;
}

/* The filters /services and /service_at_locations share: search,
 * organization_id, taxonomy_id, taxonomy_term_id and modified_after. The
 * term ids, split for the index, go to *terms. */
static bool read_filter(request *rq, response *rs, sqlite3 *db, api_store_filter *f, term_ids *terms)
{
    memset(f, 0, sizeof(*f));
    f->postcode = "";
    if (!read_search(rq, rs, &f->search))
        return false;
    const char *after = params_get(&rq->query, "modified_after");
    char *since = arena_alloc(&rq->a, 32);
    since[0] = '\0';
    if (after && !iso_to_utc(after, since)) {
        bad_param(rs, "modified_after", "modified_after must be an ISO 8601 date or date-time, "
                                        "such as 2024-05-01 or 2024-05-01T12:00:00Z.");
        return false;
    }
    f->since = since;
    const char *org = params_get(&rq->query, "organization_id"), *tax = params_get(&rq->query, "taxonomy_id");
    f->organization_id = org ? org : "";
    f->taxonomy_id = tax ? tax : "";
    if (tax && api_store_taxonomy_known(db, tax) != 1) {
        bad_param(rs, "taxonomy_id", "There is no taxonomy with that id.");
        return false;
    }
    if (!read_terms(rq, rs, db, terms))
        return false;
    f->terms_json = terms->all_json;
    return true;
}

/* ---- services ---- */

typedef struct shape {
    sink *s;
    bool full;
} shape;

/* A service in a list: whole with full=true, else its one-to-one fields. */
static bool add_service(void *ctx, const char *raw)
{
    shape *sh = ctx;
    if (sh->full)
        return sink_raw(sh->s, raw);
    json_error_t je;
    json_t *svc = json_loads(raw, 0, &je);
    json_t *brief = svc ? hsds_sal_service_brief(svc) : NULL;
    json_decref(svc);
    return sink_obj(sh->s, brief);
}

void api_services(request *rq, response *rs)
{
    paging p;
    if (!read_paging(rq, rs, &p))
        return;
    sqlite3 *db = db_thread();
    if (!db) {
        db_failed(rs);
        return;
    }
    api_store_filter f;
    term_ids terms;
    bool minimal, full;
    if (!read_filter(rq, rs, db, &f, &terms))
        return;
    if (!read_bool(rq, rs, "minimal", &minimal) || !read_bool(rq, rs, "full", &full))
        return;
    long total = api_store_services_count(db, &f);
    if (total < 0) {
        db_failed(rs);
        return;
    }
    sink s;
    sink_init(&s, rs, p.ndjson);
    shape sh = {&s, full || minimal};
    if (!api_store_services_each(db, &f, minimal, page_offset(&p), p.per_page, add_service, &sh))
        s.failed = true;
    sink_send(&s, &p, total);
}

void api_service(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const char *raw = db ? api_store_service(db, &rq->a, req_param(rq, "id")) : NULL;
    if (!raw) {
        not_found(rs, "There is no service with that id.");
        return;
    }
    send_raw(rs, raw);
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
    return sink_obj(sh->s, org_object(sh->db, raw, sh->full, sh->full_service));
}

void api_organizations(request *rq, response *rs)
{
    paging p;
    const char *search;
    bool full, full_service;
    if (!read_paging(rq, rs, &p) || !read_search(rq, rs, &search) || !read_bool(rq, rs, "full", &full) ||
        !read_bool(rq, rs, "full_service", &full_service))
        return;
    sqlite3 *db = db_thread();
    long total = db ? api_store_organizations_count(db, search) : -1;
    if (total < 0) {
        db_failed(rs);
        return;
    }
    sink s;
    sink_init(&s, rs, p.ndjson);
    org_shape sh = {&s, db, full, full_service};
    if (!api_store_organizations_each(db, search, page_offset(&p), p.per_page, add_org, &sh))
        s.failed = true;
    sink_send(&s, &p, total);
}

void api_organization(request *rq, response *rs)
{
    bool full_service;
    if (!read_bool(rq, rs, "full_service", &full_service))
        return;
    sqlite3 *db = db_thread();
    const char *raw = db ? api_store_organization(db, &rq->a, req_param(rq, "id")) : NULL;
    if (!raw) {
        not_found(rs, "There is no organization with that id.");
        return;
    }
    json_t *org = org_object(db, raw, true, full_service);
    if (!org) {
        db_failed(rs);
        return;
    }
    api_send(rs, 200, org);
}

/* ---- taxonomies and terms ---- */

void api_taxonomies(request *rq, response *rs)
{
    paging p;
    const char *search;
    if (!read_paging(rq, rs, &p) || !read_search(rq, rs, &search))
        return;
    sqlite3 *db = db_thread();
    long total = db ? api_store_taxonomies_count(db, search) : -1;
    if (total < 0) {
        db_failed(rs);
        return;
    }
    sink s;
    sink_init(&s, rs, p.ndjson);
    if (!api_store_taxonomies_each(db, search, page_offset(&p), p.per_page, sink_raw, &s))
        s.failed = true;
    sink_send(&s, &p, total);
}

void api_taxonomy(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const char *raw = db ? api_store_taxonomy(db, &rq->a, req_param(rq, "id")) : NULL;
    if (!raw) {
        not_found(rs, "There is no taxonomy with that id.");
        return;
    }
    send_raw(rs, raw);
}

void api_taxonomy_terms(request *rq, response *rs)
{
    paging p;
    api_store_term_filter f = {"", "", "", false};
    if (!read_paging(rq, rs, &p) || !read_search(rq, rs, &f.search) || !read_bool(rq, rs, "top_only", &f.top_only))
        return;
    const char *tax = params_get(&rq->query, "taxonomy_id"), *parent = params_get(&rq->query, "parent_id");
    f.taxonomy_id = tax ? tax : "";
    f.parent_id = parent ? parent : "";
    sqlite3 *db = db_thread();
    long total = db ? api_store_terms_count(db, &f) : -1;
    if (total < 0) {
        db_failed(rs);
        return;
    }
    sink s;
    sink_init(&s, rs, p.ndjson);
    if (!api_store_terms_each(db, &f, page_offset(&p), p.per_page, sink_raw, &s))
        s.failed = true;
    sink_send(&s, &p, total);
}

void api_taxonomy_term(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const char *raw = db ? api_store_term_raw(db, &rq->a, req_param(rq, "id")) : NULL;
    if (!raw) {
        not_found(rs, "There is no taxonomy term with that id.");
        return;
    }
    send_raw(rs, raw);
}

/* ---- service_at_locations ---- */

typedef struct sal_hit {
    uint32_t rowid;
    double km; /* -1 when no point was given */
} sal_hit;

typedef struct hitlist {
    sal_hit *v;
    size_t n, cap;
} hitlist;

static void hits_push(hitlist *h, uint32_t rowid, double km)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = xrealloc(h->v, h->cap * sizeof(sal_hit));
    }
    h->v[h->n].rowid = rowid;
    h->v[h->n].km = km;
    h->n++;
}

static bool push_rowid(void *ctx, uint32_t rowid)
{
    hits_push(ctx, rowid, -1);
    return true;
}

static bool parse_number(const char *s, double lo, double hi, double *out)
{
    if (!s || !*s || strlen(s) > 40)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool is_zip(const char *s)
{
    if (strlen(s) != 5)
        return false;
    for (int i = 0; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

typedef struct sal_query {
    bool has_point, has_radius, open_now, full;
    double lat, lon, radius_km;
    uint64_t need;    /* Waypost term bits, for the geographic index */
    api_store_filter all;  /* every filter, for answers without a point */
    api_store_filter rest; /* what the index cannot answer (terms outside the Waypost taxonomy) */
} sal_query;

/* postcode, lat, lon and proximity; false when answered 400. */
static bool read_where(request *rq, response *rs, sal_query *q, const char **postcode_filter)
{
    const params *qp = &rq->query;
    const char *lat = params_get(qp, "lat"), *lon = params_get(qp, "lon"), *prox = params_get(qp, "proximity");
    const char *postcode = params_get(qp, "postcode");
    *postcode_filter = "";
    if (lat || lon) {
        if (!parse_number(lat, -90, 90, &q->lat)) {
            bad_param(rs, "lat", "lat must be a latitude from -90 to 90, given with lon.");
            return false;
        }
        if (!parse_number(lon, -180, 180, &q->lon)) {
            bad_param(rs, "lon", "lon must be a longitude from -180 to 180, given with lat.");
            return false;
        }
        q->has_point = true;
    }
    if (postcode) {
        if (!is_zip(postcode)) {
            bad_param(rs, "postcode", "postcode must be a 5-digit US ZIP code.");
            return false;
        }
        double zlat, zlon;
        bool known = locator_zip(postcode, &zlat, &zlon);
        if (!q->has_point && known) {
            q->lat = zlat;
            q->lon = zlon;
            q->has_point = true;
        }
        if (prox && !known && !q->has_point) {
            bad_param(rs, "postcode", "That ZIP code is not one we know, so there is no point to measure from.");
            return false;
        }
        /* With proximity the postcode is only where to measure from;
         * without it, results are at locations with that postcode. */
        if (!prox)
            *postcode_filter = postcode;
    }
    if (prox) {
        double m;
        if (!parse_number(prox, 0, PROXIMITY_MAX_M, &m) || m <= 0) {
            bad_param(rs, "proximity", "proximity must be a distance in metres greater than 0.");
            return false;
        }
        if (!q->has_point) {
            bad_param(rs, "proximity", "proximity needs a point: lat and lon, or postcode.");
            return false;
        }
        q->radius_km = m / 1000.0;
        q->has_radius = true;
    }
    return true;
}

/* Reads the filters; false when answered 400. */
static bool read_sal_query(request *rq, response *rs, sqlite3 *db, sal_query *q)
{
    memset(q, 0, sizeof(*q));
    const char *postcode;
    term_ids terms;
    if (!read_where(rq, rs, q, &postcode) || !read_bool(rq, rs, "open_now", &q->open_now) ||
        !read_bool(rq, rs, "full", &q->full) || !read_filter(rq, rs, db, &q->all, &terms))
        return false;
    q->all.postcode = postcode;
    q->rest = q->all;
    q->rest.terms_json = terms.rest_json;
    q->need = terms.bits;
    return true;
}

/* Whether a filter narrows anything (then each index hit is tested in SQL). */
static bool needs_sql(const api_store_filter *f)
{
    return *f->postcode || *f->search || *f->since || *f->organization_id || *f->taxonomy_id ||
           strcmp(f->terms_json, "[]");
}

/* Every matching service-at-location in answer order (nearest first with a
 * point, else by rowid) before "open now". False on a database error.
 * A search from a point that the index alone can answer asks it for one
 * more match than the page needs (want): total_items is then exact when
 * there are no more, and otherwise a lower bound that says "at least one
 * more page" (last_page false), so paging still works. This keeps a
 * request from collecting every listing in a large radius. */
static bool sal_candidates(sqlite3 *db, const sal_query *q, size_t want, hitlist *out)
{
    if (!q->has_point)
        return api_store_sal_filter(db, &q->all, push_rowid, out);
    geo_index *g = geo_acquire();
    size_t cap = g ? geo_count(g) : 0;
    bool sql = needs_sql(&q->rest);
    if (!sql && !q->open_now && want < cap)
        cap = want; /* the index alone decides: no need to look further */
    geo_hit *hits = cap ? xmalloc(cap * sizeof(geo_hit)) : NULL;
    size_t n = cap ? geo_nearest(g, q->lat, q->lon, q->has_radius ? q->radius_km : INFINITY, q->need, hits, cap) : 0;
    geo_release(g);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        int m = sql ? api_store_sal_match(db, hits[i].id, &q->rest) : 1;
        if (m < 0) {
            ok = false;
            break;
        }
        if (m)
            hits_push(out, hits[i].id, hits[i].km);
    }
    free(hits);
    return ok;
}

/* Keeps only the listings open now (by their HSDS schedules, as the
 * locator's pages say it; unknown hours are not open). */
static void keep_open(sqlite3 *db, arena *a, hitlist *h, const char *default_zone)
{
    int64_t now = (int64_t)time(NULL);
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++) {
        hsds_listing l;
        if (api_store_sal_may_have_hours(db, h->v[i].rowid) != 1 || !hsds_store_listing(db, a, h->v[i].rowid, &l))
            continue;
        int open = -1;
        json_decref(listing_json(&l, now, false, &open, default_zone));
        if (open == 1)
            h->v[k++] = h->v[i];
    }
    h->n = k;
}

/* With full=true: the whole service_at_location, built from the documents. */
static int put_full_sal(sqlite3 *db, arena *a, buf *out, const sal_hit *h)
{
    hsds_listing l;
    if (!hsds_store_listing(db, a, h->rowid, &l))
        return 0;
    json_t *o = hsds_sal_object(&l, true, h->km);
    char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    if (t)
        buf_puts(out, t);
    free(t);
    return t ? 1 : 0;
}

/* One list object appended to out: the cached brief (dir_sal_brief) when
 * there is one, else built from the stored documents; with a point,
 * "distance" (whole metres, a Waypost extension) comes first. 1 when one
 * was written, 0 when the listing has gone, -1 on a database error. */
static int put_sal(sqlite3 *db, arena *a, buf *out, const sal_hit *h, bool full)
{
    if (full)
        return put_full_sal(db, a, out, h);
    size_t start = out->len;
    if (h->km >= 0)
        buf_printf(out, "{\"distance\":%lld,", (long long)llround(h->km * 1000.0));
    size_t at = out->len;
    int r = hsds_store_brief_into(db, h->rowid, out);
    if (r == 0) {
        hsds_listing l;
        char *t = hsds_store_listing(db, a, h->rowid, &l) ? hsds_sal_brief_text(&l) : NULL;
        if (t)
            buf_puts(out, t);
        r = t ? 1 : 0;
        free(t);
    }
    if (r != 1) {
        out->len = start;
        return r;
    }
    if (h->km >= 0) { /* drop the brief's own opening brace */
        memmove(out->data + at, out->data + at + 1, out->len - at - 1);
        out->len--;
    }
    return 1;
}

/* The page of hits as HSDS JSON (or NDJSON lines), written as text: the
 * list objects come ready-made from the cache, so nothing is parsed. */
static void send_sals(sqlite3 *db, response *rs, arena *a, const paging *p, const hitlist *h, bool full)
{
    size_t first = (size_t)page_offset(p);
    size_t end = p->per_page < 0 ? h->n : first + (size_t)p->per_page;
    buf items = BUF_INIT;
    long size = 0;
    for (size_t i = first; i < end && i < h->n; i++) {
        if (size && !p->ndjson)
            buf_putc(&items, ',');
        int r = put_sal(db, a, &items, &h->v[i], full);
        if (r < 0) {
            buf_free(&items);
            db_failed(rs);
            return;
        }
        if (r && p->ndjson)
            buf_putc(&items, '\n');
        else if (!r && size && !p->ndjson)
            items.len--; /* the comma */
        size += r;
    }
    buf_reset(&rs->body);
    rs->status = 200;
    rs->content_type = p->ndjson ? "application/x-ndjson" : "application/json";
    if (p->ndjson) {
        if (items.len)
            buf_append(&rs->body, items.data, items.len);
        buf_free(&items);
        return;
    }
    long total = (long)h->n, pages = pages_for(p, total);
    buf_printf(&rs->body,
               "{\"total_items\":%ld,\"total_pages\":%ld,\"page_number\":%ld,\"size\":%ld,\"first_page\":%s,"
               "\"last_page\":%s,\"empty\":%s,\"contents\":[",
               total, pages, p->page, size, p->page == 1 ? "true" : "false", p->page >= pages ? "true" : "false",
               size ? "false" : "true");
    if (items.len)
        buf_append(&rs->body, items.data, items.len);
    buf_puts(&rs->body, "]}\n");
    buf_free(&items);
}

static void sal_list(request *rq, response *rs, sqlite3 *db, const paging *p)
{
    sal_query q;
    if (!read_sal_query(rq, rs, db, &q))
        return;
    hitlist h = {0};
    size_t want = p->per_page > 0 ? (size_t)page_offset(p) + (size_t)p->per_page + 1 : (size_t)-1;
    if (!sal_candidates(db, &q, want, &h)) {
        free(h.v);
        db_failed(rs);
        return;
    }
    if (q.open_now)
        keep_open(db, &rq->a, &h, rq->cfg ? rq->cfg->timezone : NULL);
    send_sals(db, rs, &rq->a, p, &h, q.full);
    free(h.v);
}

void api_service_at_locations(request *rq, response *rs)
{
    paging p;
    if (!read_paging(rq, rs, &p))
        return;
    sqlite3 *db = db_thread();
    if (!db || !db_read_begin(db)) {
        db_failed(rs);
        return;
    }
    sal_list(rq, rs, db, &p);
    db_read_end(db);
}

void api_service_at_location(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    uint32_t rowid = db ? api_store_sal_rowid(db, req_param(rq, "id")) : 0;
    hsds_listing l;
    if (!rowid || !hsds_store_listing(db, &rq->a, rowid, &l)) {
        not_found(rs, "There is no service_at_location with that id.");
        return;
    }
    api_send(rs, 200, hsds_sal_object(&l, true, -1));
}
