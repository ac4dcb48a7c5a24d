/* server: libmicrohttpd glue, limits, dispatch, response finishing. */
#include "http/server.h"
#include "core/escape.h"
#include "core/gz.h"
#include "core/log.h"
#include "core/util.h"
#include "http/api.h"
#include "http/assets.h"
#include "http/clients.h"
#include "http/headers.h"
#include "http/metrics.h"
#include "http/listener.h"
#include "http/metrics_server.h"
#include "http/multipart.h"
#include "http/router.h"
#include "http/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GZIP_MIN 1024

static const config *cfg_g;
static const route *routes_g;
static int nroutes_g;
static char csp_g[512]; /* set by server_run (server_csp) */

/* The security headers for this server's responses. */
static bool add_security(struct MHD_Response *r, bool html)
{
    return headers_add_security(r, csp_g, cfg_g && cfg_g->hsts, html);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_ctx = clients_open(conn);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_ctx) {
        conn_ctx *cc = *socket_ctx;
        if (cc->begun)
            metrics_request_abandoned();
        free(cc->raw_uri);
        clients_close(cc);
        *socket_ctx = NULL;
    }
}

/* ---- request state -------------------------------------------------- */

struct req_state {
    request rq;
    response rs;
    char *raw_uri;
    bool started, body_too_big, queued;
    uint64_t t0;
    int status;
    size_t bytes;
    long body_limit;
};

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static conn_ctx *conn_ctx_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Keeps the raw request target on the connection; allocates nothing per
 * request (see conn_ctx). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    conn_ctx *cc = conn_ctx_of(conn);
    if (cc) {
        free(cc->raw_uri);
        cc->raw_uri = xstrdup(uri ? uri : "");
        if (!cc->begun)
            metrics_request_start(); /* in flight from now: a stop waits for it */
        cc->begun = true;
    }
    return NULL;
}

/* The state of a request, made at the access handler's first call. */
static struct req_state *new_state(struct MHD_Connection *conn)
{
    struct req_state *st = xcalloc(1, sizeof(*st));
    arena_init(&st->rq.a);
    buf_init(&st->rq.body, 0);
    buf_init(&st->rs.body, 0);
    conn_ctx *cc = conn_ctx_of(conn);
    st->raw_uri = cc && cc->raw_uri ? cc->raw_uri : xstrdup("");
    if (cc && cc->begun)
        cc->begun = false; /* the state takes over the in-flight count */
    else
        metrics_request_start();
    if (cc)
        cc->raw_uri = NULL;
    st->t0 = now_us();
    st->rq.route_index = -1;
    st->rq.path = "";
    st->rq.raw_query = "";
    return st;
}

/* One line per request; "cut" marks an answer the client did not receive
 * whole (it went away, or the connection timed out, mid-download). */
static void log_access(struct req_state *st, bool cut_off)
{
    const char *cut = cut_off ? " cut" : "";
    const route *r = st->rq.route;
    const char *name = r ? (r->name ? r->name : r->pattern) : "-";
    unsigned long ms = (unsigned long)((now_us() - st->t0) / 1000u);
    if (cfg_g && cfg_g->log_client_address) {
        log_info("access %s %s %s %d %zu %lums%s", st->rq.client[0] ? st->rq.client : "-",
                 st->rq.method_name ? st->rq.method_name : "-", name, st->status, st->bytes, ms, cut);
    } else {
        log_info("access %s %s %d %zu %lums%s", st->rq.method_name ? st->rq.method_name : "-", name, st->status,
                 st->bytes, ms, cut);
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    conn_ctx *cc = conn_ctx_of(conn);
    if (cc)
        clients_request_done(cc);
    struct req_state *st = *req_cls;
    if (!st)
        return;
    if (st->status == 0)
        st->status = 408; /* the client went away or timed out mid-request */
    log_access(st, st->queued && toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
    metrics_request_done(st->rq.route_index, st->status, now_us() - st->t0);
    buf_free(&st->rq.body);
    buf_free(&st->rs.body);
    stream_free(st->rs.stream); /* only when it never reached libmicrohttpd */
    arena_free(&st->rq.a);
    free(st->raw_uri);
    free(st);
    *req_cls = NULL;
}

const route *server_routes(int *n)
{
    *n = nroutes_g;
    return routes_g;
}

/* ---- finishing and queueing a response -------------------------------- */

static bool textual(const char *type)
{
    return type && (str_has_prefix(type, "text/") || str_has_prefix(type, "application/json") ||
                    str_has_prefix(type, "application/atom") || str_has_prefix(type, "image/svg") ||
                    str_has_prefix(type, "application/x-ndjson") || str_has_prefix(type, "application/xml"));
}

bool server_should_gzip(const response *rs, bool accept_gzip)
{
    return accept_gzip && rs->body.len > GZIP_MIN && textual(rs->content_type);
}

static enum MHD_Result queue(struct req_state *st, struct MHD_Connection *conn, struct MHD_Response *r, int status,
                             size_t bytes)
{
    if (!r) { /* out of memory: libmicrohttpd closes the connection */
        st->status = 500;
        return MHD_NO;
    }
    st->status = status;
    st->bytes = bytes;
    st->queued = true;
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static void MHD_destroy_response_void(void *r)
{
    MHD_destroy_response(r);
}

static enum MHD_Result send_not_modified(struct req_state *st, struct MHD_Connection *conn, const char *etag,
                                         const char *cache)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (r && (!headers_add(r, "ETag", etag) || !headers_add(r, "Cache-Control", cache) ||
              !headers_add(r, "Vary", "Accept-Encoding") || !add_security(r, false))) {
        MHD_destroy_response(r);
        r = NULL;
    }
    return r ? queue(st, conn, r, 304, 0) : queue(st, conn, NULL, 500, 0);
}

/* Static files are answered from response objects built once per asset,
 * encoding and cache policy and kept in the asset (libmicrohttpd
 * reference-counts responses, so one object serves every connection). The
 * slot is filled with a compare-and-swap, so the request path takes no
 * lock; the responses live until the server stops. */
static struct MHD_Response *make_asset_response(const asset *a, bool gz, bool immutable)
{
    const unsigned char *data = gz ? a->gz : a->data;
    size_t len = gz ? a->gzlen : a->len;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return NULL;
    if (!headers_add(r, "Content-Type", a->type) ||
        !headers_add(r, "Cache-Control", immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600") ||
        !headers_add(r, "ETag", gz ? a->gz_etag : a->etag) || !headers_add(r, "Vary", "Accept-Encoding") ||
        (gz && !headers_add(r, "Content-Encoding", "gzip")) || !add_security(r, false)) {
        MHD_destroy_response(r); /* the slot stays empty: the next request tries again */
        return NULL;
    }
    return r;
}

static struct MHD_Response *asset_response(const asset *a, bool gz, bool immutable)
{
    void **slot = (void **)&a->responses[(gz ? 1 : 0) + (immutable ? 2 : 0)];
    struct MHD_Response *r = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (r)
        return r;
    struct MHD_Response *made = make_asset_response(a, gz, immutable);
    if (!made)
        return NULL;
    void *expected = NULL;
    if (__atomic_compare_exchange_n(slot, &expected, made, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return made;
    MHD_destroy_response(made); /* another thread made it first */
    return expected;
}

static void response_cache_free(void)
{
    assets_each_response(MHD_destroy_response_void);
}

static enum MHD_Result send_asset(struct req_state *st, struct MHD_Connection *conn, const asset *a, bool immutable)
{
    const char *cache = immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600";
    bool gz = a->gz && st->rq.accept_gzip;
    const char *etag = gz ? a->gz_etag : a->etag;
    if (etag_matches(st->rq.if_none_match, etag))
        return send_not_modified(st, conn, etag, cache);
    struct MHD_Response *r = asset_response(a, gz, immutable);
    if (!r)
        return queue(st, conn, NULL, 500, 0);
    st->status = 200;
    st->bytes = st->rq.method == M_HEAD ? 0 : (gz ? a->gzlen : a->len);
    st->queued = true;
    return MHD_queue_response(conn, 200, r);
}

/* A redirect to a page of this site stays in the request's language. */
static void localize_location(struct req_state *st)
{
    const char *prefix = i18n_prefix(st->rq.lang);
    for (int i = 0; *prefix && i < st->rs.nheaders; i++) {
        const char *v = st->rs.headers[i].value;
        if (strcasecmp(st->rs.headers[i].name, "Location") != 0 || v[0] != '/' || v[1] == '/' ||
            str_has_prefix(v, "/static/") || str_has_prefix(v, "/api/"))
            continue;
        size_t n = strlen(prefix);
        if (!strncmp(v, prefix, n) && (v[n] == '/' || v[n] == '\0' || v[n] == '?'))
            continue;
        size_t len = n + strlen(v) + 1;
        char *to = arena_alloc(&st->rq.a, len);
        snprintf(to, len, "%s%s", prefix, v);
        st->rs.headers[i].value = to;
    }
}

/* The headers of an answer: its type, cache policy, ETag (when not ""),
 * Vary, encoding, the handler's own and the security headers. */
static bool add_headers(struct req_state *st, struct MHD_Response *r, const char *type, const char *cache,
                        const char *etag, bool gz)
{
    response *rs = &st->rs;
    bool html = str_has_prefix(type, "text/html"); /* pages offer the language the browser prefers */
    bool ok = headers_add(r, "Content-Type", type) && headers_add(r, "Cache-Control", cache) &&
              (!etag[0] || headers_add(r, "ETag", etag)) &&
              (!textual(type) || headers_add(r, "Vary", html ? "Accept-Encoding, Accept-Language" : "Accept-Encoding")) &&
              (!gz || headers_add(r, "Content-Encoding", "gzip"));
    localize_location(st);
    for (int i = 0; ok && i < rs->nheaders; i++)
        ok = headers_add(r, rs->headers[i].name, rs->headers[i].value);
    return ok && add_security(r, html);
}

/* A streamed answer (http/stream.h): chunked, without ETag, gzip or
 * Content-Length; HEAD gets the headers alone. */
static enum MHD_Result send_stream(struct req_state *st, struct MHD_Connection *conn)
{
    response *rs = &st->rs;
    stream *s = rs->stream;
    rs->stream = NULL; /* the libmicrohttpd response frees it from here on */
    struct MHD_Response *r = stream_response(s, &st->bytes);
    const char *type = rs->content_type ? rs->content_type : "application/octet-stream";
    if (r && !add_headers(st, r, type, rs->cache_control ? rs->cache_control : "no-cache", "", false)) {
        MHD_destroy_response(r);
        r = NULL;
    }
    return queue(st, conn, r, rs->status ? rs->status : 200, 0);
}

static enum MHD_Result send_response(struct req_state *st, struct MHD_Connection *conn)
{
    response *rs = &st->rs;
    if (rs->asset)
        return send_asset(st, conn, rs->asset, rs->cache_control != NULL);
    if (rs->stream)
        return send_stream(st, conn);
    if (!rs->status)
        rs->status = 200;
    if (rs->body.overflow) {
        buf_reset(&rs->body);
        resp_error(&st->rq, rs, 500, T(&st->rq, "The page was too large to send."));
    }
    const char *type = rs->content_type ? rs->content_type : "text/html; charset=utf-8";
    rs->content_type = type;
    const char *cache = rs->cache_control ? rs->cache_control : "no-cache";
    bool gz = server_should_gzip(rs, st->rq.accept_gzip);
    char etag[40] = "";
    bool cacheable = rs->status == 200 && (st->rq.method & (M_GET | M_HEAD)) && strcmp(cache, "no-store") != 0;
    if (cacheable) {
        etag_of(rs->body.data ? rs->body.data : "", rs->body.len, gz ? "-gz" : NULL, etag, sizeof(etag));
        if (etag_matches(st->rq.if_none_match, etag))
            return send_not_modified(st, conn, etag, cache);
    }
    size_t len = rs->body.len;
    char *data;
    if (gz) {
        buf z = BUF_INIT;
        if (gz_compress(rs->body.data, rs->body.len, 6, &z)) {
            data = buf_detach(&z, &len);
        } else {
            buf_free(&z);
            gz = false;
            data = buf_detach(&rs->body, &len);
        }
    } else {
        data = buf_detach(&rs->body, &len);
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return queue(st, conn, NULL, 500, 0);
    }
    if (!add_headers(st, r, type, cache, etag, gz)) {
        MHD_destroy_response(r); /* frees data too */
        return queue(st, conn, NULL, 500, 0);
    }
    return queue(st, conn, r, rs->status, st->rq.method == M_HEAD ? 0 : len);
}

static enum MHD_Result fail(struct req_state *st, struct MHD_Connection *conn, int status, const char *message)
{
    resp_error(&st->rq, &st->rs, status, message ? i18n_tr(st->rq.lang, message) : message); /* N_() texts */
    return send_response(st, conn);
}

/* ---- parsing the request line ---------------------------------------- */

static unsigned method_bit(const char *m)
{
    if (!strcmp(m, "GET"))
        return M_GET;
    if (!strcmp(m, "HEAD"))
        return M_HEAD;
    if (!strcmp(m, "POST"))
        return M_POST;
    if (!strcmp(m, "PUT"))
        return M_PUT;
    if (!strcmp(m, "DELETE"))
        return M_DELETE;
    return M_OTHER;
}

struct hdr_sum {
    size_t total;
    int lengths, codings;
    const char *length, *coding;
    bool lengths_differ;
};

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct hdr_sum *s = cls;
    s->total += strlen(key) + (value ? strlen(value) : 0) + 4;
    if (!strcasecmp(key, "Content-Length")) {
        s->lengths_differ |= s->length && value && strcmp(s->length, value);
        s->length = value;
        s->lengths++;
    } else if (!strcasecmp(key, "Transfer-Encoding")) {
        s->coding = value;
        s->codings++;
    }
    return MHD_YES;
}

/* Request smuggling's raw material: a body length given two ways, or
 * twice, or a transfer coding we cannot read. 0 when the framing is plain. */
static int check_framing(const struct hdr_sum *s, const char **why)
{
    if (s->codings && s->lengths)
        *why = N_("The request gives both Content-Length and Transfer-Encoding.");
    else if (s->lengths_differ)
        *why = N_("The request gives two different Content-Length values.");
    else if (s->codings > 1 || (s->codings && (!s->coding || strcasecmp(s->coding, "chunked"))))
        *why = N_("The request's Transfer-Encoding is not one this server reads (only chunked).");
    else
        return 0;
    return 400;
}

/* Splits the raw URI into a decoded path and the raw query. 0 on success,
 * else the HTTP status to answer. */
static int parse_uri(struct req_state *st, const char **why)
{
    const char *uri = st->raw_uri;
    const char *q = strchr(uri, '?');
    size_t plen = q ? (size_t)(q - uri) : strlen(uri);
    if (plen == 0 || uri[0] != '/') {
        *why = N_("The address must start with a slash.");
        return 400;
    }
    char *path = arena_alloc(&st->rq.a, plen + 1);
    if (url_decode(uri, plen, path, plen + 1, false) < 0) {
        *why = N_("The address has a malformed percent-encoding or a NUL byte.");
        return 400;
    }
    if (!utf8_valid(path, strlen(path))) {
        *why = N_("The address is not valid UTF-8.");
        return 400;
    }
    if (strstr(path, "/../") || str_has_suffix(path, "/..") || strstr(path, "/./") || strstr(path, "//")) {
        *why = N_("There is no page at this address.");
        return 404;
    }
    st->rq.lang = i18n_from_path(path, &st->rq.path); /* "/es/find" is /find in Spanish */
    st->rq.raw_query = q ? arena_strdup(&st->rq.a, q + 1) : "";
    return 0;
}

static int check_limits(struct req_state *st, struct MHD_Connection *conn, const char **why)
{
    if ((long)strlen(st->raw_uri) > cfg_g->max_uri_bytes) {
        *why = N_("The address is too long.");
        return 414;
    }
    struct hdr_sum s = {0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, sum_header, &s);
    if ((long)s.total > cfg_g->max_header_bytes) {
        *why = N_("The request headers are too large.");
        return 431;
    }
    if (check_framing(&s, why)) {
        resp_header(&st->rs, "Connection", "close");
        return 400;
    }
    return 0;
}

static void read_request_headers(struct req_state *st, struct MHD_Connection *conn)
{
    const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
    st->rq.accept_gzip = ae && strstr(ae, "gzip") && !strstr(ae, "gzip;q=0,") && !str_has_suffix(ae, "gzip;q=0");
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    st->rq.if_none_match = inm ? arena_strdup(&st->rq.a, inm) : NULL;
}

/* Routes the request; 0 on success, else the status to answer. */
static int route_request(struct req_state *st, const char **why, char *allow, size_t allowlen)
{
    unsigned allowed = 0;
    int idx = router_match(routes_g, nroutes_g, st->rq.method, st->rq.path, &st->rq, &allowed);
    if (idx == -1) {
        *why = N_("There is no page at this address.");
        return 404;
    }
    if (idx == -2) {
        router_allow_header(allowed, allow, allowlen);
        *why = N_("This address does not accept that kind of request.");
        return 405;
    }
    st->rq.route = &routes_g[idx];
    st->rq.route_index = idx;
    st->body_limit = routes_g[idx].max_body < 0 ? cfg_g->max_body_bytes : routes_g[idx].max_body;
    return 0;
}

/* Checks the query and form against the route's spec; false when the
 * answer is a 400 naming the key (JSON with "parameter" under RF_API). */
static bool check_params(struct req_state *st)
{
    const param_spec *spec = st->rq.route->params;
    const char *key = NULL;
    char why[256];
    int lang = st->rq.lang;
    if (!spec || (params_check_lang(lang, &st->rq.query, spec, &key, why, sizeof(why)) &&
                  params_check_lang(lang, &st->rq.form, spec, &key, why, sizeof(why))))
        return true;
    if (st->rq.route->flags & RF_API)
        api_error(&st->rs, 400, why, json_pack("{s:s}", "parameter", key));
    else
        resp_error(&st->rq, &st->rs, 400, why);
    return false;
}

static guard_fn guard_g;

void server_set_guard(guard_fn fn)
{
    guard_g = fn;
}

/* Runs the guard on a staff route; false when its answer (or 403 when the
 * app set none) is the response. */
static bool guarded(struct req_state *st)
{
    if (!st->rq.route->guard)
        return true;
    bool ok = guard_g ? guard_g(&st->rq, &st->rs) : false;
    if (!ok && !guard_g)
        resp_error(&st->rq, &st->rs, 403, T(&st->rq, "Staff pages are not available on this server."));
    if (!ok)
        st->rs.cache_control = "no-store";
    return ok;
}

static enum MHD_Result dispatch(struct req_state *st, struct MHD_Connection *conn)
{
    static const param_spec none[] = {{NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false}};
    const char *why = NULL;
    const route *r = st->rq.route;
    const param_spec *spec = r->params ? r->params : none; /* a route without a spec reads no keys */
    if (params_parse_query(&st->rq.a, st->rq.raw_query, strlen(st->rq.raw_query), spec, &st->rq.query,
                           &why) != PARAMS_OK)
        return fail(st, conn, 400, why);
    if (st->rq.method == M_POST) {
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        if (params_parse_body(&st->rq.a, ct, buf_cstr(&st->rq.body), st->rq.body.len, spec, &st->rq.form,
                              &why) != PARAMS_OK)
            return fail(st, conn, 400, why);
    }
    if (!check_params(st) || !guarded(st))
        return send_response(st, conn);
    r->handler(&st->rq, &st->rs);
    if (r->guard)
        st->rs.cache_control = "no-store";
    else if (!st->rs.cache_control && (r->flags & RF_NO_CACHE))
        st->rs.cache_control = "no-store";
    return send_response(st, conn);
}

/* The first call for a request: limits, parsing, routing. */
static enum MHD_Result begin_request(struct req_state *st, struct MHD_Connection *conn, const char *method)
{
    st->started = true;
    st->rq.conn = conn;
    st->rq.cfg = cfg_g;
    clients_request_addr(conn, st->rq.client, sizeof(st->rq.client));
    conn_ctx *cc = conn_ctx_of(conn);
    if (cc)
        clients_headers_in(cc);
    st->rq.method = method_bit(method);
    st->rq.method_name = arena_strdup(&st->rq.a, method);
    st->rq.target = st->raw_uri;
    read_request_headers(st, conn);
    const char *why = NULL;
    int status = check_limits(st, conn, &why);
    if (!status)
        status = parse_uri(st, &why);
    char allow[64] = "";
    if (!status)
        status = route_request(st, &why, allow, sizeof(allow));
    if (status) {
        if (status == 405)
            resp_header(&st->rs, "Allow", arena_strdup(&st->rq.a, allow));
        if (status == 503)
            resp_header(&st->rs, "Retry-After", "5");
        return fail(st, conn, status, why);
    }
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    long n = 0;
    if (cl && (!parse_long(cl, 0, 1L << 40, &n) || n > st->body_limit))
        return fail(st, conn, 413, "The request body is larger than this address accepts.");
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    struct req_state *st = *req_cls;
    if (!st)
        *req_cls = st = new_state(conn);
    if (st->queued) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!st->started) {
        enum MHD_Result rc = begin_request(st, conn, method);
        if (st->queued || rc != MHD_YES)
            return rc;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if ((long)(st->rq.body.len + *upload_data_size) > st->body_limit)
            st->body_too_big = true;
        else
            buf_append(&st->rq.body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (st->body_too_big)
        return fail(st, conn, 413, "The request body is larger than this address accepts.");
    if (st->rq.body.len && !(st->rq.route->flags & RF_BINARY) && !utf8_valid(st->rq.body.data, st->rq.body.len))
        return fail(st, conn, 400, "The request body is not valid UTF-8 text.");
    return dispatch(st, conn);
}

/* ---- listening, serving, stopping -------------------------------------- */

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    log_debug("libmicrohttpd: %s", line);
}

static unsigned thread_count(const config *cfg)
{
    if (cfg->threads > 0)
        return (unsigned)cfg->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

static void wait_for_stop_signal(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0, rc;
    while ((rc = sigwait(&set, &sig)) != 0) /* only a bad set fails; never stop on it */
        log_error("waiting for a stop signal: %s", strerror(rc));
    log_info("received %s: finishing requests in flight, then stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
}

/* Waits up to seconds for the requests in flight; true when none is left. */
static bool drain(long seconds)
{
    for (long i = 0; i < seconds * 100 && metrics_in_flight() > 0; i++)
        usleep(10000);
    return metrics_in_flight() == 0;
}

static struct MHD_Daemon *daemon_g;

/* The signals the server waits for are blocked in every thread it makes;
 * SIGPIPE is ignored (a client that goes away is not an error). */
static bool block_signals(char *err, size_t errlen)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int rc = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (rc != 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        snprintf(err, errlen, "cannot set up signal handling: %s", strerror(rc ? rc : errno));
        return false;
    }
    return true;
}

static struct MHD_Daemon *start_daemon(const config *cfg, int fd)
{
    unsigned threads = thread_count(cfg);
    /* libmicrohttpd keeps each query argument in the connection's pool:
     * room for the most a URI of max_uri_bytes can hold ("a&a&..."), with
     * the headers, so it never gives up on a request before our handler
     * can answer it. */
    unsigned mem = (unsigned)(cfg->max_header_bytes + cfg->max_uri_bytes) * 2u + (unsigned)cfg->max_uri_bytes * 40u;
    if (mem < 32768)
        mem = 32768;
    unsigned conns = listener_connection_limit(cfg->max_connections);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, clients_accept, NULL, on_request, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->timeout_seconds, MHD_OPTION_CONNECTION_LIMIT, conns,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)mem, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
    if (d)
        log_info("serving at http://%s/ with %u worker threads", cfg->listen, threads);
    return d;
}

bool server_start(const config *cfg, const route *table, int n, char *err, size_t errlen)
{
    if (!server_csp(cfg, csp_g, sizeof(csp_g))) {
        snprintf(err, errlen, "map.tiles \"%s\" has no host that a Content-Security-Policy can name", cfg->tiles);
        return false;
    }
    cfg_g = cfg;
    routes_g = table;
    nroutes_g = n;
    if (!block_signals(err, errlen))
        return false;
    int fd = listener_open(cfg, err, errlen);
    if (fd < 0)
        return false;
    if (!clients_start(cfg, err, errlen)) {
        close(fd);
        return false;
    }
    daemon_g = start_daemon(cfg, fd);
    if (!daemon_g) {
        snprintf(err, errlen, "the HTTP server could not start on %s", cfg->listen);
        clients_stop();
        close(fd);
        return false;
    }
    char merr[256];
    if (cfg->metrics_listen[0] && !metrics_server_start(cfg->metrics_listen, table, n, merr, sizeof(merr)))
        log_error("%s", merr); /* the site still serves; only the counts are missing */
    else if (cfg->metrics_listen[0])
        log_info("metrics at http://%s/metrics", cfg->metrics_listen);
    return true;
}

bool server_stop(void)
{
    if (!daemon_g)
        return true;
    metrics_server_stop();
    MHD_socket lfd = MHD_quiesce_daemon(daemon_g);
    if (!drain(cfg_g->drain_seconds))
        return false;
    MHD_stop_daemon(daemon_g);
    daemon_g = NULL;
    clients_stop();
    response_cache_free();
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    return true;
}

bool server_run(const config *cfg, const route *table, int n, char *err, size_t errlen)
{
    if (!server_start(cfg, table, n, err, errlen))
        return false;
    fprintf(stdout, "Waypost is serving at http://%s/\n", cfg->listen);
    fflush(stdout);
    wait_for_stop_signal();
    if (!server_stop()) {
        /* stopping the daemon would wait for them without limit: the
         * database keeps every committed write, so end here */
        log_info("stopped after %lds with %ld requests unfinished", cfg->drain_seconds, (long)metrics_in_flight());
        fflush(stderr);
        _exit(0);
    }
    log_info("stopped cleanly");
    return true;
}
