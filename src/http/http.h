/* http: the request and response a handler sees, and the route table type.
 *
 * A handler gets a request (method, decoded path, route parameters, query
 * and form parameters, all in the request's arena) and fills a response
 * (status, content type, body, cache policy). The server adds the security
 * headers, ETag/304, gzip, Content-Length and HEAD handling afterwards, so
 * handlers never deal with them. Handlers must not keep pointers into the
 * request after they return. */
#ifndef WP_HTTP_H
#define WP_HTTP_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/i18n.h"
#include "http/params.h"

#include <stdbool.h>
#include <stdint.h>

enum http_method {
    M_GET = 1,
    M_HEAD = 2,
    M_POST = 4,
    M_OTHER = 8,
    M_PUT = 16,    /* the staff API's updates */
    M_DELETE = 32, /* the staff API's withdrawals */
};

enum route_flags {
    RF_NONE = 0,
    RF_API = 1,      /* errors as JSON */
    RF_NO_CACHE = 2, /* Cache-Control: no-store (search results, forms) */
    RF_BINARY = 4,   /* the body may hold bytes that are not text (a multipart form with a photo): the
                        server skips its UTF-8 check of the whole body; the multipart parser still
                        checks every part the route's spec names, and the handler reads the rest raw */
};

struct request;
struct response;
typedef void (*handler_fn)(struct request *rq, struct response *rs);

/* One row of the route table. pattern: literal segments, ":name" for one
 * segment captured as a route parameter, and a final "*" for the rest of the
 * path (captured as "*"). methods is a mask of M_GET/M_POST (GET implies HEAD).
 * params is the typed spec of the query/form keys the handler reads (NULL:
 * none): others are dropped, and a value the spec refuses is answered 400
 * naming the key before the handler runs. */
typedef struct route {
    unsigned methods;
    const char *pattern;
    handler_fn handler;
    unsigned flags;
    const param_spec *params;
    long max_body; /* 0: no body allowed; -1: the configured max_body_bytes */
    const char *name; /* for logs and metrics; defaults to pattern */
    /* 0: public (no cookie is read). Otherwise a staff route: the guard
     * the app set (server_set_guard) decides who may use it before the
     * handler runs, and the answer is never stored by caches. The value
     * means what the guard says (auth/guard.h: the least role). */
    int guard;
} route;

#define ROUTE_PARAMS_MAX 4

typedef struct request {
    arena a;
    unsigned method;
    const char *method_name;
    const char *path;       /* decoded, begins with '/' */
    const char *raw_query;  /* after '?', not decoded; "" when none */
    const route *route;
    int route_index;
    const char *route_keys[ROUTE_PARAMS_MAX];
    const char *route_values[ROUTE_PARAMS_MAX];
    int nroute;
    params query;
    params form;
    buf body;
    bool accept_gzip;
    const char *if_none_match;
    void *conn; /* struct MHD_Connection *, for header lookups */
    const config *cfg; /* the settings the server runs with */
    char client[48];   /* the client's address, for in-memory limits only (never logged by default) */
    const char *target; /* the raw request target, as sent */
    const void *who;    /* on a staff route: who is asking, set by the guard */
    int lang;           /* the page's language (core/i18n.h), from the URL's /es/ prefix */
} request;

/* A handler's text in the request's language (see core/i18n.h). The
 * string must be a literal so tools/i18n_extract.py can find it. */
#define T(rq, s) i18n_tr((rq)->lang, (s))
#define TC(rq, ctx, s) i18n_trc((rq)->lang, (ctx), (s))
#define TN(rq, one, many, n) i18n_trn((rq)->lang, (one), (many), (n))

typedef struct header {
    const char *name, *value;
} header;

#define RESPONSE_HEADERS_MAX 8

typedef struct response {
    int status;
    const char *content_type;
    buf body;
    const char *cache_control; /* NULL: "no-cache" for HTML (revalidate with ETag) */
    header headers[RESPONSE_HEADERS_MAX];
    int nheaders;
    /* A preloaded static file: served from its own memory, body unused. */
    const struct asset *asset;
    /* An answer made while it is sent (http/stream.h), body unused: the
     * server owns it once set and frees it. */
    struct stream *stream;
} response;

/* A route parameter captured by ":name", or NULL. */
const char *req_param(const request *rq, const char *name);
/* A request header, or NULL. */
const char *req_header(const request *rq, const char *name);
/* The first value for key, or NULL: on POST the form body's before the
 * query's, otherwise the query's. */
const char *req_arg(const request *rq, const char *key);
/* The value of key as its route's spec types it, already checked by the
 * server: the first value given, else the spec's default (req_str: NULL
 * when neither; req_int, req_num: 0; req_bool: false). req_bool is true
 * for "true", "1" and "on". req_has says whether the request gave key (an
 * empty form field, which means "not given", does not count). */
const char *req_str(const request *rq, const char *key);
long req_int(const request *rq, const char *key);
double req_num(const request *rq, const char *key);
bool req_bool(const request *rq, const char *key);
bool req_has(const request *rq, const char *key);

void resp_header(response *rs, const char *name, const char *value);
/* Sets a plain error: HTML in the site layout, or JSON under RF_API. */
void resp_error(request *rq, response *rs, int status, const char *message);
/* Sets a redirect (303 See Other for POST, 302 otherwise, or as given). */
void resp_redirect(response *rs, int status, const char *location);

const char *http_status_text(int status);

#endif
