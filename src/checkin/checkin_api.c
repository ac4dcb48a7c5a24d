/* checkin_api: JSON handlers of the check-in timer. See checkin_api.h. */
#include "checkin/checkin_api.h"
#include "checkin/checkin.h"
#include "core/i18n.h"
#include "http/api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Answers a status other than CK_DONE. */
static void api_status(request *rq, response *rs, enum ck_status st, const ck_problem *p, int retry_after)
{
    char ra[16];
    switch (st) {
    case CK_INVALID:
        api_error(rs, 400, p->message, json_pack("{s:s}", "parameter", p->field));
        return;
    case CK_NOT_FOUND:
        api_error(rs, 404, T(rq, "There is no check-in at this address. It may have ended and been deleted."), NULL);
        return;
    case CK_FORBIDDEN:
        api_error(rs, 403, T(rq, "This link can only say that you are on the way."), NULL);
        return;
    case CK_CONFLICT:
        api_error(rs, 409, T(rq, "The check-in is not in a state that allows this."), NULL);
        return;
    case CK_LIMITED:
        snprintf(ra, sizeof(ra), "%d", retry_after > 0 ? retry_after : 60);
        resp_header(rs, "Retry-After", arena_strdup(&rq->a, ra)); /* the value must outlive this call */
        api_error(rs, 429, T(rq, "Too many check-ins from here or to this contact in the last hour. Please try later."),
                  NULL);
        return;
    default:
        api_error(rs, 500, T(rq, "The check-in could not be saved. Please try again, and do not rely on it now."), NULL);
        return;
    }
}

void checkin_api_start(request *rq, response *rs)
{
    checkin_req r;
    ck_problem p = {0};
    int retry = 0;
    if (!checkin_parse_json(buf_cstr(&rq->body), rq->body.len, &r, &rq->a, &p)) {
        api_status(rq, rs, CK_INVALID, &p, 0);
        return;
    }
    if (!r.lang && rq->lang != i18n_default()) /* /es/api/...: the messages in Spanish */
        r.lang = i18n_code(rq->lang);
    char token[CHECKIN_TOKEN_LEN + 1], due[32], url[64];
    int64_t due_at = 0;
    enum ck_status st = checkin_start(rq->cfg, &r, rq->client, token, &due_at, &p, &retry);
    if (st != CK_DONE) {
        api_status(rq, rs, st, &p, retry);
        return;
    }
    time_t t = (time_t)(due_at / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(due, sizeof(due), "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(url, sizeof(url), "/checkin/%s", token);
    rs->cache_control = "no-store";
    api_send(rs, 201, json_pack("{s:s, s:s, s:s, s:I}", "token", token, "url", url, "due_at", due, "due_ms",
                                (json_int_t)due_at));
}

void checkin_api_get(request *rq, response *rs)
{
    enum ck_status st;
    json_t *j = checkin_describe(rq->cfg, req_param(rq, "token"), &st);
    rs->cache_control = "no-store";
    if (!j) {
        api_status(rq, rs, st, NULL, 0);
        return;
    }
    api_send(rs, 200, j);
}

/* extend's {"seconds": N} (300 when the body is empty); -1 when malformed. */
static long extend_seconds(const request *rq)
{
    if (rq->body.len == 0)
        return 300;
    json_error_t je;
    json_t *root = json_loadb(buf_cstr(&rq->body), rq->body.len, JSON_REJECT_DUPLICATES, &je);
    json_t *v = json_object_get(root, "seconds");
    long s = json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= 7200
                 ? (long)json_integer_value(v)
                 : -1;
    json_decref(root);
    return s;
}

void checkin_api_action(request *rq, response *rs)
{
    enum ck_action a;
    rs->cache_control = "no-store";
    if (!checkin_action_parse(req_param(rq, "action"), &a)) {
        api_error(rs, 404, T(rq, "The actions are ok, extend, cancel and ack."), NULL);
        return;
    }
    long seconds = a == ACT_EXTEND ? extend_seconds(rq) : 0;
    if (seconds < 0) {
        ck_problem p = {"seconds", "seconds must be a whole number from 1 to 7200."};
        api_status(rq, rs, CK_INVALID, &p, 0);
        return;
    }
    const char *token = req_param(rq, "token");
    enum ck_status st = checkin_act(rq->cfg, token, a, seconds);
    if (st != CK_DONE) {
        api_status(rq, rs, st, NULL, 0);
        return;
    }
    json_t *j = checkin_describe(rq->cfg, token, &st);
    if (!j) {
        api_status(rq, rs, st, NULL, 0);
        return;
    }
    api_send(rs, 200, j);
}
