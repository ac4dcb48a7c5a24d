/* request: what handlers call on a request and a response: route and
 * query values (typed by the route's spec), headers, redirects, and error
 * answers (HTML through the renderer the page layer sets, JSON under
 * /api/). The server (server.c) fills the request; this file only reads
 * it. */
#include "http/api.h"
#include "http/http.h"
#include "http/server.h"
#include "core/util.h"

#include <limits.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static error_renderer render_error_fn;

const char *req_param(const request *rq, const char *name)
{
    for (int i = 0; i < rq->nroute; i++)
        if (!strcmp(rq->route_keys[i], name))
            return rq->route_values[i];
    return NULL;
}

const char *req_header(const request *rq, const char *name)
{
    if (!rq->conn)
        return NULL;
    return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_HEADER_KIND, name);
}

const char *req_arg(const request *rq, const char *key)
{
    const params *first = rq->method == M_POST ? &rq->form : &rq->query;
    const params *second = rq->method == M_POST ? &rq->query : &rq->form;
    const char *v = params_get(first, key);
    return v ? v : params_get(second, key);
}

/* Whether v, given for key, counts: not an empty value of a form field. */
static bool counts(const request *rq, const char *key, const char *v)
{
    if (!v)
        return false;
    if (*v)
        return true;
    const param_spec *e = rq->route ? param_spec_find(rq->route->params, key, strlen(key)) : NULL;
    return !e || !e->blank;
}

bool req_has(const request *rq, const char *key)
{
    return counts(rq, key, req_arg(rq, key));
}

const char *req_str(const request *rq, const char *key)
{
    const char *v = req_arg(rq, key);
    if (counts(rq, key, v))
        return v;
    const param_spec *e = rq->route ? param_spec_find(rq->route->params, key, strlen(key)) : NULL;
    return e ? e->def : NULL;
}

long req_int(const request *rq, const char *key)
{
    const char *v = req_str(rq, key);
    long n = 0;
    return v && parse_long(v, LONG_MIN, LONG_MAX, &n) ? n : 0;
}

double req_num(const request *rq, const char *key)
{
    const char *v = req_str(rq, key);
    return v ? strtod(v, NULL) : 0.0;
}

bool req_bool(const request *rq, const char *key)
{
    const char *v = req_str(rq, key);
    return v && (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "on"));
}

void resp_header(response *rs, const char *name, const char *value)
{
    if (rs->nheaders < RESPONSE_HEADERS_MAX) {
        rs->headers[rs->nheaders].name = name;
        rs->headers[rs->nheaders].value = value;
        rs->nheaders++;
    }
}

void resp_redirect(response *rs, int status, const char *location)
{
    rs->status = status;
    resp_header(rs, "Location", location);
    rs->content_type = "text/plain; charset=utf-8";
    buf_reset(&rs->body);
    buf_puts(&rs->body, "Redirecting.\n");
}

const char *http_status_text(int status)
{
    switch (status) {
    case 200: return N_("OK");
    case 302: return N_("Found");
    case 303: return N_("See Other");
    case 304: return N_("Not Modified");
    case 400: return N_("Bad Request");
    case 403: return N_("Forbidden");
    case 404: return N_("Not Found");
    case 405: return N_("Method Not Allowed");
    case 408: return N_("Request Timeout");
    case 413: return N_("Content Too Large");
    case 414: return N_("URI Too Long");
    case 415: return N_("Unsupported Media Type");
    case 422: return N_("Unprocessable Content");
    case 429: return N_("Too Many Requests");
    case 431: return N_("Request Header Fields Too Large");
    case 500: return N_("Internal Server Error");
    case 503: return N_("Service Unavailable");
    default: return N_("Error");
    }
}

static void plain_error(request *rq, response *rs, int status, const char *message)
{
    (void)rq;
    rs->status = status;
    rs->content_type = "text/plain; charset=utf-8";
    buf_reset(&rs->body);
    buf_printf(&rs->body, "%d %s: %s\n", status, http_status_text(status), message);
}

void resp_error(request *rq, response *rs, int status, const char *message)
{
    rs->cache_control = "no-store";
    bool api = (rq->route && (rq->route->flags & RF_API)) || str_has_prefix(rq->path, "/api/") ||
               (rq->target && str_has_prefix(rq->target, "/api/"));
    if (api)
        api_error(rs, status, message, NULL);
    else if (render_error_fn)
        render_error_fn(rq, rs, status, message);
    else
        plain_error(rq, rs, status, message);
    rs->status = status;
}

void server_set_error_renderer(error_renderer fn)
{
    render_error_fn = fn;
}

